#include "parsers/syslog_rfc5424.h"

#include "engine/core/scan.h"
#include "engine/core/timestamps.h"

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

bool decode_rfc5424_body(std::string_view after_pri, SyslogRecord* r, bool* invalid_time) {
  scan::Cursor c{after_pri};
  if (!c.skip("1 ")) return false;
  if (!c.skip("- ")) {
    const StampStatus st = read_iso8601(c, &r->stamp);
    if (st != StampStatus::kOk) {
      if (invalid_time) *invalid_time = st == StampStatus::kInvalid;
      return false;
    }
    if (!c.skip(' ')) return false;
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
  return decode_syslog_line(line.substr(0, next_syslog_record(line, 0)), &r) && r.rfc5424;
}

bool SyslogRfc5424Parser::decode(const Source&, std::string_view text, Record& out) const {
  SyslogRecord r;
  if (!decode_syslog_line(text, &r)) return false;
  fill_syslog_record(r, out);
  return true;
}

}  // namespace hindcast
