// The analysis, stage by stage: symptoms -> incident window -> causes (ranked) -> trigger ->
// resolution -> the report. Each stage is the registered detectors of that stage; this file
// only wires them (engine/findings holds the mechanisms, engine/report/assemble.cpp the
// wording).
#include "engine/report/analyze.h"

#include <algorithm>

#include "engine/findings/analysis.h"
#include "engine/findings/incident.h"
#include "engine/findings/ranking.h"
#include "engine/report/assemble.h"

namespace hindcast {
namespace {

constexpr double kMinCauseScore = 0.3;   // below it the root cause is "unknown", with hypotheses
constexpr double kMinTriggerScore = 2.0; // see engine/findings/changes.cpp

bool by_score(const Candidate& a, const Candidate& b) {
  if (a.score != b.score) return a.score > b.score;
  return a.first_ns < b.first_ns;
}

// A crash with no file of its own, right after a change that names a file: that file is the
// likely culprit (the crash began after it changed).
void attribute_crash_to_change(Analysis& a) {
  if (a.causes.empty() || a.changes.empty() || a.causes.front().kind != "crash") return;
  Candidate& crash = a.causes.front();
  const Candidate& change = a.changes.front();
  Record r;
  const EventRef ref = change.evidence.front();
  if (!decode_record(a.timeline.source(ref), a.timeline.event(ref), &r)) return;
  const std::string_view m = r.message;
  const size_t slash = m.find('/');
  if (slash == std::string_view::npos) return;
  size_t end = slash;
  while (end < m.size() && m[end] != ' ' && m[end] != ')' && m[end] != ',' && m[end] != '\'' && m[end] != '"') ++end;
  crash.object = std::string(m.substr(slash, end - slash));
  crash.explanation += "; the crashes began " +
                       std::to_string((crash.first_ns - change.first_ns) / kNanosPerSecond) +
                       " s after a change to " + crash.object;
  crash.evidence.push_back(ref);
}

// A limit reached right after a new client began hammering: that client is who reached it.
void attribute_limit_to_client(Analysis& a) {
  if (a.causes.empty() || a.changes.empty() || a.causes.front().kind != "resource_limit") return;
  const Candidate& change = a.changes.front();
  if (change.kind != "new_client" || !change.client) return;
  Candidate& limit = a.causes.front();
  limit.client = change.client;
  limit.explanation += "; reached while a new client (" + *change.client + ") sent " + std::to_string(change.count) +
                       " requests in its first minute";
}

}  // namespace

std::optional<IncidentWindow> run_analysis(Analysis& a) {
  run_stage(Stage::kSymptoms, a, a.symptoms);
  std::optional<IncidentWindow> incident = find_incident(a);
  if (!incident) return incident;
  a.set_incident(incident->window, kIncidentLead);
  refine_start(a, *incident);
  a.set_incident(incident->window, kIncidentLead);
  a.still_failing = incident->still_failing;
  run_stage(Stage::kCauses, a, a.causes);
  rank_causes(a.causes);
  run_stage(Stage::kChanges, a, a.changes);
  std::stable_sort(a.changes.begin(), a.changes.end(), by_score);
  std::erase_if(a.changes, [](const Candidate& c) { return c.score < kMinTriggerScore; });
  attribute_crash_to_change(a);
  attribute_limit_to_client(a);
  run_stage(Stage::kResolutions, a, a.resolutions);
  std::stable_sort(a.resolutions.begin(), a.resolutions.end(), by_score);
  return incident;
}

Report analyze(const Ingest& in) {
  Analysis a(in.timeline, in.threads);
  const std::optional<IncidentWindow> incident = run_analysis(a);
  return assemble_report(in, a, incident, kMinCauseScore);
}

}  // namespace hindcast
