// What a message means, in the words software uses everywhere: strerror texts, the phrases of
// the common servers (Apache, PHP, nginx, systemd, the kernel, database clients), monitoring
// plugin output. Not the wording of any one incident: every entry is how a whole class of
// programs says a class of thing.
//
//   MessageFacts f = read_message(record);
//   if (f.meaning == Meaning::kDependencyDown) use(f.endpoint, f.errno_name);
//
// Regular expressions are fine here: detectors read a few representative messages per template,
// never every line. Thread-safe (the patterns are compiled once, read-only after).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/record.h"
#include "engine/findings/kinds.h"

namespace hindcast {

enum class Meaning : uint8_t {
  kNone,
  kMissingFile,       // a file the program needed does not exist
  kPermissionDenied,  // a file or directory it needed is not accessible
  kPhpParseError,
  kPhpFatal,
  kConfigSyntax,      // an invalid directive / option / syntax in a configuration file
  kDependencyDown,    // a database, cache, upstream or socket refused, reset or timed out
  kDiskFull,          // ENOSPC / EDQUOT
  kResourceLimit,     // a configured or system limit was reached (workers, memory, open files)
  kCrash,             // a process died of a signal (segfault, abort, OOM kill)
  kDnsFailure,        // a name could not be resolved
  kTlsFailure,        // a certificate or key expired, mismatched or unreadable, or a handshake failed
  kServiceFailed,     // a service manager reports a unit failed / exited with an error
  kServiceStopped,
  kServiceStarted,
  kServiceRestarted,  // restart or reload, by the service manager or the server itself
  kMonitorFailing,    // a health-check result that fails
  kMonitorOk,         // a health-check result that passes
  kClientError,       // a server reporting a bad request: denied, not found, malformed (4xx)
  kOtherError,        // an error that fits none of the above
  kAction,            // a change someone or something made (engine/findings/actions.h; read_message never says it)
  kListening,         // a server says where it accepts connections (endpoint: host:port or a socket)
};

std::string_view meaning_name(Meaning m);
// The root-cause kind a meaning stands for; none for meanings that are not causes (monitors,
// client errors, a service starting). A failed service is a kServiceFailed link.
std::optional<CauseKind> cause_kind(Meaning m);

struct MessageFacts {
  Meaning meaning = Meaning::kNone;
  std::string errno_name;              // from an errno phrase or number in the text
  std::string path;                    // the path that failed (not the file that referenced it)
  std::string endpoint;                // host:port, [v6]:port or a unix socket path
  std::string name;                    // a host name that did not resolve
  std::string certificate;             // a certificate or key file, or the TLS peer
  std::string setting;                 // the limit or directive named (MaxRequestWorkers, memory_limit)
  std::string device;                  // a failing disk or filesystem, as the kernel names it (sda1)
  std::string service;                 // the unit or program the message is about (memcached.service)
  std::string signal;                  // SIGSEGV, ...
  std::string detail;                  // the message's own short reason ("Unmatched '}'")
  std::optional<FileLine> referenced_from;  // "in /x.php on line 8", "on line 12 of /etc/x.conf"
  bool failing = false;                // monitors: the check fails
};

MessageFacts read_message(const Record& r);
// The same, from bare text (tests, embedded lines).
MessageFacts read_message_text(std::string_view text);

// The errno a strerror text or number in `text` names, read only where programs write one: the
// text after ": " (PHP's "failed to open stream: No such file or directory", perror's), in or
// after parentheses ("(13)Permission denied", "(111: Connection refused)", strace's
// "(Permission denied)"), after "] " (Python's "[Errno 2] ..."), after an errno number
// ("errno=28 No space left on device", MySQL's 'Errcode: 13 "Permission denied"') or opening the
// message; "errno=32" alone -> EPIPE. Free text that happens to hold the words or a number
// ("blocked javascript:alert(1) Operation not permitted by the filter", "alert(1)") names none.
// Empty when none.
std::string errno_in_text(std::string_view text);
// Signal number -> name (11 -> "SIGSEGV"), and a description -> name ("Segmentation fault").
std::string signal_name(int number);
std::string signal_from_text(std::string_view description);
// The service a network endpoint usually belongs to, by well-known port or socket name:
// "127.0.0.1:11211" -> "memcached", "/run/mysqld/mysqld.sock" -> "mysqld". Empty if unknown.
std::string service_of_endpoint(std::string_view endpoint);
// The server whose own log a format is ("apache-error" -> "apache2", "nginx-error" -> "nginx",
// "php-fpm" -> "php-fpm"): who wrote a line that names no program. Empty for formats many
// programs write (syslog, journald, JSON lines).
std::string_view server_of_format(std::string_view format);
// The paths a message names, in order: each begins at a '/' that starts a word (the message's
// start, a space, quote, parenthesis, bracket, comma, colon, semicolon or '=' before it) and runs
// to the next of those but '='; a sentence's trailing dots are not part of it.
//   "install /srv/app/lib/x.php (from '/tmp/x'): ok." -> "/srv/app/lib/x.php", "/tmp/x"
// With `relative`, a word that holds a '/' is a path from its start ("app/routes/x.php").
// The one reading of a path in free text: a message's failed path (read_message), the files a
// change names (its crash's culprit) and what an action touched (the resolution's terms).
std::vector<std::string_view> paths_in(std::string_view message, bool relative = false);
// Whether two service names denote the same service ("memcached.service" and "memcached",
// "mariadb.service" and "mysql", "php8.2-fpm.service" and "php8.2-fpm").
bool same_service(std::string_view a, std::string_view b);

}  // namespace hindcast
