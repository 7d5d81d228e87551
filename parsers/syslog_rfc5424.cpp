#include "parsers/syslog_rfc5424.h"

#include "parsers/scan.h"

namespace hindcast {
namespace {

// One header field: a run of printable non-space characters; "-" is NILVALUE (empty).
bool field(scan::Cursor& c, std::string_view* out) {
  const std::string_view tok = c.token();
  if (tok.empty() || !c.skip(' ')) return false;
  *out = tok == "-" ? std::string_view{} : tok;
  return true;
}

// "-" or one or more [id param="value" ...] with \" \\ \] escapes inside values.
bool structured_data(scan::Cursor& c, std::string_view* out) {
  if (c.skip('-')) {
    *out = {};
    return true;
  }
  const size_t start = c.i;
  if (c.peek() != '[') return false;
  while (c.peek() == '[') {
    bool in_value = false;
    c.advance();
    while (true) {
      if (c.done()) return false;
      const char ch = c.peek();
      if (in_value && ch == '\\') {
        c.advance(2);
        continue;
      }
      c.advance();
      if (ch == '"') in_value = !in_value;
      else if (ch == ']' && !in_value) break;
    }
  }
  *out = c.s.substr(start, c.i - start);
  return true;
}

}  // namespace

bool decode_rfc5424_body(std::string_view after_pri, SyslogRecord* r) {
  scan::Cursor c{after_pri};
  if (!c.skip("1 ")) return false;
  if (c.skip("- ")) {
    r->shape = TimeShape::kNone;
  } else {
    unsigned y, mo, d;
    int64_t tod;
    int offset = 0;
    if (!c.digits(4, &y) || !c.skip('-') || !c.digits(2, &mo) || !c.skip('-') || !c.digits(2, &d) ||
        !c.skip('T') || !c.time_of_day(&tod, &r->precision) || !c.zone_offset(&offset) || !c.skip(' '))
      return false;
    if (mo < 1 || mo > 12 || d < 1 || d > 31) return false;
    r->shape = TimeShape::kAbsolute;
    r->offset_seconds = offset;
    r->value_ns = days_from_civil(y, mo, d) * kNanosPerDay + tod - int64_t{offset} * kNanosPerSecond;
    r->month = mo;
    r->day = d;
  }
  std::string_view procid;
  if (!field(c, &r->host) || !field(c, &r->program) || !field(c, &procid) || !field(c, &r->msgid)) return false;
  scan::Cursor pc{procid};
  uint64_t pid;
  if (pc.number(&pid, 10) && pc.done()) r->pid = static_cast<uint32_t>(pid);
  if (!structured_data(c, &r->structured_data)) return false;
  c.spaces();
  std::string_view msg = c.rest();
  if (msg.starts_with("\xEF\xBB\xBF")) msg.remove_prefix(3);  // BOM
  r->message = msg;
  r->rfc5424 = true;
  return true;
}

bool SyslogRfc5424Parser::matches(std::string_view line) const {
  SyslogRecord r;
  return decode_syslog_line(line, &r) && r.rfc5424;
}

}  // namespace hindcast
