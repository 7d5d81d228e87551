// From the analysis' chosen candidates to the Report: the wording of summaries, the impact
// figures, the anomaly list and the key events of the timeline.
#pragma once
#include <optional>

#include "engine/findings/analysis.h"
#include "engine/findings/incident.h"
#include "engine/ingest.h"
#include "engine/report/report.h"

namespace hindcast {

// Renders what the analysis concluded (run_analysis, engine/findings/pipeline.h); decides nothing.
Report assemble_report(const Ingest& in, const Analysis& a, const std::optional<IncidentWindow>& incident);

// One sentence a person can read for a root-cause candidate.
std::string cause_summary(const Candidate& c);

}  // namespace hindcast
