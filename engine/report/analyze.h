// From the merged timeline to the report: runs the analysis (engine/findings/pipeline.h) and
// renders what it concluded.
#pragma once
#include "engine/ingest.h"
#include "engine/report/report.h"

namespace hindcast {

Report analyze(const Ingest& in);

}  // namespace hindcast
