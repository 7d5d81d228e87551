#include "parsers/apache_error.h"

#include "parsers/scan.h"

namespace hindcast {
namespace {

// "[Fri Nov 03 09:00:45.274165 2023]"
bool parse_ctime_stamp(scan::Cursor& c, ErrorRecord* r) {
  if (!c.skip('[') || c.left() < 4 || !scan::is_weekday_abbrev(c.s.data() + c.i)) return false;
  c.advance(3);
  unsigned mo, d, y;
  if (!c.skip(' ') || !c.month(&mo) || !c.skip(' ')) return false;
  if (c.peek() == ' ') c.advance();  // " 3" day padding
  if (c.digits(2, &d)) {
  } else if (!c.digits(1, &d)) {
    return false;
  }
  int64_t tod;
  if (!c.skip(' ') || !c.time_of_day(&tod, &r->precision) || !c.skip(' ') || !c.digits(4, &y) ||
      !c.skip(']'))
    return false;
  if (d < 1 || d > 31) return false;
  r->local_ns = days_from_civil(y, mo, d) * kNanosPerDay + tod;
  return true;
}

// "[2023-11-03 09:00:45.274165]" or with 'T' and an offset.
bool parse_iso_stamp(scan::Cursor& c, ErrorRecord* r) {
  unsigned y, mo, d;
  int64_t tod;
  if (!c.skip('[') || !c.digits(4, &y) || !c.skip('-') || !c.digits(2, &mo) || !c.skip('-') || !c.digits(2, &d) ||
      !(c.skip(' ') || c.skip('T')) || !c.time_of_day(&tod, &r->precision))
    return false;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return false;
  c.skip(' ');
  r->has_offset = c.zone_offset(&r->offset_seconds);
  if (!c.skip(']')) return false;
  r->local_ns = days_from_civil(y, mo, d) * kNanosPerDay + tod;
  return true;
}

// CUPS: "E [08/Jun/2013:11:28:58 -0700] message".
bool parse_cups_prefix(scan::Cursor& c, ErrorRecord* r) {
  static constexpr std::string_view kLetters = "EWINDACX";
  static constexpr std::string_view kLevels[] = {"error", "warn", "info", "notice", "debug", "alert", "crit", "emerg"};
  const size_t k = kLetters.find(c.peek());
  if (k == std::string_view::npos || c.peek_at(1) != ' ' || c.peek_at(2) != '[') return false;
  c.advance(3);
  unsigned d, mo, y;
  int64_t tod;
  if (!c.digits(2, &d) || !c.skip('/') || !c.month(&mo) || !c.skip('/') || !c.digits(4, &y) || !c.skip(':') ||
      !c.time_of_day(&tod, &r->precision) || !c.skip(' ') || !c.zone_offset(&r->offset_seconds) || !c.skip(']'))
    return false;
  r->has_offset = true;
  r->local_ns = days_from_civil(y, mo, d) * kNanosPerDay + tod;
  r->level = kLevels[k];
  return true;
}

bool is_level(std::string_view s) {
  static constexpr std::string_view kLevels[] = {"emerg", "alert", "crit", "error", "warn",
                                                 "notice", "info", "debug"};
  for (auto l : kLevels)
    if (s == l) return true;
  return s.size() == 6 && s.starts_with("trace") && scan::is_digit(s[5]);
}

// One bracketed header field; false when the bracket is not a header field (message text).
bool header_field(std::string_view f, ErrorRecord* r) {
  if (f.starts_with("pid ")) {
    scan::Cursor c{f, 4};
    uint64_t v;
    if (!c.number(&v, 10)) return false;
    r->pid = static_cast<uint32_t>(v);
    if (c.skip(":tid ") && c.number(&v, 20)) r->tid = static_cast<uint32_t>(v);
    return true;
  }
  if (f.starts_with("client ") || f.starts_with("remote ")) {
    if (f[0] == 'c') r->client = f.substr(7);
    return true;
  }
  const size_t colon = f.find(':');
  if (colon != std::string_view::npos) {
    const std::string_view mod = f.substr(0, colon), lvl = f.substr(colon + 1);
    if (!is_level(lvl)) return false;
    for (char ch : mod)
      if (!(ch == '_' || ch == '-' || ch == '.' || scan::is_digit(ch) || (ch >= 'a' && ch <= 'z') ||
            (ch >= 'A' && ch <= 'Z')))
        return false;
    r->module = mod;
    r->level = lvl;
    return true;
  }
  if (is_level(f)) {
    r->level = f;
    return true;
  }
  return false;
}

}  // namespace

Severity severity_from_apache_level(std::string_view l) {
  if (l == "emerg" || l == "alert" || l == "crit") return Severity::kCritical;
  if (l == "error") return Severity::kError;
  if (l == "warn") return Severity::kWarning;
  if (l == "notice") return Severity::kNotice;
  if (l == "info") return Severity::kInfo;
  if (l.empty()) return Severity::kError;  // 2.2 records without a level are rare; treat as error
  return Severity::kDebug;
}

std::string_view client_address(std::string_view c) {
  if (c.starts_with('[')) {
    const size_t rb = c.find(']');
    return rb == std::string_view::npos ? c : c.substr(1, rb - 1);
  }
  const size_t last = c.rfind(':');
  if (last == std::string_view::npos) return c;
  // The part after the last colon is the port only when it is all digits.
  for (size_t k = last + 1; k < c.size(); ++k)
    if (!scan::is_digit(c[k])) return c;
  return c.substr(0, last);
}

bool decode_error_line(std::string_view line, ErrorRecord* r) {
  *r = ErrorRecord{};
  scan::Cursor c{line};
  if (parse_cups_prefix(c, r)) {
    c.spaces();
    r->message = c.rest();
    return true;
  }
  c.i = 0;
  if (!(scan::is_digit(c.peek_at(1)) ? parse_iso_stamp(c, r) : parse_ctime_stamp(c, r))) return false;
  while (c.peek() == ' ' && c.peek_at(1) == '[') {
    const size_t rb = line.find(']', c.i + 2);
    if (rb == std::string_view::npos) break;
    ErrorRecord probe = *r;
    if (!header_field(line.substr(c.i + 2, rb - c.i - 2), &probe)) break;
    *r = probe;
    c.i = rb + 1;
  }
  c.spaces();
  r->message = c.rest();
  return true;
}

bool ApacheErrorParser::matches(std::string_view line) const {
  ErrorRecord r;
  // A bare "[date] message" line is too generic to count as evidence of this format.
  return decode_error_line(line, &r) && (!r.level.empty() || r.pid != 0);
}

namespace {
struct ErrorLineParser {
  LineVerdict parse(std::string_view line, Event& e, const char** reason) {
    ErrorRecord r;
    if (!decode_error_line(line, &r)) {
      // Apache writes one record per line; a line without a timestamp is the tail of a record
      // that contained a raw newline (a module's multi-line message).
      (void)reason;
      return LineVerdict::kContinuation;
    }
    e.kind = EventKind::kServerLog;
    e.shape = r.has_offset ? TimeShape::kAbsolute : TimeShape::kLocalDateTime;
    e.time_ns = r.has_offset ? r.local_ns - int64_t{r.offset_seconds} * kNanosPerSecond : r.local_ns;
    if (r.has_offset) e.offset_minutes = static_cast<int16_t>(r.offset_seconds / 60);
    e.precision = static_cast<uint8_t>(r.precision);
    e.pid = r.pid;
    e.severity = severity_from_apache_level(r.level);
    return LineVerdict::kEvent;
  }
};
}  // namespace

void ApacheErrorParser::parse_chunk(const Source& source, size_t begin, size_t end, ParsedChunk& out) const {
  ErrorLineParser lp;
  parse_lines(source, begin, end, lp, out);
}

}  // namespace hindcast
