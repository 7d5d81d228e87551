// Causes judged by consequence and contrast: a failing call or message is a cause only if what
// depended on it then failed; a failure that processes survive is a probe.
//
//   judge_consequences(a, a.causes);   // before rank_causes
//
// For each cause candidate, a sample of its instances (the failing calls, the messages) is
// followed to what came of it, the same way wherever the evidence came from:
//   - a traced process: the next thing it did that shows an outcome: the HTTP or FastCGI status
//     it wrote back, an error-level line it wrote, its exit (0, an error status, a signal);
//   - a message that names a client: that client's request at that moment in the access log;
//   - a message of a process: the next message of the same process (an error, or its unit's exit).
// A candidate whose instances were mostly followed by success (at least three of them, twice as
// many as by failure) is a probe: the optional look-up every process makes at start and carries
// on from, the ENOENT a client's speculative request produces. Its score falls to a third, so it
// stays a hypothesis but never outranks a cause that was followed by failure. One followed by
// failure more often than by success is corroborated. Without any outcome the evidence decides
// as before.
#pragma once
#include <vector>

#include "engine/findings/analysis.h"

namespace hindcast {

enum class Outcome : uint8_t { kUnknown, kSucceeded, kFailed };

// What came of the event `instance`: see the header comment.
Outcome outcome_after(const Analysis& a, EventRef instance);

// Follows a sample of every cause's instances, records followed_by_failure / _success and adjusts
// the scores as the header comment says.
void judge_consequences(const Analysis& a, std::vector<Candidate>& causes);

}  // namespace hindcast
