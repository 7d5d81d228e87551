// latency_high and no_requests: what the access log says when nothing fails outright.
//
// latency_high: requests slower than max(1 s, 10x the logs' own median) bunch up in one stretch
// (the same change-point test as failing statuses, on "slow" instead of "failed"). Only logs
// that record a duration (%D, %T, $request_time) can show it.
//
// no_requests: a silence in a log that otherwise answers steadily, long against its own pace
// (at least 10 s and 20 typical gaps): the server stopped answering or stopped logging.
//
// Both are supporting symptoms: they shape and describe an incident that failing requests,
// monitors or crashes establish, but a slow crawler or a quiet night alone is not an outage. A
// silence while a service manager reports a failed unit, or a process crashes, is the server
// being down: then it is a primary symptom itself.
#include <algorithm>
#include <cmath>
#include <optional>
#include <span>

#include "engine/findings/analysis.h"

namespace hindcast {
namespace {

int64_t median_of(std::vector<int64_t> v) {
  if (v.empty()) return 0;
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

class LatencyDetector final : public Detector {
 public:
  std::string_view name() const override { return "latency"; }
  Stage stage() const override { return Stage::kSymptoms; }
  void run(const Analysis& a, std::vector<Candidate>& out) const override {
    const auto& reqs = a.requests();
    std::vector<size_t> timed;        // the requests whose format records a latency
    std::vector<int64_t> latencies;  // theirs, in the same order
    for (size_t i = 0; i < reqs.size(); ++i)
      if (const int64_t us = a.latency_us(reqs[i]); us >= 0) {
        timed.push_back(i);
        latencies.push_back(us);
      }
    if (timed.size() < 50) return;
    const int64_t median = median_of(latencies);
    const int64_t slow = std::max<int64_t>(1'000'000, 10 * median);
    const int64_t t0 = reqs[timed.front()].time_ns;
    const size_t buckets = static_cast<size_t>((reqs[timed.back()].time_ns - t0) / kNanosPerSecond) + 1;
    if (buckets > 5'000'000) return;
    std::vector<uint32_t> n(buckets, 0), s(buckets, 0);
    uint64_t total_slow = 0;
    for (size_t k = 0; k < timed.size(); ++k) {
      const size_t b = static_cast<size_t>((reqs[timed[k]].time_ns - t0) / kNanosPerSecond);
      ++n[b];
      if (latencies[k] >= slow) {
        ++s[b];
        ++total_slow;
      }
    }
    if (total_slow < 5) return;
    const double share = static_cast<double>(total_slow) / static_cast<double>(timed.size());
    double best = 0, run = 0;
    size_t best_a = 0, best_b = 0, start = 0;
    for (size_t b = 0; b < buckets; ++b) {
      if (run <= 0) {
        run = 0;
        start = b;
      }
      run += s[b] - share * n[b];
      if (run > best) {
        best = run;
        best_a = start;
        best_b = b;
      }
    }
    double in_n = 0, in_s = 0;
    for (size_t b = best_a; b <= best_b; ++b) {
      in_n += n[b];
      in_s += s[b];
    }
    const double out_n = static_cast<double>(timed.size()) - in_n;
    const double p_in = in_s / in_n, p_out = out_n > 0 ? (static_cast<double>(total_slow) - in_s) / out_n : 0;
    if (in_s < 5 || p_in < 3 * p_out + 0.05) return;
    const int64_t lo = t0 + static_cast<int64_t>(best_a) * kNanosPerSecond;
    const int64_t hi = t0 + static_cast<int64_t>(best_b + 1) * kNanosPerSecond - 1;
    Candidate c;
    c.role = Role::kSymptom;
    c.kind = "latency_high";
    std::vector<int64_t> inside;
    for (size_t k = 0; k < timed.size(); ++k) {
      const size_t i = timed[k];
      if (reqs[i].time_ns < lo || reqs[i].time_ns > hi || latencies[k] < slow) continue;
      if (c.evidence.empty()) {
        c.first_ns = reqs[i].time_ns;
        c.evidence.push_back(reqs[i].ref());
      }
      c.last_ns = reqs[i].time_ns;
      inside.push_back(latencies[k]);
      ++c.count;
    }
    c.severity = Severity::kWarning;
    c.score = 0.5;
    c.object = std::to_string(median_of(inside) / 1000) + " ms";
    c.explanation = std::to_string(c.count) + " requests took longer than " + std::to_string(slow / 1000) +
                    " ms (median " + std::to_string(median_of(inside) / 1000) + " ms, against " +
                    std::to_string(median / 1000) + " ms over the whole log)";
    out.push_back(std::move(c));
  }
};

// A message within a minute of the silence's start that says a service failed, a process
// crashed or a configuration was refused: what made the server go quiet.
const SelectedMessage* failure_during(const Analysis& a, int64_t lo, int64_t hi) {
  const int64_t from = lo - 60 * kNanosPerSecond, to = std::min(hi, lo + 60 * kNanosPerSecond);
  for (const SelectedMessage& m : a.selected()) {
    if (m.time_ns < from) continue;
    if (m.time_ns > to) break;
    const Meaning meaning = m.meaning;
    if (meaning == Meaning::kServiceFailed || meaning == Meaning::kCrash || meaning == Meaning::kConfigSyntax) return &m;
  }
  return nullptr;
}

class RequestGapDetector final : public Detector {
 public:
  std::string_view name() const override { return "request_gap"; }
  Stage stage() const override { return Stage::kSymptoms; }
  void run(const Analysis& a, std::vector<Candidate>& out) const override {
    const auto& reqs = a.requests();
    if (reqs.size() < 100) return;
    const int64_t typical = median_gap(reqs);
    const int64_t limit = std::max<int64_t>(10 * kNanosPerSecond, 20 * typical);
    for (size_t i = 1; i < reqs.size(); ++i) {
      const int64_t gap = reqs[i].time_ns - reqs[i - 1].time_ns;
      if (gap < limit) continue;
      Candidate c;
      c.role = Role::kSymptom;
      c.kind = "no_requests";
      c.first_ns = reqs[i - 1].time_ns;
      c.last_ns = reqs[i].time_ns;
      c.evidence = {reqs[i - 1].ref(), reqs[i].ref()};
      c.last_event = reqs[i].ref();
      c.severity = Severity::kWarning;
      c.score = 0.4;
      c.explanation = "no request was logged for " + std::to_string(gap / kNanosPerSecond) +
                      " s, in a log that otherwise records one every " +
                      std::to_string(std::max<int64_t>(1, typical / 1'000'000)) + " ms";
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
