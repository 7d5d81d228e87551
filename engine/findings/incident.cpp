#include "engine/findings/incident.h"

#include <algorithm>
#include <cmath>

namespace hindcast {
namespace {

constexpr int64_t kTouch = 60 * kNanosPerSecond;

double strength(const Candidate& c) { return c.score * std::log1p(static_cast<double>(c.count)); }

std::string kind_of(const Analysis& a, const std::vector<size_t>& members) {
  bool http = false, partial = false, monitors = false, crashes = false, slow = false;
  for (size_t i : members) {
    const Candidate& c = a.symptoms[i];
    if (c.kind == "http_5xx_burst" || c.kind == "http_4xx_burst") {
      http = true;
      partial |= c.url.has_value();
    }
    monitors |= c.kind == "health_check_failing";
    crashes |= c.kind == "process_crashes";
    slow |= c.kind == "latency_high";
  }
  if (http) return partial ? "partial" : "errors";
  if (crashes && !monitors) return "partial";
  return slow ? "slow" : "down";
}

}  // namespace

std::optional<IncidentWindow> find_incident(const Analysis& a) {
  std::vector<size_t> primary;
  for (size_t i = 0; i < a.symptoms.size(); ++i)
    if (a.symptoms[i].role == Role::kSymptom && a.symptoms[i].primary) primary.push_back(i);
  if (primary.empty()) return std::nullopt;
  std::sort(primary.begin(), primary.end(),
            [&](size_t x, size_t y) { return a.symptoms[x].first_ns < a.symptoms[y].first_ns; });
  // Clusters of primaries that touch; the strongest wins.
  std::vector<std::vector<size_t>> clusters;
  int64_t reach = INT64_MIN;
  for (size_t i : primary) {
    const Candidate& c = a.symptoms[i];
    if (clusters.empty() || c.first_ns > reach) clusters.emplace_back();
    clusters.back().push_back(i);
    reach = std::max(reach, c.last_ns + kTouch);
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
  // Supporting symptoms that overlap the window describe it.
  for (size_t i = 0; i < a.symptoms.size(); ++i) {
    const Candidate& c = a.symptoms[i];
    if (c.role != Role::kSymptom || c.primary) continue;
    if (c.last_ns >= w.window.start_ns - kTouch && c.first_ns <= w.window.end_ns) w.symptoms.push_back(i);
  }
  w.kind = kind_of(a, w.symptoms);
  return w;
}

void refine_start(const Analysis& a, IncidentWindow& w) {
  const auto [b, e] = a.message_range(w.window.start_ns - kIncidentLead, w.window.start_ns - 1);
  for (size_t i = b; i < e; ++i) {
    const MessageItem& m = a.messages()[i];
    const TemplateStats& st = a.stats(m.template_id);
    if (!st.is_new() || st.first_ns != m.time_ns) continue;  // not new, or not its first occurrence
    const Meaning meaning = a.template_facts(m.template_id).meaning;
    const bool failure = !cause_kind(meaning).empty() || meaning == Meaning::kServiceFailed ||
                         meaning == Meaning::kOtherError;
    if (!failure || meaning == Meaning::kClientError) continue;
    // An error by its words (a failing disk) counts whatever priority its line carried.
    if (meaning == Meaning::kOtherError && a.severity(i) < Severity::kError &&
        a.template_facts(m.template_id).device.empty())
      continue;
    w.window.start_ns = m.time_ns;
    w.start_ref = m.ref;
    return;  // messages are in time order: the first is the earliest
  }
}

}  // namespace hindcast
