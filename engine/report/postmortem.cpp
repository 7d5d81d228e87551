#include "engine/report/postmortem.h"

#include <cmath>
#include <cstdio>
#include <map>

#include "engine/findings/kinds.h"

namespace hindcast {
namespace {

std::string utc(const ResolvedTime& t) { return format_rfc3339_utc(t.utc, t.precision); }

Phrase say(std::string s) { return {std::move(s), false}; }
Phrase quote(std::string s) { return {std::move(s), true}; }

class Items {
 public:
  void add(std::string type, std::vector<Phrase> text, std::string why) {
    ActionItem a;
    a.type = std::move(type);
    a.text = std::move(text);
    a.why = std::move(why);
    items.push_back(std::move(a));
  }
  std::vector<ActionItem> items;
};

std::string where(const FileLine& f) { return f.file + ":" + std::to_string(f.line); }

// The values an action item's placeholders take for this cause (engine/findings/kinds.h).
std::map<std::string, std::string> placeholders(const RootCauseReport& c) {
  std::map<std::string, std::string> v;
  auto put = [&](const char* k, const std::optional<std::string>& x) {
    if (x && !x->empty()) v[k] = *x;
  };
  put("object", c.object ? c.object : c.path);
  if (c.referenced_from) v["where"] = where(*c.referenced_from);
  put("intended", c.intended_path);
  put("service", c.service);
  put("signal", c.signal);
  put("url", c.url);
  put("errno", c.errno_name);
  put("directive", c.setting);
  v["php_lint"] = "php -l";
  const std::string_view check = configuration_check(c.referenced_from ? c.referenced_from->file : c.object.value_or(""),
                                                     c.service.value_or(""));
  if (!check.empty()) v["check"] = std::string(check);
  return v;
}

// A template's text as phrases: {name} is the quoted value; [a|b] the first alternative whose
// placeholders are all known. None when a placeholder outside brackets is unknown.
std::optional<std::vector<Phrase>> fill(std::string_view text, const std::map<std::string, std::string>& v) {
  std::vector<Phrase> out;
  auto add_text = [&](std::string_view t) {
    if (t.empty()) return;
    if (!out.empty() && !out.back().literal) out.back().text += t;
    else out.push_back(say(std::string(t)));
  };
  // Renders `part` (no brackets) into out; false if a placeholder is unknown.
  auto render = [&](std::string_view part, bool commit) {
    size_t k = 0;
    std::vector<Phrase> saved = out;
    while (k < part.size()) {
      const size_t open = part.find('{', k);
      if (open == std::string_view::npos) {
        add_text(part.substr(k));
        break;
      }
      add_text(part.substr(k, open - k));
      const size_t close = part.find('}', open);
      const auto it = v.find(std::string(part.substr(open + 1, close - open - 1)));
      if (it == v.end()) {
        out = std::move(saved);
        return false;
      }
      out.push_back(quote(it->second));
      k = close + 1;
    }
    if (!commit) out = std::move(saved);
    return true;
  };
  size_t k = 0;
  while (k < text.size()) {
    const size_t lb = text.find('[', k);
    if (!render(text.substr(k, lb == std::string_view::npos ? std::string_view::npos : lb - k), true)) return std::nullopt;
    if (lb == std::string_view::npos) break;
    const size_t rb = text.find(']', lb);
    std::string_view alts = text.substr(lb + 1, rb - lb - 1);
    for (;;) {
      const size_t bar = alts.find('|');
      if (render(alts.substr(0, bar), true)) break;
      if (bar == std::string_view::npos) break;
      alts.remove_prefix(bar + 1);
    }
    k = rb + 1;
  }
  return out;
}

// What failed and what would have caught it: the root-cause kind's action items (kinds.cpp).
void cause_items(const RootCauseReport& c, Items& out) {
  const std::optional<CauseKind> kind = kind_from_name(c.kind);
  const auto values = placeholders(c);
  for (const ActionTemplate& t : kind_info(kind.value_or(CauseKind::kUnknown)).actions) {
    std::optional<std::vector<Phrase>> text = fill(t.text, values);
    std::optional<std::vector<Phrase>> why = fill(t.why, values);
    if (!text || !why) continue;
    out.add(std::string(t.type), std::move(*text), plain_text(*why));
  }
}

}  // namespace

std::string plain_text(const std::vector<Phrase>& phrases) {
  std::string s;
  for (const Phrase& p : phrases) s += p.text;
  return s;
}

std::string duration_text(double s) {
  char buf[64];
  if (!(s >= 0)) s = 0;  // NaN or negative: a span read from broken input
  if (s < 120) {
    std::snprintf(buf, sizeof buf, "%.1f s", s);
    return buf;
  }
  // Whole seconds as 64-bit: a span over decades (a misdated line) stays representable.
  const long long whole = s < 9.0e18 ? static_cast<long long>(s) : 9000000000000000000LL;
  if (whole < 7200) std::snprintf(buf, sizeof buf, "%lld min %lld s", whole / 60, whole % 60);
  else std::snprintf(buf, sizeof buf, "%lld h %lld min", whole / 3600, whole / 60 % 60);
  return buf;
}

std::string root_cause_kind_words(const std::string& kind) {
  const std::optional<CauseKind> k = kind_from_name(kind);
  return k ? std::string(kind_info(*k).title) : kind;
}

Postmortem postmortem_of(const Report& r) {
  Postmortem pm;
  if (!r.incident) {
    pm.title = "Log review (draft): no incident found";
    pm.summary = "No burst of failing requests stands out from the access logs' own baseline" +
                 std::string(r.anomalies.empty() ? ", and no other anomaly was found." : "; the anomalies under Supporting information are listed for review.");
    pm.went_well = pm.went_wrong = pm.got_lucky = {"[TO FILL IN]"};
    return pm;
  }
  const IncidentReport& i = *r.incident;
  const std::string day = utc(i.start).substr(0, 10);
  std::string what = r.root_cause && r.root_cause->kind != "unknown" ? root_cause_kind_words(r.root_cause->kind)
                     : i.kind == "down"                               ? "outage"
                     : i.kind == "slow"                               ? "slow responses"
                     : i.kind == "partial"                            ? "partial outage"
                                                                      : "service failures";
  pm.title = "Postmortem (draft): " + what + " on " + day;

  // Summary: what, when, how bad, why, what set it off, what ended it.
  char ratio[32];
  std::snprintf(ratio, sizeof ratio, "%.1f%%", i.impact.failed_ratio * 100);
  std::string s = "From " + utc(i.start) + (i.end ? " to " + utc(*i.end) : " to the end of the logs (still failing)");
  if (i.duration_s) s += " (" + duration_text(*i.duration_s) + ")";
  s += ", " + std::to_string(i.impact.requests_failed) + " of " + std::to_string(i.impact.requests_total) + " requests failed (" +
       ratio + ").";
  if (i.impact.failed_checks) s += " " + std::to_string(*i.impact.failed_checks) + " health checks failed.";
  if (r.root_cause) s += " " + r.root_cause->summary;
  if (r.trigger) s += " It followed a change at " + utc(r.trigger->time) + ": " + r.trigger->message + ".";
  if (r.resolution)
    s += std::string(r.resolution->kind == "restart" ? " It ended with a service restart at "
                     : r.resolution->kind == "dependency_restored" ? " It ended when the failed dependency was started again at "
                                                                     : " The failures stopped at ") +
         utc(r.resolution->time) + ".";
  pm.summary = s;

  // Detection: first failure vs first alert.
  DetectionReport& d = pm.detection;
  d.first_failure = i.start;
  for (const TimelineEntry& e : r.timeline) {
    if (e.kind == "incident_start" && !d.first_failure_at) d.first_failure_at = Citation{e.source, e.line};
    if (e.kind == "detected" && !d.first_alert_at) d.first_alert_at = Citation{e.source, e.line};
    if (e.kind == "root_cause" && !pm.root_cause_first_evidence) pm.root_cause_first_evidence = e.time;
  }
  d.first_alert = i.detected;
  if (d.first_alert) {
    d.gap_s = static_cast<double>(d.first_alert->utc.ns - i.start.utc.ns) / kNanosPerSecond;
    d.how = *d.gap_s >= 0 ? "The first monitoring alert came " + duration_text(*d.gap_s) + " after the first failure."
                          : "The first monitoring alert came " + duration_text(-*d.gap_s) + " before the first failing request.";
  } else {
    d.how = "No monitoring alert appears in the logs: how the failure was noticed is not recorded there.";
  }
  // Without a root-cause entry on the timeline: the cause's first evidence that is not the
  // failing request the evidence chain opens with.
  if (!pm.root_cause_first_evidence && r.root_cause && r.root_cause->kind != "unknown")
    for (const Evidence& e : r.root_cause->evidence)
      if (!d.first_failure_at || e.source != d.first_failure_at->source || e.line != d.first_failure_at->line) {
        pm.root_cause_first_evidence = e.time;
        break;
      }

  // Action items: the cause's own, then detection and change safety.
  Items items;
  if (r.root_cause) cause_items(*r.root_cause, items);
  if (!d.first_alert) {
    items.add("detect", {say("Add a monitor that alerts on failing responses; none fired during this incident.")},
              "no alert appears in the logs");
  } else if (d.gap_s && *d.gap_s > 60) {
    items.add("detect", {say("Alert on the rate of failing responses from the access log: the first alert came " + duration_text(*d.gap_s) + " after the first failure.")},
              "the detection gap");
  } else {
    items.add("detect", {say("Alert on the rate of failing responses from the access log, not only on the periodic health check.")},
              "a health check samples one URL at intervals");
  }
  if (r.trigger) {
    std::vector<Phrase> p{say("Tie every change like the one at " + utc(r.trigger->time))};
    if (r.trigger->program) {
      p.push_back(say(" ("));
      p.push_back(quote(*r.trigger->program));
      p.push_back(say(")"));
    }
    p.push_back(say(" to an automatic health check and a one-command rollback."));
    items.add("mitigate", std::move(p), "the failures began right after a change");
  }
  pm.action_items = std::move(items.items);
  pm.went_well = {"[TO FILL IN] what worked in detection, response and recovery"};
  pm.went_wrong = {"[TO FILL IN] what made the impact larger or the recovery slower"};
  pm.got_lucky = {"[TO FILL IN] what limited the damage by chance"};
  return pm;
}

}  // namespace hindcast
