// The draft postmortem as one self-contained HTML page: the same sections as the Markdown, a
// chart of requests per second by status class (and latency where the access log has it) with
// the incident shaded and its trigger, detection, root cause's first evidence and resolution
// marked, and a per-source lane view of the key events. Every event links to its evidence text.
//
// No script at all and no external resource (a Content-Security-Policy forbids both): the charts
// are SVG drawn here, so the page works offline, without JavaScript and on paper. Hand-drawn SVG
// rather than a vendored charting library: stacked bars, a line and a few marks are ~200 lines,
// need no licence file or update policy, and print exactly as they look.
#pragma once
#include <string>

#include "engine/report/report.h"

namespace hindcast {

std::string render_html(const Report& report);

}  // namespace hindcast
