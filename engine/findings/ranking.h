// Ranking the causes, linking them into a chain, and the ties between what failed and what changed.
//
// Candidates from different detectors about the same thing (a missing file the error log names
// and strace shows) are one candidate with the evidence of both, ranked higher for it. Candidates
// gather as their kind's scope says (kinds.h): five full files in one directory are one full
// filesystem; the two lines of one configuration error are one error. A candidate that fails on
// another's object, or whose address belongs to a service another candidate shows failing, is
// that one's consequence (a PHP fatal error about a missing file; a socket that refuses because
// the database behind it was killed): the deeper one ranks higher, and the two are links of one
// chain, deepest first (causal_chain). A failed unit is never a root cause by itself: it is the
// "why" of the dependency it stands behind.
#pragma once
#include <string>
#include <vector>

#include "engine/findings/candidate.h"

namespace hindcast {

class Analysis;

// The score a link-only candidate (a failed unit) is held below: under the lowest score a root
// cause may have (kMinCauseScore in engine/findings/pipeline.h), so it never names the root.
constexpr double kLinkScore = 0.25;

// Merges, gathers, links and sorts cause candidates in place; best first.
void rank_causes(const Analysis& a, std::vector<Candidate>& causes);
// Whether `a` explains `b`: b fails on a's object, or on the address of the service a is about,
// and a does not come after b.
bool explains(const Candidate& a, const Candidate& b);
// The chain through causes[best]: the candidates that explain it, deepest first, then `best`, then
// what it explains in turn, down to the last cause before the symptom (indexes into causes).
std::vector<size_t> causal_chain(const std::vector<Candidate>& causes, size_t best);

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
