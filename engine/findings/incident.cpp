#include "engine/findings/incident.h"

#include <algorithm>
#include <cmath>

#include "engine/findings/scan.h"

namespace hindcast {
namespace {

// How far a symptom's segment may lie from another's and still touch it: the precision of its
// series (a monitor that checks every 10 s places a change no closer than 10 s), at least a second.
int64_t touch(const Candidate& c) { return std::max<int64_t>(kNanosPerSecond, c.resolution_ns); }

double strength(const Candidate& c) { return c.score * std::log1p(static_cast<double>(c.count)); }

std::string kind_of(const Analysis& a, const std::vector<size_t>& members) {
  bool http = false, partial = false, monitors = false, crashes = false, slow = false, errors = false;
  for (size_t i : members) {
    const Candidate& c = a.symptoms[i];
    if (c.kind == "http_5xx_burst" || c.kind == "http_4xx_burst") {
      http = true;
      partial |= c.primary && !c.scope.empty();
    }
    monitors |= c.kind == "health_check_failing";
    crashes |= c.kind == "process_crashes";
    slow |= c.kind == "latency_high";
    errors |= c.kind == "error_burst";
  }
  if (http) return partial ? "partial" : "errors";
  if (errors && !monitors && !crashes) return "errors";  // no access log: the errors are what the logs show failing
  if (crashes && !monitors) return "partial";
  return slow ? "slow" : "down";
}

}  // namespace

std::optional<IncidentWindow> find_incident(Analysis& a) {
  // Which symptoms are discoveries: Benjamini-Hochberg over every symptom's scan p-value.
  std::vector<size_t> tested;
  std::vector<double> p;
  for (size_t i = 0; i < a.symptoms.size(); ++i)
    if (a.symptoms[i].role == Role::kSymptom) {
      tested.push_back(i);
      p.push_back(a.symptoms[i].p_value);
    }
  const std::vector<bool> discovered = benjamini_hochberg(p, kFalseDiscoveryRate);
  std::vector<bool> dropped(a.symptoms.size(), false);
  for (size_t k = 0; k < tested.size(); ++k) {
    if (discovered[k]) continue;
    Candidate& c = a.symptoms[tested[k]];
    // A failure that is not significant is noise, reported at most as a warning; a supporting
    // symptom that is not (a slow minute, a short silence) is not worth a line.
    if (!c.primary) {
      dropped[tested[k]] = true;
      continue;
    }
    c.role = Role::kNoise;
    c.primary = false;
    c.severity = std::min(c.severity, Severity::kWarning);
  }
  for (size_t i = a.symptoms.size(); i-- > 0;)
    if (dropped[i]) a.symptoms.erase(a.symptoms.begin() + static_cast<ptrdiff_t>(i));
  std::vector<size_t> primary;
  for (size_t i = 0; i < a.symptoms.size(); ++i)
    if (a.symptoms[i].role == Role::kSymptom && a.symptoms[i].primary) primary.push_back(i);
  if (primary.empty()) return std::nullopt;
  std::sort(primary.begin(), primary.end(),
            [&](size_t x, size_t y) { return a.symptoms[x].first_ns < a.symptoms[y].first_ns; });
  // Primaries that touch (overlap, within the coarser one's resolution) are one incident: the
  // union of their segments; the strongest union is the incident.
  std::vector<std::vector<size_t>> clusters;
  int64_t reach = INT64_MIN;
  for (size_t i : primary) {
    const Candidate& c = a.symptoms[i];
    if (clusters.empty() || c.first_ns - touch(c) > reach) clusters.emplace_back();
    clusters.back().push_back(i);
    reach = std::max(reach, c.last_ns + touch(c));
  }
  const std::vector<size_t>* best = nullptr;
  double best_strength = -1;
  for (const auto& cl : clusters) {
    double s = 0;
    for (size_t i : cl) s += strength(a.symptoms[i]);
    if (s > best_strength) {
      best_strength = s;
      best = &cl;
    }
  }
  IncidentWindow w;
  w.window = {INT64_MAX, INT64_MIN};
  for (size_t i : *best) {
    const Candidate& c = a.symptoms[i];
    if (c.first_ns < w.window.start_ns) {
      w.window.start_ns = c.first_ns;
      w.start_ref = c.evidence.front();
    }
    if (c.last_ns > w.window.end_ns) {
      w.window.end_ns = c.last_ns;
      w.end_ref = c.last_event.value_or(c.evidence.front());
    }
    w.still_failing |= c.open_ended;
    w.symptoms.push_back(i);
  }
  // Supporting symptoms that overlap the window describe it (never stretch it: a crawler's slow
  // pages begin at its arrival, which is the trigger, not the outage).
  for (size_t i = 0; i < a.symptoms.size(); ++i) {
    const Candidate& c = a.symptoms[i];
    if (c.role != Role::kSymptom || c.primary) continue;
    if (c.last_ns >= w.window.start_ns - touch(c) && c.first_ns <= w.window.end_ns + touch(c)) w.symptoms.push_back(i);
  }
  w.kind = kind_of(a, w.symptoms);
  for (size_t i : w.symptoms) {
    const Scope& sc = a.symptoms[i].scope;
    if (!a.symptoms[i].primary || sc.empty()) continue;
    for (const std::string& u : sc.urls) w.scope.urls.push_back(u);
    for (const std::string& v : sc.vhosts) w.scope.vhosts.push_back(v);
    for (const std::string& u : sc.upstreams) w.scope.upstreams.push_back(u);
  }
  return w;
}

// One chance in a hundred: the level at which chance alone would hide an effect.
constexpr double kHiddenEffect = 0.01;

double incident_failure_share(const Analysis& a) {
  const auto reqs = a.requests();
  auto it = reqs.begin() + static_cast<ptrdiff_t>(a.request_at(a.incident->start_ns));
  uint64_t all = 0, failed = 0;
  for (; it != reqs.end() && it->time_ns <= a.incident->end_ns; ++it) {
    ++all;
    failed += it->status >= 500;
  }
  return all ? static_cast<double>(failed) / static_cast<double>(all) : 0;
}

bool effect_hidden_before_onset(const Analysis& a, int64_t from, int64_t onset, double share) {
  if (share <= 0) return false;
  const auto reqs = a.requests();
  auto it = reqs.begin() + static_cast<ptrdiff_t>(a.request_at(from));
  double p_unseen = 1;
  for (; it != reqs.end() && it->time_ns < onset; ++it) {
    if (it->status >= 500 || it->status == 0) continue;
    p_unseen *= 1 - share;
    if (p_unseen < kHiddenEffect) return true;
  }
  return false;
}

void refine_start(const Analysis& a, IncidentWindow& w) {
  const double share = incident_failure_share(a);
  const auto [b, e] = a.message_range(w.window.start_ns - kIncidentLead, w.window.start_ns - 1);
  for (size_t i = b; i < e; ++i) {
    const MessageItem& m = a.messages()[i];
    const TemplateStats& st = a.stats(m.template_id);
    if (!st.is_new() || st.first_ns != m.time_ns) continue;  // not new, or not its first occurrence
    const Meaning meaning = a.template_facts(m.template_id).meaning;
    const bool failure = cause_kind(meaning).has_value() ||
                         meaning == Meaning::kOtherError;
    if (!failure || meaning == Meaning::kClientError) continue;
    // An error by its words (a failing disk) counts whatever priority its line carried.
    if (meaning == Meaning::kOtherError && a.severity(i) < Severity::kError &&
        a.template_facts(m.template_id).device.empty())
      continue;
    // Requests answered well after it say it did not begin the failure, unless it is a limit
    // reached: that queues the work, and the failures come when the waits time out, after the
    // requests already being served finished well.
    if (cause_kind(meaning) != CauseKind::kResourceLimit &&
        effect_hidden_before_onset(a, m.time_ns, w.window.start_ns, share))
      continue;
    w.window.start_ns = m.time_ns;
    w.start_ref = m.ref;
    return;  // messages are in time order: the first is the earliest
  }
}

}  // namespace hindcast
