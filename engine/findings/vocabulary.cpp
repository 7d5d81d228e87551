#include "engine/findings/vocabulary.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <vector>

namespace hindcast {
namespace {

using re2::RE2;

struct Patterns {
  // Monitoring plugin output (Nagios plugin API): "HTTP OK: ...", "CRITICAL - Socket timeout",
  // and the Nagios/Icinga log "SERVICE ALERT: host;service;CRITICAL;HARD;1;output".
  RE2 plugin{R"re(^(?:[A-Z][A-Z0-9_ ]{0,30} )?(OK|WARNING|CRITICAL|UNKNOWN)(?: -|:))re"};
  RE2 nagios_alert{R"re((?:SERVICE|HOST) ALERT: [^;]*;(?:[^;]*;)?(OK|UP|WARNING|CRITICAL|UNKNOWN|DOWN|UNREACHABLE);)re"};
  // Service managers.
  RE2 unit{R"re(([A-Za-z0-9_@.\\-]+\.(?:service|socket|mount|timer|target|scope)))re"};
  RE2 main_exited{R"re(Main process exited, code=(exited|killed|dumped), status=(\d+)(?:/(\w+))?)re"};
  // Crashes.
  RE2 exit_signal{R"re(exit signal ([A-Za-z][A-Za-z ]*?) \((\d+)\))re"};
  RE2 killed_by{R"re((?:killed by|terminated by) (?:signal )?(SIG[A-Z0-9]+|\d+))re"};
  RE2 oom_kill{R"re((?:Out of memory|oom-kill|Memory cgroup out of memory).*?[Kk]illed process (\d+) \(([^)]+)\))re"};
  RE2 kernel_segfault{R"re((\S+)\[(\d+)\]: segfault at )re"};
  // php-fpm's and nginx's masters: "child 123 exited on signal 11 (SIGSEGV) after 3.1 seconds",
  // "worker process 123 exited on signal 11 (core dumped)".
  RE2 exited_on_signal{R"re(exited on signal (\d+)(?: \((SIG[A-Z0-9]+)\))?)re"};
  RE2 unit_oom{R"re(has been killed by the OOM killer|Failed with result 'oom-kill')re"};
  // PHP.
  RE2 php_parse{R"re(PHP Parse error:\s+(.*?) in (/\S+?) on line (\d+))re"};
  RE2 php_fatal{R"re(PHP Fatal error:\s+(.*?)(?: in /|\\n|$))re"};
  RE2 failed_opening{R"re(Failed opening(?: required)? '([^']+)')re"};
  RE2 memory_exhausted{R"re(Allowed memory size of \d+ bytes exhausted)re"};
  RE2 max_execution{R"re(Maximum execution time of \d+ seconds? exceeded)re"};
  // Configuration.
  RE2 invalid_command{R"re((?:^|\s)(/\S+?): Invalid command '([^']+)')re"};
  RE2 invalid_command_bare{R"re(Invalid command '([^']+)')re"};
  RE2 not_allowed_here{R"re((/\S+?): (\S+) not allowed here)re"};
  // Apache refusing a per-directory file as it serves a request: "[core:alert] ...
  // /var/www/x/.htaccess: RewriteRule: unknown flag 'LL'" (request.c logs the parse error as
  // "FILE: ERROR"; the error starts with the directive when the directive's own parser refused).
  RE2 htaccess_error{R"re((?:^|\s)(/\S+?/\.ht[\w.]+): (?:(<?[A-Za-z]\w*): )?\S)re"};
  RE2 syntax_error_line_of{R"re(Syntax error on line (\d+) of ([^:\s]+):?\s*(.*))re"};
  RE2 nginx_directive{R"re((?:unknown|invalid) (?:directive|parameter|number|value) "?([^"\s]+)"? in (/\S+?):(\d+))re"};
  RE2 ini_syntax{R"re(PHP:\s+syntax error, (.*?) in (/\S+?) on line (\d+))re"};
  RE2 unrecognized{R"re((?:unrecognized|unknown|invalid) (?:configuration )?(?:option|parameter|directive|setting|variable) "?'?-{0,2}([\w.\-]+))re"};
  // php-fpm: "[/etc/php/8.2/fpm/pool.d/www.conf:12] unknown entry 'pm.max_chidren'".
  RE2 fpm_entry{R"re(\[(/[^:\]]+):(\d+)\] (?:unknown entry|invalid value for|.*? must be) '?([\w.\[\]\-]+)'?)re"};
  // nginx's other refusals of a file: "directive "x" is not terminated by ";" in F:N", "unexpected "}" in F:N".
  RE2 nginx_file_line{R"re((?:directive|unexpected|invalid|no "|is duplicate|not allowed|unknown).*? in (/\S+?):(\d+)\s*$)re"};
  RE2 nginx_directive_name{R"re("([A-Za-z_][\w]*)")re"};
  // PostgreSQL: parameter "x" in file "/etc/postgresql/15/main/postgresql.conf" line 831; and
  // configuration file "/etc/...conf" contains errors.
  RE2 in_file_line_quoted{R"re(in file "(/[^"]+)" line (\d+))re"};
  RE2 config_file_errors{R"re(configuration file "(/[^"]+)" contains errors)re"};
  // Limits.
  RE2 reached_setting{R"re(reached (?:the )?([A-Za-z_][\w.]*) setting)re"};
  RE2 too_many_connections{R"re([Tt]oo many connections|too many clients already|remaining connection slots are reserved)re"};
  RE2 max_memory{R"re(OOM command not allowed when used memory > 'maxmemory'|used memory > 'maxmemory')re"};
  RE2 worker_connections{R"re(worker_connections are not enough)re"};
  // Dependencies without an errno phrase (libcurl's own timeouts, CURLE_OPERATION_TIMEDOUT and
  // CURLE_COULDNT_CONNECT, as PHP applications pass them on: "Operation timed out after 2000
  // milliseconds with 0 bytes received (curl 28)").
  RE2 mysql_connect{R"re(Can't connect to (?:local )?(?:MySQL|MariaDB) server(?: on '([^']+)'| through socket '([^']+)')?)re"};
  // The MySQL client's connection errors as PDO and mysqli print them: SQLSTATE[HY000] [2002].
  RE2 mysql_client_code{R"re(SQLSTATE\[HY000\] \[(200[0-9])\])re"};
  // libpq: connection to server at "10.0.0.5", port 5432 failed; ... on socket "/run/postgresql/.s.PGSQL.5432".
  RE2 pg_server_at{R"re(server at "([^"]+)"(?: \([^)]*\))?, port (\d+))re"};
  RE2 dependency_phrase{R"re((?i)(could not connect to (?:server|database)|server has gone away|lost connection to .*server|error establishing a database connection|upstream timed out|no live upstreams|upstream prematurely closed connection|unable to connect to|connection to server .*failed|the database system is (?:shutting down|starting up|in recovery mode)|failed to make connection to backend|attempt to connect to .* failed|operation timed out after \d+ milliseconds|connection timed out after \d+ milliseconds|failed to connect to \S+ port \d+))re"};
  // Names that did not resolve (glibc's getaddrinfo texts, curl, libpq, the MySQL client, nginx).
  RE2 dns_getaddrinfo{R"re(getaddrinfo(?: for ([\w.\-]+))? failed: (?:Name or service not known|Temporary failure in name resolution|No address associated with hostname|nodename nor servname provided))re"};
  RE2 dns_resolve_host{R"re((?:Could not resolve host|could not resolve|Unknown (?:MySQL|MariaDB) server host|could not translate host name|host not found in upstream|Couldn't resolve host)[: ]+['"]?([\w.\-]+))re"};
  RE2 dns_phrase{R"re((Name or service not known|Temporary failure in name resolution|No address associated with hostname|NXDOMAIN|SERVFAIL|could not be resolved \(\d+: [^)]*\)))re"};
  RE2 dns_resolved_name{R"re(([\w][\w.\-]*\.[A-Za-z][\w\-]*) could not be resolved)re"};
  // TLS: certificates that expired, do not match their key, cannot be read, or do not verify.
  RE2 tls_phrase{R"re((?i)(certificate has expired|certificate is not yet valid|certificate verify failed|unable to get local issuer certificate|self[- ]signed certificate|key values mismatch|do not match|SSL_do_handshake\(\) failed|SSL handshake failed|handshake failure|sslv3 alert|tlsv1 alert|cannot load certificate|certificate verify error|wrong version number|unsupported protocol|no shared cipher|SSL routines))re"};
  RE2 tls_context{R"re((?i)(ssl|tls|certificate|x509))re"};
  RE2 cert_file{R"re((/[^\s:'"()]+\.(?:pem|crt|cer|key|p12))\b)re"};
  RE2 ssl_peer{R"re((?:ssl|tls)://([\w.\-]+:\d+)|SSL handshaking to upstream.*?upstream: "(?:https?|grpcs)://([^/"]+))re"};
  // Where a server accepts connections: PostgreSQL, MariaDB/MySQL.
  RE2 pg_listening{R"re(listening on IPv[46] address "([^"]+)", port (\d+))re"};
  RE2 mysql_listening{R"re(Server socket created on IP: '([^']+)', port: '(\d+)')re"};
  // Where things are.
  RE2 endpoint_hostport{R"re((\[[0-9A-Fa-f:.]+\]|\b\d{1,3}(?:\.\d{1,3}){3}|\blocalhost|\b[A-Za-z][\w-]*(?:\.[\w-]+)+):(\d{2,5})\b)re"};
  RE2 endpoint_unix{R"re((?:unix:|socket ['"])(/[^\s:'"]+))re"};
  RE2 socket_path{R"re((/[^\s:'"()]+\.sock)\b)re"};
  RE2 in_file_line{R"re( in (/[^ ]+?)(?: on line |:)(\d+))re"};
  RE2 call_path{R"re(\w+\((/[^)]+)\))re"};
  RE2 errno_named{R"re(\berrno[= ](\d{1,3})\b)re"};
  RE2 errno_paren{R"re(\((\d{1,3})(?:\)|: )([A-Z][a-z][^)]{2,60}))re"};
  // Client errors a server reports.
  RE2 client_error{R"re((?i)(client denied by server configuration|file does not exist|not found or unable to stat|invalid uri|invalid method in request|request failed:|uri too long|client sent malformed))re"};
  // Server lifecycle (Apache, nginx).
  RE2 server_restart{R"re((SIGHUP received|SIGUSR1 received|Graceful restart requested|reconfiguring|signal process started))re"};
  RE2 server_stop{R"re((caught SIGTERM|caught SIGWINCH|gracefully shutting down))re"};
  RE2 server_start{R"re((resuming normal operations|start worker process))re"};
  // The kernel's words for a failing disk or filesystem (ext4, XFS, btrfs, the block layer).
  RE2 fs_error{R"re((?:EXT[234]-fs|BTRFS) error \(device ([\w.-]+)\))re"};
  RE2 xfs_error{R"re(XFS \(([\w.-]+)\): .*(?:I/O error|[Cc]orruption|[Ss]hutdown))re"};
  RE2 io_error{R"re(I/O error,? (?:on )?dev(?:ice)? ([\w.-]+))re"};
  RE2 remount_read_only{R"re(\(([\w.-]+)\): [Rr]emounting filesystem read-only)re"};
};

const Patterns& patterns() {
  static const Patterns p;
  return p;
}

struct ErrnoPhrase {
  std::string phrase;
  std::string name;
};

// strerror texts of every errno glibc knows, longest first (so "Connection reset by peer" is
// not taken for a shorter phrase inside it).
const std::vector<ErrnoPhrase>& errno_phrases() {
  static const std::vector<ErrnoPhrase> table = [] {
    std::vector<ErrnoPhrase> t;
    for (int i = 1; i < 134; ++i) {
      const char* name = strerrorname_np(i);
      const char* desc = strerrordesc_np(i);
      if (name && desc) t.push_back({desc, name});
    }
    std::stable_sort(t.begin(), t.end(), [](const ErrnoPhrase& a, const ErrnoPhrase& b) {
      return a.phrase.size() > b.phrase.size();
    });
    return t;
  }();
  return table;
}

bool has(std::string_view s, std::string_view w) { return s.find(w) != std::string_view::npos; }

re2::StringPiece piece(std::string_view s) { return {s.data(), s.size()}; }

bool is_errno(const std::string& e, std::initializer_list<std::string_view> names) {
  for (std::string_view n : names)
    if (e == n) return true;
  return false;
}

bool is_connection_errno(const std::string& e) {
  return is_errno(e, {"ECONNREFUSED", "ETIMEDOUT", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "ECONNABORTED",
                      "EHOSTDOWN", "ENETDOWN"});
}

// The server an address is named with, when the word before it is one ("memcached
// 127.0.0.1:19731: CONNECTION FAILURE", "Redis server at 10.0.0.3:6380", "MySQL on db:3307"):
// what listens on a port nobody assigned is known only from such a word. Empty otherwise.
std::string server_named_before(std::string_view text, size_t at) {
  static constexpr std::string_view kServers[] = {"memcached", "memcache", "redis", "valkey", "mysql", "mariadb",
                                                  "postgresql", "postgres", "mongodb", "elasticsearch", "rabbitmq",
                                                  "pgbouncer", "solr", "cassandra", "opensearch", "beanstalkd"};
  static constexpr std::string_view kFiller[] = {"at", "on", "server", "host", "to", "via"};
  std::string_view before = text.substr(0, std::min(at, text.size()));
  for (int words = 0; words < 3; ++words) {
    while (!before.empty() && (before.back() == ' ' || before.back() == '(' || before.back() == '[')) before.remove_suffix(1);
    const size_t start = before.find_last_of(" ([\"'") + 1;  // npos + 1: the text's start
    std::string word(before.substr(start));
    for (char& ch : word) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    for (std::string_view s : kServers)
      if (word == s) return std::string(s);
    if (std::find(std::begin(kFiller), std::end(kFiller), word) == std::end(kFiller)) return {};
    before = before.substr(0, start);
  }
  return {};
}

bool find_endpoint_in(std::string_view text, MessageFacts& f) {
  const Patterns& p = patterns();
  std::string host, port, path;
  if (RE2::PartialMatch(piece(text), p.pg_server_at, &host, &port)) {
    f.endpoint = (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + port;
  } else if (RE2::PartialMatch(piece(text), p.endpoint_unix, &path) ||
      RE2::PartialMatch(piece(text), p.socket_path, &path)) {
    f.endpoint = path;
  } else if (RE2::PartialMatch(piece(text), p.endpoint_hostport, &host, &port)) {
    f.endpoint = host + ":" + port;
    if (f.service.empty()) f.service = server_named_before(text, text.find(f.endpoint));
  } else {
    return false;
  }
  return true;
}

// What a web server relays from its FastCGI backend (nginx: 'FastCGI sent in stderr: "..." while
// reading response header from upstream, ..., upstream: "fastcgi://unix:/run/php/x.sock:"'): the
// backend's own words, without the hop that passed them on. Empty when the text relays nothing.
std::string_view relayed_message(std::string_view text) {
  constexpr std::string_view kRelay = " sent in stderr: \"";
  const size_t at = text.find(kRelay);
  if (at == std::string_view::npos) return {};
  std::string_view inner = text.substr(at + kRelay.size());
  return inner.substr(0, inner.rfind("\" while "));  // (npos: the record goes on over more lines)
}

// The address a message names; in a relayed message the backend's (the dependency it could not
// reach), not the socket nginx reached the backend on.
void find_endpoint(std::string_view text, MessageFacts& f) {
  if (const std::string_view relayed = relayed_message(text); !relayed.empty() && find_endpoint_in(relayed, f)) return;
  find_endpoint_in(text, f);
}

// The path that failed: a call's argument, else the first path the message names; never the
// "in FILE on line N" reference.
void find_path(std::string_view text, MessageFacts& f) {
  const Patterns& p = patterns();
  std::string s;
  if (!RE2::PartialMatch(piece(text), p.call_path, &s)) {
    const std::vector<std::string_view> paths = paths_in(text);
    if (paths.empty()) return;
    s = paths.front();
  }
  while (!s.empty() && (s.back() == '.' || s.back() == ',')) s.pop_back();
  if (!f.referenced_from || s != f.referenced_from->file) f.path = s;
}

void find_reference(std::string_view text, MessageFacts& f) {
  std::string file;
  int line = 0;
  if (has(text, " in /") && RE2::PartialMatch(piece(text), patterns().in_file_line, &file, &line))
    f.referenced_from = FileLine{file, static_cast<uint32_t>(line)};
}

bool read_monitor(std::string_view m, MessageFacts& f) {
  const Patterns& p = patterns();
  std::string status;
  if (!RE2::PartialMatch(piece(m), p.plugin, &status) && !RE2::PartialMatch(piece(m), p.nagios_alert, &status))
    return false;
  f.failing = status != "OK" && status != "UP";
  f.meaning = f.failing ? Meaning::kMonitorFailing : Meaning::kMonitorOk;
  f.detail = std::string(m.substr(0, 160));
  return true;
}

bool read_service_manager(const Record& r, std::string_view m, MessageFacts& f) {
  const Patterns& p = patterns();
  const bool manager = r.program == "systemd" || r.program == "init" || r.program.starts_with("systemd[");
  std::string unit;
  RE2::PartialMatch(piece(m), p.unit, &unit);
  if (!manager && !(!unit.empty() && m.starts_with(unit + ":"))) return false;
  f.service = unit;
  std::string code, status, sig;
  if (RE2::PartialMatch(piece(m), p.main_exited, &code, &status, &sig)) {
    if (code != "exited") {
      f.meaning = Meaning::kCrash;
      f.signal = sig.empty() ? signal_name(std::atoi(status.c_str())) : "SIG" + sig;
    } else {
      f.meaning = status == "0" ? Meaning::kServiceStopped : Meaning::kServiceFailed;
    }
    f.detail = std::string(m);
    return true;
  }
  if (RE2::PartialMatch(piece(m), p.unit_oom)) {
    f.meaning = Meaning::kCrash;
    f.signal = "SIGKILL";
    f.detail = "killed by the out-of-memory killer";
    return true;
  }
  if (m.starts_with("Failed to start") || has(m, "Failed with result") || has(m, "Start request repeated too quickly") ||
      has(m, "Scheduled restart job") || has(m, "Control process exited") || has(m, "Failed to reload")) {
    f.meaning = Meaning::kServiceFailed;
  } else if (m.starts_with("Started ")) {
    f.meaning = Meaning::kServiceStarted;
  } else if (m.starts_with("Stopping ") || m.starts_with("Stopped ") || has(m, "Deactivated successfully")) {
    f.meaning = Meaning::kServiceStopped;
  } else if (m.starts_with("Reloading ") || m.starts_with("Reloaded ") || m.starts_with("Restarting ") ||
             m.starts_with("Restarted ")) {
    f.meaning = Meaning::kServiceRestarted;
  } else {
    return false;
  }
  f.detail = std::string(m);
  return true;
}

bool read_crash(std::string_view m, MessageFacts& f) {
  const Patterns& p = patterns();
  std::string desc, pid, prog;
  int number = 0;
  if (RE2::PartialMatch(piece(m), p.exit_signal, &desc, &number)) {
    f.signal = signal_name(number);
    if (f.signal.empty()) f.signal = signal_from_text(desc);
  } else if (RE2::PartialMatch(piece(m), p.oom_kill, &pid, &prog)) {
    f.signal = "SIGKILL";
    f.service = prog;
    f.detail = "killed by the out-of-memory killer";
  } else if (RE2::PartialMatch(piece(m), p.kernel_segfault, &prog, &pid)) {
    f.signal = "SIGSEGV";
    f.service = prog;
  } else if (std::string sig; RE2::PartialMatch(piece(m), p.exited_on_signal, &number, &sig)) {
    f.signal = !sig.empty() ? sig : signal_name(number);
  } else if (RE2::PartialMatch(piece(m), p.killed_by, &desc)) {
    f.signal = desc.starts_with("SIG") ? desc : signal_name(std::atoi(desc.c_str()));
  } else if (has(m, "core dumped") || has(m, "general protection fault")) {
    f.signal = has(m, "general protection") ? "SIGSEGV" : "";
  } else {
    return false;
  }
  f.meaning = Meaning::kCrash;
  return true;
}

bool read_config_syntax(std::string_view m, MessageFacts& f) {
  const Patterns& p = patterns();
  std::string a, b, c;
  int line = 0;
  if (RE2::PartialMatch(piece(m), p.syntax_error_line_of, &line, &a, &c)) {
    f.referenced_from = FileLine{a, static_cast<uint32_t>(line)};
    f.path = a;
    std::string directive;
    if (RE2::PartialMatch(piece(c), p.invalid_command_bare, &directive)) f.setting = directive;
  } else if (RE2::PartialMatch(piece(m), p.invalid_command, &a, &b)) {
    f.path = a;
    f.setting = b;
  } else if (RE2::PartialMatch(piece(m), p.not_allowed_here, &a, &b)) {
    f.path = a;
    f.setting = b;
  } else if (RE2::PartialMatch(piece(m), p.nginx_directive, &b, &a, &line)) {
    f.setting = b;
    f.path = a;
    f.referenced_from = FileLine{a, static_cast<uint32_t>(line)};
  } else if (RE2::PartialMatch(piece(m), p.fpm_entry, &a, &line, &b)) {
    f.setting = b;
    f.path = a;
    f.referenced_from = FileLine{a, static_cast<uint32_t>(line)};
  } else if (RE2::PartialMatch(piece(m), p.nginx_file_line, &a, &line) && (has(m, "[emerg]") || has(m, "emerg") || has(m, "directive") || has(m, "unexpected"))) {
    f.path = a;
    f.referenced_from = FileLine{a, static_cast<uint32_t>(line)};
    if (std::string d; RE2::PartialMatch(piece(m), p.nginx_directive_name, &d)) f.setting = d;
  } else if (RE2::PartialMatch(piece(m), p.ini_syntax, &b, &a, &line)) {
    f.path = a;
    f.detail = b;
    f.referenced_from = FileLine{a, static_cast<uint32_t>(line)};
  } else if (RE2::PartialMatch(piece(m), p.invalid_command_bare, &b) || RE2::PartialMatch(piece(m), p.unrecognized, &b)) {
    f.setting = b;
    if (RE2::PartialMatch(piece(m), p.in_file_line_quoted, &a, &line)) {
      f.path = a;
      f.referenced_from = FileLine{a, static_cast<uint32_t>(line)};
    }
  } else if (RE2::PartialMatch(piece(m), p.htaccess_error, &a, &b)) {
    f.path = a;
    f.setting = b;
  } else if (has(m, "syntax error") && RE2::PartialMatch(piece(m), p.in_file_line_quoted, &a, &line)) {
    // PostgreSQL: syntax error in file "/etc/postgresql/15/main/postgresql.conf" line 5, near token "0"
    f.path = a;
    f.referenced_from = FileLine{a, static_cast<uint32_t>(line)};
  } else if (RE2::PartialMatch(piece(m), p.config_file_errors, &a)) {
    f.path = a;
  } else {
    return false;
  }
  f.meaning = Meaning::kConfigSyntax;
  if (f.detail.empty()) f.detail = std::string(m.substr(0, 200));
  return true;
}

// A disk or filesystem the kernel reports failing: an error whatever the line's priority (kern.log
// written by rsyslog carries none). Not a root-cause kind of its own: what it broke (writes
// refused with EROFS or EIO, a crash) is read from the other logs; this is the why behind it.
bool read_storage_failure(std::string_view m, MessageFacts& f) {
  const Patterns& p = patterns();
  std::string dev;
  if (RE2::PartialMatch(piece(m), p.remount_read_only, &dev)) {
    f.errno_name = "EROFS";
  } else if (RE2::PartialMatch(piece(m), p.fs_error, &dev) || RE2::PartialMatch(piece(m), p.xfs_error, &dev) ||
             RE2::PartialMatch(piece(m), p.io_error, &dev)) {
    f.errno_name = "EIO";
  } else {
    return false;
  }
  f.meaning = Meaning::kOtherError;
  f.device = dev;
  f.detail = std::string(m.substr(0, 200));
  return true;
}

bool read_limit(std::string_view m, MessageFacts& f) {
  const Patterns& p = patterns();
  std::string s;
  if (RE2::PartialMatch(piece(m), p.reached_setting, &s)) f.setting = s;
  else if (RE2::PartialMatch(piece(m), p.memory_exhausted)) f.setting = "memory_limit";
  else if (RE2::PartialMatch(piece(m), p.max_execution)) f.setting = "max_execution_time";
  else if (RE2::PartialMatch(piece(m), p.too_many_connections)) f.setting = "max_connections";
  else if (RE2::PartialMatch(piece(m), p.worker_connections)) f.setting = "worker_connections";
  else if (RE2::PartialMatch(piece(m), p.max_memory)) f.setting = "maxmemory";
  else return false;
  f.meaning = Meaning::kResourceLimit;
  return true;
}

bool read_php(std::string_view m, MessageFacts& f) {
  const Patterns& p = patterns();
  std::string detail, file;
  int line = 0;
  if (RE2::PartialMatch(piece(m), p.php_parse, &detail, &file, &line)) {
    f.meaning = Meaning::kPhpParseError;
    f.detail = detail;
    f.referenced_from = FileLine{file, static_cast<uint32_t>(line)};
    return true;
  }
  if (!has(m, "PHP Fatal error:")) return false;
  RE2::PartialMatch(piece(m), p.php_fatal, &f.detail);
  find_reference(m, f);
  std::string failed;
  if (RE2::PartialMatch(piece(m), p.failed_opening, &failed)) f.path = failed;
  f.meaning = Meaning::kPhpFatal;
  return true;
}

// A name that did not resolve: glibc's getaddrinfo texts, curl, libpq, the MySQL client, nginx.
bool read_dns(std::string_view m, MessageFacts& f) {
  const Patterns& p = patterns();
  std::string name, phrase;
  if (RE2::PartialMatch(piece(m), p.dns_getaddrinfo, &name) || RE2::PartialMatch(piece(m), p.dns_resolve_host, &name)) {
    f.name = name;
  } else if (RE2::PartialMatch(piece(m), p.dns_phrase, &phrase)) {
    RE2::PartialMatch(piece(m), p.dns_resolved_name, &f.name);
  } else {
    return false;
  }
  // The name without a port ("db.internal:5432" in nginx's "host not found in upstream").
  if (const size_t colon = f.name.find(':'); colon != std::string::npos) f.name.resize(colon);
  f.meaning = Meaning::kDnsFailure;
  f.detail = std::string(m.substr(0, 200));
  return true;
}

// A certificate or handshake that failed. The phrase alone is not enough where it is generic
// ("do not match"): the message must also speak of SSL, TLS or certificates.
bool read_tls(std::string_view m, MessageFacts& f) {
  const Patterns& p = patterns();
  std::string phrase;
  if (!RE2::PartialMatch(piece(m), p.tls_phrase, &phrase) || !RE2::PartialMatch(piece(m), p.tls_context)) return false;
  std::string file, peer, upstream;
  if (RE2::PartialMatch(piece(m), p.cert_file, &file)) f.certificate = file;
  else if (RE2::PartialMatch(piece(m), p.ssl_peer, &peer, &upstream)) f.certificate = !peer.empty() ? peer : upstream;
  // The endpoint the line names, unless it is a local socket: a web server relaying its
  // FastCGI backend's error ("upstream: fastcgi://unix:/run/php/...sock") names the hop that
  // passed the message on, not the peer whose certificate failed.
  else if (!f.endpoint.empty() && f.endpoint[0] != '/') f.certificate = f.endpoint;
  f.meaning = Meaning::kTlsFailure;
  f.detail = phrase;
  return true;
}

void read_errno_meaning(std::string_view m, MessageFacts& f) {
  const std::string& e = f.errno_name;
  if (e.empty()) return;
  if (is_connection_errno(e) || (e == "ENOENT" && !f.endpoint.empty() && f.endpoint[0] == '/')) {
    f.meaning = Meaning::kDependencyDown;
  } else if (e == "ENOENT" || e == "ENOTDIR") {
    f.meaning = Meaning::kMissingFile;
  } else if (e == "EACCES" || e == "EPERM" || e == "EROFS") {
    f.meaning = Meaning::kPermissionDenied;
  } else if (e == "ENOSPC" || e == "EDQUOT") {
    f.meaning = Meaning::kDiskFull;
  } else if (e == "EMFILE" || e == "ENFILE") {
    f.meaning = Meaning::kResourceLimit;
    f.setting = "open files";
  } else if (e == "ENOMEM") {
    f.meaning = Meaning::kResourceLimit;
    f.setting = "memory";
  } else if (e == "EPIPE") {
    f.meaning = f.endpoint.empty() ? Meaning::kOtherError : Meaning::kDependencyDown;
  }
  (void)m;
}

}  // namespace

std::string_view meaning_name(Meaning m) {
  switch (m) {
    case Meaning::kNone: return "none";
    case Meaning::kMissingFile: return "missing_file";
    case Meaning::kPermissionDenied: return "permission_denied";
    case Meaning::kPhpParseError: return "php_parse_error";
    case Meaning::kPhpFatal: return "php_fatal";
    case Meaning::kConfigSyntax: return "config_syntax";
    case Meaning::kDependencyDown: return "dependency_down";
    case Meaning::kDiskFull: return "disk_full";
    case Meaning::kResourceLimit: return "resource_limit";
    case Meaning::kCrash: return "crash";
    case Meaning::kDnsFailure: return "dns_failure";
    case Meaning::kTlsFailure: return "tls_failure";
    case Meaning::kServiceFailed: return "service_failed";
    case Meaning::kServiceStopped: return "service_stopped";
    case Meaning::kServiceStarted: return "service_started";
    case Meaning::kServiceRestarted: return "service_restarted";
    case Meaning::kMonitorFailing: return "monitor_failing";
    case Meaning::kMonitorOk: return "monitor_ok";
    case Meaning::kClientError: return "client_error";
    case Meaning::kOtherError: return "error";
    case Meaning::kAction: return "action";
    case Meaning::kListening: return "listening";
  }
  return "none";
}

std::optional<CauseKind> cause_kind(Meaning m) {
  switch (m) {
    case Meaning::kMissingFile: return CauseKind::kMissingFile;
    case Meaning::kPermissionDenied: return CauseKind::kPermissionDenied;
    case Meaning::kPhpParseError: return CauseKind::kPhpParseError;
    case Meaning::kPhpFatal: return CauseKind::kPhpFatal;
    case Meaning::kConfigSyntax: return CauseKind::kConfigSyntax;
    case Meaning::kDependencyDown: return CauseKind::kDependencyDown;
    case Meaning::kDiskFull: return CauseKind::kDiskFull;
    case Meaning::kResourceLimit: return CauseKind::kResourceLimit;
    case Meaning::kCrash: return CauseKind::kCrash;
    case Meaning::kDnsFailure: return CauseKind::kDnsFailure;
    case Meaning::kTlsFailure: return CauseKind::kTlsFailure;
    case Meaning::kServiceFailed: return CauseKind::kServiceFailed;
    default: return std::nullopt;
  }
}

// Whether a strerror text at text[at, at + n) stands where a program writes one (see
// errno_in_text), not inside free text.
bool errno_text_placed(std::string_view text, size_t at, size_t n) {
  if (at + n < text.size() && std::isalnum(static_cast<unsigned char>(text[at + n]))) return false;
  if (at == 0) return true;
  const std::string_view before = text.substr(0, at);
  if (before.ends_with(": ") || before.ends_with("(") || before.ends_with("] ")) return true;
  // After an errno's number: "(13)", "errno=28 ", 'Errcode: 13 "'.
  std::string_view b = before;
  if (b.ends_with(')')) {
    b.remove_suffix(1);
    const size_t digits = b.size() - std::min(b.size(), b.find_last_not_of("0123456789") + 1);
    return digits > 0 && digits < b.size() && b[b.size() - digits - 1] == '(';
  }
  if (b.ends_with(" \"")) b.remove_suffix(2);
  else if (b.ends_with(' ')) b.remove_suffix(1);
  else return false;
  const size_t start = b.find_last_not_of("0123456789") + 1;
  if (start == b.size()) return false;
  b = b.substr(0, start);
  return b.ends_with("errno=") || b.ends_with("errno ") || b.ends_with("Errcode: ");
}

std::string errno_in_text(std::string_view text) {
  for (const ErrnoPhrase& e : errno_phrases())
    for (size_t at = text.find(e.phrase); at != std::string_view::npos; at = text.find(e.phrase, at + 1))
      if (errno_text_placed(text, at, e.phrase.size())) return e.name;
  // A number written as an errno: "errno=32", or "(13)" / "(13: ..." followed by its own strerror
  // text (checked: "(1)" in "alert(1)" is not EPERM).
  int n = 0;
  std::string said;
  if (RE2::PartialMatch(piece(text), patterns().errno_named, &n)) {
    if (const char* name = n > 0 && n < 134 ? strerrorname_np(n) : nullptr) return name;
  } else if (RE2::PartialMatch(piece(text), patterns().errno_paren, &n, &said)) {
    const char* desc = n > 0 && n < 134 ? strerrordesc_np(n) : nullptr;
    if (desc && said.starts_with(desc)) return strerrorname_np(n);
  }
  return {};
}

std::string signal_name(int number) {
  if (number <= 0 || number >= NSIG) return {};
  const char* abbrev = sigabbrev_np(number);
  return abbrev ? std::string("SIG") + abbrev : std::string();
}

std::string signal_from_text(std::string_view description) {
  for (int i = 1; i < NSIG; ++i) {
    const char* d = sigdescr_np(i);
    if (d && description == d) return signal_name(i);
  }
  return {};
}

std::string_view server_of_format(std::string_view format) {
  static constexpr std::pair<std::string_view, std::string_view> kServers[] = {
      {"apache-error", "apache2"}, {"apache-access", "apache2"}, {"nginx-error", "nginx"}, {"php-fpm", "php-fpm"},
      {"php-error", "php"},        {"postgresql", "postgres"},   {"postgresql-csv", "postgres"}, {"postgresql-json", "postgres"},
      {"mysql-error", "mariadbd"}};
  for (const auto& [f, s] : kServers)
    if (f == format) return s;
  return {};
}

std::string service_of_endpoint(std::string_view endpoint) {
  static constexpr std::pair<std::string_view, std::string_view> kPorts[] = {
      {"3306", "mysql"},     {"5432", "postgresql"}, {"6379", "redis"},     {"11211", "memcached"},
      {"9000", "php-fpm"},   {"27017", "mongodb"},   {"9200", "elasticsearch"}, {"5672", "rabbitmq"},
      {"6432", "pgbouncer"}, {"2181", "zookeeper"},  {"8983", "solr"},      {"9042", "cassandra"},
      {"1433", "mssql"},     {"1521", "oracle"},     {"389", "ldap"},       {"25", "smtp"},
      {"53", "dns"},         {"8080", "http"},       {"80", "http"},        {"443", "https"}};
  if (endpoint.starts_with('/') || endpoint.starts_with('@')) {
    // A unix socket names its service: /run/mysqld/mysqld.sock, /run/php/php8.2-fpm.sock.
    std::string_view name = endpoint.substr(endpoint.rfind('/') + 1);
    if (name.ends_with(".sock")) name.remove_suffix(5);
    return std::string(name);
  }
  const size_t colon = endpoint.rfind(':');
  if (colon == std::string_view::npos) return {};
  const std::string_view port = endpoint.substr(colon + 1);
  for (const auto& [p, s] : kPorts)
    if (p == port) return std::string(s);
  return {};
}

bool same_service(std::string_view a, std::string_view b) {
  // The name without a unit suffix; a daemon is often its program's name with a "d" (mysqld,
  // mariadbd, sshd), so one trailing "d" more or less is the same name. (Stripping it outright
  // turned httpd into "http", and the apache2/httpd alias never matched.)
  auto base = [](std::string_view s) {
    for (std::string_view suffix : {".service", ".socket", ".target", ".timer", ".scope", ".mount", ".sock"})
      if (s.ends_with(suffix)) s.remove_suffix(suffix.size());
    return s.substr(0, s.find('@'));  // an instance of a template unit: postgresql@15-main
  };
  auto same = [](std::string_view x, std::string_view y) {
    if (x == y) return true;
    if (x.size() == y.size() + 1 && x.back() == 'd' && x.starts_with(y)) return true;
    return y.size() == x.size() + 1 && y.back() == 'd' && y.starts_with(x);
  };
  const std::string_view x = base(a), y = base(b);
  if (x.empty() || y.empty()) return false;
  if (same(x, y)) return true;
  static constexpr std::pair<std::string_view, std::string_view> kAliases[] = {
      {"mariadb", "mysql"}, {"postgres", "postgresql"}, {"redis-server", "redis"}, {"apache2", "httpd"},
      {"apache2", "apache"}, {"memcached", "memcache"}, {"valkey-server", "redis"}};
  for (const auto& [p, q] : kAliases)
    if ((same(x, p) && same(y, q)) || (same(x, q) && same(y, p))) return true;
  // php8.2-fpm, php-fpm, and a pool's socket php8.2-fpm-shop
  return x.starts_with("php") && y.starts_with("php") && x.find("-fpm") != std::string_view::npos &&
         y.find("-fpm") != std::string_view::npos;
}

std::vector<std::string_view> paths_in(std::string_view m, bool relative) {
  auto ends = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\'' || c == '"' || c == '(' || c == ')' ||
           c == '[' || c == ']' || c == ',' || c == ':' || c == ';';
  };
  std::vector<std::string_view> out;
  for (size_t i = 0; i < m.size();) {
    if (ends(m[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < m.size() && !ends(m[j])) ++j;
    const std::string_view word = m.substr(i, j - i);
    i = j;
    const size_t slash = word.find('/');
    if (slash == std::string_view::npos) continue;
    // '=' begins a path ("file=/x", "file=app/x") but does not end one ("/x.php?a=b").
    const size_t eq = word.rfind('=', slash);
    const size_t begin = eq == std::string_view::npos ? 0 : eq + 1;
    std::string_view path;
    if (begin == slash || relative) path = word.substr(begin);
    else if (const size_t e = word.find("=/", slash); e != std::string_view::npos) path = word.substr(e + 1);
    while (path.ends_with('.')) path.remove_suffix(1);
    if (path.size() > 1) out.push_back(path);
  }
  return out;
}

MessageFacts read_message_text(std::string_view m) {
  Record r;
  r.message = m;
  return read_message(r);
}

namespace {
MessageFacts read_message_as_written(const Record& r);

// "/srv/app/../var/cache" -> "/srv/var/cache", "/a/./b" -> "/a/b": a path as programs print it
// after joining a base and a relative path names the same file as its plain form, and a cause's
// object is compared, gathered and matched to changes by that form. Lexical only (no symlinks
// are followed: the logs are read elsewhere than where they were written).
std::string lexically_plain(const std::string& path) {
  if (!path.starts_with('/') || (path.find("/.") == std::string::npos)) return path;
  std::vector<std::string_view> parts;
  const std::string_view p = path;
  for (size_t i = 1; i <= p.size();) {
    const size_t j = std::min(p.find('/', i), p.size());
    const std::string_view part = p.substr(i, j - i);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    i = j + 1;
  }
  std::string out;
  for (std::string_view part : parts) (out += '/') += part;
  return out.empty() ? "/" : out;
}
}  // namespace

MessageFacts read_message(const Record& r) {
  MessageFacts f = read_message_as_written(r);
  f.path = lexically_plain(f.path);
  return f;
}

namespace {
MessageFacts read_message_as_written(const Record& r) {
  MessageFacts f;
  const std::string_view m = r.message;
  if (m.empty()) return f;
  if (read_monitor(m, f)) return f;
  if (std::string host, port; RE2::PartialMatch(piece(m), patterns().pg_listening, &host, &port) ||
                              RE2::PartialMatch(piece(m), patterns().mysql_listening, &host, &port)) {
    f.meaning = Meaning::kListening;
    f.endpoint = (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + port;
    return f;
  }
  if (read_service_manager(r, m, f)) return f;
  const Patterns& p = patterns();
  f.errno_name = errno_in_text(m);
  find_reference(m, f);
  find_endpoint(m, f);
  if (read_php(m, f)) {
    if (f.meaning != Meaning::kPhpFatal) return f;
    // A fatal error is often the last word of another failure: an unreachable dependency, a name
    // that did not resolve, a certificate, a limit (memory_limit, max_execution_time). Then it is
    // that failure.
    const bool connection = is_connection_errno(f.errno_name) || RE2::PartialMatch(piece(m), p.mysql_client_code);
    const bool mysql_client = RE2::PartialMatch(piece(m), p.mysql_client_code);
    if (connection && (!f.endpoint.empty() || mysql_client)) {
      f.meaning = Meaning::kDependencyDown;
      // A MySQL client's error ([2002] Connection refused) names no address: the kind of server
      // it could not reach is what the message says (MySQL or MariaDB).
      if (f.endpoint.empty() && mysql_client && f.service.empty()) f.service = "mysql";
      return f;
    }
    MessageFacts other;
    other.endpoint = f.endpoint;
    if (read_tls(m, other) || read_dns(m, other)) {
      other.referenced_from = f.referenced_from;
      other.errno_name = f.errno_name;
      return other;
    }
    // An errno it carries from a file operation (file_put_contents(/x): Permission denied, "Write
    // ... failed with errno=28 No space left on device") is that failure of that file; a limit's
    // errno ("fopen(/x): Failed to open stream: Too many open files", EMFILE) is the limit the
    // process reached, whatever code then gave up.
    other.errno_name = f.errno_name;
    read_errno_meaning(m, other);
    if (other.meaning == Meaning::kResourceLimit) {
      other.referenced_from = f.referenced_from;
      other.detail = f.detail;
      return other;
    }
    if (other.meaning == Meaning::kMissingFile || other.meaning == Meaning::kPermissionDenied ||
        other.meaning == Meaning::kDiskFull) {
      other.referenced_from = f.referenced_from;
      find_path(m, other);
      other.detail = f.detail;
      return other;
    }
    read_limit(m, f);
    return f;
  }
  if (read_tls(m, f)) return f;
  if (read_dns(m, f)) return f;
  if (read_crash(m, f)) return f;
  if (read_config_syntax(m, f)) return f;
  if (read_limit(m, f)) return f;
  if (RE2::PartialMatch(piece(m), p.client_error)) {
    f.meaning = Meaning::kClientError;
    find_path(m, f);
    return f;
  }
  std::string on, sock;
  if (std::string code; RE2::PartialMatch(piece(m), p.mysql_client_code, &code)) {
    f.meaning = Meaning::kDependencyDown;
    if (f.endpoint.empty() && f.service.empty()) f.service = "mysql";
    if (f.errno_name == "ENOENT") f.errno_name.clear();  // [2002] No such file: the server's socket is not there
    return f;
  }
  if (RE2::PartialMatch(piece(m), p.mysql_connect, &on, &sock)) {
    if (f.endpoint.empty()) f.endpoint = !sock.empty() ? sock : on;
    f.meaning = Meaning::kDependencyDown;
    return f;
  }
  if (std::string what; RE2::PartialMatch(piece(m), p.dependency_phrase, &what) &&
                        (!f.endpoint.empty() || is_connection_errno(f.errno_name))) {
    f.meaning = Meaning::kDependencyDown;
    return f;
  }
  if (RE2::PartialMatch(piece(m), p.server_restart)) {
    f.meaning = Meaning::kServiceRestarted;
    return f;
  }
  if (RE2::PartialMatch(piece(m), p.server_stop)) {
    f.meaning = Meaning::kServiceStopped;
    return f;
  }
  if (RE2::PartialMatch(piece(m), p.server_start)) {
    f.meaning = Meaning::kServiceStarted;
    return f;
  }
  if (read_storage_failure(m, f)) return f;
  read_errno_meaning(m, f);
  if (f.meaning == Meaning::kMissingFile || f.meaning == Meaning::kPermissionDenied ||
      f.meaning == Meaning::kDiskFull)
    find_path(m, f);
  if (f.meaning == Meaning::kNone && r.severity >= Severity::kError) f.meaning = Meaning::kOtherError;
  return f;
}
}  // namespace

}  // namespace hindcast
