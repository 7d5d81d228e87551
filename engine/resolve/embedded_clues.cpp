#include "engine/resolve/embedded_clues.h"

#include "parsers/apache_access.h"
#include "parsers/apache_error.h"
#include "engine/core/scan.h"
#include "engine/core/timestamps.h"
#include "parsers/strace.h"

namespace hindcast {
namespace {

// "Date: Fri, 03 Nov 2023 13:01:08 GMT" (RFC 7231 IMF-fixdate) anywhere in `text`.
std::optional<int64_t> http_date(std::string_view text) {
  const size_t p = text.find("Date: ");
  if (p == std::string_view::npos) return std::nullopt;
  scan::Cursor c{text, p + 6};
  Stamp st;
  if (read_http_date(c, &st) != StampStatus::kOk) return std::nullopt;
  return st.value_ns;
}

}  // namespace

std::vector<EmbeddedClue> find_embedded_clues(const Source& s, size_t limit) {
  std::vector<EmbeddedClue> out;
  for (size_t i = 0; i < s.events.size() && out.size() < limit; ++i) {
    const Event& e = s.events[i];
    if (e.kind != EventKind::kSyscall) continue;
    std::optional<std::string> written = written_text(s.line_text(e));
    if (!written || written->size() < 20) continue;
    std::string& text = *written;
    ErrorRecord er;
    AccessRecord ar;
    if (text[0] == '[' && decode_error_line(text, &er)) {
      const bool utc = er.stamp.shape == TimeShape::kAbsolute;
      out.push_back({i, e.time_ns, utc, er.stamp.value_ns, er.stamp.precision, "error-log line"});
    } else if (decode_access_line(text, &ar) && ar.stamp.shape == TimeShape::kAbsolute) {
      out.push_back({i, e.time_ns, true, ar.stamp.value_ns, ar.stamp.precision, "access-log line"});
    } else if (auto utc = http_date(text)) {
      out.push_back({i, e.time_ns, true, *utc, 0, "HTTP Date header"});
    }
  }
  return out;
}

}  // namespace hindcast
