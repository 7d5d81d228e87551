#include "engine/input/not_a_log.h"

#include <cstring>

#include "engine/core/scan.h"

namespace hindcast {

std::string not_a_log_by_bytes(std::string_view head, uint64_t size) {
  if (size == 0) return "empty";
  size_t zeros = 0, control = 0, newlines = 0;
  for (char ch : head) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == 0) ++zeros;
    else if (c == '\n') ++newlines;
    else if ((c < 0x20 && c != '\t' && c != '\r' && c != '\f' && c != '\v' && c != 0x1b) || c == 0x7f)
      ++control;
  }
  if (zeros == head.size()) return "binary (zero bytes only; a sparse file such as lastlog)";
  // NULs are no sign of binary on their own: one ends a syslog frame (RFC 6587), a writer may end
  // every line with one, and a copytruncate rotation leaves runs of them. Text is what remains
  // without them: few other control bytes, and where NULs are many (a quarter of the head), line
  // breaks between them. Records of NUL padding and binary integers (utmp, lastlog) have neither.
  const size_t rest = head.size() - zeros;
  if (control * 20 > rest || (zeros * 4 > head.size() && newlines == 0)) {
    // utmp(5) records (wtmp, btmp) are 384 bytes and start with a small record type.
    if (size % 384 == 0 && head.size() >= 4 && static_cast<unsigned char>(head[0]) <= 9 && head[1] == 0 &&
        head[2] == 0 && head[3] == 0)
      return "binary login records (utmp/wtmp/btmp)";
    if (size % 292 == 0) return "binary (lastlog records)";
    return "binary";
  }
  return {};
}

std::string not_a_log_by_text(std::string_view text) {
  if (text.empty()) return "empty";
  size_t pos = 0;
  int lines = 0;
  bool any_text = false;
  constexpr size_t kMaxBytes = 256 * 1024;
  while (pos < text.size() && pos < kMaxBytes && lines < 64) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    any_text = true;
    ++lines;
    // A time of day ("10:00", "10:00:00") anywhere: the line may be a record.
    for (size_t i = 0; i + 5 <= line.size(); ++i)
      if (line[i + 2] == ':' && scan::is_digit(line[i]) && scan::is_digit(line[i + 1]) && scan::is_digit(line[i + 3]) &&
          scan::is_digit(line[i + 4]))
        return {};
    // dmesg's seconds since boot: "[  12.345678]".
    if (line.starts_with('[') && line.find(']') != std::string_view::npos && line.find('.') < line.find(']')) return {};
  }
  if (!any_text) return "empty (blank lines only)";
  return "text without any time of day (not a log)";
}

}  // namespace hindcast
