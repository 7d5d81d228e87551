// Ranking the causes, and the ties between what failed and what changed.
//
// Candidates from different detectors about the same thing (a missing file the error log names
// and strace shows) are one candidate with the evidence of both, ranked higher for it. A
// candidate whose messages name another candidate's object is that one's consequence (a PHP
// fatal error about a file that is missing; a dependency's refused connections and the failed
// start of the service behind them): the deeper one is the cause, and carries the other's
// evidence. Then best score first.
#pragma once
#include <string>
#include <vector>

#include "engine/findings/candidate.h"

namespace hindcast {

// Merges, links and sorts cause candidates in place; best first.
void rank_causes(std::vector<Candidate>& causes);

// What a change or a resolution must mention to be tied to a cause: its object, paths, their
// directories, the file that referenced it, its service and that service's name; for a full
// disk, the volume.
std::vector<std::string> tie_terms(const Candidate& cause);
bool mentions_any(std::string_view text, const std::vector<std::string>& terms);
// Whether a unit or program a message is about is the cause's service: the one it names, or the
// one its address belongs to ("mariadb.service" for "/run/mysqld/mysqld.sock").
bool is_service_of(const Candidate& cause, std::string_view unit);

// The directory of a path when it says something (at least two components: "/srv/site", not
// "/srv" or "/").
std::string meaningful_directory(std::string_view path);
// The volume a path probably lives on, as far as logs can tell: its first two components with
// the slash ("/srv/site/" for "/srv/site/cache/x"); empty for shorter paths.
std::string volume_of(std::string_view path);

}  // namespace hindcast
