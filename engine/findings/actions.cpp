#include "engine/findings/actions.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>

namespace hindcast {
namespace {

using re2::RE2;

struct Patterns {
  // Debian's and cronie's cron: "(root) CMD (command)".
  RE2 cron{R"re(^\(([^)]*)\) CMD \((.*)\)\s*$)re"};
  // sudo's log line: "alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/vi /etc/x".
  RE2 sudo{R"re(\bCOMMAND=(.*)$)re"};
  RE2 sudo_user{R"re(\bUSER=([^ ;]+))re"};
  // A service manager acting on a unit, or a server reloading itself.
  RE2 unit_action{R"re(^(Starting|Stopping|Reloading|Restarting) (.*?)\.{0,3}$)re"};
  RE2 server_reload{R"re((SIGHUP received|SIGUSR1 received|Graceful restart requested|signal process started|reconfiguring|received SIGHUP|Received SIGHUP|reloading configuration))re"};
  // A tool's report of a change it made.
  // The commands and verbs a tool prints for what it did to files: ownership and modes (a
  // fix-permissions step), installs, removals, renames, edits, restores.
  RE2 change_words{R"re((?i)\b(deploy(?:ed|ing)?|releas(?:ed?|ing)|roll(?:ed)? ?out|rolled back|rollback|revert(?:ed)?|changed|upgraded?|migrat(?:ed|ion)|applied|provision(?:ed)?|chown|chmod|chgrp|setfacl|install(?:ed)?|removed|renamed|replaced|edited|modified|restored?|fix(?:ed)?-?perm\w*)\b)re"};
  // A change tool reporting a failure or nothing done is not a change.
  RE2 no_change{R"re((?i)\b(failed|error|unchanged|no changes|nothing to|ok=\d+ +changed=0)\b)re"};
};

const Patterns& patterns() {
  static const Patterns p;
  return p;
}

re2::StringPiece piece(std::string_view s) { return {s.data(), s.size()}; }

bool is_service_manager(std::string_view program) {
  return program == "systemd" || program == "init" || program.starts_with("systemd[");
}

}  // namespace

std::string_view action_type_name(ActionType t) {
  switch (t) {
    case ActionType::kPackage: return "package_change";
    case ActionType::kAdminCommand: return "admin_command";
    case ActionType::kCronJob: return "cron_job";
    case ActionType::kServiceAction: return "service_action";
    case ActionType::kDeploy: return "config_change";
  }
  return "config_change";
}

std::optional<Action> read_action(const Record& r) {
  const Patterns& p = patterns();
  if (r.kind == RecordKind::kChange) {
    // A package operation's sub-steps (status, startup, trigger processing) belong to it.
    if (r.action == "status" || r.action == "startup" || r.action == "trigproc" || r.action == "conffile") return std::nullopt;
    const std::string_view pkg = r.package.substr(0, r.package.find(':'));
    return Action{ActionType::kPackage, std::string(r.action) + " " + std::string(pkg),
                  std::string(r.package) + " " + std::string(r.version_new) + " " + std::string(r.message)};
  }
  if (r.kind != RecordKind::kMessage || r.message.empty() || r.severity >= Severity::kError) return std::nullopt;
  const std::string_view m = r.message;
  std::string a, b;
  if (r.program == "sudo" && RE2::PartialMatch(piece(m), p.sudo, &a)) {
    std::string user;
    RE2::PartialMatch(piece(m), p.sudo_user, &user);
    return Action{ActionType::kAdminCommand, a, a + (user.empty() ? "" : " (as " + user + ")")};
  }
  if (RE2::PartialMatch(piece(m), p.cron, &a, &b)) return Action{ActionType::kCronJob, b, b};
  if (is_service_manager(r.program) && RE2::PartialMatch(piece(m), p.unit_action, &a, &b))
    return Action{ActionType::kServiceAction, a + " " + b, b};
  if (RE2::PartialMatch(piece(m), p.server_reload, &a))
    return Action{ActionType::kServiceAction, std::string(r.program) + " " + a, std::string(m)};
  if (!is_service_manager(r.program) && RE2::PartialMatch(piece(m), p.change_words, &a) &&
      !RE2::PartialMatch(piece(m), p.no_change))
    return Action{ActionType::kDeploy, std::string(m), std::string(m)};
  return std::nullopt;
}

}  // namespace hindcast
