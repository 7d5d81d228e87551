#include "engine/input/not_a_log.h"

#include <cstring>

#include "engine/core/scan.h"
#include "engine/core/time.h"

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

namespace {

// A line of `hindcast timeline`'s text: "2023-11-03T09:00:43Z  PATH:LINE  TEXT".
bool is_timeline_text_line(std::string_view line) {
  const size_t stamp_end = line.find("  ");
  Instant t;
  if (stamp_end == std::string_view::npos || !line.substr(0, stamp_end).ends_with('Z') ||
      !parse_rfc3339(line.substr(0, stamp_end), &t))
    return false;
  const size_t place_end = line.find("  ", stamp_end + 2);
  if (place_end == std::string_view::npos) return false;
  const std::string_view place = line.substr(stamp_end + 2, place_end - stamp_end - 2);
  const size_t colon = place.rfind(':');
  return colon != std::string_view::npos && colon + 1 < place.size() &&
         place.find_first_not_of("0123456789", colon + 1) == std::string_view::npos;
}

}  // namespace

std::string hindcast_output_by_text(std::string_view text) {
  const std::string_view head = text.substr(0, 4096);
  const std::string_view first = head.substr(0, head.find('\n'));
  const auto own = [](const char* what) { return std::string(kOwnOutput) + " (" + what + "): not read again"; };
  if (first == "{" && head.substr(0, 256).find("\n  \"schema\": \"hindcast.report/") != std::string_view::npos)
    return own("the JSON report");
  if (head.starts_with("<!DOCTYPE html>") && head.find("<meta name=\"generator\" content=\"hindcast ") != std::string_view::npos)
    return own("the HTML report");
  if (first.starts_with("# ") && head.find("\n_Drafted by hindcast ") != std::string_view::npos)
    return own("the Markdown draft");
  if (first.starts_with("time,source,line,kind,severity,time_basis,text,")) return own("a timeline in CSV");
  if (first.starts_with("{\"")) {
    if (first.find(",\"module\":\"hindcast\",") != std::string_view::npos) return own("a timeline in ECS");
    if (first.find(",\"data_type\":\"hindcast:") != std::string_view::npos) return own("a timeline for Timesketch");
    if (first.starts_with("{\"time\":\"") && first.find(",\"kind\":\"") != std::string_view::npos &&
        first.find(",\"time_basis\":\"") != std::string_view::npos)
      return own("a timeline in JSON lines");
  }
  // The text timeline: its first lines (up to three) all of its shape.
  size_t pos = 0;
  int lines = 0;
  while (lines < 3 && pos < head.size()) {
    const size_t end = head.find('\n', pos);
    if (end == std::string_view::npos) break;
    if (!is_timeline_text_line(head.substr(pos, end - pos))) return {};
    ++lines;
    pos = end + 1;
  }
  return lines > 0 ? own("a timeline as text") : std::string();
}

}  // namespace hindcast
