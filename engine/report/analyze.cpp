// From the merged timeline to the report: the analysis (engine/findings/pipeline.h) concludes,
// the report renders its conclusions.
#include "engine/report/analyze.h"

#include "engine/findings/pipeline.h"
#include "engine/report/assemble.h"

namespace hindcast {

Report analyze(const Ingest& in, const Executor& executor) {
  Analysis a(in.timeline, executor);
  const std::optional<IncidentWindow> incident = run_analysis(a);
  return assemble_report(in, a, incident);
}

}  // namespace hindcast
