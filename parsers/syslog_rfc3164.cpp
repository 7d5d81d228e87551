#include "parsers/syslog_rfc3164.h"

#include "parsers/scan.h"
#include "parsers/syslog_rfc5424.h"

namespace hindcast {
namespace {

bool bsd_stamp(scan::Cursor& c, SyslogRecord* r) {
  unsigned mo, d;
  if (!c.month(&mo) || !c.skip(' ')) return false;
  if (c.peek() == ' ') c.advance();
  if (!c.digits(2, &d) && !c.digits(1, &d)) return false;
  if (d < 1 || d > 31 || !c.skip(' ')) return false;
  int64_t tod;
  if (!c.time_of_day(&tod, &r->precision)) return false;
  c.skip(':');  // "Mar 11 09:39:39: --- last message repeated"
  r->month = mo;
  r->day = d;
  r->shape = TimeShape::kLocalNoYear;
  r->value_ns = placeholder_days(0, mo, d) * kNanosPerDay + tod;
  return true;
}

bool iso_stamp(scan::Cursor& c, SyslogRecord* r) {
  unsigned y, mo, d;
  if (!c.digits(4, &y) || !c.skip('-') || !c.digits(2, &mo) || !c.skip('-') || !c.digits(2, &d) ||
      !(c.skip('T') || c.skip(' ')))
    return false;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return false;
  int64_t tod;
  if (!c.time_of_day(&tod, &r->precision)) return false;
  int offset = 0;
  const int64_t local = days_from_civil(y, mo, d) * kNanosPerDay + tod;
  if (c.zone_offset(&offset)) {
    r->shape = TimeShape::kAbsolute;
    r->value_ns = local - int64_t{offset} * kNanosPerSecond;
    r->offset_seconds = offset;
  } else {
    r->shape = TimeShape::kLocalDateTime;
    r->value_ns = local;
  }
  r->month = mo;
  r->day = d;
  return true;
}

// "name[pid]:" / "name:" at the start of `s`; returns the length consumed (0 if not a tag).
size_t tag(std::string_view s, SyslogRecord* r) {
  constexpr size_t kMaxTag = 64;
  const size_t colon = s.substr(0, kMaxTag).find(':');
  if (colon == std::string_view::npos || colon == 0) return 0;
  if (colon + 1 < s.size() && s[colon + 1] != ' ' && s[colon + 1] != '\t') return 0;
  std::string_view t = s.substr(0, colon);
  if (t.find('=') != std::string_view::npos || t.find('"') != std::string_view::npos) return 0;
  if (t.back() == ']') {
    const size_t lb = t.rfind('[');
    if (lb != std::string_view::npos) {
      scan::Cursor pc{t.substr(lb + 1, t.size() - lb - 2)};
      uint64_t pid;
      if (pc.number(&pid, 10) && pc.done()) {
        r->pid = static_cast<uint32_t>(pid);
        t = t.substr(0, lb);
      }
    }
  }
  r->program = t;
  return colon + 1;
}

bool looks_like_tag_token(std::string_view tok) {
  return !tok.empty() && (tok.back() == ':' || (tok.find('[') != std::string_view::npos &&
                                                tok.find("]:") != std::string_view::npos));
}

}  // namespace

Severity severity_from_priority(int pri) {
  if (pri < 0) return Severity::kInfo;
  switch (pri & 7) {
    case 0: case 1: case 2: return Severity::kCritical;
    case 3: return Severity::kError;
    case 4: return Severity::kWarning;
    case 5: return Severity::kNotice;
    case 6: return Severity::kInfo;
    default: return Severity::kDebug;
  }
}

bool decode_syslog_line(std::string_view line, SyslogRecord* r) {
  *r = SyslogRecord{};
  while (!line.empty() && line.back() == '\0') line.remove_suffix(1);  // RFC 6587 NUL framing
  scan::Cursor c{line};
  if (scan::is_digit(c.peek())) {
    // RFC 6587 octet counting: "215 <86>1 ..."
    scan::Cursor oc = c;
    uint64_t octets;
    if (oc.number(&octets, 6) && oc.skip(' ') && oc.peek() == '<') c = oc;
  }
  if (c.peek() == '<') {
    scan::Cursor p = c;
    p.advance();
    uint64_t pri;
    if (p.number(&pri, 3) && p.skip('>') && pri <= 191) {
      r->priority = static_cast<int>(pri);
      c = p;
      if (c.peek() == '1' && c.peek_at(1) == ' ') return decode_rfc5424_body(c.rest(), r);
    }
  }
  if (!(scan::is_digit(c.peek()) ? iso_stamp(c, r) : bsd_stamp(c, r))) return false;
  if (!c.spaces()) return c.done();  // a bare stamp is a (empty) record only at end of line
  std::string_view rest = c.rest();
  scan::Cursor t{rest};
  const std::string_view first = t.token();
  size_t msg_start = 0;
  if (first == "---" || looks_like_tag_token(first)) {
    msg_start = first == "---" ? 0 : tag(rest, r);
  } else {
    r->host = first;
    t.spaces();
    const size_t used = tag(t.rest(), r);
    msg_start = t.i + used;
  }
  std::string_view msg = rest.substr(msg_start < rest.size() ? msg_start : rest.size());
  while (!msg.empty() && (msg.front() == ' ' || msg.front() == '\t')) msg.remove_prefix(1);
  r->message = msg;
  return true;
}

bool SyslogRfc3164Parser::matches(std::string_view line) const {
  SyslogRecord r;
  return decode_syslog_line(line, &r) && !r.rfc5424;
}

ProgramClass classify_program(std::string_view program, std::string_view message) {
  // Called for every line: a switch on the first letter, then a few exact compares; nothing
  // scans the message beyond a prefix.
  if (!program.empty()) {
    switch (program[0]) {
      case 's':
        if (program == "systemd") return kProgramServiceManager;
        break;
      case 'i':
        if (program == "init") return kProgramServiceManager;
        if (program == "icinga" || program == "icinga2") return kProgramMonitor;
        break;
      case 'a':
        if (program == "apachectl" || program == "apache2ctl") return kProgramServiceManager;
        break;
      case 'c':
        if (program.starts_with("check_")) return kProgramMonitor;
        break;
      case 'n':
        if (program == "nagios") return kProgramMonitor;
        break;
      case 'm':
        if (program == "monit") return kProgramMonitor;
        break;
      default:
        break;
    }
  }
  if (message.size() > 7 && message[0] == 'H' && message.starts_with("HTTP ")) return kProgramMonitor;
  return kProgramOther;
}

namespace {

// Placeholder years stay leap years (2000, 2004, ...) so Feb 29 survives until resolved.
int64_t placeholder_ns(int rollovers, unsigned month, unsigned day, int64_t time_of_day) {
  return placeholder_days(rollovers, month, day) * kNanosPerDay + time_of_day;
}

struct SyslogLineParser {
  unsigned first_month = 0;
  unsigned previous_month = 0;
  int rollovers = 0;

