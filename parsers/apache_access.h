// Apache access log: common, combined and vhost_combined (LogFormat "%v:%p %h %l %u %t ..."),
// and anything that keeps the common prefix "<tokens> [dd/Mon/yyyy:hh:mm:ss +zzzz] "request"
// status bytes" (extra trailing fields are kept in `rest`).
//
// Accepted variants (each has a real sample in tests/unit/apache_access_test.cpp):
//   IPv4/IPv6/host-name clients; 1 token before the time (ident and user missing), 3 (common),
//   4 or more (vhost first); request "-"; unescaped quotes inside the request; status "-";
//   bytes "-"; any numeric offset (+0330), different offsets in one file; no offset at all
//   (Python's http.server: "[29/Aug/2023 22:02:58]" style stamps are read by the CLF reader
//   when written with ':'); a trailing integer after the user agent is read as %D (µs), a
//   trailing decimal as seconds (%T with fraction, nginx $request_time).
//
//   AccessRecord r;
//   if (decode_access_line(line, &r)) use(r.status, r.target, r.client);
#pragma once
#include <cstdint>
#include <string_view>

#include "parsers/parser.h"

namespace hindcast {

struct AccessRecord {
  std::string_view vhost;      // empty unless vhost_combined
  std::string_view client;
  std::string_view ident;
  std::string_view user;
  std::string_view request;    // the whole quoted request line
  std::string_view method;     // empty when the request is "-" or malformed
  std::string_view target;     // path and query
  std::string_view protocol;
  std::string_view referer;    // empty when absent
  std::string_view user_agent; // empty when absent
  std::string_view bytes;      // "-" or digits
  std::string_view trailing;   // fields after the user agent (e.g. %D), as written
  uint16_t status = 0;         // 0 when "-"
  int64_t latency_us = -1;     // %D (µs), %T (s) or a trailing duration, when present
  Stamp stamp;                 // kAbsolute with the line's offset; kLocalDateTime without one
};

class AccessLogPlan;

// The built-in formats (common, combined, vhost_combined by hand, ssl_request_log by plan).
bool decode_access_line(std::string_view line, AccessRecord* out);
// A record of `source`, whatever access format it was detected as (a --access-format plan is
// kept on the source).
bool decode_access_record(const Source& source, std::string_view line, AccessRecord* out);
// The chunk parser both access parsers share; `plan` null means the built-in formats.
void parse_access_chunk(const Source& source, size_t begin, size_t end, const AccessLogPlan* plan, ParsedChunk& out);

class ApacheAccessParser final : public Parser {
 public:
  std::string_view format() const override { return "apache-access"; }
  bool matches(std::string_view line) const override;
  int specificity() const override { return 20; }
  void parse_chunk(const Source& source, size_t begin, size_t end, ParsedChunk& out) const override {
    parse_access_chunk(source, begin, end, nullptr, out);
  }
  bool decode(const Source& source, std::string_view text, Record& out) const override;
};

// The Record fields of an access record (shared by the built-in and --access-format parsers).
void fill_request_record(const AccessRecord& a, Record& out);

}  // namespace hindcast
