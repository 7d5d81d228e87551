#include "engine/report/markdown_report.h"

#include <cstdio>

namespace hindcast {
namespace {

constexpr const char* kPlaceholder = "**[TO FILL IN]**";

std::string utc(const ResolvedTime& t) { return format_rfc3339_utc(t.utc, t.precision); }

std::string local(const ResolvedTime& t, const std::optional<int>& offset) {
  if (!offset) return "";
  return format_rfc3339_offset(t.utc, t.precision, *offset);
}

std::string cite(const std::string& source, uint32_t line) { return "`" + source + ":" + std::to_string(line) + "`"; }

std::string duration_text(double s) {
  char buf[64];
  if (s < 120) std::snprintf(buf, sizeof buf, "%.1f s", s);
  else if (s < 7200) std::snprintf(buf, sizeof buf, "%d min %d s", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  else std::snprintf(buf, sizeof buf, "%d h %d min", static_cast<int>(s) / 3600, static_cast<int>(s) / 60 % 60);
  return buf;
}

std::string code(std::string_view s) {
  // Inline code that survives backticks in log text.
  const std::string_view fence = s.find('`') != std::string_view::npos ? "``" : "`";
  std::string out;
  out.reserve(s.size() + 6);
  out.append(fence);
  if (fence.size() > 1) out += ' ';
  out.append(s);
  if (fence.size() > 1) out += ' ';
  out.append(fence);
  return out;
}

void measures(std::string& md, const Report& r) {
  const std::string kind = r.root_cause ? r.root_cause->kind : "";
  auto item = [&](const std::string& s) { md += "- [ ] " + s + "\n"; };
  if (kind == "missing_file") {
    item("Add a pre-deploy check that every `require`/`include` target of the release exists "
         "(e.g. `php -l` plus a script that resolves include paths), and block the release when one does not.");
    item("Deploy settings files such as the one that referenced the missing path from version control only, "
         "read-only for the web server, so a one-character edit goes through review.");
    item("Run a smoke test of the main PHP entry points right after each release and roll back automatically on a 5xx.");
  } else if (kind == "permission_denied") {
    item("Add a permission policy test (owner, group and mode of the document root, `.htaccess` and "
         "configuration files) to the configuration-management run, and fail the job when the web server cannot read them.");
    item("Review jobs that change ownership or modes under the document root (hardening scripts, cron jobs) "
         "and exclude the files the web server must read.");
  } else if (kind == "php_parse_error") {
    item("Run `php -l` (syntax check) on every changed PHP file in the deploy pipeline and block the release on failure.");
    item("Deploy atomically (new release directory + symlink switch) so a bad file can be rolled back in one step.");
  } else if (kind == "php_fatal") {
    item("Add an automated smoke test of the PHP entry points after each change and roll back on a fatal error.");
  }
  if (r.incident) {
    item("Alert on the rate of failing responses (5xx, and 4xx above baseline) from the access log, not only on the periodic health check.");
    if (r.trigger) item("Link each deploy or configuration change to an automatic health verification and a one-command rollback.");
  }
  if (md.back() != '\n') md += '\n';
}

}  // namespace

std::string render_markdown(const Report& r) {
  std::string md;
  const std::optional<int>& off = r.local_offset_seconds;
  if (r.incident) {
    const std::string day = utc(r.incident->start).substr(0, 10);
    md += "# Postmortem (draft): " + std::string(r.root_cause ? r.root_cause->kind == "missing_file" ? "missing file" :
          r.root_cause->kind == "permission_denied" ? "permission denied" : r.root_cause->kind == "php_parse_error" ? "PHP parse error" :
          r.root_cause->kind : "service failures") + " on " + day + "\n\n";
  } else {
    md += "# Log review (draft): no incident found\n\n";
  }
  md += "_Drafted by " + r.generator + " from " + std::to_string(r.sources.size()) +
        " log files. Every statement cites its evidence as `file:line`; items marked " + kPlaceholder +
        " need a person._\n\n";

  md += "## Issue Summary\n\n";
  if (!r.incident) {
    md += "No burst of failing requests stands out from the access logs' own baseline";
    md += r.anomalies.empty() ? ", and no other anomaly was found.\n\n" : "; the anomalies below are listed for review.\n\n";
  } else {
    const IncidentReport& i = *r.incident;
    md += "- **Start:** " + utc(i.start) + (off ? " (" + local(i.start, off) + " server time)" : "") + "\n";
    if (i.end) md += "- **End:** " + utc(*i.end) + (off ? " (" + local(*i.end, off) + " server time)" : "") + "\n";
    else md += "- **End:** still failing at the end of the logs\n";
    if (i.duration_s) md += "- **Duration:** " + duration_text(*i.duration_s) + "\n";
    if (i.detected) md += "- **Detected:** " + utc(*i.detected) + " (first monitoring alert)\n";
    std::string statuses;
    for (const auto& [s, n] : i.impact.status_counts) statuses += (statuses.empty() ? "" : ", ") + std::to_string(n) + " × " + std::to_string(s);
    char ratio[16];
    std::snprintf(ratio, sizeof ratio, "%.1f%%", i.impact.failed_ratio * 100);
    md += "- **Impact:** " + std::to_string(i.impact.requests_failed) + " of " + std::to_string(i.impact.requests_total) +
          " requests failed (" + ratio + "; " + statuses + ") for " + std::to_string(i.impact.clients_affected) +
          " distinct client addresses. " + kPlaceholder + " user-facing impact (which pages, which users, revenue).\n";
    md += "- **Root cause:** " + (r.root_cause ? r.root_cause->summary : std::string("not determined from the logs. ") + kPlaceholder) + "\n";
    if (r.trigger) md += "- **Trigger:** " + code(r.trigger->message) + " at " + utc(r.trigger->time) + " (" + cite(r.trigger->source, r.trigger->line) + ")\n";
    if (r.resolution)
      md += "- **Resolution:** " + std::string(r.resolution->kind == "restart" ? "service restart" : "failures stopped without a restart") +
            " at " + utc(r.resolution->time) + " (" + cite(r.resolution->source, r.resolution->line) + ")\n";
    md += "\n";
  }

  md += "## Timeline\n\nAll times UTC";
  if (off) md += " (server time is UTC" + format_offset(*off) + ")";
  md += ".\n\n";
  if (r.timeline.empty()) md += "_No key events._\n";
  for (const TimelineEntry& e : r.timeline)
    md += "- **" + utc(e.time) + "** — " + e.summary + " (" + cite(e.source, e.line) + ")\n";
  md += "- " + std::string(kPlaceholder) + " how the failure was noticed by people, who responded, and when.\n\n";

  md += "## Root cause and resolution\n\n";
  if (r.root_cause) {
    const RootCauseReport& c = *r.root_cause;
    char conf[16];
    std::snprintf(conf, sizeof conf, "%.2f", c.confidence);
    md += c.summary + " (confidence " + conf + ")\n\n";
    if (c.path) md += "- Failing path: " + code(*c.path) + (c.errno_name ? " (" + *c.errno_name + ")" : "") + "\n";
    if (c.intended_path) md += "- Near-identical path that exists: " + code(*c.intended_path) + "\n";
    if (c.referenced_from) md += "- Referenced from: " + code(c.referenced_from->file + ":" + std::to_string(c.referenced_from->line)) + "\n";
    md += "\nEvidence chain:\n\n";
    for (const Evidence& e : c.evidence) md += "1. " + utc(e.time) + " " + cite(e.source, e.line) + ": " + code(e.text) + "\n";
    if (!c.hypotheses.empty()) {
      md += "\nOther candidates considered:\n\n";
      for (const RootCauseReport& o : c.hypotheses) {
        char oc[16];
        std::snprintf(oc, sizeof oc, "%.2f", o.confidence);
        md += "- " + o.summary + " (confidence " + oc + ")\n";
      }
    }
  } else if (r.incident) {
    md += "The logs do not name a cause with enough evidence. " + std::string(kPlaceholder) + "\n";
  } else {
    md += "Not applicable: no incident.\n";
  }
  if (r.resolution) {
    md += "\n" + std::string(r.resolution->kind == "restart" ? "The service was restarted" : "The failures stopped without a restart") +
          " at " + utc(r.resolution->time) + ": " + code(r.resolution->message) + " (" + cite(r.resolution->source, r.resolution->line) + "). " +
          kPlaceholder + " what was changed to fix it, and by which process.\n";
  }
  md += "\n";

  if (!r.anomalies.empty()) {
    md += "## Anomalies\n\n| severity | kind | first (UTC) | count | summary | evidence |\n|---|---|---|---|---|---|\n";
    for (const AnomalyReport& a : r.anomalies) {
      std::string summary = a.summary;
      for (char& ch : summary) if (ch == '|') ch = '/';
      md += "| " + a.severity + " | " + a.kind + " | " + utc(a.first) + " | " + std::to_string(a.count) + " | " + summary + " | " +
            (a.evidence.empty() ? "" : cite(a.evidence.front().source, a.evidence.front().line)) + " |\n";
    }
    md += "\n";
  }

  md += "## Corrective and preventative measures\n\n";
  if (r.incident) measures(md, r);
  md += "- [ ] " + std::string(kPlaceholder) + " owners and due dates.\n\n";

  md += "## TODO\n\n";
  md += "- [ ] " + std::string(kPlaceholder) + " how users and the team noticed; who was involved in the response.\n";
  md += "- [ ] " + std::string(kPlaceholder) + " lessons learned: what went well, what went wrong, where we got lucky.\n";
  md += "- [ ] Check the draft against the cited lines before publishing.\n";
  for (const std::string& d : r.data_quality) md += "- [ ] Data quality: " + d + "\n";
  for (const SourceReport& s : r.sources)
    if (!s.time_basis.empty() && s.time_basis != "explicit offset")
      md += "- [ ] Time basis of `" + s.path + "`: " + s.time_basis + "\n";
  return md;
}

}  // namespace hindcast
