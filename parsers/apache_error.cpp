#include "parsers/apache_error.h"

#include "engine/core/scan.h"
#include "engine/core/signature.h"
#include "engine/core/swar.h"

namespace hindcast {
namespace {

// "[Fri Nov 03 09:00:45.274165 2023]", "[2023-11-03 09:00:45.274165]" (custom ErrorLogFormat,
// with an optional offset) or CUPS's "E [08/Jun/2013:11:28:58 -0700]".
StampStatus read_bracketed_stamp(scan::Cursor& c, ErrorRecord* r) {
  if (!c.skip('[')) return StampStatus::kNoMatch;
  StampStatus st;
  if (scan::is_digit(c.peek())) {
    st = read_iso8601(c, &r->stamp);
    // "[2023-11-03 09:00:45.274165 +0100]": the offset after a space.
    if (st == StampStatus::kOk && r->stamp.shape == TimeShape::kLocalDateTime && c.peek() == ' ') {
      scan::Cursor p = c;
      p.advance();
      const StampStatus o = attach_offset(p, &r->stamp);
      if (o == StampStatus::kInvalid) return o;
      if (o == StampStatus::kOk) c = p;
    }
  } else {
    st = read_ctime(c, &r->stamp);
  }
  if (st != StampStatus::kOk) return st;
  return c.skip(']') ? StampStatus::kOk : StampStatus::kNoMatch;
}

// CUPS: "E [08/Jun/2013:11:28:58 -0700] message".
StampStatus parse_cups_prefix(scan::Cursor& c, ErrorRecord* r) {
  static constexpr std::string_view kLetters = "EWINDACX";
  static constexpr std::string_view kLevels[] = {"error", "warn", "info", "notice", "debug", "alert", "crit", "emerg"};
  if (c.peek_at(1) != ' ' || c.peek_at(2) != '[') return StampStatus::kNoMatch;  // (before a search per line)
  const size_t k = kLetters.find(c.peek());
  if (k == std::string_view::npos) return StampStatus::kNoMatch;
  c.advance(3);
  const StampStatus st = read_clf(c, &r->stamp);
  if (st != StampStatus::kOk) return st;
  if (!c.skip(']')) return StampStatus::kNoMatch;
  r->level = kLevels[k];
  return StampStatus::kOk;
}

// line.find(c, from) for a byte that is usually a few words away (a header field's ']'): eight
// bytes a step, no call.
size_t find_short(std::string_view line, size_t from, char c) {
  size_t i = from;
  for (; i + 8 <= line.size(); i += 8)
    if (const uint64_t m = swar::has_byte(swar::load8(line.data() + i), static_cast<unsigned char>(c))) return i + swar::first(m);
  for (; i < line.size(); ++i)
    if (line[i] == c) return i;
  return std::string_view::npos;
}

bool is_level(std::string_view s) {
  if (s.size() < 4 || s.size() > 6) return false;
  switch (s[0]) {  // one comparison, not eight
    case 'e': return s == "emerg" || s == "error";
    case 'a': return s == "alert";
    case 'c': return s == "crit";
    case 'w': return s == "warn";
    case 'n': return s == "notice";
    case 'i': return s == "info";
    case 'd': return s == "debug";
    case 't': return s.size() == 6 && s.starts_with("trace") && scan::is_digit(s[5]);
    default: return false;
  }
}

// One bracketed header field; false when the bracket is not a header field (message text), and
// then nothing of `r` is written.
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
  const size_t colon = find_short(f, 0, ':');
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

bool decode_error_line(std::string_view line, ErrorRecord* r, bool* invalid_time) {
  *r = ErrorRecord{};
  scan::Cursor c{line};
  StampStatus st = parse_cups_prefix(c, r);
  if (st == StampStatus::kOk) {
    c.spaces();
    r->message = c.rest();
    return true;
  }
  if (st == StampStatus::kNoMatch) {
    c.i = 0;
    r->stamp = Stamp{};  // all a CUPS prefix that did not match may have written
    r->level = {};
    st = read_bracketed_stamp(c, r);
  }
  if (st != StampStatus::kOk) {
    if (invalid_time) *invalid_time = st == StampStatus::kInvalid;
    return false;
  }
  while (c.peek() == ' ' && c.peek_at(1) == '[') {
    const size_t rb = find_short(line, c.i + 2, ']');
    if (rb == std::string_view::npos) break;
    if (!header_field(line.substr(c.i + 2, rb - c.i - 2), r)) break;
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
    bool invalid = false;
    if (!decode_error_line(line, &r, &invalid)) {
      if (invalid) {
        *reason = kImpossibleTime;
        return LineVerdict::kSkip;
      }
      // Apache writes one record per line; a line without a timestamp is the tail of a record
      // that contained a raw newline (a module's multi-line message).
      *reason = "no error-log timestamp";
      return LineVerdict::kContinuation;
    }
    e.kind = EventKind::kMessage;
    e.aux = message_signature_padded(r.module, r.message);
    apply_stamp(r.stamp, e);
    e.pid = r.pid;
    e.severity = severity_from_apache_level(r.level);
    return LineVerdict::kEvent;
  }
};
}  // namespace

bool ApacheErrorParser::decode(const Source&, std::string_view text, Record& out) const {
  ErrorRecord r;
  if (!decode_error_line(text, &r)) return false;
  out.kind = RecordKind::kMessage;
  out.module = r.module;
  out.level = r.level;
  out.pid = r.pid;
  out.tid = r.tid;
  out.severity = severity_from_apache_level(r.level);
  out.client = client_address(r.client);
  out.message = r.message;
  // ", referer: http://..." is a field Apache appends, not part of what the module said.
  if (const size_t k = out.message.rfind(", referer: "); k != std::string_view::npos) {
    out.referer = out.message.substr(k + 11);
    out.message = out.message.substr(0, k);
  }
  return true;
}

void ApacheErrorParser::parse_chunk(const Source& source, size_t begin, size_t end, ParsedChunk& out) const {
  ErrorLineParser lp;
  parse_lines(source, begin, end, lp, out);
}

}  // namespace hindcast
