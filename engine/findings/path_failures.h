// missing_file and permission_denied: file accesses that failed, from strace (ENOENT, EACCES,
// EPERM on a path argument) and from Apache/PHP messages, grouped by path and errno, with the
// noise a healthy server always makes filtered out:
//   - the same failure outside the incident at a comparable rate (baseline);
//   - speculative look-ups: one file name missing in three or more directories (.htaccess up
//     the tree, NSS and locale probes);
//   - files behind ordinary 404s (the request target names the missing file).
// A missing file becomes a root-cause candidate only with a positive sign that it was meant to
// exist: a near-identical path that does exist, or a server message that required it.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "engine/findings/evidence.h"
#include "engine/report/report.h"

namespace hindcast {

struct PathFailure {
  std::string path;
  std::string errno_name;          // ENOENT, EACCES, EPERM
  uint64_t inside = 0;             // failures inside the incident window
  uint64_t outside = 0;            // failures outside it
  bool outside_observed = false;   // a source that saw this kind of failure covered time outside
  bool probe = false;              // speculative look-up (same name missing in many directories)
  bool behind_404 = false;         // the file behind ordinary 404 responses
  bool named_by_server = false;    // an Apache/PHP message in the window names the path
  std::optional<std::string> intended_path;
  std::optional<FileLine> referenced_from;
  std::vector<EventRef> strace_evidence;  // first few
  std::vector<EventRef> server_evidence;  // first few
  std::optional<EventRef> first;
  std::optional<EventRef> last;
  double confidence = 0;           // as a root cause; 0 when it is not a candidate
};

// All failing paths, most likely cause first. `window` is the incident (absent: no incident,
// every failure is judged against the whole input).
std::vector<PathFailure> find_path_failures(const Timeline& t, const std::optional<Window>& window);

}  // namespace hindcast
