#include "engine/findings/sessions.h"

#include <string_view>

namespace hindcast {
namespace {

bool has(std::string_view text, std::string_view what) { return text.find(what) != std::string_view::npos; }

}  // namespace

std::optional<size_t> message_index(const Analysis& a, EventRef ref, int64_t time_ns) {
  const auto [b, e] = a.message_range(time_ns, time_ns);
  for (size_t i = b; i < e; ++i)
    if (a.messages()[i].ref.index == ref.index && a.messages()[i].ref.source == ref.source) return i;
  return std::nullopt;
}

std::optional<size_t> sudo_session_close(const Analysis& a, size_t command, int64_t until) {
  const MessageItem& cmd = a.messages()[command];
  const Record command_record = a.record(command);
  if (command_record.program != "sudo") return std::nullopt;
  const std::string host(command_record.host);
  const auto [b, e] = a.message_range(cmd.time_ns, until);
  uint32_t session_pid = 0;
  for (size_t i = std::max(b, command + 1); i < e; ++i) {
    const MessageItem& m = a.messages()[i];
    // The PAM lines are found by their words in the line (no decode of the messages between).
    const std::string_view line = a.timeline.source(m.ref).line_text(a.timeline.event(m.ref));
    if (!session_pid) {
      if (m.time_ns > cmd.time_ns + kNanosPerSecond) return std::nullopt;  // no session of its own
      if (!has(line, "session opened for user")) continue;
      const Record r = a.record(i);
      if (r.program == "sudo" && std::string_view(r.host) == host && r.pid) session_pid = r.pid;
      continue;
    }
    if (!has(line, "session closed for user")) continue;
    const Record r = a.record(i);
    if (r.program == "sudo" && r.pid == session_pid && std::string_view(r.host) == host) return i;
  }
  return std::nullopt;
}

}  // namespace hindcast
