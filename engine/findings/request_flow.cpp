// latency_high and no_requests: what the access log says when nothing fails outright, on the same
// scan statistic as every symptom (engine/findings/scan.h).
//
// latency_high: the share of slow requests, a binomial series over the requests whose format
// records a duration (%D, %T, $request_time). Slow is max(1 s, 10x the logs' own median): a second
// is where a person stops waiting with their attention on the page (Nielsen's response-time
// limits), and ten times the typical time is an order of magnitude beyond what this site does.
//
// no_requests: arrivals per bucket, a Poisson series from the first request to the logs' last
// instant, scanned for a deficit: a stretch with significantly fewer requests than the log's own
// rate (a server that stopped answering, or stopped logging, and never came back included).
//
// Both are supporting symptoms: they shape and describe an incident that failing requests,
// monitors or crashes establish, but a slow crawler or a quiet night alone is not an outage. A
// silence while a service manager reports a failed unit, a process crashes or a configuration is
// refused is the server being down: then it is a primary symptom itself.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <span>

#include "engine/core/median.h"
#include "engine/findings/analysis.h"
#include "engine/findings/incident.h"
#include "engine/findings/scan.h"

namespace hindcast {
namespace {

constexpr int64_t kSlowFloorUs = 1'000'000;
constexpr int64_t kSlowFactor = 10;
constexpr double kCandidateLevel = 0.05;  // see http_failures.cpp

class LatencyDetector final : public Detector {
 public:
  std::string_view name() const override { return "latency"; }
  Stage stage() const override { return Stage::kSymptoms; }
  void run(const Analysis& a, std::vector<Candidate>& out) const override {
    const auto& reqs = a.requests();
    std::vector<int64_t> latencies;
    for (const Request& q : reqs)
      if (const int64_t us = a.latency_us(q); us >= 0) latencies.push_back(us);
    if (latencies.size() < 2) return;
    const int64_t typical = median(latencies);
    const int64_t slow = std::max<int64_t>(kSlowFloorUs, kSlowFactor * typical);
    const TimeAxis& axis = a.axis();
    CountSeries s = CountSeries::binomial(axis.size);
    for (const Request& q : reqs)
      if (const int64_t us = a.latency_us(q); us >= 0) s.add(axis.bucket(q.time_ns), us >= slow);
    for (const Segment& seg : scan_segments(s, Direction::kExcess, 1)) {
      if (seg.p_value >= kCandidateLevel) continue;
      const int64_t lo = axis.start(seg.first), hi = axis.end(seg.last);
      Candidate c;
      c.role = Role::kSymptom;
      c.kind = "latency_high";
      std::vector<int64_t> inside;
      for (const Request& q : reqs) {
        const int64_t us = a.latency_us(q);
        if (q.time_ns < lo || q.time_ns > hi || us < slow) continue;
        if (c.evidence.empty()) {
          c.first_ns = q.time_ns;
          c.evidence.push_back(q.ref());
        }
        c.last_ns = q.time_ns;
        inside.push_back(us);
        ++c.count;
      }
      if (c.evidence.empty()) continue;
      c.last_event = c.evidence.front();
      c.severity = Severity::kWarning;
      c.score = 0.5;
      c.p_value = seg.p_value;
      c.resolution_ns = axis.width_ns;
      const int64_t inside_median = median(inside);
      c.object = std::to_string(inside_median / 1000) + " ms";
      c.explanation = std::to_string(c.count) + " requests took longer than " + std::to_string(slow / 1000) +
                      " ms (median " + std::to_string(inside_median / 1000) + " ms, against " +
                      std::to_string(typical / 1000) + " ms over the whole log)";
      out.push_back(std::move(c));
    }
  }
};

// A message within the incident's lead (kIncidentLead) either side of the silence's start that says
// a service failed, a process crashed or a configuration was refused: what made the server go quiet.
const SelectedMessage* failure_during(const Analysis& a, int64_t lo, int64_t hi) {
  const int64_t from = lo - kIncidentLead, to = std::min(hi, lo + kIncidentLead);
  for (const SelectedMessage& m : a.selected()) {
    if (m.time_ns < from) continue;
    if (m.time_ns > to) break;
    const Meaning meaning = m.meaning;
    if (meaning == Meaning::kServiceFailed || meaning == Meaning::kCrash || meaning == Meaning::kConfigSyntax ||
        meaning == Meaning::kResourceLimit)
      return &m;
  }
  return nullptr;
}

class RequestGapDetector final : public Detector {
 public:
  std::string_view name() const override { return "request_gap"; }
  Stage stage() const override { return Stage::kSymptoms; }
  void run(const Analysis& a, std::vector<Candidate>& out) const override {
    const auto& reqs = a.requests();
    if (reqs.size() < 2) return;
    const TimeAxis& axis = a.axis();
    // Arrivals from the first request on; the buckets before it are not the access log's.
    const size_t from = axis.bucket(reqs.front().time_ns);
    CountSeries s = CountSeries::poisson(axis.size - from);
    for (const Request& q : reqs) ++s.x[axis.bucket(q.time_ns) - from];
    const int64_t typical = median_gap(reqs);
    // Fewer requests is a quiet hour; none is silence. The best segment with no request at all is
    // the longest run of empty buckets (the scan's rate-0 alternative: each empty bucket gains
    // the background rate), tested on its own: a deficit segment at a lower rate that takes in
    // the silence and a slow hour after it is stronger, but says less.
    size_t run = 0, best_first = 0, best_len = 0;
    for (size_t b = 0; b < s.size(); ++b) {
      run = s.x[b] == 0 ? run + 1 : 0;
      if (run > best_len) {
        best_len = run;
        best_first = b + 1 - run;
      }
    }
    std::vector<Segment> silences;
    if (best_len > 0) {
      Segment seg;
      segment_llr(s, Direction::kDeficit, best_first, best_first + best_len - 1, &seg);
      silences.push_back(seg);
    }
    for (const Segment& seg : silences) {
      if (seg.p_value >= kCandidateLevel) continue;
      const int64_t lo = axis.start(seg.first + from), hi = axis.end(seg.last + from);
      // The requests either side of the silence (the one after may not exist: never came back).
      auto after = reqs.begin() + static_cast<ptrdiff_t>(a.request_at(lo));
      if (after == reqs.begin()) continue;
      const Request& before = *std::prev(after);
      Candidate c;
      c.role = Role::kSymptom;
      c.kind = "no_requests";
      c.first_ns = before.time_ns;
      c.evidence = {before.ref()};
      if (after != reqs.end() && after->time_ns <= hi + axis.width_ns) {
        c.last_ns = after->time_ns;
        c.evidence.push_back(after->ref());
        c.last_event = after->ref();
      } else {
        c.last_ns = hi;
        c.open_ended = after == reqs.end();
        if (after != reqs.end()) c.last_event = after->ref();
      }
      c.severity = Severity::kWarning;
      c.score = 0.4;
      c.p_value = seg.p_value;
      c.resolution_ns = std::max(axis.width_ns, typical);
      const int64_t gap = c.last_ns - c.first_ns;
      const double per_second = seg.rate_out() * kNanosPerSecond / static_cast<double>(axis.width_ns);
      char rate[32];
      std::snprintf(rate, sizeof rate, per_second >= 10 ? "%.0f" : "%.1f", per_second);
      c.explanation = "no request was logged for " + std::to_string(gap / kNanosPerSecond) +
                      " s, in a log that otherwise records about " + rate + " a second";
      if (c.open_ended) c.explanation += ", to the end of the logs";
      // Silence while a service fails or a process crashes is the server being down.
      if (const auto failure = failure_during(a, c.first_ns, c.last_ns)) {
        c.primary = true;
        c.severity = Severity::kCritical;
        c.score = 0.8;
        c.evidence.push_back(failure->ref());
        c.explanation += ", while " + std::string(a.selected_record(*failure).message.substr(0, 160));
      }
      out.push_back(std::move(c));
    }
  }
};

}  // namespace

namespace {

// A gap's bucket by magnitude: gaps below 128 ns each their own, then 64 buckets per power of two
// (the leading bit and the six after it). Monotonic: a larger gap never has a smaller key.
constexpr size_t kGapKeys = 128 + 56 * 64;

size_t gap_key(int64_t gap) {
  const uint64_t g = static_cast<uint64_t>(std::max<int64_t>(gap, 0));  // (requests are in time order)
  if (g < 128) return static_cast<size_t>(g);
  const int bits = 64 - __builtin_clzll(g);  // 8..63
  return 128 + static_cast<size_t>(bits - 8) * 64 + static_cast<size_t>((g >> (bits - 7)) & 63);
}

}  // namespace

// The median gap between consecutive requests (the element at n/2 of the sorted gaps), exact,
// without an array of every gap: a histogram of the gaps' magnitudes finds the bucket that holds
// it, and only that bucket's gaps are kept and selected among. Most logs' median bucket is
// exact (0 ns for logs stamped to the second and busier than a request a second).
int64_t median_gap(std::span<const Request> reqs) {
  if (reqs.size() < 2) return 0;
  std::vector<size_t> count(kGapKeys, 0);
  for (size_t i = 1; i < reqs.size(); ++i) ++count[gap_key(reqs[i].time_ns - reqs[i - 1].time_ns)];
  size_t rank = (reqs.size() - 1) / 2, key = 0;
  while (rank >= count[key]) rank -= count[key++];
  if (key < 128) return static_cast<int64_t>(key);
  std::vector<int64_t> in_bucket;
  in_bucket.reserve(count[key]);
  for (size_t i = 1; i < reqs.size(); ++i) {
    const int64_t gap = reqs[i].time_ns - reqs[i - 1].time_ns;
    if (gap_key(gap) == key) in_bucket.push_back(std::max<int64_t>(gap, 0));
  }
  std::nth_element(in_bucket.begin(), in_bucket.begin() + static_cast<ptrdiff_t>(rank), in_bucket.end());
  return in_bucket[rank];
}

const Detector& latency_detector() {
  static const LatencyDetector d;
  return d;
}

const Detector& request_gap_detector() {
  static const RequestGapDetector d;
  return d;
}

}  // namespace hindcast
