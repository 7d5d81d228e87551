// Operational events read from syslog and the server's own log:
//   - health checks: monitor results (check_http "HTTP CRITICAL"/"HTTP OK", Nagios
//     "SERVICE ALERT: host;svc;CRITICAL;...");
//   - restarts: systemd start/reload/restart, Apache SIGHUP/graceful/"resuming normal
//     operations", a SIGHUP/SIGUSR1 seen by strace;
//   - changes: configuration management and deploy events (deploy scripts, ansible, puppet,
//     chef, salt, package upgrades, cron jobs that change files), trigger candidates.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "engine/findings/evidence.h"

namespace hindcast {

struct HealthCheck {
  EventRef ref;
  bool failing;  // CRITICAL / WARNING / UNKNOWN
  int64_t time_ns;
};
std::vector<HealthCheck> find_health_checks(const Timeline& t, const Window& span);

struct ServiceEvent {
  EventRef ref;
  const char* what;  // "restart", "start", "stop"
  int64_t time_ns;
};
std::vector<ServiceEvent> find_service_events(const Timeline& t, const Window& span);

struct ChangeCandidate {
  EventRef ref;
  std::string host, program, message;
  double score = 0;
};
// Changes shortly before `onset` (up to `lookback` earlier, or 1 s after), best first. A message
// seen three or more times within two hours of the onset is routine, not a change.
// `related_paths` (the root cause's files and directories) rank a change that touches them up.
std::vector<ChangeCandidate> find_changes(const Timeline& t, int64_t onset_ns, int64_t lookback_ns,
                                          const std::vector<std::string>& related_paths);

}  // namespace hindcast
