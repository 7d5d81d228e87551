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
  std::string host;  // the host the file's lines are from, empty when unknown
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

// Where failures were confined (partial incidents).
struct ScopeReport {
  std::vector<std::string> urls, vhosts, upstreams, hosts;
};

struct IncidentReport {
  std::string kind = "errors";  // errors | down | slow | partial
  std::optional<ScopeReport> scope;  // null when the failures hit everything
  std::vector<std::string> hosts;    // the hosts whose logs take part
  ResolvedTime start;
  std::optional<ResolvedTime> end;  // null while still failing at the end of the logs
  std::optional<double> duration_s;
  std::optional<ResolvedTime> detected;
  Impact impact;
  std::vector<std::string> symptoms;  // extra: the symptom kinds the window was built from
};

// One link of a causal chain: a cause, where it happened, why, and what shows it.
struct ChainLinkReport {
  std::string kind;
  std::optional<std::string> object;
  std::optional<std::string> host;
  std::string summary;
  std::vector<Evidence> evidence;
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
  std::optional<std::string> setting;  // extra: the directive or limit named
  std::optional<std::string> host;     // where it happened; null when the logs name no host
  uint32_t members = 1;                // objects it gathers (five full files: one filesystem)
  std::vector<ChainLinkReport> chain;  // why, deepest first, to the symptom
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

// Requests per time bucket by status class, and their latency: what the HTML chart draws
// (engine/report/series.cpp decides the span and the bucket width).
struct RequestSeries {
  int64_t start_ns = 0;      // the first bucket's start (a whole second, UTC)
  int64_t bucket_seconds = 1;
  std::string scope;         // which requests: "all requests in the logs", "incident ±15 min", ...
  uint64_t requests = 0;     // requests counted in the series
  std::vector<uint32_t> status_2xx, status_3xx, status_4xx, status_5xx, status_other;
  bool has_latency = false;  // the access log records a latency (%D, %T, $request_time)
  std::vector<double> latency_p50_ms, latency_max_ms;  // -1 where a bucket has no latency
  size_t size() const { return status_2xx.size(); }
};

struct Citation {
  std::string source;
  uint32_t line = 0;
};

// A piece of a sentence; `literal` is quoted from the logs (a path, a setting, a URL) and is
// rendered as code, escaped, never interpreted.
struct Phrase {
  std::string text;
  bool literal = false;
};

struct ActionItem {
  std::string type;  // mitigate | prevent | detect
  std::vector<Phrase> text;
  std::string owner = "[TO FILL IN]";
  std::string why;   // what failed, or what would have caught it earlier
};

// The postmortem's own sections (Google SRE template order); what the logs cannot know is a
// [TO FILL IN] placeholder. Filled from the rest of the report (engine/report/postmortem.cpp).
struct DetectionReport {
  std::optional<ResolvedTime> first_failure;
  std::optional<Citation> first_failure_at;
  std::optional<ResolvedTime> first_alert;  // the first monitoring alert, if the logs show one
  std::optional<Citation> first_alert_at;
  std::optional<double> gap_s;              // first alert - first failure
  std::string how;                          // one sentence
};

struct Postmortem {
  std::string title;
  std::string summary;  // a paragraph, plain text
  DetectionReport detection;
  std::optional<ResolvedTime> root_cause_first_evidence;  // the cause's own first line (not the symptom)
  std::vector<ActionItem> action_items;
  std::vector<std::string> went_well, went_wrong, got_lucky;  // placeholders with hints
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
  std::optional<RequestSeries> request_series;  // null when the logs hold no HTTP request
  Postmortem postmortem;
};

}  // namespace hindcast
