// What ended the incident, from what the logs show around its end:
//   - dependency_restored: the service behind the root cause started again;
//   - restart: the server was restarted or reloaded (service manager, the server's own
//     lifecycle messages, SIGHUP/SIGUSR1 seen by strace);
//   - recovered with action "revert": a change that undoes the trigger (it names the same
//     files or package), or an administrator's command on the root cause's object, just
//     before failures stop;
//   - recovered: failures simply stopped; the first good answer after the last failure.
// Each is scored by how specific it is and how close to the end it lies; none while the
// failure is still going on at the end of the logs.
#include <algorithm>
#include <cmath>

#include <re2/re2.h>

#include "engine/findings/actions.h"
#include "engine/findings/sessions.h"
#include "engine/findings/analysis.h"
#include "engine/findings/kinds.h"
#include "engine/findings/pipeline.h"
#include "engine/findings/ranking.h"
#include "engine/findings/vocabulary.h"

namespace hindcast {
namespace {

// kResolutionReach (pipeline.h), chosen, not derived: a restart or start takes seconds and the
// end is placed to its symptom's resolution; a slower recovery (a database's crash recovery) is
// missed, a wider reach takes unrelated actions. The points below (3, 2.5, 2, 1.5, 1) are an order
// of specificity, 0.5 apart: closeness (0..1) overturns the next kind only when 10 s closer.
constexpr int64_t kReach = kResolutionReach;
// How long before the last failure a revert may come: a reverted file takes effect once PHP's
// opcache revalidates it (opcache.revalidate_freq, 2 s by default) and requests already running
// finish; 5 s covers both. An earlier change did not end the failures.
constexpr int64_t kRevertLead = 5 * kNanosPerSecond;

double closeness(int64_t t, int64_t end) {
  return 1.0 - std::min(1.0, std::fabs(static_cast<double>(t - end)) / kReach);
}

// Absolute paths and package names a change message names.
std::vector<std::string> named_objects(const Record& r) {
  std::vector<std::string> out;
  if (!r.package.empty()) out.emplace_back(r.package.substr(0, r.package.find(':')));
  for (std::string_view path : paths_in(r.message))
    if (path.size() > 3) out.emplace_back(path);  // "/etc", "/srv": shorter is a slash or a fraction
  return out;
}

// The causes of the chain, the root first; the root alone when there is no chain.
std::vector<const Candidate*> chain_links(const Analysis& a) {
  std::vector<const Candidate*> out;
  if (a.causes.empty()) return out;
  out.push_back(&a.causes.front());
  for (size_t i : a.chain)
    if (i < a.causes.size() && &a.causes[i] != out.front()) out.push_back(&a.causes[i]);
  return out;
}

// A unit that a link of the chain names as its service, or one of the services its kind can
// have behind it (a resolver behind a name that does not resolve).
bool stands_behind(const std::vector<const Candidate*>& links, std::string_view unit) {
  if (unit.empty()) return false;
  for (const Candidate* c : links) {
    if (is_service_of(*c, unit)) return true;
    for (std::string_view s : kind_info(c->cause).behind)
      if (same_service(s, unit)) return true;
  }
  return false;
}

// The web server's backend for the requests it serves: the link's endpoint is what a line of
// its evidence failed to reach "while connecting to upstream" (nginx) or as its "backend"
// (Apache's proxy modules), wherever the line was read from (the error log, the journal).
bool is_request_backend(const Analysis& a, const Candidate& c) {
  for (EventRef r : c.evidence) {
    Record rec;
    if (!decode_record(a.timeline.source(r), a.timeline.event(r), &rec)) continue;
    const std::string_view m = rec.message;
    if ((m.find("upstream") != std::string_view::npos || m.find("backend") != std::string_view::npos) &&
        (rec.endpoint == c.object || read_message(rec).endpoint == c.object))
      return true;
  }
  return false;
}

// An administrator's command that restarts or reloads a service ("systemctl restart php8.2-fpm",
// "service nginx reload", "apachectl graceful", "nginx -s reload"): a restart, whatever else it
// names (the package the trigger upgraded, say).
bool restart_command(const std::optional<Action>& act) {
  static const re2::RE2 re{
      R"re(\b(?:(?:systemctl|service|invoke-rc\.d)\b.*\b(?:restart|reload|start|try-restart|reload-or-restart|force-reload)\b|apache2?ctl\s+(?:graceful|restart|start)\b|nginx\s+-s\s+reload\b))re"};
  return act && act->type == ActionType::kAdminCommand && re2::RE2::PartialMatch(re2::StringPiece(act->key.data(), act->key.size()), re);
}

// A unit starting, stopping or reloading: how a fix takes effect, never the fix (the revert) itself.
bool service_action(const std::optional<Action>& act) {
  return act && act->type == ActionType::kServiceAction;
}

// `effect`: the message that shows when it took effect, when not `m` itself (a command's session
// closing).
Candidate resolution(const MessageItem& m, std::string kind, std::string action, double score, std::string why,
                     const MessageItem* effect = nullptr) {
  Candidate c;
  c.role = Role::kResolution;
  if (kind == "restart") c.anomaly_kind = "service_restart";  // the anomaly list's name for it
  c.kind = std::move(kind);
  c.object = std::move(action);
  c.first_ns = c.last_ns = effect ? effect->time_ns : m.time_ns;
  c.count = 1;
  c.evidence = {m.ref};
  if (effect) c.evidence.push_back(effect->ref);
  c.score = score;
  c.severity = Severity::kInfo;
  c.explanation = std::move(why);
  return c;
}

class ResolutionDetector final : public Detector {
 public:
  std::string_view name() const override { return "resolution"; }
  Stage stage() const override { return Stage::kResolutions; }
  void run(const Analysis& a, std::vector<Candidate>& out) const override {
    if (!a.incident || a.still_failing) return;
    const int64_t end = a.incident->end_ns;
    const Candidate* root = a.causes.empty() ? nullptr : &a.causes.front();
    const std::vector<std::string> root_terms = root ? tie_terms(*root) : std::vector<std::string>{};
    const std::vector<const Candidate*> links = chain_links(a);
    // The failure was a dependency's when the deepest cause is one (a refused endpoint, a name
    // that did not resolve) or is what happened to one behind a dependency link of the chain: a
    // crash (an OOM kill behind a refused endpoint), or any cause on another host than the
    // failing requests (a database that refused its own configuration). A cause of the server's
    // own on its own host (its configuration, its code, its FastCGI pool) is ended by a fix and a
    // restart of that server.
    // A dependency link that is the web server's own backend on the root's host (nginx's
    // "upstream", Apache's "backend": the FastCGI pool that runs the site's code) is part of the
    // server: its crash ended by its start is a restart, as a refused pool file is.
    const auto dependency_beyond_server = [&](const Candidate* c) {
      return kind_info(c->cause).dependency && !(c->host == links.front()->host && is_request_backend(a, *c));
    };
    const bool dependency_link = std::any_of(links.begin(), links.end(), dependency_beyond_server);
    const bool other_host = !links.empty() && !links.front()->host.empty() && !links.back()->host.empty() &&
                            links.front()->host != links.back()->host;
    const bool on_dependency =
        !links.empty() && (kind_info(links.front()->cause).dependency ||
                           (dependency_link && (links.front()->is(CauseKind::kCrash) || other_host)));
    std::vector<std::string> trigger_terms;
    std::optional<Action> trigger_action;
    std::string trigger_writer;
    if (!a.changes.empty()) {
      const Candidate& trig = a.changes.front();
      for (EventRef r : trig.evidence) {
        Record rec;
        if (!decode_record(a.timeline.source(r), a.timeline.event(r), &rec)) continue;
        for (std::string& o : named_objects(rec)) trigger_terms.push_back(std::move(o));
        if (!trigger_action && (trigger_action = read_action(rec))) trigger_writer = writer_of(a.timeline.source(r), rec);
      }
    }
    // The trigger's own kind of change made again by the same tool or person as failures stop
    // undoes it (a deploy tool's rollback, a second package operation on the same package, the
    // same admin's next edit), whether or not it names the same files: a tool that names no file
    // is undone by its next run.
    const auto undoes_trigger = [&](const std::optional<Action>& act, const Record& rec, const Source& src) {
      if (!trigger_action || trigger_action->type == ActionType::kServiceAction || trigger_action->type == ActionType::kCronJob)
        return false;
      return act && act->type == trigger_action->type && writer_of(src, rec) == trigger_writer;
    };
    // A line of the program the trigger ran (a cron job's or an admin's command reporting what it
    // did, "export-orders: ... partial export removed"): that job's own end, not someone undoing it.
    const auto written_by_trigger = [&](const Record& rec) {
      if (!trigger_action || rec.program.empty() ||
          (trigger_action->type != ActionType::kCronJob && trigger_action->type != ActionType::kAdminCommand))
        return false;
      const std::string& cmd = trigger_action->key;
      const std::string prog(rec.program);
      return cmd.find("/" + prog + " ") != std::string::npos || cmd.ends_with("/" + prog) ||
             cmd.starts_with(prog + " ") || cmd == prog;
    };
    const size_t first_added = out.size();
    std::vector<size_t> root_starts;  // candidates: the root cause's service starting or restarting
    const auto [b, e] = a.message_range(end - kReach, end + kReach);
    for (size_t i = b; i < e; ++i) {
      const MessageItem& m = a.messages()[i];
      const MessageFacts& f = a.template_facts(m.template_id);
      const Record rec = a.record(i);
      const std::optional<Action> act = read_action(rec);  // read once: restart, revert or neither
      // An administrator's command took effect when its session closed (sessions.h).
      std::optional<size_t> done;
      if (act && act->type == ActionType::kAdminCommand) done = sudo_session_close(a, i, end + kReach);
      const MessageItem& effect = done ? a.messages()[*done] : m;
      const double near = closeness(effect.time_ns, end);
      const std::string line = std::string(rec.message.substr(0, 240));
      // A server that refused its own configuration, key or code is the service whose start
      // ends it (a dependency's client is not: what ends it is the dependency).
      const bool names_root = mentions_any(rec.message, root_terms) ||
                              (root && (is_service_of(*root, f.service) ||
                                        (!kind_info(root->cause).dependency && !f.service.empty() &&
                                         !root->writer.empty() && same_service(root->writer, f.service))));
      if ((f.meaning == Meaning::kServiceStarted || f.meaning == Meaning::kServiceRestarted) && on_dependency &&
          (names_root || stands_behind(links, f.service))) {
        out.push_back(resolution(m, "dependency_restored", "start", 3 + near, "The failed dependency started again: " + line));
      } else if (f.meaning == Meaning::kServiceRestarted || restart_command(act)) {
        if (names_root) root_starts.push_back(out.size());
        out.push_back(resolution(m, "restart", "restart", 2 + near, "Restart: " + line, done ? &effect : nullptr));
      } else if (f.meaning == Meaning::kServiceStarted && m.time_ns >= a.incident->start_ns) {
        if (names_root) root_starts.push_back(out.size());
        out.push_back(resolution(m, "restart", "start", 1.5 + near, "Start: " + line));
      } else if (effect.time_ns >= end - kRevertLead && !service_action(act) && !written_by_trigger(rec) &&
                 ((!trigger_terms.empty() && mentions_any(std::string(rec.message) + " " + std::string(rec.package), trigger_terms) &&
                   (f.meaning == Meaning::kNone || rec.kind == RecordKind::kChange)) ||
                  (trigger_action && m.time_ns > a.changes.front().first_ns && undoes_trigger(act, rec, a.timeline.source(m.ref))))) {
        out.push_back(resolution(m, "recovered", "revert", 2.5 + near, "A change undoing the trigger: " + line,
                                 done ? &effect : nullptr));
      } else if (effect.time_ns >= end - kRevertLead && act && act->type == ActionType::kAdminCommand &&
                 mentions_any(rec.message, root_terms)) {
        // An administrator's command on the root cause's own object as failures stop (a chmod
        // of the directory a deploy made unreadable, an edit of the file that broke): it undid
        // what the trigger did to that object, by hand.
        out.push_back(resolution(m, "recovered", "revert", 2.5 + near, "A command on the root cause's object: " + line,
                                 done ? &effect : nullptr));
      }
    }
    fixes_taking_effect(first_added, root_starts, out);
    restarts_seen_by_strace(a, end, out);
    first_good_answer(a, end, out);
  }

