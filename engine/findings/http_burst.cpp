#include "engine/findings/http_burst.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace hindcast {
namespace {

struct Request {
  int64_t t;
  uint16_t status;
  EventRef ref;
};

struct Candidate {
  uint16_t status;
  size_t first_fail, last_fail;  // indexes into that status's failure list
  double excess;
  double share_in, share_out;
};

std::optional<Candidate> burst_for_status(uint16_t status, const std::vector<Request>& reqs,
                                          const std::vector<size_t>& fails, int64_t bucket_ns) {
  const int64_t t0 = reqs.front().t;
  const size_t buckets = static_cast<size_t>((reqs.back().t - t0) / bucket_ns) + 1;
  std::vector<uint32_t> n(buckets, 0), f(buckets, 0);
  for (const Request& r : reqs) {
    const size_t b = static_cast<size_t>((r.t - t0) / bucket_ns);
    ++n[b];
    if (r.status == status) ++f[b];
  }
  const double total_n = static_cast<double>(reqs.size());
  const double total_f = static_cast<double>(fails.size());
  const double share = total_f / total_n;
  // Maximum-sum stretch of (failures - expected failures).
  double best = 0, run = 0;
  size_t best_a = 0, best_b = 0, a = 0;
  for (size_t b = 0; b < buckets; ++b) {
    if (run <= 0) {
      run = 0;
      a = b;
    }
    run += f[b] - share * n[b];
    if (run > best) {
      best = run;
      best_a = a;
      best_b = b;
    }
  }
  if (best <= 0) return std::nullopt;
  double in_n = 0, in_f = 0;
  for (size_t b = best_a; b <= best_b; ++b) {
    in_n += n[b];
    in_f += f[b];
  }
  const double out_n = total_n - in_n, out_f = total_f - in_f;
  const double p_in = in_f / in_n;
  const double p_out = out_n > 0 ? out_f / out_n : 0;
  // Significance: enough failures, a real share, far above baseline, and a large z.
  const double pooled = total_f / total_n;
  const double se = std::sqrt(pooled * (1 - pooled) * (1 / in_n + (out_n > 0 ? 1 / out_n : 1)));
  const double z = se > 0 ? (p_in - p_out) / se : 0;
  if (in_f < 5 || p_in < 0.2 || p_in < 3 * p_out + 0.05 || z < 4) return std::nullopt;

  // The failures inside the stretch, then widened to close neighbours.
  const int64_t lo = t0 + static_cast<int64_t>(best_a) * bucket_ns;
  const int64_t hi = t0 + static_cast<int64_t>(best_b + 1) * bucket_ns - 1;
  size_t i0 = fails.size(), i1 = 0;
  for (size_t k = 0; k < fails.size(); ++k) {
    const int64_t t = reqs[fails[k]].t;
    if (t >= lo && t <= hi) {
      i0 = std::min(i0, k);
      i1 = k;
    }
  }
  if (i0 > i1) return std::nullopt;
  std::vector<int64_t> gaps;
  for (size_t k = i0 + 1; k <= i1; ++k) gaps.push_back(reqs[fails[k]].t - reqs[fails[k - 1]].t);
  int64_t median_gap = 0;
  if (!gaps.empty()) {
    std::nth_element(gaps.begin(), gaps.begin() + gaps.size() / 2, gaps.end());
    median_gap = gaps[gaps.size() / 2];
  }
  const int64_t reach = std::max<int64_t>(2 * kNanosPerSecond, 5 * median_gap);
  while (i0 > 0 && reqs[fails[i0]].t - reqs[fails[i0 - 1]].t <= reach) --i0;
  while (i1 + 1 < fails.size() && reqs[fails[i1 + 1]].t - reqs[fails[i1]].t <= reach) ++i1;
  return Candidate{status, i0, i1, in_f - p_out * in_n, p_in, p_out};
}

}  // namespace

std::optional<HttpBurst> find_http_burst(const Timeline& t) {
  // Straight from the access logs' own runs (sequential memory), merged by time if several.
  std::vector<Request> reqs;
  size_t access_sources = 0;
  for (const Source& s : t.sources()) {
    bool any = false;
    for (size_t i = 0; i < s.events.size(); ++i) {
      const Event& e = s.events[i];
      if (e.kind != EventKind::kHttpRequest || (e.basis & kBasisUnanchored)) continue;
      reqs.push_back({e.time_ns, e.code, EventRef{static_cast<uint32_t>(i), s.id}});
      any = true;
    }
    access_sources += any;
  }
  if (access_sources > 1)
    std::stable_sort(reqs.begin(), reqs.end(), [](const Request& a, const Request& b) { return a.t < b.t; });
  constexpr size_t kMinRequests = 20;
  if (reqs.size() < kMinRequests) return std::nullopt;
  // One-second buckets; coarser for long logs so the scan stays small.
  const int64_t span = reqs.back().t - reqs.front().t;
  const int64_t bucket_ns = std::max<int64_t>(kNanosPerSecond, span / 2'000'000 + 1);

  std::map<uint16_t, std::vector<size_t>> fails_by_status;
  for (size_t i = 0; i < reqs.size(); ++i)
    if (reqs[i].status >= 400) fails_by_status[reqs[i].status].push_back(i);

  std::vector<Candidate> found;
  for (const auto& [status, fails] : fails_by_status) {
    if (fails.size() < 5) continue;
    if (auto c = burst_for_status(status, reqs, fails, bucket_ns)) found.push_back(*c);
  }
  if (found.empty()) return std::nullopt;
  std::sort(found.begin(), found.end(), [](const Candidate& a, const Candidate& b) { return a.excess > b.excess; });

  const Candidate& main = found.front();
  const auto& main_fails = fails_by_status[main.status];
  HttpBurst burst;
  burst.statuses.push_back(main.status);
  size_t first = main_fails[main.first_fail], last = main_fails[main.last_fail];
  // Other statuses bursting over the same stretch are part of the same incident.
  for (size_t k = 1; k < found.size(); ++k) {
    const auto& fl = fails_by_status[found[k].status];
    const size_t a = fl[found[k].first_fail], b = fl[found[k].last_fail];
    if (b < first || a > last) continue;
    burst.statuses.push_back(found[k].status);
    first = std::min(first, a);
    last = std::max(last, b);
  }
  burst.first = reqs[first].ref;
  burst.last = reqs[last].ref;
  for (size_t i = first; i <= last; ++i)
    if (std::find(burst.statuses.begin(), burst.statuses.end(), reqs[i].status) != burst.statuses.end())
      ++burst.failures;
  // Still failing: the burst runs into the end of the access log.
  const int64_t tail = reqs.back().t - reqs[last].t;
  burst.still_failing = tail <= 2 * kNanosPerSecond;
  burst.share_inside = main.share_in;
  burst.share_outside = main.share_out;
  return burst;
}

}  // namespace hindcast

namespace hindcast {
Window incident_window(const Timeline& t, const HttpBurst& burst) {
  return Window{t.event(burst.first).time_ns - 2 * kNanosPerSecond, t.event(burst.last).time_ns + kNanosPerSecond};
}
}  // namespace hindcast
