// nginx error log (ngx_log_error_core: "%4d/%02d/%02d %02d:%02d:%02d [level] pid#tid: *cid msg"):
//   2024/01/05 10:00:00 [error] 1234#1234: *5 connect() failed (111: Connection refused) while
//   connecting to upstream, client: 10.0.0.1, server: _, request: "GET / HTTP/1.1", upstream:
//   "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "localhost"
// Accepted: every level (debug .. emerg); with or without the "*cid " connection number; the
// trailing context (client, server, request, upstream, host, referrer) read into the record;
// unstamped lines continue the record above. Local time without a zone, whole seconds.
//
// nginx's access log in its default "combined" format is Apache's combined format byte for byte
// and is read by the apache-access parser (format name kept: it is in the report contract); a
// custom log_format is given with --access-format in nginx's own $variable syntax (see
// parsers/nginx_log_format.h).
#pragma once
#include <string_view>

#include "parsers/parser.h"

namespace hindcast {

struct NginxErrorRecord {
  Stamp stamp;
  std::string_view level, message;  // message: after "pid#tid: " and "*cid "
  uint32_t pid = 0, tid = 0;
  uint64_t connection = 0;
  std::string_view client, server, request, upstream, host;
};

bool decode_nginx_error_line(std::string_view line, NginxErrorRecord* out, bool* invalid_time = nullptr);

class NginxErrorParser final : public Parser {
 public:
  std::string_view format() const override { return "nginx-error"; }
  bool matches(std::string_view line) const override;
  int specificity() const override { return 25; }
  void parse_chunk(const Source& source, size_t begin, size_t end, ParsedChunk& out) const override;
  bool decode(const Source& source, std::string_view text, Record& out) const override;
};

}  // namespace hindcast
