#include "engine/report/analyze.h"

#include <algorithm>
#include <set>

#include "engine/findings/evidence.h"
#include "engine/findings/http_burst.h"
#include "engine/findings/path_failures.h"
#include "engine/findings/php_errors.h"
#include "engine/findings/service_events.h"
#include "parsers/apache_access.h"
#include "parsers/apache_error.h"

namespace hindcast {
namespace {

constexpr int64_t kSecond = kNanosPerSecond;

std::string status_list(const std::vector<uint16_t>& statuses) {
  std::string s;
  for (uint16_t st : statuses) s += (s.empty() ? "" : "/") + std::to_string(st);
  return s;
}

SourceReport source_report(const Source& s) {
  SourceReport r;
  r.path = s.path;
  r.format = s.format;
  r.lines = s.lines;
  r.events = s.events.size();
  r.skipped = s.skipped;
  r.continuation_lines = s.continuation_lines;
  for (const SkipRecord& k : s.skips) r.skipped_examples.push_back({k.first_line, k.reason + (k.count > 1 ? " (" + std::to_string(k.count) + " lines)" : ""), k.first_text});
  for (const Event& e : s.events) {
    if (e.basis & kBasisUnanchored) continue;
    if (!r.first || e.time_ns < r.first->utc.ns) r.first = e.time();
    if (!r.last || e.time_ns > r.last->utc.ns) r.last = e.time();
  }
  r.time_basis = s.time_basis;
  r.format_score = s.format_score;
  r.runner_up = s.runner_up;
  r.warnings = s.warnings;
  return r;
}

void fill_impact(const Timeline& t, const HttpBurst& b, int64_t start, int64_t end, Impact& impact) {
  std::set<std::string> clients;
  for (const EventRef r : t.range(start, end)) {
    const Event& e = t.event(r);
    if (e.kind != EventKind::kHttpRequest || e.time_ns < start || e.time_ns > end) continue;
    ++impact.requests_total;
    if (std::find(b.statuses.begin(), b.statuses.end(), e.code) == b.statuses.end()) continue;
    ++impact.requests_failed;
    ++impact.status_counts[e.code];
    AccessRecord rec;
    if (decode_access_record(t.source(r), t.source(r).line_text(e), &rec)) clients.emplace(rec.client);
  }
  impact.failed_ratio = impact.requests_total
                            ? static_cast<double>(impact.requests_failed) / impact.requests_total
                            : 0;
  impact.clients_affected = clients.size();
}

std::vector<Evidence> evidence_of(const Timeline& t, const std::vector<EventRef>& refs) {
  std::vector<Evidence> out;
  for (EventRef r : refs) out.push_back(make_evidence(t, r));
  return out;
}

RootCauseReport cause_from_path(const Timeline& t, const PathFailure& f, const std::vector<EventRef>& chain_head) {
  RootCauseReport c;
  c.kind = f.errno_name == "ENOENT" ? "missing_file" : "permission_denied";
  c.errno_name = f.errno_name;
  c.path = f.path;
  c.intended_path = f.intended_path;
  c.referenced_from = f.referenced_from;
  c.confidence = std::min(f.confidence, 0.99);
  if (c.kind == "missing_file") {
    c.summary = "The server tried to open " + f.path + ", which does not exist (ENOENT)";
    if (f.referenced_from) c.summary += ", required from " + f.referenced_from->file + " line " + std::to_string(f.referenced_from->line);
    if (f.intended_path) c.summary += "; the near-identical " + *f.intended_path + " exists";
  } else {
    c.summary = "The server was denied access to " + f.path + " (" + f.errno_name + ")";
    if (f.referenced_from) c.summary += ", used from " + f.referenced_from->file + " line " + std::to_string(f.referenced_from->line);
  }
  c.summary += ".";
  // Evidence chain: failing response -> server message -> system call.
  std::vector<EventRef> chain = chain_head;
  chain.insert(chain.end(), f.server_evidence.begin(), f.server_evidence.begin() + std::min<size_t>(2, f.server_evidence.size()));
  chain.insert(chain.end(), f.strace_evidence.begin(), f.strace_evidence.begin() + std::min<size_t>(2, f.strace_evidence.size()));
  c.evidence = evidence_of(t, chain);
  return c;
}

RootCauseReport cause_from_php(const Timeline& t, const PhpErrorGroup& g, const std::vector<EventRef>& chain_head) {
  RootCauseReport c;
  c.kind = g.kind;
  c.referenced_from = g.location;
  c.path = g.failed_path;
  c.confidence = g.confidence;
  const std::string where = g.location ? " in " + g.location->file + " on line " + std::to_string(g.location->line) : "";
  c.summary = (g.kind == "php_parse_error" ? "PHP cannot parse" : "PHP stops with a fatal error") +
              std::string(g.kind == "php_parse_error" ? where.empty() ? " a script" : where.substr(4) : where) +
              (g.detail.empty() ? "" : " (" + g.detail + ")") + ".";
  if (g.kind == "php_parse_error" && g.location)
    c.summary = "PHP cannot parse " + g.location->file + ": line " + std::to_string(g.location->line) +
                (g.detail.empty() ? "" : " has a syntax error (" + g.detail + ")") + ".";
  std::vector<EventRef> chain = chain_head;
  chain.insert(chain.end(), g.evidence.begin(), g.evidence.begin() + std::min<size_t>(2, g.evidence.size()));
  c.evidence = evidence_of(t, chain);
  return c;
}

AnomalyReport anomaly(const Timeline& t, std::string kind, std::string severity, EventRef first, EventRef last,
                      uint64_t count, std::string summary, const std::vector<EventRef>& ev) {
  return AnomalyReport{std::move(kind), std::move(severity), t.event(first).time(), t.event(last).time(),
                       count, std::move(summary), evidence_of(t, ev)};
}

std::string one_line(std::string_view s, size_t max = 160) {
  std::string out = trimmed_text(s, max);
  std::replace(out.begin(), out.end(), '\n', ' ');
  return out;
}

}  // namespace

Report analyze(const Ingest& in) {
  const Timeline& t = in.timeline;
  Report rep;
  rep.generator = std::string("hindcast ") + HINDCAST_VERSION;
  rep.inputs = in.inputs;
  for (const Source& s : in.sources) rep.sources.push_back(source_report(s));
  rep.clock = in.resolution.clock ? in.resolution.clock->describe() : "";
  rep.data_quality = in.resolution.warnings;
  for (const Error& e : in.problems) rep.data_quality.push_back(e.message);
  for (const Source& s : in.sources) {
    for (const std::string& w : s.warnings) rep.data_quality.push_back(s.path + ": " + w);
    if (s.skipped && s.format != "unknown")
      rep.data_quality.push_back(s.path + ": " + std::to_string(s.skipped) + " of " + std::to_string(s.lines) +
                                 " lines skipped (first: line " + std::to_string(s.skips.front().first_line) +
                                 ", " + s.skips.front().reason + ")");
  }

  const std::optional<HttpBurst> burst = find_http_burst(t);
  std::optional<Window> window;
  std::vector<EventRef> chain_head;
  if (burst) {
    const Event& first = t.event(burst->first);
    const Event& last = t.event(burst->last);
    IncidentReport inc;
    inc.start = first.time();
    if (!burst->still_failing) {
      inc.end = last.time();
      inc.duration_s = static_cast<double>(last.time_ns - first.time_ns) / kSecond;
    }
    fill_impact(t, *burst, first.time_ns, last.time_ns, inc.impact);
    rep.incident = inc;
    rep.local_offset_seconds = in.resolution.clock->offset_at(first.time_ns);
    window = incident_window(t, *burst);
    chain_head.push_back(burst->first);
    const bool server_error = burst->statuses.front() >= 500;
    rep.anomalies.push_back(anomaly(
        t, server_error ? "http_5xx_burst" : "http_4xx_burst", "critical", burst->first, burst->last,
        burst->failures,
        std::to_string(burst->failures) + " requests answered " + status_list(burst->statuses) + " (" +
            std::to_string(static_cast<int>(burst->share_inside * 100 + 0.5)) + "% of requests, against " +
            std::to_string(static_cast<int>(burst->share_outside * 100 + 0.5)) + "% before and after)",
        {burst->first, burst->last}));
  }

  // Root-cause candidates, best first: only where there is an incident to explain.
  const std::vector<PathFailure> paths = window ? find_path_failures(t, window) : std::vector<PathFailure>{};
  const std::vector<PhpErrorGroup> php = window ? find_php_errors(t, window) : std::vector<PhpErrorGroup>{};
  std::vector<RootCauseReport> causes;
  std::set<std::string> cause_paths;
  for (const PathFailure& f : paths) {
    if (f.confidence <= 0) continue;
    causes.push_back(cause_from_path(t, f, chain_head));
    cause_paths.insert(f.path);
    const bool missing = f.errno_name == "ENOENT";
    const EventRef first = f.strace_evidence.empty() ? *f.first : f.strace_evidence.front();
    rep.anomalies.push_back(anomaly(t, missing ? "missing_file" : "permission_denied", "error", first, *f.last,
                                    f.inside, causes.back().summary,
                                    f.strace_evidence.empty() ? f.server_evidence : f.strace_evidence));
  }
  for (const PhpErrorGroup& g : php) {
    // A fatal error about a path already blamed is that cause's consequence, not another cause.
    const bool consequence = g.failed_path && cause_paths.count(*g.failed_path);
    if (g.confidence > 0 && !consequence) causes.push_back(cause_from_php(t, g, chain_head));
    if (g.inside > 0 && g.first)
      rep.anomalies.push_back(anomaly(t, g.kind, g.confidence > 0 ? "error" : "warning", *g.first, *g.last,
                                      g.inside + g.outside,
                                      (g.kind == "php_parse_error" ? "PHP parse error" : "PHP fatal error") +
                                          std::string(g.location ? " in " + g.location->file + ":" + std::to_string(g.location->line) : "") +
                                          (g.detail.empty() ? "" : ": " + one_line(g.detail)),
                                      g.evidence));
  }
  std::stable_sort(causes.begin(), causes.end(),
                   [](const RootCauseReport& a, const RootCauseReport& b) { return a.confidence > b.confidence; });
  if (!causes.empty()) {
    rep.root_cause = causes.front();
    rep.other_causes.assign(causes.begin() + 1, causes.end());
  }

  // Monitoring: when the failure was detected.
  const Window span = scope_span(t, window);
  const std::vector<HealthCheck> checks = find_health_checks(t, span);
  {
    std::optional<EventRef> first_fail, last_fail, first_ok_after;
    uint64_t fails = 0;
    for (const HealthCheck& h : checks) {
      const int64_t ts = t.event(h.ref).time_ns;
      if (h.failing) {
        ++fails;
        if (!first_fail) first_fail = h.ref;
        last_fail = h.ref;
      } else if (last_fail && !first_ok_after) {
        first_ok_after = h.ref;
      }
      (void)ts;
    }
    if (first_fail) {
      const bool during = rep.incident && t.event(*first_fail).time_ns >= rep.incident->start.utc.ns - 60 * kSecond;
      if (during) rep.incident->detected = t.event(*first_fail).time();
      std::vector<EventRef> ev{*first_fail};
      if (first_ok_after) ev.push_back(*first_ok_after);
      rep.anomalies.push_back(anomaly(t, "health_check_failing", rep.incident ? "error" : "warning", *first_fail,
                                      *last_fail, fails,
                                      std::to_string(fails) + " failing health checks" +
                                          (first_ok_after ? ", passing again afterwards" : ""),
                                      ev));
    }
  }

  // What ended it.
  const std::vector<ServiceEvent> services = find_service_events(t, span);
  if (rep.incident && rep.incident->end) {
    const int64_t end = rep.incident->end->utc.ns;
    const int64_t start = rep.incident->start.utc.ns;
    std::optional<ServiceEvent> restart;
    for (const ServiceEvent& s : services) {
      const int64_t ts = t.event(s.ref).time_ns;
      if (std::string_view(s.what) == "stop" || ts < start || ts < end - 15 * kSecond || ts > end + 15 * kSecond) continue;
      if (!restart) restart = s;  // the earliest of the restart's own records
    }
    if (restart) {
      const Event& e = t.event(restart->ref);
      rep.resolution = ResolutionReport{e.time(), "restart", t.source(restart->ref).path, e.line,
                                        one_line(t.source(restart->ref).line_text(e), 300)};
    } else {
      // No restart: failures simply stopped; the first good answer after the last failure.
      EventRef recovered = burst->last;
      bool seen_last = false;
      for (const EventRef r : t.order()) {
        const Event& e = t.event(r);
        if (r.source == burst->last.source && r.index == burst->last.index) seen_last = true;
        else if (seen_last && e.kind == EventKind::kHttpRequest && e.code < 400 && e.code != 0) {
          recovered = r;
          break;
        }
      }
      const Event& e = t.event(recovered);
      rep.resolution = ResolutionReport{e.time(), "recovered", t.source(recovered).path, e.line,
                                        one_line(t.source(recovered).line_text(e), 300)};
    }
  }
  // One restart leaves records in several logs (systemd, the server, strace's SIGHUPs): records
  // within a few seconds of each other are one restart.
  for (size_t i = 0; i < services.size();) {
    if (std::string_view(services[i].what) != "restart") {
      ++i;
      continue;
    }
    const EventRef first = services[i].ref;
    std::vector<EventRef> ev{first};
    std::set<std::string> sources_seen{t.source(first).path};
    EventRef last = first;
    uint64_t n = 0;
    size_t j = i;
    for (; j < services.size() && t.event(services[j].ref).time_ns - t.event(first).time_ns <= 5 * kSecond; ++j) {
      if (std::string_view(services[j].what) != "restart") continue;
      ++n;
      last = services[j].ref;
      if (sources_seen.insert(t.source(last).path).second) ev.push_back(last);
    }
    rep.anomalies.push_back(anomaly(t, "service_restart", "info", first, last, n,
                                    "Restart: " + one_line(t.source(first).line_text(t.event(first))) + " (" +
                                        std::to_string(n) + " records in " + std::to_string(sources_seen.size()) + " logs)",
                                    ev));
    i = j;
  }

  // What set it off.
  if (rep.incident) {
    std::vector<std::string> related;
    auto add_path = [&](const std::optional<std::string>& p) {
      if (!p || p->empty()) return;
      related.push_back(*p);
      const size_t slash = p->rfind('/');
      if (slash != std::string::npos && slash > 0) related.push_back(p->substr(0, slash));
    };
    if (rep.root_cause) {
      add_path(rep.root_cause->path);
      add_path(rep.root_cause->intended_path);
      if (rep.root_cause->referenced_from) add_path(rep.root_cause->referenced_from->file);
    }
    const auto changes = find_changes(t, rep.incident->start.utc.ns, 15 * 60 * kSecond, related);
    if (!changes.empty() && changes.front().score >= 1.0) {
      const ChangeCandidate& c = changes.front();
      const Event& e = t.event(c.ref);
      rep.trigger = TriggerReport{e.time(), t.source(c.ref).path, e.line,
                                  c.host.empty() ? std::nullopt : std::optional<std::string>(c.host),
                                  c.program.empty() ? std::nullopt : std::optional<std::string>(c.program),
                                  c.message};
      rep.anomalies.push_back(anomaly(t, "config_change", "warning", c.ref, c.ref, 1,
                                      "Change shortly before the failures: " + one_line(c.message), {c.ref}));
    }
  }

  // Most important first: severity, then time.
  auto rank = [](const std::string& s) { return s == "critical" ? 0 : s == "error" ? 1 : s == "warning" ? 2 : 3; };
  std::stable_sort(rep.anomalies.begin(), rep.anomalies.end(), [&](const AnomalyReport& a, const AnomalyReport& b) {
    if (rank(a.severity) != rank(b.severity)) return rank(a.severity) < rank(b.severity);
    return a.first.utc < b.first.utc;
  });

  // The key events.
  auto entry = [&](const ResolvedTime& time, const std::string& src, uint32_t line, std::string kind, std::string summary) {
    rep.timeline.push_back({time, src, line, std::move(kind), std::move(summary)});
  };
  if (rep.trigger)
    entry(rep.trigger->time, rep.trigger->source, rep.trigger->line, "trigger",
          (rep.trigger->program ? *rep.trigger->program + ": " : "") + one_line(rep.trigger->message));
  if (burst) {
    const Event& e = t.event(burst->first);
    entry(e.time(), t.source(burst->first).path, e.line, "incident_start",
          "First failing request: " + one_line(t.source(burst->first).line_text(e)));
  }
  if (rep.root_cause)
    for (const Evidence& ev : rep.root_cause->evidence) {
      if (burst && ev.source == t.source(burst->first).path && ev.line == t.event(burst->first).line) continue;
      entry(ev.time, ev.source, ev.line, "root_cause", "Evidence: " + one_line(ev.text));
      break;
    }
  if (rep.root_cause && rep.root_cause->evidence.size() > 2) {
    const Evidence& ev = rep.root_cause->evidence.back();
    entry(ev.time, ev.source, ev.line, "root_cause", "Evidence: " + one_line(ev.text));
  }
  if (rep.resolution)
    entry(rep.resolution->time, rep.resolution->source, rep.resolution->line, rep.resolution->kind,
          (rep.resolution->kind == "restart" ? "Service restarted: " : "Failures stop: ") + one_line(rep.resolution->message));
  for (const AnomalyReport& a : rep.anomalies)
    if (a.kind == "health_check_failing" && !a.evidence.empty()) {
      entry(a.evidence.front().time, a.evidence.front().source, a.evidence.front().line, "detected",
            "Monitor alert: " + one_line(a.evidence.front().text));
      if (a.evidence.size() > 1)
        entry(a.evidence[1].time, a.evidence[1].source, a.evidence[1].line, "monitor_ok",
              "Monitor passes again: " + one_line(a.evidence[1].text));
    }
  if (burst && rep.incident->end) {
    const Event& e = t.event(burst->last);
    entry(e.time(), t.source(burst->last).path, e.line, "incident_end",
          "Last failing request: " + one_line(t.source(burst->last).line_text(e)));
  }
  std::stable_sort(rep.timeline.begin(), rep.timeline.end(),
                   [](const TimelineEntry& a, const TimelineEntry& b) { return a.time.utc < b.time.utc; });
  return rep;
}

}  // namespace hindcast
