// From the merged timeline to the report: runs the analysis (engine/findings/pipeline.h) and
// renders what it concluded.
#pragma once
#include "engine/ingest.h"
#include "engine/report/report.h"

namespace hindcast {

// The whole-log passes of the analysis run on the executor's threads (the one the ingest ran on).
Report analyze(const Ingest& in, const Executor& executor);

}  // namespace hindcast
