// From the merged timeline to the report: runs the detectors, decides the incident window,
// ranks root causes, picks the trigger and the resolution, and lists the key events.
#pragma once
#include <optional>

#include "engine/findings/analysis.h"
#include "engine/findings/incident.h"
#include "engine/ingest.h"
#include "engine/report/report.h"

namespace hindcast {

Report analyze(const Ingest& in);
// Every stage on `a` (symptoms, window, causes ranked, changes, resolutions); the incident
// window, or none. analyze() is this plus assemble_report().
std::optional<IncidentWindow> run_analysis(Analysis& a);

}  // namespace hindcast
