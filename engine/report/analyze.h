// From the merged timeline to the report: runs the detectors, decides the incident window,
// ranks root causes, picks the trigger and the resolution, and lists the key events.
#pragma once
#include "engine/ingest.h"
#include "engine/report/report.h"

namespace hindcast {

Report analyze(const Ingest& in);

}  // namespace hindcast
