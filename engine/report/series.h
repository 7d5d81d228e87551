// Requests per time bucket by status class, with latency: the data behind the HTML chart.
//
//   std::optional<RequestSeries> s = request_series(a.requests(), latency_of, incident_window);
//
// Span: every request in the logs when they cover at most kMaxSeriesBuckets seconds (one bar
// group per second). Longer logs are plotted around the incident (15 minutes either side), and
// when even that is too long the bucket widens so the chart keeps at most kMaxSeriesBuckets bars:
// a per-second chart of a day is 86,400 groups that no one can read and a page of megabytes,
// while the text of the report covers the rest.
#pragma once
#include <functional>
#include <optional>
#include <span>

#include "engine/findings/analysis.h"
#include "engine/report/report.h"

namespace hindcast {

constexpr int64_t kMaxSeriesBuckets = 3600;
constexpr int64_t kSeriesMarginSeconds = 15 * 60;

// A request's latency in µs, -1 where its format has none (Analysis::latency_us).
using LatencyOf = std::function<int64_t(const Request&)>;

// `incident`: [start, end] of the incident (end = the last request when still failing), or none.
std::optional<RequestSeries> request_series(std::span<const Request> requests, const LatencyOf& latency_us,
                                            const std::optional<Window>& incident);

}  // namespace hindcast
