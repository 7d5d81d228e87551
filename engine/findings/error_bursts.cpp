// error_burst: a kind of error-level message never written before, whose rate is significantly
// above its own background (a Poisson series per kind, engine/findings/scan.h): the symptom of
// an outage the logs show only as errors — a database host's "too many clients", a cache's
// failed writes, a worker that cannot reach its queue — where no access log says what users saw.
//
// A kind of message is one signature (engine/core/signature.h) of one file. It is a symptom only
// where three conditions hold, each a reason the others cannot stand in for:
//   - new: nothing of its kind was written before the segment. An error the logs show at a low
//     rate all along is how that system runs; a burst of it is a change in degree, which the
//     request and crash series measure where it matters;
//   - repeated: written in at least kMinMoments distinct seconds. One event told in several lines
//     (a stack trace, an error and its context) is one moment, not a failure that persists;
//   - not covered by requests: where an access log spans the time, the failing requests measure
//     the impact (http_failures.cpp) and errors only explain it (the cause stage reads them).
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "engine/findings/analysis.h"
#include "engine/findings/scan.h"

namespace hindcast {
namespace {

constexpr double kCandidateLevel = 0.05;  // see http_failures.cpp
// Three moments: two could be one retry of one failure; a third is a failure that persists.
constexpr size_t kMinMoments = 3;

struct Kind {
  std::vector<uint32_t> messages;  // indexes into Analysis::selected(), in time order
};

// Requests span [lo, hi]: the access logs were being written before and after it.
bool requests_cover(const Analysis& a, int64_t lo, int64_t hi) {
  const auto reqs = a.requests();
  return !reqs.empty() && reqs.front().time_ns <= lo && reqs.back().time_ns >= hi;
}

size_t distinct_seconds(const Analysis& a, const Kind& k, size_t from, size_t to) {
  std::set<int64_t> seconds;
  for (size_t i = from; i < to && seconds.size() < kMinMoments; ++i)
    seconds.insert(a.selected()[k.messages[i]].time_ns / kNanosPerSecond);
  return seconds.size();
}

void emit(const Analysis& a, const Kind& k, size_t from, size_t to, const Segment& seg, std::vector<Candidate>& out) {
  const auto& msgs = a.selected();
  const SelectedMessage& first = msgs[k.messages[from]];
  const SelectedMessage& last = msgs[k.messages[to - 1]];
  const Record r = a.selected_record(first);
  Candidate c;
  c.role = Role::kSymptom;
  c.kind = "error_burst";
  c.primary = true;
  c.severity = Severity::kError;
  c.score = 0.7;  // chosen: see http_failures.cpp's symptom score
  c.first_ns = first.time_ns;
  c.last_ns = last.time_ns;
  c.count = to - from;
  c.evidence = {first.ref()};
  if (to - from > 1) c.evidence.push_back(last.ref());
  c.last_event = last.ref();
  c.host = std::string(r.host);
  c.object = std::string(r.program);
  c.p_value = seg.p_value;
  c.resolution_ns = a.axis().width_ns;
  c.open_ended = seg.last + 1 >= a.axis().size;
  c.explanation = std::to_string(c.count) + " errors of a kind never written before (first: " +
                  std::string(r.message.substr(0, 160)) + ")";
  out.push_back(std::move(c));
}

// The kind's burst from its first message: the end that maximises the scan statistic (Poisson,
// one unit of exposure per bucket, engine/findings/scan.h) of [first bucket, end]. A new kind's
// excess can only start at its first message, so this is the scan restricted to the segments that
// can qualify: O(messages), not O(buckets) per kind, which keeps a log of a million kinds of error
// message as cheap as its messages.
struct Burst {
  size_t to = 0;  // messages [0, to)
  Segment seg;
};

Burst burst_from_first(const Analysis& a, const Kind& k) {
  const auto& msgs = a.selected();
  const TimeAxis& axis = a.axis();
  const double total = static_cast<double>(k.messages.size()), buckets = static_cast<double>(axis.size);
  const size_t b0 = axis.bucket(msgs[k.messages.front()].time_ns);
  Burst best;
  for (size_t j = 0; j < k.messages.size(); ++j) {
    if (j + 1 < k.messages.size() && msgs[k.messages[j + 1]].time_ns == msgs[k.messages[j]].time_ns) continue;
    const size_t last = axis.bucket(msgs[k.messages[j]].time_ns);
    const double x = static_cast<double>(j + 1), len = static_cast<double>(last - b0 + 1);
    const double x_out = total - x, len_out = buckets - len;
    if (len_out > 0 && x / len <= x_out / len_out) continue;
    double llr = x * std::log(x / len) - total * std::log(total / buckets);
    if (x_out > 0) llr += x_out * std::log(x_out / len_out);
    if (llr > best.seg.llr) {
      best.to = j + 1;
      best.seg.first = b0;
      best.seg.last = last;
      best.seg.x_in = x;
      best.seg.n_in = len;
      best.seg.x_out = x_out;
      best.seg.n_out = len_out;
      best.seg.llr = llr;
    }
  }
  best.seg.p_value = best.to ? scan_p_value(best.seg.llr, axis.size) : 1;
  return best;
}

class ErrorBurstDetector final : public Detector {
 public:
  std::string_view name() const override { return "error_bursts"; }
  Stage stage() const override { return Stage::kSymptoms; }
  void run(const Analysis& a, std::vector<Candidate>& out) const override {
    const auto& msgs = a.selected();
    std::map<std::pair<uint16_t, uint32_t>, Kind> kinds;  // (source, signature)
    for (size_t i = 0; i < msgs.size(); ++i) {
      if (!is_error_meaning(msgs[i].meaning)) continue;
      const Event& e = a.timeline.event(msgs[i].ref());
      if (e.severity < Severity::kError || e.signature() == 0) continue;  // no signature: not one kind
      kinds[{msgs[i].source, e.signature()}].messages.push_back(static_cast<uint32_t>(i));
    }
    for (const auto& [key, k] : kinds) {
      if (distinct_seconds(a, k, 0, k.messages.size()) < kMinMoments) continue;
      const Burst b = burst_from_first(a, k);
      if (b.to == 0 || b.seg.p_value >= kCandidateLevel) continue;
      if (distinct_seconds(a, k, 0, b.to) < kMinMoments) continue;
      if (requests_cover(a, msgs[k.messages.front()].time_ns, msgs[k.messages[b.to - 1]].time_ns)) continue;
      emit(a, k, 0, b.to, b.seg, out);
    }
  }
};

}  // namespace

const Detector& error_burst_detector() {
  static const ErrorBurstDetector d;
  return d;
}

}  // namespace hindcast
