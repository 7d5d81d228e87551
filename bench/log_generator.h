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

// `host`: the host name syslog and journal lines carry (a fleet bench gives each host its own).
void generate_log(LogKind kind, const std::string& path, size_t bytes, double hours, uint64_t seed,
                  const std::string& host = "www1");

}  // namespace hindcast::bench
