// The incident window, from whatever symptoms there are.
//
// Every symptom detector scans its series for significant segments (engine/findings/scan.h);
// here they are judged together: a symptom is a discovery at false-discovery rate
// kFalseDiscoveryRate (Benjamini-Hochberg over all of them), the rest is noise. Primary
// discoveries (failing requests, failing checks, crashing processes) whose segments touch form
// one incident, the union of their segments; the strongest union is the incident. Supporting
// symptoms (slow requests, a silence in the access log) only describe it. The start then moves
// back to the first unusual error shortly before the first symptom (within a minute): the
// server's own report that a limit was reached, or a dependency failing, comes before the first
// check times out.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "engine/findings/analysis.h"

namespace hindcast {

struct IncidentWindow {
  Window window;
  EventRef start_ref, end_ref;  // the events that mark the start and end
  std::string kind;             // errors | down | slow | partial
  bool still_failing = false;
  std::vector<size_t> symptoms; // indexes into Analysis::symptoms
  Scope scope;                  // where the failures were confined (partial incidents)
};

// On a log with no incident every discovery is false, so this bounds the chance of reporting an
// incident that is not there: one quiet log in a hundred.
constexpr double kFalseDiscoveryRate = 0.01;

// How far before the first symptom the incident's own first events may lie.
constexpr int64_t kIncidentLead = 60 * kNanosPerSecond;

// Judges the symptoms (those not discovered become noise) and returns the incident.
std::optional<IncidentWindow> find_incident(Analysis& a);
// After Analysis::set_incident: the first new error-level event within kIncidentLead before the
// start becomes the start, unless requests answered well after it (effect_hidden_before_onset).
void refine_start(const Analysis& a, IncidentWindow& w);

// The share of requests failing (5xx) inside the incident (Analysis::incident); 0 when no access
// log covers it.
double incident_failure_share(const Analysis& a);
// Whether requests kept succeeding between `from` and the onset often enough that failures at
// the incident's share `share` would have shown among them ((1 - share)^n < kHiddenEffect): then
// what happened at `from` is not what began the failure (a service that came up, ran, and failed
// later; a probe's error at start-up long before the outage).
bool effect_hidden_before_onset(const Analysis& a, int64_t from, int64_t onset, double share);

}  // namespace hindcast
