#include "engine/resolve/embedded_clues.h"

#include "parsers/apache_access.h"
#include "parsers/apache_error.h"
#include "parsers/scan.h"
#include "parsers/strace.h"

namespace hindcast {
namespace {

// "Date: Fri, 03 Nov 2023 13:01:08 GMT" (RFC 7231 IMF-fixdate) anywhere in `text`.
std::optional<int64_t> http_date(std::string_view text) {
  const size_t p = text.find("Date: ");
  if (p == std::string_view::npos) return std::nullopt;
  scan::Cursor c{text, p + 6};
  if (c.left() < 29 || !scan::is_weekday_abbrev(c.s.data() + c.i)) return std::nullopt;
  c.advance(3);
  unsigned d, mo, y;
  int64_t tod;
  int prec;
  if (!c.skip(", ") || !c.digits(2, &d) || !c.skip(' ') || !c.month(&mo) || !c.skip(' ') || !c.digits(4, &y) ||
      !c.skip(' ') || !c.time_of_day(&tod, &prec) || !c.skip(" GMT"))
    return std::nullopt;
  return days_from_civil(y, mo, d) * kNanosPerDay + tod;
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
      out.push_back({i, e.time_ns, false, er.local_ns, er.precision, "error-log line"});
    } else if (decode_access_line(text, &ar)) {
      out.push_back({i, e.time_ns, true, ar.utc_ns, ar.precision, "access-log line"});
    } else if (auto utc = http_date(text)) {
      out.push_back({i, e.time_ns, true, *utc, 0, "HTTP Date header"});
    }
  }
  return out;
}

}  // namespace hindcast
