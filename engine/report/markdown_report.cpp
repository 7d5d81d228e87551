#include "engine/report/markdown_report.h"

#include <cstdio>

#include "engine/report/postmortem.h"
#include "engine/report/safe_text.h"

namespace hindcast {
namespace {

// Every piece of text from a log or a file name goes through markdown_text (prose) or
// markdown_code (quoted lines, paths): control characters become visible escapes and Markdown
// punctuation cannot open emphasis, links, raw HTML, tables or headings.
constexpr const char* kPlaceholder = "**[TO FILL IN]**";

std::string utc(const ResolvedTime& t) { return format_rfc3339_utc(t.utc, t.precision); }

std::string local(const ResolvedTime& t, const std::optional<int>& offset) {
  return offset ? " (" + format_rfc3339_offset(t.utc, t.precision, *offset) + " server time)" : "";
}

std::string cite(const std::string& source, uint32_t line) { return markdown_code(source + ":" + std::to_string(line)); }

std::string fixed(double v, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string phrases(const std::vector<Phrase>& text) {
  std::string s;
  for (const Phrase& p : text) s += p.literal ? markdown_code(p.text) : markdown_text(p.text);
  return s;
}

// "[TO FILL IN] rest" -> "**[TO FILL IN]** rest" (the placeholder stays greppable).
std::string placeholder_line(const std::string& s) {
  const std::string tag = "[TO FILL IN]";
  if (s.rfind(tag, 0) == 0) return std::string(kPlaceholder) + markdown_text(s.substr(tag.size()));
  return markdown_text(s);
}

void impact(std::string& md, const Report& r) {
  md += "## Impact\n\n";
  if (!r.incident) {
    md += "None found in the logs.\n\n";
    return;
  }
  const IncidentReport& i = *r.incident;
  const std::optional<int>& off = r.local_offset_seconds;
  md += "- **Start:** " + utc(i.start) + local(i.start, off) + "\n";
  md += i.end ? "- **End:** " + utc(*i.end) + local(*i.end, off) + "\n" : "- **End:** still failing at the end of the logs\n";
  if (i.duration_s) md += "- **Duration:** " + duration_text(*i.duration_s) + "\n";
  std::string statuses;
  for (const auto& [s, n] : i.impact.status_counts)
    statuses += (statuses.empty() ? "" : ", ") + std::to_string(n) + " × " + std::to_string(s);
  md += "- **Requests:** " + std::to_string(i.impact.requests_failed) + " of " + std::to_string(i.impact.requests_total) +
        " failed (" + fixed(i.impact.failed_ratio * 100, 1) + "%" + (statuses.empty() ? "" : "; " + statuses) + ")\n";
  md += "- **Clients affected:** " + std::to_string(i.impact.clients_affected) + " distinct client addresses\n";
  if (!i.impact.failing_urls.empty()) {
    md += "- **Failing URLs:** ";
    for (size_t k = 0; k < i.impact.failing_urls.size(); ++k) md += (k ? ", " : "") + markdown_code(i.impact.failing_urls[k]);
    md += "\n";
  }
  if (i.impact.failed_checks) md += "- **Failed health checks:** " + std::to_string(*i.impact.failed_checks) + "\n";
  if (i.impact.crashes) md += "- **Server processes crashed:** " + std::to_string(*i.impact.crashes) + "\n";
  if (!i.impact.note.empty()) md += "- " + markdown_text(i.impact.note) + "\n";
  md += "- " + std::string(kPlaceholder) + " user-facing impact (which pages, which users, revenue).\n\n";
}

void detection(std::string& md, const Report& r) {
  md += "## Detection\n\n";
  const DetectionReport& d = r.postmortem.detection;
  if (!r.incident) {
    md += "Not applicable: no incident.\n\n";
    return;
  }
  md += "- **First failure:** " + utc(*d.first_failure) +
        (d.first_failure_at ? " (" + cite(d.first_failure_at->source, d.first_failure_at->line) + ")" : "") + "\n";
  md += d.first_alert ? "- **First alert:** " + utc(*d.first_alert) +
                            (d.first_alert_at ? " (" + cite(d.first_alert_at->source, d.first_alert_at->line) + ")" : "") + "\n"
                      : "- **First alert:** none in the logs\n";
  if (d.gap_s) md += "- **Detection gap:** " + fixed(*d.gap_s, 1) + " s\n";
  md += "- " + markdown_text(d.how) + "\n";
  md += "- " + std::string(kPlaceholder) + " how people noticed, who responded, and when.\n\n";
}

void root_cause(std::string& md, const Report& r) {
  md += "## Root cause\n\n";
  if (!r.root_cause) {
    md += r.incident ? "The logs do not name a cause with enough evidence. " + std::string(kPlaceholder) + "\n\n"
                     : "Not applicable: no incident.\n\n";
    return;
  }
  const RootCauseReport& c = *r.root_cause;
  md += markdown_text(c.summary) + " (kind " + markdown_code(c.kind) + ", confidence " + fixed(c.confidence, 2) + ")\n\n";
  if (c.path) md += "- Failing path: " + markdown_code(*c.path) + (c.errno_name ? " (" + markdown_text(*c.errno_name) + ")" : "") + "\n";
  else if (c.object) md += "- What failed: " + markdown_code(*c.object) + (c.errno_name ? " (" + markdown_text(*c.errno_name) + ")" : "") + "\n";
  if (c.intended_path) md += "- Near-identical path that exists: " + markdown_code(*c.intended_path) + "\n";
  if (c.referenced_from) md += "- Referenced from: " + markdown_code(c.referenced_from->file + ":" + std::to_string(c.referenced_from->line)) + "\n";
  if (c.service) md += "- Service: " + markdown_code(*c.service) + "\n";
  if (c.url) md += "- Request: " + markdown_code(*c.url) + "\n";
  if (c.signal) md += "- Signal: " + markdown_code(*c.signal) + "\n";
  if (c.setting) md += "- Directive or limit: " + markdown_code(*c.setting) + "\n";
  if (c.host) md += "- Host: " + markdown_code(*c.host) + "\n";
  if (c.members > 1) md += "- Gathers " + std::to_string(c.members) + " failing objects\n";
  if (c.chain.size() > 1) {
    md += "\nWhy, from the deepest cause the logs show to what users saw:\n\n";
    for (size_t k = 0; k < c.chain.size(); ++k) {
      const ChainLinkReport& l = c.chain[k];
      md += std::string(k ? "- **then** " : "- **why:** ") + markdown_text(l.summary) + " (" + markdown_code(l.kind) +
            (l.host ? " on " + markdown_code(*l.host) : "") +
            (l.evidence.empty() ? std::string() : ", " + cite(l.evidence.front().source, l.evidence.front().line)) + ")\n";
    }
  }
  if (!c.evidence.empty()) {
    md += "\nEvidence chain:\n\n";
    for (const Evidence& e : c.evidence) md += "1. " + utc(e.time) + " " + cite(e.source, e.line) + ": " + markdown_code(e.text) + "\n";
  }
  if (!c.hypotheses.empty()) {
    md += "\nOther candidates considered:\n\n";
    for (const RootCauseReport& o : c.hypotheses)
      md += "- " + markdown_text(o.summary) + " (kind " + markdown_code(o.kind) + ", confidence " + fixed(o.confidence, 2) + ")\n";
  }
  md += "\n";
}

void trigger(std::string& md, const Report& r) {
  md += "## Trigger\n\n";
  if (!r.trigger) {
    md += r.incident ? "No change in the logs stands out as what set the incident off. " + std::string(kPlaceholder) + "\n\n"
                     : "Not applicable: no incident.\n\n";
    return;
  }
  const TriggerReport& t = *r.trigger;
  md += markdown_code(t.message) + " at " + utc(t.time) + local(t.time, r.local_offset_seconds) + " (" + cite(t.source, t.line) + ")";
  if (t.host || t.program)
    md += ", written by " + markdown_code((t.program ? *t.program : std::string("?")) + (t.host ? "@" + *t.host : ""));
  md += ".\n\n";
}

void resolution(std::string& md, const Report& r) {
  md += "## Resolution\n\n";
  if (!r.resolution) {
    md += r.incident ? "The logs end while the failures go on. " + std::string(kPlaceholder) + " how it was resolved.\n\n"
                     : "Not applicable: no incident.\n\n";
    return;
  }
  const ResolutionReport& s = *r.resolution;
  md += std::string(s.kind == "restart" ? "The service was restarted"
                    : s.kind == "dependency_restored" ? "The failed dependency was started again"
                                                      : "The failures stopped without a restart") +
        " at " + utc(s.time) + ": " + markdown_code(s.message) + " (" + cite(s.source, s.line) + "). " + kPlaceholder +
        " what was changed to fix it, and by whom.\n\n";
}

void timeline(std::string& md, const Report& r) {
  md += "## Timeline\n\nAll times UTC";
  if (r.local_offset_seconds) md += " (server time is UTC" + format_offset(*r.local_offset_seconds) + ")";
  md += ".\n\n";
  if (r.timeline.empty()) md += "_No key events._\n";
  for (const TimelineEntry& e : r.timeline)
    md += "- **" + utc(e.time) + "** — " + markdown_text(e.summary) + " (" + cite(e.source, e.line) + ")\n";
  md += "- " + std::string(kPlaceholder) + " when people noticed, who responded, what they tried.\n\n";
}

void action_items(std::string& md, const Report& r) {
  md += "## Action items\n\n";
  for (const ActionItem& a : r.postmortem.action_items)
    md += "- [ ] **" + a.type + ":** " + phrases(a.text) + " — owner: " + kPlaceholder + " _(" + markdown_text(a.why) + ")_\n";
  md += "- [ ] " + std::string(kPlaceholder) + " further items, owners and due dates.\n\n";
}

void lessons(std::string& md, const Report& r) {
  md += "## Lessons learned\n\n";
  auto list = [&](const char* title, const std::vector<std::string>& v) {
    md += "### " + std::string(title) + "\n\n";
    for (const std::string& s : v) md += "- " + placeholder_line(s) + "\n";
    md += "\n";
  };
  list("What went well", r.postmortem.went_well);
  list("What went wrong", r.postmortem.went_wrong);
  list("Where we got lucky", r.postmortem.got_lucky);
}

void supporting(std::string& md, const Report& r) {
  md += "## Supporting information\n\n### Sources read\n\n| file | format | lines | skipped | time basis |\n|---|---|---|---|---|\n";
  for (const SourceReport& s : r.sources)
    md += "| " + markdown_cell(s.path) + " | " + markdown_cell(s.format) + " | " + std::to_string(s.lines) + " | " +
          std::to_string(s.skipped) + " | " + markdown_cell(s.time_basis.empty() ? "none" : s.time_basis) + " |\n";
  md += "\n";
  if (!r.clock.empty()) md += "Clock: " + markdown_text(r.clock) + "\n\n";
  if (!r.anomalies.empty()) {
    md += "### Anomalies\n\n| severity | kind | first (UTC) | count | summary | evidence |\n|---|---|---|---|---|---|\n";
    for (const AnomalyReport& a : r.anomalies)
      md += "| " + a.severity + " | " + markdown_cell(a.kind) + " | " + utc(a.first) + " | " + std::to_string(a.count) + " | " +
            markdown_cell(a.summary) + " | " +
            (a.evidence.empty() ? "" : markdown_cell(a.evidence.front().source + ":" + std::to_string(a.evidence.front().line))) + " |\n";
    md += "\n";
  }
  md += "### Before publishing\n\n";
  md += "- [ ] Check the draft against the cited lines.\n";
  for (const std::string& d : r.data_quality) md += "- [ ] Data quality: " + markdown_text(d) + "\n";
}

}  // namespace

std::string render_markdown(const Report& r) {
  std::string md;
  md += "# " + markdown_text(r.postmortem.title) + "\n\n";
  md += "_Drafted by " + markdown_text(r.generator) + " from " + std::to_string(r.sources.size()) +
        " log files. Every statement cites its evidence as `file:line`; items marked " + kPlaceholder +
        " need a person._\n\n";
  md += "## Summary\n\n" + markdown_text(r.postmortem.summary) + "\n\n";
  impact(md, r);
  detection(md, r);
  root_cause(md, r);
  trigger(md, r);
  resolution(md, r);
  timeline(md, r);
  action_items(md, r);
  lessons(md, r);
  supporting(md, r);
  return md;
}

}  // namespace hindcast
