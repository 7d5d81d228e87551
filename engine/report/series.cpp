#include "engine/report/series.h"

#include <algorithm>

#include "engine/core/median.h"

namespace hindcast {
namespace {

int64_t floor_second(int64_t ns) {
  const int64_t s = ns / kNanosPerSecond;
  return ns < 0 && s * kNanosPerSecond != ns ? s - 1 : s;
}

}  // namespace

std::optional<RequestSeries> request_series(std::span<const Request> requests, const LatencyOf& latency_us,
                                            const std::optional<Window>& incident) {
  if (requests.empty()) return std::nullopt;
  const int64_t first = floor_second(requests.front().time_ns);
  const int64_t last = floor_second(requests.back().time_ns);
  int64_t lo = first, hi = last;
  RequestSeries s;
  s.scope = "all requests in the logs";
  if (hi - lo + 1 > kMaxSeriesBuckets && incident) {
    lo = std::max(first, floor_second(incident->start_ns) - kSeriesMarginSeconds);
    hi = std::min(last, floor_second(incident->end_ns) + kSeriesMarginSeconds);
    if (hi < lo) hi = lo;
    s.scope = "the incident and 15 minutes either side";
  }
  const int64_t span = hi - lo + 1;
  s.bucket_seconds = (span + kMaxSeriesBuckets - 1) / kMaxSeriesBuckets;
  if (s.bucket_seconds > 1) s.scope += ", " + std::to_string(s.bucket_seconds) + " s per bar";
  const size_t n = static_cast<size_t>((span + s.bucket_seconds - 1) / s.bucket_seconds);
  s.start_ns = lo * kNanosPerSecond;
  for (auto* v : {&s.status_2xx, &s.status_3xx, &s.status_4xx, &s.status_5xx, &s.status_other}) v->assign(n, 0);
  s.latency_p50_ms.assign(n, -1);
  s.latency_max_ms.assign(n, -1);

  // Requests are in time order, so a bucket's requests are contiguous: only the open bucket's
  // latencies are held, whatever the size of the logs.
  std::vector<int64_t> latencies;
  size_t open = n;
  auto close = [&] {
    if (open < n && !latencies.empty()) {
      s.latency_p50_ms[open] = static_cast<double>(median(latencies)) / 1000.0;
      s.latency_max_ms[open] = static_cast<double>(*std::max_element(latencies.begin(), latencies.end())) / 1000.0;
      s.has_latency = true;
    }
    latencies.clear();
  };
  const auto begin = std::lower_bound(requests.begin(), requests.end(), lo * kNanosPerSecond,
                                      [](const Request& q, int64_t t) { return q.time_ns < t; });
  for (auto it = begin; it != requests.end(); ++it) {
    const int64_t sec = floor_second(it->time_ns);
    if (sec > hi) break;
    const size_t b = static_cast<size_t>((sec - lo) / s.bucket_seconds);
    if (b != open) {
      close();
      open = b;
    }
    const uint16_t st = it->status;
    std::vector<uint32_t>& column = st >= 200 && st < 300   ? s.status_2xx
                                    : st >= 300 && st < 400 ? s.status_3xx
                                    : st >= 400 && st < 500 ? s.status_4xx
                                    : st >= 500 && st < 600 ? s.status_5xx
                                                            : s.status_other;
    ++column[b];
    ++s.requests;
    if (const int64_t us = latency_us(*it); us >= 0) latencies.push_back(us);
  }
  close();
  return s;
}

}  // namespace hindcast
