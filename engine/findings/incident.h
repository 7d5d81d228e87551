// The incident window, from whatever symptoms there are.
//
// Primary symptoms (failing requests, monitors failing in a row, crashing processes) that touch
// or lie within a minute of each other form one cluster; the strongest cluster is the incident.
// Supporting symptoms (slow requests, a silence in the access log) only describe it. The start
// then moves back to the first unusual error shortly before the first symptom (within a
// minute): the server's own report that a limit was reached, or a dependency failing, comes
// before the first check times out.
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
};

// How far before the first symptom the incident's own first events may lie.
constexpr int64_t kIncidentLead = 60 * kNanosPerSecond;

std::optional<IncidentWindow> find_incident(const Analysis& a);
// After Analysis::set_incident: the first new error-level event within kIncidentLead before the
// start becomes the start.
void refine_start(const Analysis& a, IncidentWindow& w);

}  // namespace hindcast
