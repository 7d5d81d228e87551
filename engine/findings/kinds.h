// Root-cause kinds as data: one table entry per kind (shared/report-schema.md), read by every
// detector, the ranking, the chain and the report. Adding a kind touches this table, the
// vocabulary that recognises its messages (vocabulary.cpp) and docs/findings.md; nothing else
// compares kind names.
//
//   const KindInfo& k = kind_info(CauseKind::kDiskFull);
//   k.name;    // "disk_full"
//   k.scope;   // ObjectScope::kFilesystem: five full files in one directory are one cause
//
// Thread-safe: the table is constant.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hindcast {

enum class CauseKind : uint8_t {
  kMissingFile,
  kPermissionDenied,
  kPhpParseError,
  kPhpFatal,
  kConfigSyntax,
  kDependencyDown,
  kDiskFull,
  kResourceLimit,
  kCrash,
  kDnsFailure,
  kTlsFailure,
  kServiceFailed,  // a service manager's report that a unit failed: a link of a chain, never the root
  kUnknown,
};

// What names a cause's object, and so how several failing things gather into one cause.
enum class ObjectScope : uint8_t {
  kPath,         // the failing path (ENOENT, EACCES): each path its own cause
  kFilesystem,   // the filesystem (ENOSPC, EDQUOT): failing paths gather under their common directory (EROFS reads as permission_denied)
  kEndpoint,     // host:port or a socket path (refused, reset, timed out)
  kConfigFile,   // the configuration file, with file:line and the directive where known
  kCodeFile,     // the source file that failed (parse errors, fatal errors)
  kSetting,      // the limit's name as the logs give it (MaxRequestWorkers, pm.max_children)
  kProcess,      // the process or the file that ran when it died
  kHostName,     // the name that did not resolve
  kCertificate,  // the certificate file or the peer
  kService,      // the unit that failed
  kNone,
};

// An action item of a kind, as text with placeholders filled from the cause: {object},
// {where} (the referencing file:line, else the object), {intended} (the near-identical path),
// {service} (the service behind), {check} (the server's own configuration check), {signal}, {url}.
// A placeholder is rendered as quoted log text, never interpreted. Items whose placeholders are
// all absent are left out (an item about {intended} needs a near-identical path).
struct ActionTemplate {
  std::string_view type;  // mitigate | prevent | detect
  std::string_view text;
  std::string_view why;
};

struct KindInfo {
  CauseKind kind;
  std::string_view name;  // as in the report
  std::string_view what;  // what failed, for a person (the schema's column)
  std::string_view title; // the postmortem's title words ("missing file")
  ObjectScope scope;
  bool root;              // can be named as the root cause (kServiceFailed cannot)
  // Of two causes about the same object, the deeper explains the other: a missing file (3)
  // explains the fatal error (1) that failed opening it, not the other way round. What the
  // environment did (a file, a disk, a limit, a crash, a configuration, code that does not parse)
  // is deepest; a dependency or a unit that failed stands in between; a fatal error is the last word.
  int depth;
  // The score a message read as this kind starts from: how often such a message, new at an
  // onset, is the cause rather than a consequence (docs/findings.md, "Scores"). A fatal error is
  // often the last word of another cause; a failed unit alone says neither what nor why.
  double prior;
  std::span<const ActionTemplate> actions;
  // The services that can stand behind a cause of this kind when its own evidence names none: the
  // resolvers behind a name that does not resolve. Starting one of them again is the dependency
  // restored. (An endpoint's service is read from its listener or well-known port instead.)
  std::span<const std::string_view> behind = {};
  // Whether the cause is something the server depends on (a database, a cache, a resolver): what
  // ends it is that dependency coming back, not the server's own restart.
  bool dependency = false;
};

const KindInfo& kind_info(CauseKind k);
std::string_view kind_name(CauseKind k);
std::optional<CauseKind> kind_from_name(std::string_view name);
// Every kind, in table order (the docs' and the tests' list).
std::span<const KindInfo> all_kinds();

// The check a server has for its own configuration, from the configuration file's path or the
// program that refused it: "/etc/nginx/..." -> "nginx -t", "/etc/apache2/..." -> "apachectl
// configtest". Empty when none is known.
std::string_view configuration_check(std::string_view config_path, std::string_view program = {});

// The object several failing paths of a filesystem-scoped cause share: their longest common
// directory ("/var/lib/php/sessions/sess_1", ".../sess_2" -> "/var/lib/php/sessions"), at least
// one component below the root.
std::string common_directory(const std::vector<std::string>& paths);

}  // namespace hindcast
