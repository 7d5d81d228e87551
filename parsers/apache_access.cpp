#include "parsers/apache_access.h"

#include "parsers/access_log_format.h"
#include "parsers/scan.h"

namespace hindcast {
namespace {

// "[03/Nov/2023:09:00:03 -0400]" starting at the '['.
bool parse_clf_time(scan::Cursor& c, AccessRecord* r) {
  unsigned d, mo, y;
  int64_t tod;
  int prec;
  if (!c.skip('[') || !c.digits(2, &d) || !c.skip('/') || !c.month(&mo) || !c.skip('/') ||
      !c.digits(4, &y) || !c.skip(':') || !c.time_of_day(&tod, &prec) || !c.skip(' ') ||
      !c.zone_offset(&r->offset_seconds) || !c.skip(']'))
    return false;
  if (d < 1 || d > 31) return false;
  r->utc_ns = days_from_civil(y, mo, d) * kNanosPerDay + tod -
              int64_t{r->offset_seconds} * kNanosPerSecond;
  r->precision = prec;
  return true;
}

// A quoted field starting at '"'. Apache escapes '"' as \" but some front ends do not; the field
// ends at the first '"' followed by end of line or a space (then, for the request, a status).
bool quoted(scan::Cursor& c, std::string_view* out, bool is_request) {
  if (!c.skip('"')) return false;
  const size_t start = c.i;
  size_t p = start;
  while (true) {
    p = c.s.find('"', p);
    if (p == std::string_view::npos) return false;
    if (p > start && c.s[p - 1] == '\\' && (p < start + 2 || c.s[p - 2] != '\\')) {
      ++p;
      continue;
    }
    const char next = p + 1 < c.s.size() ? c.s[p + 1] : '\0';
    if (next == '\0') break;
    if (next == ' ') {
      if (!is_request) break;
      const char after = p + 2 < c.s.size() ? c.s[p + 2] : '\0';
      if (scan::is_digit(after) || after == '-') break;
    }
    ++p;
  }
  *out = c.s.substr(start, p - start);
  c.i = p + 1;
  return true;
}

void split_request(AccessRecord* r) {
  const std::string_view q = r->request;
  const size_t sp1 = q.find(' ');
  if (sp1 == std::string_view::npos || sp1 == 0) return;
  for (size_t k = 0; k < sp1; ++k)
    if (q[k] < 'A' || q[k] > 'Z') return;  // not a method: leave method/target empty
  r->method = q.substr(0, sp1);
  const size_t sp2 = q.rfind(' ');
  if (sp2 > sp1 && q.substr(sp2 + 1).starts_with("HTTP/")) {
    r->target = q.substr(sp1 + 1, sp2 - sp1 - 1);
    r->protocol = q.substr(sp2 + 1);
  } else {
    r->target = q.substr(sp1 + 1);
  }
}

}  // namespace

namespace {
bool decode_common_family(std::string_view line, AccessRecord* r, bool full);
}

bool decode_access_line(std::string_view line, AccessRecord* r) {
  if (decode_common_family(line, r, true)) return true;
  return line.starts_with('[') && ssl_request_log_plan().decode(line, r);
}

bool decode_access_record(const Source& source, std::string_view line, AccessRecord* r) {
  return source.access_plan ? source.access_plan->decode(line, r) : decode_access_line(line, r);
}

namespace {
// `full` false: stop once time and status are known (the parse loop needs no more).
bool decode_common_family(std::string_view line, AccessRecord* r, bool full) {
  *r = AccessRecord{};
  // The tokens before the time: [vhost] client [ident user].
  const size_t lb = line.find(" [");
  if (lb == std::string_view::npos || lb == 0) return false;
  // vhost, client, ident, user and one spare; more means the bracket is inside another
  // format's message (an access line quoted in syslog), not an access record.
  constexpr int kMaxLeadingTokens = 5;
  std::string_view tokens[kMaxLeadingTokens];
  int n = 0;
  {
    scan::Cursor t{line.substr(0, lb)};
    while (!t.done()) {
      t.spaces();
      if (t.done()) break;
      if (n == kMaxLeadingTokens) return false;
      tokens[n++] = t.token();
    }
  }
  if (n == 0) return false;
  if (n >= 3) {
    r->client = tokens[n - 3];
    r->ident = tokens[n - 2];
    r->user = tokens[n - 1];
    if (n >= 4) r->vhost = tokens[0];
  } else {
    r->client = tokens[0];
    if (n == 2) r->user = tokens[1];
  }
  scan::Cursor c{line, lb + 1};
  if (!parse_clf_time(c, r) || !c.skip(' ')) return false;
  if (!quoted(c, &r->request, true)) return false;
  if (full) split_request(r);
  if (!c.skip(' ')) return false;
  unsigned status;
  if (c.digits(3, &status)) {
    r->status = static_cast<uint16_t>(status);
  } else if (!c.skip('-')) {
    return false;
  }
  if (!full) return true;
  if (c.skip(' ')) r->bytes = c.token();
  if (c.skip(' ') && c.peek() == '"') {
    if (!quoted(c, &r->referer, false)) return true;  // truncated tail: the core fields stand
    if (c.skip(' ') && c.peek() == '"') quoted(c, &r->user_agent, false);
  }
  return true;
}
}  // namespace

bool ApacheAccessParser::matches(std::string_view line) const {
  AccessRecord r;
  return decode_access_line(line, &r);
}

namespace {
struct AccessLineParser {
  const AccessLogPlan* plan;
  LineVerdict parse(std::string_view line, Event& e, const char** reason) {
    AccessRecord r;
    const bool ok = plan ? plan->decode(line, &r)
                         : decode_common_family(line, &r, false) ||
                               (line.starts_with('[') && ssl_request_log_plan().decode(line, &r));
    if (!ok) {
      *reason = "not an access-log record";
      return LineVerdict::kSkip;
    }
    e.kind = EventKind::kHttpRequest;
    e.shape = TimeShape::kAbsolute;
    e.time_ns = r.utc_ns;
    e.offset_minutes = static_cast<int16_t>(r.offset_seconds / 60);
    e.precision = static_cast<uint8_t>(r.precision);
    e.code = r.status;
    e.severity = r.status >= 500 ? Severity::kError
                 : r.status >= 400 ? Severity::kWarning
                                   : Severity::kInfo;
    return LineVerdict::kEvent;
  }
};
}  // namespace

void parse_access_chunk(const Source& source, size_t begin, size_t end, const AccessLogPlan* plan, ParsedChunk& out) {
  AccessLineParser lp{plan};
  parse_lines(source, begin, end, lp, out);
}

}  // namespace hindcast