 private:
  // A fix of a service's own cause takes effect when that service starts again (a server that
  // could not start with its broken configuration stays down after the edit that mends it): a
  // start or restart of the root cause's service after a change undoing the trigger is what
  // ended the failures, and that change is cited with it as the fix it needed.
  static void fixes_taking_effect(size_t first_added, const std::vector<size_t>& root_starts, std::vector<Candidate>& out) {
    std::vector<bool> drop(out.size(), false);
    for (size_t k = first_added; k < out.size(); ++k) {
      if (out[k].object != "revert") continue;
      for (const size_t s : root_starts) {
        Candidate& start = out[s];
        if (start.first_ns < out[k].first_ns) continue;
        start.score = std::max(start.score, out[k].score);
        start.evidence.insert(start.evidence.end(), out[k].evidence.begin(), out[k].evidence.end());
        start.explanation += "; after the fix: " + out[k].explanation;
        drop[k] = true;
        break;
      }
    }
    size_t w = first_added;
    for (size_t k = first_added; k < out.size(); ++k) {
      if (drop[k]) continue;
      if (w != k) out[w] = std::move(out[k]);
      ++w;
    }
    out.resize(w);
  }

  static void restarts_seen_by_strace(const Analysis& a, int64_t end, std::vector<Candidate>& out) {
    for (const EventRef r : a.timeline.range(end - kReach, end + kReach)) {
      const Event& e = a.timeline.event(r);
      if (e.kind != EventKind::kSignal) continue;
      Record rec;
      if (!decode_record(a.timeline.source(r), e, &rec) || (rec.signal != "SIGHUP" && rec.signal != "SIGUSR1")) continue;
      MessageItem m;
      m.ref = r;
      m.time_ns = e.time_ns;
      out.push_back(resolution(m, "restart", "restart", 1.5 + closeness(e.time_ns, end),
                               "The server received " + std::string(rec.signal) + " (restart)"));
      return;  // the first is enough: a reload signals every process
    }
  }

  static void first_good_answer(const Analysis& a, int64_t end, std::vector<Candidate>& out) {
    const auto& reqs = a.requests();
    auto it = std::upper_bound(reqs.begin(), reqs.end(), end, [](int64_t t, const Request& q) { return t < q.time_ns; });
    // Requests stamped in the last failing second may already be good: start there.
    while (it != reqs.begin() && std::prev(it)->time_ns >= end) --it;
    for (; it != reqs.end() && it->time_ns <= end + kReach; ++it) {
      if (it->status == 0 || it->status >= 400) continue;
      MessageItem m;
      m.ref = it->ref();
      m.time_ns = it->time_ns;
      out.push_back(resolution(m, "recovered", "none logged", 1 + closeness(it->time_ns, end),
                               "Failures stop: the first good answer after the last failure"));
      return;
    }
  }
};

}  // namespace

const Detector& resolution_detector() {
  static const ResolutionDetector d;
  return d;
}

}  // namespace hindcast
