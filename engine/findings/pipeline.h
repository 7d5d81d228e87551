// The analysis, stage by stage: symptoms -> incident window -> causes (ranked, linked into a
// chain) -> trigger -> resolution. Each stage is the registered detectors of that stage
// (registry.cpp); this is only their wiring and the decisions between them. The report renders
// what it concluded (engine/report/assemble.cpp) and decides nothing.
#pragma once
#include <optional>

#include "engine/findings/analysis.h"
#include "engine/findings/incident.h"

namespace hindcast {

// Below it the root cause is "unknown", with the candidates as hypotheses: a message of a cause's
// kind alone starts at its kind's prior (0.4-0.5, kinds.cpp), and the ranking takes 0.6 of a
// consequence's score, so a consequence of another cause (0.5 x 0.6 = 0.3) is the weakest that
// may still be named, and a new unclassified error (0.15) never is.
constexpr double kMinCauseScore = 0.3;
// See engine/findings/changes.cpp.
constexpr double kMinTriggerScore = 2.0;
// How far from the end of the failures what ended them is looked for (engine/findings/resolution.cpp).
constexpr int64_t kResolutionReach = 20 * kNanosPerSecond;

// Every stage on `a`; the incident window, or none. Sets a.symptoms, a.causes (best first),
// a.root and a.chain, a.changes (best first), a.resolutions (best first).
std::optional<IncidentWindow> run_analysis(Analysis& a);

}  // namespace hindcast
