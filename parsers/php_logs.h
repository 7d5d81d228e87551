// PHP's two logs.
//
// php-fpm (the FPM master's error_log, /var/log/php8.2-fpm.log; zlog.c writes
// "[%d-%b-%Y %H:%M:%S] LEVEL: ", with ".%06d" microseconds at log_level = debug):
//   [05-Jan-2024 10:00:00] WARNING: [pool www] server reached pm.max_children setting (5), consider raising it
//   [05-Jan-2024 10:00:00] NOTICE: fpm is running, pid 1234
//   [05-Jan-2024 10:00:01] WARNING: [pool www] child 1240 said into stderr: "NOTICE: PHP message: ..."
// Levels DEBUG, NOTICE, WARNING, ERROR, ALERT (and SYSLOG, as fpm names its own); local time, no
// zone. Unstamped lines continue the record above.
//
// php-error (PHP's error_log = /path written by PHP itself, php_log_err: "[%d-%b-%Y %H:%M:%S %e] "):
//   [05-Jan-2024 10:00:00 UTC] PHP Fatal error:  Uncaught Error: Call to undefined function foo() in /var/www/html/index.php:3
//   Stack trace:
//   #0 {main}
//     thrown in /var/www/html/index.php on line 3
// The zone is PHP's date.timezone by *name* ("UTC", "Europe/Berlin"), resolved through the tz
// database (engine/core/zones.h), an exact instant; being PHP's own setting, not the host's
// clock, it is not taken as evidence of the host's zone. The stack trace continues the record. Severity from the PHP
// error type: Fatal error, Parse error -> error; Warning -> warning; Notice, Deprecated -> notice.
#pragma once
#include <string_view>

#include "parsers/parser.h"

namespace hindcast {

class PhpFpmLogParser final : public Parser {
 public:
  std::string_view format() const override { return "php-fpm"; }
  bool matches(std::string_view line) const override;
  int specificity() const override { return 25; }
  void parse_chunk(const Source& source, size_t begin, size_t end, ParsedChunk& out) const override;
  bool decode(const Source& source, std::string_view text, Record& out) const override;
};

class PhpErrorLogParser final : public Parser {
 public:
  std::string_view format() const override { return "php-error"; }
  bool matches(std::string_view line) const override;
  int specificity() const override { return 25; }
  void parse_chunk(const Source& source, size_t begin, size_t end, ParsedChunk& out) const override;
  bool decode(const Source& source, std::string_view text, Record& out) const override;
};

}  // namespace hindcast
