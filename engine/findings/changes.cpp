// Trigger candidates: the action before the onset that the evidence ties to the failure.
//
// Only actions are candidates (engine/findings/actions.h): a package operation, an administrator's
// command, a cron job starting, a unit started, stopped or reloaded, a tool's report of a change. A
// job's report of its own failure is evidence, not the change. Each action in the half hour before
// the onset is scored by evidence, not wording:
//   - it touched what failed: names the root cause's object, path, directory, the file that
//     referenced it, its service or the package of that service (+3; +1.5 for a service action,
//     see tie_weight);
//   - it is a change by nature: a package operation, an administrator's command, a deploy (+1); a
//     cron job or a service action (+0.5): they are also how a healthy system runs;
//   - it is news: the chance that an action of its type lands this close before the onset by
//     accident (its type's own rate over the logs, a Poisson arrival within the lag), times the
//     chance that its key is one never seen before (Good-Turing: the share of keys seen once
//     among the type's earlier actions), in orders of magnitude (-log10), at most 3. A routine
//     cron job running every minute is no news at any lag; the first run of a new command one
//     second before the onset is; a deploy tool whose every release is new says nothing by being
//     new, only by being rare and close.
// A candidate needs 2 to be named: it touched what failed, or it is an action by nature that
// chance would put this close with this key less than one time in ten.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include <re2/re2.h>

#include "engine/findings/actions.h"
#include "engine/findings/analysis.h"
#include "engine/findings/pipeline.h"
#include "engine/findings/ranking.h"
#include "engine/findings/sessions.h"
#include "engine/findings/vocabulary.h"

