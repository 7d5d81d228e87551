#include "parsers/apache_access.h"

#include "parsers/access_log_format.h"
#include "engine/core/scan.h"
#include "engine/core/timestamps.h"

namespace hindcast {
namespace {

// "[03/Nov/2023:09:00:03 -0400]" starting at the '['; Python's http.server writes no offset.
StampStatus parse_clf_time(scan::Cursor& c, AccessRecord* r) {
  if (!c.skip('[')) return StampStatus::kNoMatch;
  const StampStatus st = read_clf(c, &r->stamp);
  if (st != StampStatus::kOk) return st;
  return c.skip(']') ? StampStatus::kOk : StampStatus::kNoMatch;
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

// The last field after the user agent, read as a duration: an integer is %D (µs, Apache's usual
// "combined + %D"), a decimal is seconds (%T with a fraction, nginx $request_time). -1: none.
int64_t trailing_latency_us(std::string_view trailing) {
  while (!trailing.empty() && trailing.back() == ' ') trailing.remove_suffix(1);
  const size_t sp = trailing.rfind(' ');
  const std::string_view last = sp == std::string_view::npos ? trailing : trailing.substr(sp + 1);
  scan::Cursor c{last};
  uint64_t whole;
  if (!c.number(&whole, 12)) return -1;
  if (c.done()) return static_cast<int64_t>(whole);
  int64_t frac = 0;
  int nd = 0;
  if (!c.skip('.') || !c.fraction_ns(&frac, &nd) || !c.done()) return -1;
  return static_cast<int64_t>(whole) * 1'000'000 + frac / 1000;
}

// The same, read from the end of a whole line: only a number after the closing quote of the
// user agent counts (in the common format the last number is the byte count).
int64_t latency_after_quote(std::string_view line) {
  if (line.empty() || !scan::is_digit(line.back())) return -1;
  const size_t sp = line.rfind(' ');
  if (sp == std::string_view::npos || sp == 0 || line[sp - 1] != '"') return -1;
  return trailing_latency_us(line.substr(sp + 1));
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
  // The first " [" (found by its '[': one memchr, where a search for the pair stops at every space).
  size_t bracket = line.find('[');
  while (bracket != std::string_view::npos && (bracket == 0 || line[bracket - 1] != ' ')) bracket = line.find('[', bracket + 1);
  if (bracket == std::string_view::npos || bracket == 1) return false;
  const size_t lb = bracket - 1;
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
  if (parse_clf_time(c, r) != StampStatus::kOk || !c.skip(' ')) return false;
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
  c.spaces();
  r->trailing = c.rest();
  r->latency_us = trailing_latency_us(r->trailing);
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
      *reason = stamp_reason(line);
      return LineVerdict::kSkip;
    }
    e.kind = EventKind::kHttpRequest;
    apply_stamp(r.stamp, e);
    if (!plan) r.latency_us = latency_after_quote(line);
    e.code = r.status;
    e.set_latency_us(r.latency_us);
    e.severity = r.status >= 500 ? Severity::kError
                 : r.status >= 400 ? Severity::kWarning
                                   : Severity::kInfo;
    return LineVerdict::kEvent;
  }
  // A line with the bracketed time whose date is impossible says so; others are not records.
  static const char* stamp_reason(std::string_view line) {
    const size_t lb = line.find('[');
    if (lb != std::string_view::npos) {
      scan::Cursor c{line, lb + 1};
      Stamp st;
      if (read_clf(c, &st) == StampStatus::kInvalid) return kImpossibleTime;
    }
    return "not an access-log record";
  }
};
}  // namespace

void fill_request_record(const AccessRecord& a, Record& out) {
  out.kind = RecordKind::kRequest;
  out.client = a.client;
  out.user = a.user == "-" ? std::string_view{} : a.user;
  out.vhost = a.vhost;
  out.method = a.method;
  out.url = a.target;
  out.protocol = a.protocol;
  out.referer = a.referer == "-" ? std::string_view{} : a.referer;
  out.user_agent = a.user_agent == "-" ? std::string_view{} : a.user_agent;
  out.status = a.status;
  out.severity = a.status >= 500 ? Severity::kError : a.status >= 400 ? Severity::kWarning : Severity::kInfo;
  scan::Cursor b{a.bytes};
  uint64_t n;
  if (b.number(&n, 18) && b.done()) out.bytes = static_cast<int64_t>(n);
  out.latency_us = a.latency_us;
  out.message = a.request;
}

bool ApacheAccessParser::decode(const Source& source, std::string_view text, Record& out) const {
  AccessRecord a;
  if (!decode_access_record(source, text, &a)) return false;
  fill_request_record(a, out);
  return true;
}

void parse_access_chunk(const Source& source, size_t begin, size_t end, const AccessLogPlan* plan, ParsedChunk& out) {
  AccessLineParser lp{plan};
  parse_lines(source, begin, end, lp, out);
}

}  // namespace hindcast
