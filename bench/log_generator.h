// Realistic benchmark logs, generated (never committed). Line shapes follow the recorded
// incidents: Apache combined access log, Apache 2.4 error log with PHP messages, rsyslog
// traditional syslog, strace -f -tt -T with unfinished/resumed pairs. All kinds cover the same
// period (from 2024-01-01T12:00:00Z, server zone -05:00), so a timeline interleaves them.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace hindcast::bench {

enum class LogKind { kAccess, kError, kSyslog, kStrace, kJournaldJson };

// What a set holds besides the ordinary traffic (bench/compare.sh's incident sets, issue 26).
// The default is the plain set: every generator then writes exactly what it wrote before.
struct Scenario {
  // An outage between these fractions of the period (none when end <= begin): memcached killed by
  // the OOM killer, PHP's fatal errors on every page, 500s, check_http CRITICAL, strace's refused
  // connects, and a restart at the end.
  double incident_begin = 0, incident_end = 0;
  // Process deaths scattered evenly through the period, told by the error log ("child pid N exit
  // signal Segmentation fault (11)"), the kernel ("php-fpm8.2[N]: segfault at ...") and strace
  // ("+++ killed by SIGSEGV +++"), a third each.
  uint64_t deaths = 0;
  // Error-log lines whose messages are all distinct (each carries words no other one has): the
  // template miner's worst case. Lines past this many repeat them in order.
  uint64_t distinct_errors = 0;
  // Every syslog line is one Nagios SERVICE ALERT (one monitor, one service, the same text).
  bool repeated_alert = false;
};

// `host`: the host name syslog and journal lines carry (a fleet bench gives each host its own).
void generate_log(LogKind kind, const std::string& path, size_t bytes, double hours, uint64_t seed,
                  const std::string& host = "www1", const Scenario& scenario = {});

}  // namespace hindcast::bench