namespace hindcast {
namespace {

// Chosen, not derived: an action older than half an hour is not a trigger (a change that waits
// longer to take effect is lost); an untied action's news falls with its lag anyway.
constexpr int64_t kLookback = 30 * 60 * kNanosPerSecond;
// Above kMinTriggerScore, so a tie alone names a trigger; news is capped at the same value, so no
// amount of it lets an untied action outrank a tied one of its nature.
constexpr double kTied = 3;
constexpr double kMaxNews = kTied;
// The history an action's news is judged on: of each kind of action message, the latest this
// many before the onset are read (a record decoded and read as an action); all are counted. The
// Good-Turing share of new keys from n actions has a standard error of at most 0.5/sqrt(n), 0.016
// at 1024, which moves news (-log10 of it) by less than 0.1 point for any share above 1/3 and
// cannot move an action across the 2-point line on its own: a longer history would cost a decode
// per action (a day of cron lines is hundreds of thousands) for no change of verdict.
constexpr size_t kMaxHistory = 1024;

// Touching what failed: full weight for a change (a package, a command, a deploy, a job); half for a
// unit starting, stopping or reloading, which is as often how a change takes effect (the restart
// after a package upgrade, the reload after an edit) as the change itself, and is logged every
// time a service is touched for any reason. Half of 3 plus a service action's nature (0.5) is
// kMinTriggerScore: tied, it is named at any news.
double tie_weight(ActionType t) { return t == ActionType::kServiceAction ? kTied / 2 : kTied; }

// With kMinTriggerScore 2, an untied change by nature needs news 1 (one in ten), an action that is
// also routine (cron, a unit) 1.5 (one in thirty).
double nature(ActionType t) {
  switch (t) {
    case ActionType::kPackage:
    case ActionType::kAdminCommand:
    case ActionType::kDeploy:
      return 1;
    case ActionType::kCronJob:
    case ActionType::kServiceAction:
      return 0.5;
  }
  return 0.5;
}

// An action of the history: what its news is judged on. Its record is read again only for the
// few in the look-back that become candidates (a Record is large; the history holds thousands).
struct Seen {
  Action action;
  std::string writer;
  int64_t time_ns;
  EventRef ref;
};

// What a type of action did before the onset: how often, and with which keys.
struct History {
  uint64_t count = 0;
  uint64_t once = 0;  // keys seen exactly once, kept as keys are added
  std::map<std::string, uint64_t> keys;
  void add(const std::string& key) {
    const uint64_t n = ++keys[key];
    once += n == 1;
    once -= n == 2;
    ++count;
  }
  double share_new() const {  // Good-Turing: keys seen once, among all
    return (static_cast<double>(once) + 1) / (static_cast<double>(count) + 1);
  }
};

// The program a unit start or a cron job runs: "certbot.service" -> "certbot";
// "/usr/local/bin/export-orders --out /x" -> "export-orders". Empty for other actions.
std::string program_run_by(const Action& act) {
  std::string_view s = act.subject;
  if (act.type == ActionType::kServiceAction) {
    if (!act.key.starts_with("Start")) return {};
    s = s.substr(0, s.find('.'));
  } else if (act.type == ActionType::kCronJob) {
    s = s.substr(0, s.find(' '));
    s = s.substr(s.rfind('/') + 1);  // (npos + 1: all of it)
  } else {
    return {};
  }
  return std::string(s.substr(0, s.find('@')));
}

// How long after the onset the program an action ran may report its own failure and still be
// read as having failed with it: chosen, not derived (a unit's hooks, a job's last lines come
// within seconds of what they broke; the incident's start is placed to the second).
constexpr int64_t kOwnFailureReach = 10 * kNanosPerSecond;

// The program the action ran reported a failure of its own as the failures began, in words never
// seen outside the incident ("certbot: Hook 'deploy-hook' reported error code 1" as nginx refused
// the key the hook installed): what it did is what broke, whatever it names. (A job that fails at
// every run says so outside the incident too, and is no tie.)
// The failing server's own start is not such an action: its failure is the symptom (the root
// cause's writer or service), and whatever made it start again is what the tie looks for.
bool failed_with_the_onset(const Analysis& a, const Action& act, int64_t from, int64_t onset, std::string_view host,
                           const Candidate* root) {
  const std::string prog = program_run_by(act);
  if (prog.size() < 3) return false;
  if (root && (is_service_of(*root, prog) || (!root->writer.empty() && same_service(root->writer, prog)))) return false;
  static const re2::RE2 failure_words{R"re((?i)\b(?:error|failed|failure|fatal)\b)re"};
  const auto [b, e] = a.message_range(from, onset + kOwnFailureReach);
  for (size_t i = b; i < e; ++i) {
    const MessageItem& m = a.messages()[i];
    if (!a.stats(m.template_id).is_new()) continue;
    const MessageFacts& f = a.template_facts(m.template_id);
    const bool failing = a.severity(i) >= Severity::kError || f.meaning == Meaning::kOtherError || cause_kind(f.meaning);
    const Record r = a.record(i);
    // A line with no priority (a syslog file's) says it failed in its words.
    if (!failing && !re2::RE2::PartialMatch(re2::StringPiece(r.message.data(), r.message.size()), failure_words)) continue;
    if ((!host.empty() && !r.host.empty() && r.host != host) || !same_service(r.program, prog)) continue;
    return true;
  }
  return false;
}

class ChangeDetector final : public Detector {
 public:
  std::string_view name() const override { return "changes"; }
  Stage stage() const override { return Stage::kChanges; }
  void run(const Analysis& a, std::vector<Candidate>& out) const override {
    if (!a.incident) return;
    const int64_t onset = a.incident->start_ns;
    const Candidate* root = a.root ? &a.causes[*a.root] : a.causes.empty() ? nullptr : &a.causes.front();
    const std::vector<std::string> ties = root ? tie_terms(*root) : std::vector<std::string>{};
    // The actions of the logs up to the onset, latest first: every one counted by its kind of
    // message (its signature: no decode), the latest kMaxHistory of each kind read (decoded, its
    // key taken), so a cron job running every second neither costs a decode per run nor crowds
    // out the rarer kinds' history.
    std::vector<Seen> actions;
    std::map<uint32_t, uint64_t> per_kind;  // signature -> its actions (before the onset, then all)
    std::map<uint32_t, std::pair<ActionType, std::string>> type_of_kind;
    const auto& sel = a.selected();
    const auto end = std::upper_bound(sel.begin(), sel.end(), onset + kNanosPerSecond,
                                      [](int64_t t, const SelectedMessage& m) { return t < m.time_ns; });
    for (auto it = end; it != sel.begin();) {
      --it;
      if (it->meaning != Meaning::kAction) continue;
      const uint32_t sig = a.timeline.event(it->ref()).signature();
      uint64_t& n = per_kind[sig];
      if (it->time_ns < onset) ++n;
      if (n > kMaxHistory) continue;
      const Record r = a.selected_record(*it);
      std::optional<Action> act = read_action(r);
      if (!act) continue;
      std::string writer = writer_of(a.timeline.source(it->ref()), r);
      type_of_kind.try_emplace(sig, act->type, writer);
      actions.push_back({std::move(*act), std::move(writer), it->time_ns, it->ref()});
    }
    std::reverse(actions.begin(), actions.end());
    // Each type's history before the onset, and each candidate's key as seen before it: keys from
    // the actions read, the count from every action of the type's kinds.
    std::map<std::pair<ActionType, std::string>, History> history;
    std::vector<uint64_t> seen_before(actions.size(), 0);
    for (size_t i = 0; i < actions.size(); ++i) {
      History& h = history[{actions[i].action.type, actions[i].writer}];
      const auto k = h.keys.find(actions[i].action.key);
      seen_before[i] = k == h.keys.end() ? 0 : k->second;
      if (actions[i].time_ns < onset) h.add(actions[i].action.key);
    }
    // A type's background rate: its actions over the whole logs (after the onset too: a short log
    // before the onset is too little time to tell a rare action from a routine one), per second.
    for (auto it = end; it != sel.end(); ++it)
      if (it->meaning == Meaning::kAction) ++per_kind[a.timeline.event(it->ref()).signature()];
    std::map<std::pair<ActionType, std::string>, uint64_t> all_of_type;
    for (const auto& [sig, type] : type_of_kind) all_of_type[type] += per_kind[sig];
    const int64_t span = std::max<int64_t>(a.axis().end(a.axis().size - 1) - a.axis().t0, kNanosPerSecond);
    const double failing_share = incident_failure_share(a);
    // Whether an action's message is about the root cause's service, read once per action key
    // (a routine job's every run says the same; reading a message's meaning is the costly part).
    std::map<std::pair<std::string, std::string>, bool> service_tie;
    const auto names_root_service = [&](const Record& record, const Seen& s) {
      const auto [it, fresh] = service_tie.try_emplace({s.writer, s.action.key}, false);
      if (fresh) it->second = is_service_of(*root, read_message(record).service);
      return it->second;
    };
    const size_t first_added = out.size();
    std::vector<std::pair<bool, bool>> tied_service;  // per candidate added: tied, a service action
    for (size_t i = 0; i < actions.size(); ++i) {
      const Seen& s = actions[i];
      if (s.time_ns < onset - kLookback) continue;
      const History& h = history[{s.action.type, s.writer}];
      // When it took effect: an administrator's command when its session closed, if that was
      // before the onset (known to the symptoms' buckets); else as it started.
      int64_t when = s.time_ns;
      std::optional<EventRef> done;
      if (s.action.type == ActionType::kAdminCommand)
        if (const auto k = message_index(a, s.ref, s.time_ns))
          if (const auto close = sudo_session_close(a, *k, onset + a.axis().width_ns)) {
            when = a.messages()[*close].time_ns;
            done = a.messages()[*close].ref;
          }
      const double lag_s = std::max(1.0, static_cast<double>(onset - when) / kNanosPerSecond);
      const uint64_t count = std::max<uint64_t>(all_of_type[{s.action.type, s.writer}], 1);
      const double rate = static_cast<double>(count) / std::max(1.0, static_cast<double>(span) / kNanosPerSecond);
      const double p_time = 1 - std::exp(-rate * lag_s);
      const double p_key = seen_before[i] ? 1.0 : std::min(1.0, h.share_new());
      const double news = std::clamp(-std::log10(std::max(p_time * p_key, 1e-12)), 0.0, kMaxNews);
      // Not even a tie would make it a candidate: nothing more to read (most routine jobs).
      if (tie_weight(s.action.type) + nature(s.action.type) + news < kMinTriggerScore) continue;
      const Record record = a.selected_record(SelectedMessage{s.time_ns, s.ref.index, s.ref.source, Meaning::kAction});
      const std::string text = std::string(record.message) + " " + s.action.subject;
      const bool names = mentions_any(text, ties) || (root && names_root_service(record, s));
      const bool failed_with = !names && failed_with_the_onset(a, s.action, s.time_ns, onset, record.host, root);
      const bool tied = (names || failed_with) &&
                        !(s.action.type == ActionType::kServiceAction &&
                          effect_hidden_before_onset(a, s.time_ns, onset, failing_share));
      const double score = (tied ? tie_weight(s.action.type) : 0) + nature(s.action.type) + news;
      if (score < kMinTriggerScore) continue;
      Candidate c;
      c.role = Role::kChange;
      c.kind = std::string(action_type_name(s.action.type));
      c.object = s.action.type == ActionType::kPackage ? std::string(record.package) : std::string(record.program);
      c.first_ns = c.last_ns = when;
      c.count = 1;
      c.evidence = {s.ref};
      if (done) c.evidence.push_back(*done);
      c.score = score;
      c.severity = Severity::kWarning;
      c.explanation = std::string(s.action.type == ActionType::kPackage ? "Package change shortly before the failures: "
                                                                         : "Change shortly before the failures: ") +
                      std::string(record.message.substr(0, 240)) + (!tied         ? ""
                       : names ? " (names what failed)"
                               : " (" + program_run_by(s.action) + " reported a failure of its own as the failures began)") +
                      (seen_before[i] ? "" : " (never done before in these logs)");
      out.push_back(std::move(c));
      tied_service.emplace_back(tied, s.action.type == ActionType::kServiceAction);
    }
    drop_effects_of_changes(first_added, tied_service, out);
  }

 private:
  // A unit stopping or starting after a change tied to the failure (a package upgrade restarting
  // its service, an edit followed by a restart) is how that change took effect: the change is the
  // trigger, its service action no rival of it.
  static void drop_effects_of_changes(size_t first_added, const std::vector<std::pair<bool, bool>>& tied_service,
                                      std::vector<Candidate>& out) {
    int64_t first_tied_change = std::numeric_limits<int64_t>::max();
    for (size_t k = 0; k < tied_service.size(); ++k)
      if (tied_service[k].first && !tied_service[k].second)
        first_tied_change = std::min(first_tied_change, out[first_added + k].first_ns);
    size_t w = first_added;
    for (size_t k = 0; k < tied_service.size(); ++k) {
      const size_t at = first_added + k;
      if (tied_service[k].second && out[at].first_ns >= first_tied_change) continue;
      if (w != at) out[w] = std::move(out[at]);
      ++w;
    }
    out.resize(w);
  }
};

}  // namespace

const Detector& change_detector() {
  static const ChangeDetector d;
  return d;
}

}  // namespace hindcast
