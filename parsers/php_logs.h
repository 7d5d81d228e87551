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

#include "parsers/line_format.h"

namespace hindcast {

struct PhpFpmFormat {
  static constexpr std::string_view kName = "php-fpm";
  static constexpr int kSpecificity = 25;
  static constexpr Unmatched kUnmatched = Unmatched::kContinuation;
  static constexpr const char* kUnmatchedReason = "unstamped line before the first record";
  struct Line {
    Stamp stamp;
    std::string_view level, pool, message;
  };
  static bool split(std::string_view line, Line* out, bool* invalid_time);
  static void event(const Line& l, Event& e);
  static void record(const Source& source, std::string_view text, const Line& l, Record& out);
};
extern template class LineFormatParser<PhpFpmFormat>;
using PhpFpmLogParser = LineFormatParser<PhpFpmFormat>;

struct PhpErrorFormat {
  static constexpr std::string_view kName = "php-error";
  static constexpr int kSpecificity = 25;
  static constexpr Unmatched kUnmatched = Unmatched::kContinuation;  // stack traces
  static constexpr const char* kUnmatchedReason = "unstamped line before the first record";
  struct Line {
    Stamp stamp;
    std::string_view zone, message, type;  // type: "Fatal error", "Warning", ... (after "PHP ")
  };
  static bool split(std::string_view line, Line* out, bool* invalid_time);
  static void event(const Line& l, Event& e);
  static void record(const Source& source, std::string_view text, const Line& l, Record& out);
};
extern template class LineFormatParser<PhpErrorFormat>;
using PhpErrorLogParser = LineFormatParser<PhpErrorFormat>;

}  // namespace hindcast