  LineVerdict parse(std::string_view line, Event& e, const char** reason) {
    if (line.front() == ' ' || line.front() == '\t') {
      *reason = "indented line before the first record";
      return LineVerdict::kContinuation;
    }
    SyslogRecord r;
    if (!decode_syslog_line(line, &r)) {
      // rsyslog escapes control characters, but other writers keep a message's raw newline:
      // an unstamped line continues the record above.
      *reason = "no syslog timestamp";
      return LineVerdict::kContinuation;
    }
    e.kind = EventKind::kSyslog;
    e.code = classify_program(r.program, r.message);
    e.shape = r.shape;
    e.precision = static_cast<uint8_t>(r.precision);
    e.pid = r.pid;
    e.severity = severity_from_priority(r.priority);
    e.time_ns = r.value_ns;
    if (r.shape == TimeShape::kAbsolute) e.offset_minutes = static_cast<int16_t>(r.offset_seconds / 60);
    if (r.shape == TimeShape::kLocalNoYear) {
      // A month far below the previous one is a new year (Dec -> Jan), not a step back.
      if (previous_month != 0 && previous_month > r.month + 5) ++rollovers;
      if (first_month == 0) first_month = r.month;
      previous_month = r.month;
      e.time_ns = r.value_ns + (placeholder_days(rollovers, r.month, r.day) - placeholder_days(0, r.month, r.day)) * kNanosPerDay;
    }
    return LineVerdict::kEvent;
  }
};
}  // namespace

void parse_syslog_chunk(const Source& source, size_t begin, size_t end, ParsedChunk& out) {
  SyslogLineParser lp;
  parse_lines(source, begin, end, lp, out);
  out.carry.first_month = lp.first_month;
  out.carry.last_month = lp.previous_month;
  out.carry.rollovers = lp.rollovers;
}

void stitch_syslog_rollovers(Source& s, const std::vector<ParsedChunk>& chunks, const std::vector<size_t>& first_event) {
  int carry = 0;          // rollovers before the chunk
  unsigned last_month = 0;  // last month seen before the chunk
  for (size_t k = 0; k < chunks.size(); ++k) {
    const ChunkCarry& c = chunks[k].carry;
    if (c.first_month == 0) continue;
    if (last_month != 0 && last_month > c.first_month + 5) ++carry;  // the rollover at the border
    if (carry > 0) {
      const size_t end = k + 1 < chunks.size() ? first_event[k + 1] : s.events.size();
      for (size_t i = first_event[k]; i < end; ++i) {
        Event& e = s.events[i];
        if (e.shape != TimeShape::kLocalNoYear) continue;
        const int64_t days = e.time_ns / kNanosPerDay;
        const CivilDate d = civil_from_days(days);
        const int k_local = static_cast<int>((d.year - kPlaceholderYear) / 4);
        e.time_ns = placeholder_ns(k_local + carry, d.month, d.day, e.time_ns - days * kNanosPerDay);
      }
    }
    carry += c.rollovers;
    last_month = c.last_month;
  }
}

}  // namespace hindcast
