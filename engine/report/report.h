// The analysis report: one object, filled by the analysis, behind every output format.
// Field for field it follows shared/report-schema.md ("hindcast.report/1"); the JSON and the
// Markdown draft are both rendered from it, so they never disagree.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>


#include "engine/core/record.h"
#include "engine/core/time.h"

namespace hindcast {

struct Evidence {
  ResolvedTime time;
  std::string source;  // log file path as given
  uint32_t line = 0;
  std::string text;    // the line, trimmed to a readable length
};

struct SkippedExample {
  uint32_t line;
  std::string reason;
  std::string text;
};

struct SourceReport {
  std::string path;
  std::string format;
  uint64_t lines = 0, events = 0, skipped = 0, continuation_lines = 0;
  std::vector<SkippedExample> skipped_examples;
  std::optional<ResolvedTime> first, last;
  std::string time_basis;
  double format_score = 0;
  std::string runner_up;
  std::vector<std::string> warnings;
};

struct Impact {
  uint64_t requests_total = 0;
  uint64_t requests_failed = 0;
  double failed_ratio = 0;
  std::map<int, uint64_t> status_counts;
  uint64_t clients_affected = 0;
  // Extra fields: where failures were confined, and what the access log cannot show.
  std::vector<std::string> failing_urls;     // partial outages: the URLs that failed (most first)
  std::optional<uint64_t> failed_checks;     // monitor checks that failed
  std::optional<uint64_t> crashes;           // server processes that died
  std::optional<double> latency_p50_ms;      // slow: median latency inside vs before
  std::optional<double> latency_baseline_ms;
  std::string note;                          // one sentence on what the numbers do not show
};

struct IncidentReport {
  std::string kind = "errors";  // errors | down | slow | partial
  ResolvedTime start;
  std::optional<ResolvedTime> end;  // null while still failing at the end of the logs
  std::optional<double> duration_s;
  std::optional<ResolvedTime> detected;
  Impact impact;
  std::vector<std::string> symptoms;  // extra: the symptom kinds the window was built from
};

struct RootCauseReport {
  std::string kind;  // see shared/report-schema.md and docs/findings.md
  std::optional<std::string> object;
  std::optional<std::string> errno_name;
  std::optional<std::string> path;
  std::optional<std::string> intended_path;
  std::optional<FileLine> referenced_from;
  std::optional<std::string> url;      // extra: the request that failed (crashes, partial outages)
  std::optional<std::string> signal;   // extra: crash signal
  std::optional<std::string> service;  // extra: the unit or program that failed with it
  std::string summary;
  double confidence = 0;
  std::vector<Evidence> evidence;
  std::vector<RootCauseReport> hypotheses;  // the other candidates, best first
};

struct TriggerReport {
  ResolvedTime time;
  std::string source;
  uint32_t line = 0;
  std::optional<std::string> host;
  std::optional<std::string> program;
  std::string message;
};

struct ResolutionReport {
  ResolvedTime time;
  std::string kind;  // restart | dependency_restored | recovered
  std::optional<std::string> action;  // extra: what was done, where the logs say it (restart, revert, start)
  std::string source;
  uint32_t line = 0;
  std::string message;
};

struct AnomalyReport {
  std::string kind;
  std::string severity;  // critical | error | warning | info
  ResolvedTime first, last;
  uint64_t count = 0;
  std::string summary;
  std::vector<Evidence> evidence;
};

struct TimelineEntry {
  ResolvedTime time;
  std::string source;
  uint32_t line = 0;
  std::string kind;  // trigger | incident_start | detected | root_cause | restart | ...
  std::string summary;
};

struct Report {
  std::string schema = "hindcast.report/1";
  std::string generator;
  std::vector<std::string> inputs;
  std::vector<SourceReport> sources;
  std::optional<IncidentReport> incident;
  std::optional<RootCauseReport> root_cause;
  std::optional<TriggerReport> trigger;
  std::optional<ResolutionReport> resolution;
  std::vector<AnomalyReport> anomalies;
  std::vector<TimelineEntry> timeline;
  // Extra fields (the schema allows additions):
  std::optional<int> local_offset_seconds;  // the server's offset at the incident start
  std::string clock;                         // how zone-less sources were read
  std::vector<std::string> data_quality;     // inferred years/offsets, skipped lines, problems
};

}  // namespace hindcast
