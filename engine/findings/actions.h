// Actions: the records that say someone or something changed the system. Only actions can be a
// trigger; a job's report of its own failure is evidence, not the change.
//
//   if (std::optional<Action> act = read_action(record))
//     use(act->type, act->key);   // ActionType::kCronJob, "/usr/local/bin/rotate --all"
//
// What is an action is read from how whole classes of software say it: a package manager's
// operations (dpkg, apt), an administrator's command through sudo ("COMMAND=..."), a cron job
// starting ("(root) CMD (...)"), a service manager starting, stopping or reloading a unit, a server
// reloading itself, and a deploy or configuration tool's report of a change (its words: deployed,
// released, rolled out, changed, upgraded, rolled back, reverted, applied). The key is what the
// action did, its variable parts kept (the command, the package, the unit): the same key seen
// before is routine, a new one is news (engine/findings/changes.cpp scores that).
//
// Thread-safe (constant patterns).
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "engine/core/record.h"

namespace hindcast {

enum class ActionType : uint8_t {
  kPackage,        // dpkg/apt: install, upgrade, remove, purge, configure
  kAdminCommand,   // sudo: a command run as another user
  kCronJob,        // cron: a job started
  kServiceAction,  // systemd or the server itself: start, stop, restart, reload
  kDeploy,         // a deploy or configuration tool reports a change
};

std::string_view action_type_name(ActionType t);  // "package_change", "admin_command", ...

struct Action {
  ActionType type;
  std::string key;      // what it did, for "seen before?" (the command, the package, the unit)
  std::string subject;  // the text to tie to a cause: the command, package and paths it names
};

std::optional<Action> read_action(const Record& r);

}  // namespace hindcast
