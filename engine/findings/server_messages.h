// What an Apache / PHP error-log message says about a file: which path failed, with which
// errno, and which file:line referenced it.
//
//   PHP Warning:  require(/x/a.phpp): Failed to open stream: No such file or directory in /x/s.php on line 134
//     -> kind php_warning, path /x/a.phpp, errno ENOENT, referenced_from /x/s.php:134
//   (13)Permission denied: [client ...] AH00529: /x/.htaccess pcfg_openfile: unable to check htaccess file
//     -> kind server_error, path /x/.htaccess, errno EACCES
//   PHP Parse error:  Unmatched '}' in /x/formatting.php on line 8
//     -> kind php_parse_error, path null, referenced_from /x/formatting.php:8
// Regular expressions are fine here: only error-log records reach this, never the hot path.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "engine/timeline/timeline.h"
#include "parsers/apache_error.h"

namespace hindcast {

enum class ServerMessageKind { kOther, kPhpWarning, kPhpFatal, kPhpParseError, kServerError };

struct ServerMessageFacts {
  ServerMessageKind kind = ServerMessageKind::kOther;
  std::optional<std::string> path;    // the path that could not be used
  std::string errno_name;             // ENOENT, EACCES, ... or empty
  std::optional<std::string> ref_file;
  uint32_t ref_line = 0;
  std::string detail;                 // "Unmatched '}'", the fatal error's first clause
};

ServerMessageFacts read_server_message(std::string_view message);

// Every Apache/PHP error-log record on the timeline: the error-log files' own, and, where no
// error-log file covers the time (PHP error logging off, the file not collected), the lines
// strace saw the server write. `fn(ref, record)`; the record's views live during the call only.
void for_each_server_record(const Timeline& t, std::span<const EventRef> scope,
                            const std::function<void(EventRef, const ErrorRecord&)>& fn);

}  // namespace hindcast
