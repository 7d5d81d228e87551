// When an administrator's command was done: sudo logs the command as it starts ("COMMAND=..."),
// then the PAM session it opens for it ("session opened for user root"), and that session's close
// when the command exits ("session closed for user root", by the same sudo process). An editor
// writes the file as it saves and quits, a script has done its work when it returns: what the
// command changed was in place by the close, so that is when it took effect.
//
//   if (auto close = sudo_session_close(a, command_index, until)) when = a.messages()[*close].time_ns;
#pragma once
#include <cstdint>
#include <optional>

#include "engine/findings/analysis.h"

namespace hindcast {

// The message index of the close of the session opened for the sudo command at message index
// `command` (the first session sudo opened on the same host within a second of the command, then
// the close by that session's process), up to `until`; nullopt when none is logged by then.
std::optional<size_t> sudo_session_close(const Analysis& a, size_t command, int64_t until);

// The message index of the message at `ref`, if the analysis holds it.
std::optional<size_t> message_index(const Analysis& a, EventRef ref, int64_t time_ns);

}  // namespace hindcast
