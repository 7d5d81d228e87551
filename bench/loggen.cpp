// hindcast-loggen: writes a realistic mixed log set for benchmarks (nothing that large is
// committed). See bench/log_generator.h.
//
//   hindcast-loggen OUT_DIR [--access-mb 200] [--syslog-mb 200] [--error-mb 100] [--strace-mb 200]
//                           [--hours 6] [--seed 1] [--host www1]
//                           [--incident-begin F --incident-end F] [--deaths N] [--distinct-errors N]
//                           [--repeated-alert 1]
// The last ones lay a scenario over the traffic (bench/log_generator.h's Scenario): an outage over
// that fraction of the period, N process deaths, N distinct error messages, every syslog line one
// monitor alert.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench/log_generator.h"

int main(int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') {
    std::fprintf(stderr,
                 "usage: hindcast-loggen OUT_DIR [--access-mb N] [--syslog-mb N] [--error-mb N] [--strace-mb N] [--hours H] [--seed S] [--host NAME]\n"
                 "       [--incident-begin F --incident-end F] [--deaths N] [--distinct-errors N] [--repeated-alert 1]\n");
    return 1;
  }
  const std::string dir = argv[1];
  double access = 200, syslog = 200, error = 100, strace = 200, hours = 6;
  uint64_t seed = 1;
  std::string host = "www1";
  hindcast::bench::Scenario scenario;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    const double v = std::atof(argv[i + 1]);
    if (k == "--host") host = argv[i + 1];
    else if (k == "--access-mb") access = v;
    else if (k == "--syslog-mb") syslog = v;
    else if (k == "--error-mb") error = v;
    else if (k == "--strace-mb") strace = v;
    else if (k == "--hours") hours = v;
    else if (k == "--seed") seed = static_cast<uint64_t>(v);
    else if (k == "--incident-begin") scenario.incident_begin = v;
    else if (k == "--incident-end") scenario.incident_end = v;
    else if (k == "--deaths") scenario.deaths = static_cast<uint64_t>(v);
    else if (k == "--distinct-errors") scenario.distinct_errors = static_cast<uint64_t>(v);
    else if (k == "--repeated-alert") scenario.repeated_alert = v != 0;
    else {
      std::fprintf(stderr, "hindcast-loggen: unknown option %s\n", k.c_str());
      return 1;
    }
  }
  using hindcast::bench::LogKind;
  constexpr double kMB = 1024 * 1024;
  if (access > 0) hindcast::bench::generate_log(LogKind::kAccess, dir + "/access.log", static_cast<size_t>(access * kMB), hours, seed, host, scenario);
  if (error > 0) hindcast::bench::generate_log(LogKind::kError, dir + "/error.log", static_cast<size_t>(error * kMB), hours, seed, host, scenario);
  if (syslog > 0) hindcast::bench::generate_log(LogKind::kSyslog, dir + "/syslog", static_cast<size_t>(syslog * kMB), hours, seed, host, scenario);
  if (strace > 0) hindcast::bench::generate_log(LogKind::kStrace, dir + "/strace.log", static_cast<size_t>(strace * kMB), hours, seed, host, scenario);
  return 0;
}
