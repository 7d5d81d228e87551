// Apache error log, 2.2 and 2.4 default ErrorLogFormat:
//   [Fri Nov 03 09:00:45.274165 2023] [php:warn] [pid 7087:tid 7087] [client 1.2.3.4:0] message
//   [Wed Oct 11 14:32:52 2000] [error] [client 127.0.0.1] message
// Accepted: with or without microseconds, [module:level] or [level] or [:level], trace1..8
// sub-levels, [pid N] or [pid N:tid N], [client ip:port] (IPv6: the port follows the last
// colon), [remote ...]; the message keeps APR prefixes, "file(line):" and ", referer:" suffixes.
// Also: a custom ErrorLogFormat with an ISO stamp ("[2023-11-03 09:00:45.274165]",
// "[2023-11-03T09:00:45.274165-04:00]", the offset used when present), and CUPS's error_log
// ("E [08/Jun/2013:11:28:58 -0700] message"), which shares the file name and layout.
// Lines without a timestamp continue the record above. Default stamps are local with no zone:
// the resolver supplies the offset.
#pragma once
#include <cstdint>
#include <string_view>

#include "parsers/parser.h"

namespace hindcast {

struct ErrorRecord {
  std::string_view module;   // "php", "core", "" (2.2 or [:error])
  std::string_view level;    // "warn", "error", "trace3", ...
  std::string_view client;   // "172.51.147.116:0", "[2001:db8::1]:0" or "2001:db8::1:0"
  std::string_view message;  // everything after the bracketed header
  uint32_t pid = 0;
  uint32_t tid = 0;
  Stamp stamp;               // kLocalDateTime; kAbsolute with an offset (ISO ErrorLogFormat, CUPS)
};

// True for a record line; *invalid_time (optional) is set when the line has an error-log stamp
// with impossible fields (then the result is false).
bool decode_error_line(std::string_view line, ErrorRecord* out, bool* invalid_time = nullptr);
Severity severity_from_apache_level(std::string_view level);
// "172.51.147.116:0" -> "172.51.147.116"; "2001:db8:e49d::3cb9:0" -> "2001:db8:e49d::3cb9".
std::string_view client_address(std::string_view client_with_port);

class ApacheErrorParser final : public Parser {
 public:
  std::string_view format() const override { return "apache-error"; }
  bool matches(std::string_view line) const override;
  int specificity() const override { return 20; }
  bool takes_continuations() const override { return true; }  // a message's raw newline
  void parse_chunk(const Source& source, size_t begin, size_t end, ParsedChunk& out) const override;
  bool decode(const Source& source, std::string_view text, Record& out) const override;
};

}  // namespace hindcast
