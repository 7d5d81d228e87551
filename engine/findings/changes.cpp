// Trigger candidates: the change before the onset that the evidence ties to the failure.
//
// Every message and package-manager record in the half hour before the onset is a candidate
// unless it is itself a symptom (an error, a failed service, a monitor result) or routine (its
// template occurs three times or more in the logs). What ranks a candidate is evidence, not
// wording:
//   - it names what failed: the root cause's object, path, directory, the file that referenced
//     it, its service or the package of that service (+3);
//   - it is a change by nature: a package operation (+1);
//   - it is rare: the only one of its template (+1; two: +0.5);
//   - it is close before the onset (+1 at the onset, falling to 0 at the half hour).
// A few generic verbs of change (deploy, upgrade, chmod, ...) add +0.5, enough to break a tie,
// never enough alone. A candidate needs 2 to be named: tied, or rare and close and a change.
#include <algorithm>
#include <cctype>

#include "engine/findings/analysis.h"
#include "engine/findings/ranking.h"

namespace hindcast {
namespace {

constexpr int64_t kLookback = 30 * 60 * kNanosPerSecond;
constexpr double kMinScore = 2.0;

bool contains_ci(std::string_view s, std::string_view w) {
  return std::search(s.begin(), s.end(), w.begin(), w.end(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
         }) != s.end();
}

bool change_verb(std::string_view text) {
  static constexpr std::string_view kVerbs[] = {"deploy", "release", "rollout", "upgrade", "install",
                                                "update", "changed", "chmod", "chown", "edit", "migrat", "rollback",
                                                "revert", "apply", "applied", "restart", "stop", "kill"};
  for (std::string_view v : kVerbs)
    if (contains_ci(text, v)) return true;
  return false;
}

bool is_symptom_meaning(Meaning m) {
  return m == Meaning::kMonitorFailing || m == Meaning::kMonitorOk || m == Meaning::kClientError ||
         m == Meaning::kServiceFailed || m == Meaning::kOtherError || cause_kind(m).has_value();
}

class ChangeDetector final : public Detector {
 public:
  std::string_view name() const override { return "changes"; }
  Stage stage() const override { return Stage::kChanges; }
  void run(const Analysis& a, std::vector<Candidate>& out) const override {
    if (!a.incident) return;
    const int64_t onset = a.incident->start_ns;
    const std::vector<std::string> ties = a.causes.empty() ? std::vector<std::string>{} : tie_terms(a.causes.front());
    const auto [b, e] = a.message_range(onset - kLookback, onset + kNanosPerSecond);
    for (size_t i = b; i < e; ++i) {
      const MessageItem& m = a.messages()[i];
      const MessageFacts& tf = a.template_facts(m.template_id);
      if (is_symptom_meaning(tf.meaning)) continue;
      const TemplateStats& st = a.stats(m.template_id);
      const uint64_t total = st.before + st.during + st.after + st.elsewhere;
      const Record r = a.record(i);
      const bool package_op = r.kind == RecordKind::kChange;
      // A package operation's sub-steps (status, startup, trigger processing) belong to it.
      if (package_op && (r.action == "status" || r.action == "startup" || r.action == "trigproc")) continue;
      if (total >= 3 && !package_op) continue;  // routine
      const std::string text = std::string(r.message) + " " + std::string(r.package);
      double score = 0;
      const bool tied = mentions_any(text, ties) || (!a.causes.empty() && is_service_of(a.causes.front(), tf.service));
      if (tied) score += 3;
      if (package_op) score += 1;
      score += total <= 1 ? 1 : total == 2 ? 0.5 : 0;
      if (change_verb(text) || change_verb(r.action)) score += 0.5;
      score += 1.0 - std::clamp(static_cast<double>(onset - m.time_ns) / kLookback, 0.0, 1.0);
      if (score < kMinScore) continue;
      Candidate c;
      c.role = Role::kChange;
      c.kind = package_op ? "package_change" : "config_change";
      c.object = package_op ? std::string(r.package) : std::string(r.program);
      c.first_ns = c.last_ns = m.time_ns;
      c.count = 1;
      c.evidence = {m.ref};
      c.score = score;
      c.severity = Severity::kWarning;
      c.explanation = std::string(package_op ? "Package change shortly before the failures: "
                                             : "Change shortly before the failures: ") +
                      std::string(r.message.substr(0, 240)) + (tied ? " (names what failed)" : "");
      out.push_back(std::move(c));
    }
  }
};

}  // namespace

const Detector& change_detector() {
  static const ChangeDetector d;
  return d;
}

}  // namespace hindcast
