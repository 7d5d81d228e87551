// health_check_failing: results of monitoring checks (Nagios-plugin output such as check_http's
// "HTTP OK: ...", "HTTP CRITICAL: ...", "CRITICAL - Socket timeout after 10 seconds", Nagios and
// Icinga "SERVICE ALERT" lines), one series per monitor (the program and host that wrote them).
//
// A monitor's results are a binomial series (failing checks among checks) scanned like every
// other symptom (engine/findings/scan.h): where failing checks are significantly more frequent
// than the monitor's own background is a symptom that users are affected. One failure between
// passing checks (a lost packet, a slow moment) cannot reach significance on a monitor that
// passes all day; two in a row can, and it takes two failures to be more than one lost check, so
// a segment of one failing check is reported as noise.
#include <algorithm>
#include <map>

#include "engine/core/median.h"
#include "engine/findings/analysis.h"
#include "engine/findings/scan.h"

namespace hindcast {
namespace {

constexpr size_t kMaxSegments = 3;  // as http_failures.cpp: three outages of one monitor
constexpr double kCandidateLevel = 0.05;  // see http_failures.cpp
constexpr uint64_t kMinFailing = 2;

// Gaps read to find a monitor's check interval: a median of this many evenly spaced gaps is as
// good a guide to "how often does it check" as the median of all of them, at a fixed cost: its
// rank is within 1/(2 sqrt(4096)) = 0.8 % (one standard error) of the true median's.
constexpr size_t kMaxGaps = 4096;

struct Monitor {
  // Indexes into Analysis::selected(), in time order: 4 bytes per result, sized exactly (counted
  // first), so a monitor repeating one alert all day costs what its results are and no more.
  std::vector<uint32_t> results;
  size_t expected = 0;
};

// The typical interval between a monitor's checks: how finely its results place a change.
int64_t check_interval(const Analysis& a, const Monitor& m) {
  if (m.results.size() < 2) return 0;
  const size_t n = m.results.size() - 1, step = std::max<size_t>(1, n / kMaxGaps);
  std::vector<int64_t> gaps;
  gaps.reserve(n / step + 1);
  for (size_t k = 1; k < m.results.size(); k += step)
    gaps.push_back(a.selected()[m.results[k]].time_ns - a.selected()[m.results[k - 1]].time_ns);
  return median(gaps);
}

void emit(const Analysis& a, const Monitor& m, const Segment& seg, const TimeAxis& axis, int64_t interval,
          std::vector<Candidate>& out) {
  const auto& msgs = a.selected();
  const int64_t lo = axis.start(seg.first), hi = axis.end(seg.last);
  std::optional<size_t> first, last, next_ok;
  uint64_t failing = 0;
  for (const size_t i : m.results) {
    const SelectedMessage& s = msgs[i];
    if (s.time_ns < lo) continue;
    if (s.time_ns > hi) {
      if (!next_ok && s.meaning == Meaning::kMonitorOk) next_ok = i;
      if (next_ok) break;
      continue;
    }
    if (s.meaning != Meaning::kMonitorFailing) continue;
    if (!first) first = i;
    last = i;
    ++failing;
  }
  if (!first) return;
  Candidate c;
  c.kind = "health_check_failing";
  c.first_ns = msgs[*first].time_ns;
  c.last_ns = msgs[*last].time_ns;
  c.count = failing;
  c.evidence = {msgs[*first].ref()};
  c.last_event = msgs[*last].ref();
  if (next_ok) c.evidence.push_back(msgs[*next_ok].ref());
  const Record r = a.selected_record(msgs[*first]);
  c.object = std::string(r.program);
  c.host = std::string(r.host);
  c.open_ended = !next_ok;
  c.p_value = seg.p_value;
  c.resolution_ns = std::max(interval, axis.width_ns);
  const std::string what = std::string(r.message.substr(0, 120));
  if (failing >= kMinFailing) {
    c.role = Role::kSymptom;
    c.primary = true;
    c.severity = Severity::kError;
    c.score = 0.8;
    c.explanation = std::to_string(failing) + " failing health checks (first: " + what + ")" +
                    (next_ok ? ", passing again afterwards" : ", still failing at the end of the logs");
  } else {
    c.role = Role::kNoise;
    c.severity = Severity::kWarning;
    c.score = 0.2;
    c.explanation = "one failing health check (" + what + ")" + (next_ok ? ", passing again at the next check" : "") +
                    ": not an outage by itself";
  }
  out.push_back(std::move(c));
}

class MonitorCheckDetector final : public Detector {
 public:
  std::string_view name() const override { return "monitor_checks"; }
  Stage stage() const override { return Stage::kSymptoms; }
  void run(const Analysis& a, std::vector<Candidate>& out) const override {
    const auto& msgs = a.selected();
    std::map<uint32_t, Monitor> monitors;
    bool any_failing = false;
    const auto is_result = [&](size_t i) {
      return msgs[i].meaning == Meaning::kMonitorFailing || msgs[i].meaning == Meaning::kMonitorOk;
    };
    // Each result's monitor, read once (a record decoded): 4 bytes per result while grouping.
    // Consecutive results are mostly one monitor's: its entry is looked up again only when the
    // monitor changes.
    std::vector<uint32_t> key_of;
    key_of.reserve(static_cast<size_t>(std::count_if(msgs.begin(), msgs.end(), [](const SelectedMessage& m) {
      return m.meaning == Meaning::kMonitorFailing || m.meaning == Meaning::kMonitorOk;
    })));
    Monitor* current = nullptr;
    uint32_t current_key = 0;
    const auto monitor_of = [&](uint32_t key) -> Monitor& {
      if (!current || key != current_key) current = &monitors[key], current_key = key;
      return *current;
    };
    for (size_t i = 0; i < msgs.size(); ++i) {
      if (!is_result(i)) continue;
      any_failing |= msgs[i].meaning == Meaning::kMonitorFailing;
      key_of.push_back(a.series(msgs[i]));
      ++monitor_of(key_of.back()).expected;
    }
    if (!any_failing) return;
    for (auto& [key, m] : monitors) m.results.reserve(m.expected);
    for (size_t i = 0, k = 0; i < msgs.size(); ++i)
      if (is_result(i)) monitor_of(key_of[k++]).results.push_back(static_cast<uint32_t>(i));
    const TimeAxis& axis = a.axis();
    for (const auto& [key, m] : monitors) {
      CountSeries s = CountSeries::binomial(axis.size);
      bool failed = false;
      for (const size_t i : m.results) {
        s.add(axis.bucket(msgs[i].time_ns), msgs[i].meaning == Meaning::kMonitorFailing);
        failed |= msgs[i].meaning == Meaning::kMonitorFailing;
      }
      if (!failed) continue;
      const int64_t interval = check_interval(a, m);
      std::vector<Segment> segs = scan_segments(s, Direction::kExcess, kMaxSegments);
      // A lone failure on a monitor with no other: reported as noise, never significant.
      for (const Segment& seg : segs)
        if (seg.p_value < kCandidateLevel || seg.x_in < kMinFailing) emit(a, m, seg, axis, interval, out);
    }
  }
};

}  // namespace

const Detector& monitor_check_detector() {
  static const MonitorCheckDetector d;
  return d;
}

}  // namespace hindcast
