#include "engine/findings/kinds.h"

#include <array>

namespace hindcast {
namespace {

// Action items. Placeholders in braces; [a|b] is the first alternative whose placeholders are all
// known (engine/report/postmortem.cpp renders them).
constexpr ActionTemplate kMissingFile[] = {
    {"prevent",
     "Check before a release goes live that every file its code includes or requires exists; [{where} required |the server needed ]"
     "{object}, which did not exist[ (the near-identical {intended} does: a path typo)|].",
     "a file the server needed was missing[ ({errno})|]"},
    {"detect", "Run a smoke test of the main entry points right after every release and roll back on a server error.",
     "the first failing request would have failed the test"},
};
constexpr ActionTemplate kPermissionDenied[] = {
    {"prevent",
     "Make the owner and mode the web server needs on [{object}|the file the server needed] part of configuration management, and "
     "review the jobs that change permissions there.",
     "the server was denied access[ ({errno})|]"},
    {"detect", "Alert on permission errors (EACCES/EPERM) in the server's error log, not only on failing requests.",
     "the error log named the denied path from the first failure"},
};
constexpr ActionTemplate kPhpParseError[] = {
    {"prevent", "Run a syntax check (e.g. {php_lint}) on every changed file before it is deployed; [{where}|{object}|the changed file] did not compile.",
     "code that does not compile reached the server"},
};
constexpr ActionTemplate kPhpFatal[] = {
    {"prevent",
     "Add a test that runs the code path that failed at run time in [{where}|{object}|the application], and run it before each release.",
     "code failed at run time"},
    {"detect", "Alert on fatal errors in the application's error log.", "each failing request logged a fatal error"},
};
constexpr ActionTemplate kConfigSyntax[] = {
    {"prevent",
     "Validate configuration before it is applied (the server's own check[, {check}|], and a test request for per-directory files); "
     "[{where}|{object}|the configuration] held an invalid directive[ ({directive})|].",
     "an invalid configuration was applied"},
    {"detect", "Alert when a service fails to start or reload, not only when requests fail.",
     "the server said at once that it refused the configuration"},
};
constexpr ActionTemplate kDependencyDown[] = {
    {"detect", "Monitor [{object}|the dependency][ and {service}|] directly, with an alert, so the dependency's failure is seen before users see errors.",
     "the server could not reach a dependency[ ({errno})|]"},
    {"prevent", "After any change to [{service}|{object}] (upgrade, configuration, restart), verify that it runs and answers before the change is called done.",
     "the dependency did not come back by itself"},
    {"mitigate", "Degrade gracefully when [{object}|the dependency] is unavailable (short time-outs, a cached or static answer) instead of failing every request.",
     "every request that needed it failed"},
};
constexpr ActionTemplate kDiskFull[] = {
    {"detect", "Alert on free space and inodes of the file system holding [{object}|the file system written to] well before it is full.",
     "writes failed for lack of space[ ({errno})|]"},
    {"prevent", "Rotate, cap or move what grows under [{object}|the file system written to].", "the space ran out"},
};
constexpr ActionTemplate kResourceLimit[] = {
    {"detect", "Alert when [{object}|the limit] nears its limit (saturation), before requests fail.", "a limit was reached"},
    {"prevent", "Size [{object}|the limit] from measured peak load with headroom, and load-test changes to it.",
     "the load exceeded what the limit allows"},
    {"mitigate", "Shed or rate-limit excess load (per client) so that reaching the limit slows a few requests instead of failing all.",
     "one limit failed every request"},
};
constexpr ActionTemplate kCrash[] = {
    {"prevent",
     "Reproduce the crash[ ({signal})|] in a test environment[, replaying the request {url}|][ against {object}|], and fix the code or module that crashed.",
     "server processes died"},
    {"detect", "Alert on server processes that die from a signal (the error log's child-exit lines, kernel segfault and OOM messages).",
     "the crashes were logged from the first one"},
    {"mitigate", "Keep core dumps of crashing server processes so the next crash can be diagnosed from its stack.",
     "a crash without a core leaves only its signal"},
};
// The resolver daemons Debian ships (bind9's named, unbound, dnsmasq, systemd-resolved, pdns-recursor).
constexpr std::string_view kResolvers[] = {"named", "bind9", "unbound", "dnsmasq", "systemd-resolved", "pdns-recursor"};
constexpr ActionTemplate kDnsFailure[] = {
    {"prevent", "Check that [{object}|the name] resolves from the server before a configuration that names it is applied.",
     "a name the server needed did not resolve"},
    {"detect", "Monitor name resolution of the names the application depends on, from the application's hosts.",
     "every request that needed the name failed"},
};
constexpr ActionTemplate kTlsFailure[] = {
    {"detect", "Alert on certificate expiry (30 and 7 days ahead) for [{object}|every certificate the service uses or checks].",
     "a certificate or handshake failed"},
    {"prevent", "Automate certificate renewal and check after each renewal that certificate and key match and that peers accept the chain.",
     "the TLS failure was foreseeable from the certificate itself"},
};
constexpr ActionTemplate kServiceFailed[] = {
    {"detect", "Alert when [{service}|a service] fails to start or stops unexpectedly.", "a service failed"},
};
constexpr ActionTemplate kUnknown[] = {
    {"detect", "Add the logging or tracing that would have named the cause (the hypotheses under Root cause are where the logs point).",
     "the logs show the failure but not its cause"},
};

// Priors (docs/findings.md, "Scores"): 0.5 for a message that names a failure of its own kind,
// lower where such a message is usually a consequence (a fatal error is often the last word of
// another failure) or says too little alone (a unit that failed). The values are chosen, not
// derived, only their order is: 0.15 ranks an unclassified error under every named kind.
constexpr KindInfo kTable[] = {
    {CauseKind::kMissingFile, "missing_file", "a file the server needed does not exist", "missing file", ObjectScope::kPath, true, 3, 0.5, kMissingFile},
    {CauseKind::kPermissionDenied, "permission_denied", "a file or directory the server needed is unreadable", "permission denied", ObjectScope::kPath, true, 3, 0.5, kPermissionDenied},
    {CauseKind::kPhpParseError, "php_parse_error", "code that does not compile", "PHP parse error", ObjectScope::kCodeFile, true, 3, 0.5, kPhpParseError},
    {CauseKind::kPhpFatal, "php_fatal", "code that fails at run time", "PHP fatal error", ObjectScope::kCodeFile, true, 1, 0.4, kPhpFatal},
    {CauseKind::kConfigSyntax, "config_syntax", "an invalid or misspelled directive in a configuration", "configuration error", ObjectScope::kConfigFile, true, 3, 0.5, kConfigSyntax},
    {CauseKind::kDependencyDown, "dependency_down", "a database, cache or upstream refused, reset or timed out", "dependency down", ObjectScope::kEndpoint, true, 2, 0.5, kDependencyDown, {}, true},
    {CauseKind::kDiskFull, "disk_full", "writes failed for lack of space or quota", "disk full", ObjectScope::kFilesystem, true, 3, 0.5, kDiskFull},
    {CauseKind::kResourceLimit, "resource_limit", "a limit was reached", "resource limit reached", ObjectScope::kSetting, true, 3, 0.5, kResourceLimit},
    {CauseKind::kCrash, "crash", "server processes died", "server crashes", ObjectScope::kProcess, true, 3, 0.5, kCrash},
    {CauseKind::kDnsFailure, "dns_failure", "a name the server needed could not be resolved", "name resolution failure", ObjectScope::kHostName, true, 3, 0.5, kDnsFailure, kResolvers, true},
    {CauseKind::kTlsFailure, "tls_failure", "a certificate or key was expired, mismatched or unreadable, or a handshake failed", "TLS failure", ObjectScope::kCertificate, true, 3, 0.5, kTlsFailure},
    {CauseKind::kServiceFailed, "service_failed", "a service failed", "failed service", ObjectScope::kService, false, 2, 0.3, kServiceFailed},
    {CauseKind::kUnknown, "unknown", "no cause the evidence supports", "outage", ObjectScope::kNone, false, 0, 0.15, kUnknown},
};

static_assert(std::size(kTable) == static_cast<size_t>(CauseKind::kUnknown) + 1, "one entry per kind");

struct ServerCheck {
  std::string_view path_prefix;  // a configuration file under it
  std::string_view program;      // or a message by it
  std::string_view check;
};

// The checks Debian's servers ship for their own configuration.
constexpr ServerCheck kChecks[] = {
    {"/etc/apache2/", "apache2", "apachectl configtest"},
    {"/etc/httpd/", "httpd", "apachectl configtest"},
    {"/etc/nginx/", "nginx", "nginx -t"},
    {"/etc/php/", "php-fpm", "php-fpm8.2 -t"},
    {"/etc/postgresql/", "postgres", "SELECT sourcefile, sourceline, error FROM pg_file_settings WHERE error IS NOT NULL"},
    {"/etc/mysql/", "mariadbd", "mariadbd --help --verbose > /dev/null (fails on an unknown option)"},
    {"/etc/haproxy/", "haproxy", "haproxy -c -f /etc/haproxy/haproxy.cfg"},
    {"/etc/rsyslog", "rsyslogd", "rsyslogd -N1"},
    {"/etc/ssh/", "sshd", "sshd -t"},
};

}  // namespace

const KindInfo& kind_info(CauseKind k) { return kTable[static_cast<size_t>(k)]; }
std::string_view kind_name(CauseKind k) { return kind_info(k).name; }

std::optional<CauseKind> kind_from_name(std::string_view name) {
  for (const KindInfo& k : kTable)
    if (k.name == name) return k.kind;
  return std::nullopt;
}

std::span<const KindInfo> all_kinds() { return kTable; }

std::string_view configuration_check(std::string_view path, std::string_view program) {
  // .htaccess files are read by Apache per request; php.ini by PHP when it starts.
  if (path.ends_with("/.htaccess")) return "a request to the directory after each change (.htaccess is read per request)";
  if (path.ends_with("php.ini")) return "php -c FILE -r '' (prints the syntax error)";
  for (const ServerCheck& c : kChecks)
    if (path.starts_with(c.path_prefix)) return c.check;
  for (const ServerCheck& c : kChecks)
    if (!program.empty() && program.starts_with(c.program)) return c.check;
  return {};
}

std::string common_directory(const std::vector<std::string>& paths) {
  if (paths.empty()) return {};
  std::string_view common = paths.front();
  const size_t slash = common.rfind('/');
  common = slash == std::string_view::npos ? std::string_view{} : common.substr(0, slash);
  for (const std::string& p : paths) {
    while (!common.empty() && !(p.starts_with(common) && (p.size() == common.size() || p[common.size()] == '/'))) {
      const size_t s = common.rfind('/');
      common = s == std::string_view::npos ? std::string_view{} : common.substr(0, s);
    }
  }
  if (common.empty() && !paths.front().empty() && paths.front()[0] == '/') return "/";
  return std::string(common);
}

}  // namespace hindcast
