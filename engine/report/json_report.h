// The report as JSON, exactly as shared/report-schema.md describes it (a contract read by
// batch jobs): every field present, null where it does not apply, times RFC 3339 UTC with the
// precision the source had.
#pragma once
#include <string>

#include "engine/report/report.h"

namespace hindcast {

std::string render_json(const Report& report);

}  // namespace hindcast
