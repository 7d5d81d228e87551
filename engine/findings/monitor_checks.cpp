// health_check_failing: results of monitoring checks (Nagios-plugin output such as check_http's
// "HTTP OK: ...", "HTTP CRITICAL: ...", "CRITICAL - Socket timeout after 10 seconds", Nagios and
// Icinga "SERVICE ALERT" lines), grouped by the program and host that wrote them.
//
// Two or more failing results in a row are a symptom that users are affected. One failure
// between passing checks (a lost packet, a slow moment) is reported as noise: a monitor that
// alerts on a single failure would page for nothing.
#include <map>

#include "engine/findings/analysis.h"

namespace hindcast {
namespace {

constexpr int kMinFailingInARow = 2;

struct Check {
  size_t message;
  bool failing;
};

void emit_run(const Analysis& a, const std::vector<Check>& run, std::optional<size_t> next_ok, std::vector<Candidate>& out) {
  const auto& msgs = a.selected();
  const SelectedMessage& first = msgs[run.front().message];
  const SelectedMessage& last = msgs[run.back().message];
  Candidate c;
  c.kind = "health_check_failing";
  c.first_ns = first.time_ns;
  c.last_ns = last.time_ns;
  c.count = run.size();
  c.evidence = {first.ref()};
  c.last_event = last.ref();
  if (next_ok) c.evidence.push_back(msgs[*next_ok].ref());
  const Record r = a.selected_record(first);
  c.object = std::string(r.program);
  c.open_ended = !next_ok;
  const std::string what = std::string(r.message.substr(0, 120));
  if (static_cast<int>(run.size()) >= kMinFailingInARow) {
    c.role = Role::kSymptom;
    c.primary = true;
    c.severity = Severity::kError;
    c.score = 0.8;
    c.explanation = std::to_string(run.size()) + " failing health checks in a row (first: " + what + ")" +
                    (next_ok ? ", passing again afterwards" : ", still failing at the end of the logs");
  } else {
    c.role = Role::kNoise;
    c.severity = Severity::kWarning;
    c.score = 0.2;
    c.explanation = "one failing health check (" + what + ")" +
                    (next_ok ? ", passing again at the next check" : "") + ": not an outage by itself";
  }
  out.push_back(std::move(c));
}

class MonitorCheckDetector final : public Detector {
 public:
  std::string_view name() const override { return "monitor_checks"; }
  Stage stage() const override { return Stage::kSymptoms; }
  void run(const Analysis& a, std::vector<Candidate>& out) const override {
    // Each monitor (program on host) is a series of results in time order; what counts is its
    // runs of failures, each with the passing result that ended it. Passing results while no
    // run is open anywhere (nearly all of them) are not read at all.
    struct Series {
      std::vector<Check> open;  // the failing run so far
      std::vector<std::pair<std::vector<Check>, size_t>> closed;  // runs, each with the result that ended it
    };
    std::map<uint32_t, Series> series;
    size_t open_runs = 0;
    const auto& msgs = a.selected();
    for (size_t i = 0; i < msgs.size(); ++i) {
      const Meaning m = msgs[i].meaning;
      if (m == Meaning::kMonitorFailing) {
        Series& s = series[a.series(msgs[i])];
        open_runs += s.open.empty();
        s.open.push_back({i, true});
      } else if (m == Meaning::kMonitorOk && open_runs > 0) {
        const auto it = series.find(a.series(msgs[i]));
        if (it == series.end() || it->second.open.empty()) continue;
        it->second.closed.emplace_back(std::move(it->second.open), i);
        it->second.open.clear();
        --open_runs;
      }
    }
    for (const auto& [key, s] : series) {
      for (const auto& [run, next_ok] : s.closed) emit_run(a, run, next_ok, out);
      if (!s.open.empty()) emit_run(a, s.open, std::nullopt, out);
    }
  }
};

}  // namespace

const Detector& monitor_check_detector() {
  static const MonitorCheckDetector d;
  return d;
}

}  // namespace hindcast
