// The draft blameless postmortem in Markdown, rendered from the same Report as the JSON.
// Every claim cites its evidence as `file:line`; what only people know is a marked placeholder.
#pragma once
#include <string>

#include "engine/report/report.h"

namespace hindcast {

std::string render_markdown(const Report& report);

}  // namespace hindcast
