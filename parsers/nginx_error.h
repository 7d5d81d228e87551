// nginx error log (ngx_log_error_core: "%4d/%02d/%02d %02d:%02d:%02d [level] pid#tid: *cid msg"):
//   2024/01/05 10:00:00 [error] 1234#1234: *5 connect() failed (111: Connection refused) while
//   connecting to upstream, client: 10.0.0.1, server: _, request: "GET / HTTP/1.1", upstream:
//   "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "localhost"
// Accepted: every level (debug .. emerg); with or without the "*cid " connection number; the
// trailing context (client, server, request, upstream, host, referrer) read into the record;
// unstamped lines continue the record above. Local time without a zone, whole seconds.
//
// On an nginx + PHP-FPM host PHP's errors arrive as what the FastCGI backend wrote to stderr, and
// a stack trace goes on over the next lines, the context after its last (nginx 1.22, php8.2-fpm):
//   2026/12/07 02:47:40 [error] 17026#17026: *1 FastCGI sent in stderr: "PHP message: PHP Warning:  file_get_contents(/srv/site/missing-settings.ini): Failed to open stream: No such file or directory in /srv/www/index.php on line 3; PHP message: PHP Fatal error:  Uncaught RuntimeException: cannot render page 1 in /srv/www/index.php:9
//   Stack trace:
//   #0 /srv/www/index.php(11): render()
//   #1 {main}
//     thrown in /srv/www/index.php on line 9" while reading response header from upstream, client: 127.0.0.1, server: , request: "GET /index.php?p=1 HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "127.0.0.1:18080"
// Those lines are the record's (its message is the first line's), and the context is read from
// the whole record.
//
// nginx's access log in its default "combined" format is Apache's combined format byte for byte
// and is read by the apache-access parser (format name kept: it is in the report contract); a
// custom log_format is given with --access-format in nginx's own $variable syntax (see
// parsers/nginx_log_format.h).
#pragma once
#include <string_view>

#include "parsers/line_format.h"

namespace hindcast {

struct NginxErrorRecord {
  Stamp stamp;
  std::string_view level, message;  // message: after "pid#tid: " and "*cid "
  uint32_t pid = 0, tid = 0;
  uint64_t connection = 0;
  std::string_view client, server, request, upstream, host;  // the context: filled by the decode only
};

// The stamp, level, pid, tid, connection and message of a record's first line.
bool decode_nginx_error_line(std::string_view line, NginxErrorRecord* out, bool* invalid_time = nullptr);

struct NginxErrorFormat {
  static constexpr std::string_view kName = "nginx-error";
  static constexpr int kSpecificity = 25;
  // A message with a newline goes on over the next lines: what a FastCGI backend wrote to stderr
  // (PHP's errors and their stack traces), up to the context nginx appends after it.
  static constexpr Unmatched kUnmatched = Unmatched::kContinuation;
  static constexpr const char* kUnmatchedReason = "unstamped line before the first record";
  using Line = NginxErrorRecord;
  static bool split(std::string_view line, Line* out, bool* invalid_time);
  static void event(const Line& l, Event& e);
  static void record(const Source& source, std::string_view text, const Line& l, Record& out);
};
extern template class LineFormatParser<NginxErrorFormat>;
using NginxErrorParser = LineFormatParser<NginxErrorFormat>;

}  // namespace hindcast
