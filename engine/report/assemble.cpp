#include "engine/report/assemble.h"

#include <algorithm>
#include <set>

#include "engine/report/postmortem.h"
#include "engine/report/series.h"

namespace hindcast {
namespace {

constexpr size_t kMaxHypotheses = 4;
constexpr size_t kMaxClientsDecoded = 50000;

std::string one_line(std::string_view s, size_t max = 160) {
  std::string out = trimmed_text(s, max);
  std::replace(out.begin(), out.end(), '\n', ' ');
  return out;
}

std::string first_clause(const std::string& s) { return s.substr(0, s.find("; ")); }

SourceReport source_report(const Source& s) {
  SourceReport r;
  r.path = s.path;
  r.format = s.format;
  r.host = s.host;
  r.lines = s.lines;
  r.events = s.events.size();
  r.skipped = s.skipped;
  r.continuation_lines = s.continuation_lines;
  for (const SkipRecord& k : s.skips)
    r.skipped_examples.push_back(
        {k.first_line, k.reason + (k.count > 1 ? " (" + std::to_string(k.count) + " lines)" : ""), k.first_text});
  if (const auto [first, last] = s.anchored_ends(); first) {
    r.first = first->time();
    r.last = last->time();
  }
  r.time_basis = s.time_basis;
  r.format_score = s.format_score;
  r.runner_up = s.runner_up;
  r.warnings = s.warnings;
  return r;
}

std::vector<Evidence> evidence_of(const Timeline& t, const std::vector<EventRef>& refs, size_t max = 6) {
  std::vector<Evidence> out;
  std::vector<EventRef> seen;
  for (EventRef r : refs) {
    if (out.size() >= max) break;
    const bool repeated = std::any_of(seen.begin(), seen.end(),
                                      [&](EventRef s) { return s.source == r.source && s.index == r.index; });
    if (repeated) continue;
    seen.push_back(r);
    out.push_back(make_evidence(t, r));
  }
  return out;
}

std::string severity_text(Severity s) {
  switch (s) {
    case Severity::kCritical: return "critical";
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    default: return "info";
  }
}

const Candidate* incident_symptom(const Analysis& a, const IncidentWindow& w, std::string_view kind) {
  for (size_t i : w.symptoms)
    if (a.symptoms[i].kind == kind) return &a.symptoms[i];
  return nullptr;
}

std::vector<uint16_t> failing_statuses(const Analysis& a, const IncidentWindow& w) {
  std::vector<uint16_t> out;
  for (size_t i : w.symptoms) {
    const Candidate& c = a.symptoms[i];
    if (!c.kind.starts_with("http_") || c.role != Role::kSymptom) continue;
    for (size_t p = 0; p < c.object.size();) {
      const size_t slash = c.object.find('/', p);
      out.push_back(static_cast<uint16_t>(std::stoi(c.object.substr(p, slash - p))));
      p = slash == std::string::npos ? c.object.size() : slash + 1;
    }
  }
  return out;
}

Impact impact_of(const Analysis& a, const IncidentWindow& w) {
  Impact im;
  const std::vector<uint16_t> statuses = failing_statuses(a, w);
  std::set<std::string> clients;
  size_t decoded = 0;
  for (const Request& q : a.requests()) {
    if (q.time_ns < w.window.start_ns || q.time_ns > w.window.end_ns) continue;
    ++im.requests_total;
    if (std::find(statuses.begin(), statuses.end(), q.status) == statuses.end()) continue;
    ++im.requests_failed;
    ++im.status_counts[q.status];
    Record r;
    if (decoded++ < kMaxClientsDecoded && a.request_record(q, &r)) clients.emplace(r.client);
  }
  im.failed_ratio = im.requests_total ? static_cast<double>(im.requests_failed) / im.requests_total : 0;
  im.clients_affected = clients.size();
  if (const Candidate* http = incident_symptom(a, w, "http_5xx_burst"); http && http->url)
    im.failing_urls.push_back(*http->url);
  if (const Candidate* http = incident_symptom(a, w, "http_4xx_burst"); http && http->url)
    im.failing_urls.push_back(*http->url);
  if (const Candidate* m = incident_symptom(a, w, "health_check_failing")) im.failed_checks = m->count;
  if (const Candidate* c = incident_symptom(a, w, "process_crashes")) {
    im.crashes = c->count;
    im.note = "Requests whose server process crashed got no response and left no access-log line.";
  }
  if (!a.causes.empty() && a.causes.front().url &&
      std::find(im.failing_urls.begin(), im.failing_urls.end(), *a.causes.front().url) == im.failing_urls.end())
    im.failing_urls.push_back(*a.causes.front().url);
  if (w.kind == "down" || w.kind == "slow")
    im.note = "Clients that gave up waiting left no access-log line: the failed requests are not counted here; "
              "the failed health checks are.";
  return im;
}

std::optional<ResolvedTime> detected_at(const Analysis& a, const IncidentWindow& w) {
  for (const Candidate& c : a.symptoms) {
    if (c.kind != "health_check_failing" || c.role != Role::kSymptom) continue;
    if (c.first_ns >= w.window.start_ns - kIncidentLead && c.first_ns <= w.window.end_ns)
      return a.timeline.event(c.evidence.front()).time();
  }
  return std::nullopt;
}

IncidentReport incident_report(const Analysis& a, const IncidentWindow& w) {
  const Timeline& t = a.timeline;
  IncidentReport r;
  r.kind = w.kind;
  r.start = t.event(w.start_ref).time();
  if (!w.still_failing) {
    r.end = t.event(w.end_ref).time();
    r.duration_s = static_cast<double>(r.end->utc.ns - r.start.utc.ns) / kNanosPerSecond;
  }
  r.detected = detected_at(a, w);
  r.impact = impact_of(a, w);
  if (!w.scope.empty()) r.scope = ScopeReport{w.scope.urls, w.scope.vhosts, w.scope.upstreams, {}};
  // The hosts whose logs show the incident: its symptoms' and its causes'.
  std::set<std::string> hosts;
  for (size_t i : w.symptoms)
    for (EventRef e : a.symptoms[i].evidence)
      if (!t.source(e).host.empty()) hosts.insert(t.source(e).host);
  for (size_t i : a.chain)
    for (EventRef e : a.causes[i].evidence)
      if (!t.source(e).host.empty()) hosts.insert(t.source(e).host);
  r.hosts.assign(hosts.begin(), hosts.end());
  for (size_t i : w.symptoms)
    if (std::find(r.symptoms.begin(), r.symptoms.end(), a.symptoms[i].kind) == r.symptoms.end())
      r.symptoms.push_back(a.symptoms[i].kind);
  return r;
}

RootCauseReport cause_report(const Analysis& a, const Candidate& c, const std::vector<EventRef>& head) {
  RootCauseReport r;
  r.kind = std::string(kind_name(c.cause));
  if (!c.object.empty()) r.object = c.object;
  if (!c.errno_name.empty()) r.errno_name = c.errno_name;
  r.path = c.path;
  r.intended_path = c.intended_path;
  r.referenced_from = c.referenced_from;
  r.url = c.url;
  r.signal = c.signal;
  r.service = c.service;
  r.setting = c.setting;
  if (!c.host.empty()) r.host = c.host;
  r.members = c.members;
  r.summary = cause_summary(c);
  r.confidence = std::min(0.99, c.score);
  std::vector<EventRef> chain = head;
  chain.insert(chain.end(), c.evidence.begin(), c.evidence.end());
  r.evidence = evidence_of(a.timeline, chain);
  return r;
}

ChainLinkReport link_of(const Analysis& a, const Candidate& c) {
  ChainLinkReport l;
  l.kind = c.role == Role::kCause ? std::string(kind_name(c.cause)) : c.kind;
  if (!c.object.empty()) l.object = c.object;
  std::string host = c.host;
  if (host.empty() && !c.evidence.empty()) host = a.timeline.source(c.evidence.front()).host;
  if (!host.empty()) l.host = host;
  l.summary = c.role == Role::kCause ? cause_summary(c) : first_clause(c.explanation) + ".";
  l.evidence = evidence_of(a.timeline, c.evidence, 2);
  return l;
}

// The symptom users saw: the incident's strongest primary symptom.
const Candidate* main_symptom(const Analysis& a, const IncidentWindow& w) {
  const Candidate* best = nullptr;
  for (size_t i : w.symptoms) {
    const Candidate& c = a.symptoms[i];
    if (!c.primary) continue;
    if (!best || c.count * c.score > best->count * best->score) best = &c;
  }
  return best;
}

std::optional<RootCauseReport> root_cause(const Analysis& a, const IncidentWindow& w) {
  std::vector<EventRef> head{w.start_ref};
  RootCauseReport r;
  if (a.root) {
    // What the users saw comes first in the evidence; a cause told by one line also cites the
    // symptoms it produced (slow requests, failed checks).
    Candidate cause = a.causes[*a.root];
    if (cause.evidence.size() < 2)
      for (size_t i : w.symptoms)
        if (!a.symptoms[i].evidence.empty() && cause.evidence.size() < 4) cause.evidence.push_back(a.symptoms[i].evidence.front());
    r = cause_report(a, cause, head);
    for (size_t i : a.chain) r.chain.push_back(link_of(a, a.causes[i]));
    if (const Candidate* s = main_symptom(a, w)) r.chain.push_back(link_of(a, *s));
  } else {
    r.kind = "unknown";
    r.summary = "No cause that the evidence supports stands out; the hypotheses below are the unusual events of "
                "the incident, most likely first.";
    r.confidence = 0;
    r.evidence = evidence_of(a.timeline, head);
  }
  for (size_t i = 0; i < a.causes.size() && r.hypotheses.size() < kMaxHypotheses; ++i) {
    if (a.causes[i].score <= 0 || (a.root && i == *a.root)) continue;
    if (a.root && std::find(a.chain.begin(), a.chain.end(), i) != a.chain.end()) continue;  // told in the chain
    r.hypotheses.push_back(cause_report(a, a.causes[i], {}));
  }
  return r;
}

// When a change or its undoing took effect: the candidate's own time (an administrator's command
// when its session closed), stamped as the evidence that shows it; else its first evidence's.
ResolvedTime effect_time(const Analysis& a, const Candidate& c) {
  for (const EventRef ref : c.evidence)
    if (a.timeline.event(ref).time_ns == c.first_ns) return a.timeline.event(ref).time();
  return a.timeline.event(c.evidence.front()).time();
}

// A trigger the analysis inferred rather than read off one action's line (a client's first
// minute, a certificate's expiry): its statement is the message, cited to the line it rests on.
bool inferred_trigger(const Candidate& c) { return c.kind == "new_client" || c.kind == "cert_expiry"; }

TriggerReport trigger_report(const Analysis& a, const Candidate& c) {
  const EventRef ref = c.evidence.front();
  const Event& e = a.timeline.event(ref);
  Record r;
  decode_record(a.timeline.source(ref), e, &r);
  TriggerReport t;
  t.time = effect_time(a, c);
  t.source = a.timeline.source(ref).path;
  t.line = a.timeline.line(ref);
  if (!r.host.empty()) t.host = std::string(r.host);
  if (!r.program.empty()) t.program = std::string(r.program);
  t.message = inferred_trigger(c) ? c.explanation : one_line(r.kind == RecordKind::kRequest ? r.text : r.message, 400);
  return t;
}

ResolutionReport resolution_report(const Analysis& a, const Candidate& c) {
  const EventRef ref = c.evidence.front();
  const Event& e = a.timeline.event(ref);
  ResolutionReport r;
  r.time = effect_time(a, c);
  r.kind = c.kind;
  r.action = c.object;
  r.source = a.timeline.source(ref).path;
  r.line = a.timeline.line(ref);
  r.message = one_line(a.timeline.source(ref).line_text(e), 300);
  return r;
}

AnomalyReport anomaly_of(const Analysis& a, const Candidate& c, Severity severity, const std::string& summary) {
  AnomalyReport r;
  r.kind = c.kind;
  r.severity = severity_text(severity);
  const EventRef first = c.evidence.front();
  r.first = a.timeline.event(first).time();
  r.last = r.first;
  r.last.utc.ns = std::max(c.last_ns, r.first.utc.ns);
  r.count = std::max<uint64_t>(c.count, 1);
  r.summary = summary;
  r.evidence = evidence_of(a.timeline, c.evidence, 3);
  return r;
}

void anomalies(const Analysis& a, const std::optional<IncidentWindow>& w, Report& rep) {
  auto capped = [&](Severity s) { return w ? s : std::min(s, Severity::kWarning); };
  std::vector<bool> in_incident(a.symptoms.size(), false);
  if (w)
    for (size_t i : w->symptoms) in_incident[i] = true;
  for (size_t i = 0; i < a.symptoms.size(); ++i) {
    const Candidate& c = a.symptoms[i];
    if (c.evidence.empty()) continue;
    Severity s = c.severity;
    if (c.role == Role::kNoise || !in_incident[i]) s = std::min(s, Severity::kWarning);
    rep.anomalies.push_back(anomaly_of(a, c, capped(s), c.explanation));
  }
  for (size_t i = 0; i < a.causes.size() && i <= kMaxHypotheses; ++i) {
    const Candidate& c = a.causes[i];
    if (c.evidence.empty() || c.score <= 0) continue;
    const Severity s = a.root && i == *a.root ? Severity::kError : Severity::kWarning;
    rep.anomalies.push_back(anomaly_of(a, c, s, cause_summary(c)));
  }
  if (!a.changes.empty()) rep.anomalies.push_back(anomaly_of(a, a.changes.front(), Severity::kWarning, a.changes.front().explanation));
  if (!a.resolutions.empty()) {
    const Candidate& r = a.resolutions.front();
    Candidate shown = r;
    if (!r.anomaly_kind.empty()) shown.kind = r.anomaly_kind;
    rep.anomalies.push_back(anomaly_of(a, shown, Severity::kInfo, r.explanation));
  }
  auto rank = [](const std::string& s) { return s == "critical" ? 0 : s == "error" ? 1 : s == "warning" ? 2 : 3; };
  std::stable_sort(rep.anomalies.begin(), rep.anomalies.end(), [&](const AnomalyReport& x, const AnomalyReport& y) {
    if (rank(x.severity) != rank(y.severity)) return rank(x.severity) < rank(y.severity);
    return x.first.utc < y.first.utc;
  });
}

void key_events(const Analysis& a, const std::optional<IncidentWindow>& w, Report& rep) {
  const Timeline& t = a.timeline;
  auto entry = [&](EventRef ref, std::string kind, std::string summary) {
    const Event& e = t.event(ref);
    rep.timeline.push_back({e.time(), t.source(ref).path, t.line(ref), std::move(kind), std::move(summary)});
  };
  auto text = [&](EventRef ref) { return one_line(t.source(ref).line_text(t.event(ref))); };
  if (!w) return;
  if (!a.changes.empty()) {
    const Candidate& c = a.changes.front();
    entry(c.evidence.front(), "trigger", "Change: " + (inferred_trigger(c) ? one_line(c.explanation, 200) : text(c.evidence.front())));
  }
  entry(w->start_ref, "incident_start", "Incident starts: " + text(w->start_ref));
  if (a.root) {
    const Candidate& c = a.causes[*a.root];
    for (EventRef r : c.evidence) {
      if (r.source == w->start_ref.source && r.index == w->start_ref.index) continue;
      if (!a.changes.empty() && r.source == a.changes.front().evidence.front().source &&
          r.index == a.changes.front().evidence.front().index)
        continue;
      entry(r, "root_cause", "Evidence: " + text(r));
      break;
    }
  }
  for (const Candidate& c : a.symptoms) {
    if (c.kind != "health_check_failing" || c.role != Role::kSymptom) continue;
    if (c.first_ns < w->window.start_ns - kIncidentLead || c.first_ns > w->window.end_ns) continue;
    entry(c.evidence.front(), "detected", "Monitor alert: " + text(c.evidence.front()));
    if (c.evidence.size() > 1) entry(c.evidence[1], "monitor_ok", "Monitor passes again: " + text(c.evidence[1]));
    break;
  }
  if (!a.resolutions.empty()) {
    const Candidate& r = a.resolutions.front();
    entry(r.evidence.front(), r.kind, r.explanation.substr(0, 60).find("Failures stop") == 0 ? r.explanation + ": " + text(r.evidence.front())
                                                                                             : r.explanation);
  }
  if (!w->still_failing) entry(w->end_ref, "incident_end", "Incident ends: " + text(w->end_ref));
  std::stable_sort(rep.timeline.begin(), rep.timeline.end(),
                   [](const TimelineEntry& x, const TimelineEntry& y) { return x.time.utc < y.time.utc; });
}

}  // namespace

std::string cause_summary(const Candidate& c) {
  const std::string err = c.errno_name.empty() ? "" : " (" + c.errno_name + ")";
  std::string s;
  switch (c.cause) {
    case CauseKind::kMissingFile:
      s = "The server tried to open " + c.object + ", which does not exist" + err;
      if (c.referenced_from)
        s += ", required from " + c.referenced_from->file + " line " + std::to_string(c.referenced_from->line);
      if (c.intended_path) s += "; the near-identical " + *c.intended_path + " exists";
      break;
    case CauseKind::kPermissionDenied:
      s = "The server was denied access to " + c.object + err;
      if (c.referenced_from) s += ", used from " + c.referenced_from->file + " line " + std::to_string(c.referenced_from->line);
      break;
    case CauseKind::kDependencyDown:
      s = "A dependency the server needs did not answer: " + c.object + err;
      if (c.service) s += "; the service behind it, " + *c.service + ", had failed";
      break;
    case CauseKind::kResourceLimit:
      s = "The server reached a limit: " + c.object;
      if (c.client) s += ", as a client never seen before (" + *c.client + ") began using it";
      break;
    case CauseKind::kDiskFull:
      s = "Writes failed for lack of space" + (c.object.empty() ? std::string() : " on " + c.object) + err;
      if (c.members > 1) s += " (" + std::to_string(c.members) + " files)";
      break;
    case CauseKind::kConfigSyntax:
      s = "The configuration" + (c.object.empty() ? std::string() : " " + c.object) + " is invalid";
      if (c.referenced_from) s += " at line " + std::to_string(c.referenced_from->line);
      if (c.setting && *c.setting != c.object) s += ": '" + *c.setting + "'";
      break;
    case CauseKind::kDnsFailure:
      s = "The name " + (c.object.empty() ? std::string("the server needed") : c.object) + " could not be resolved";
      break;
    case CauseKind::kTlsFailure:
      s = "TLS failed" + (c.object.empty() ? std::string() : " for " + c.object) + ": " + first_clause(c.explanation);
      break;
    case CauseKind::kCrash:
      s = first_clause(c.explanation);
      if (c.path) s += "; they began after a change to " + *c.path;  // (attribute_crash_to_change)
      break;
    default:
      s = first_clause(c.explanation);
  }
  return s + ".";
}

Report assemble_report(const Ingest& in, const Analysis& a, const std::optional<IncidentWindow>& w) {
  Report rep;
  rep.generator = std::string("hindcast ") + HINDCAST_VERSION;
  rep.inputs = in.inputs;
  for (const Source& s : in.sources) rep.sources.push_back(source_report(s));
  rep.clock = in.resolution.clock ? in.resolution.clock->describe() : "";
  rep.data_quality = in.resolution.warnings;
  for (const Error& e : in.problems) rep.data_quality.push_back(e.message);
  for (const Source& s : in.sources) {
    for (const std::string& warn : s.warnings) rep.data_quality.push_back(s.path + ": " + warn);
    if (s.skipped && s.format != "unknown")
      rep.data_quality.push_back(s.path + ": " + std::to_string(s.skipped) + " of " + std::to_string(s.lines) +
                                 " lines skipped (first: line " + std::to_string(s.skips.front().first_line) + ", " +
                                 s.skips.front().reason + ")");
  }
  if (w) {
    rep.incident = incident_report(a, *w);
    rep.local_offset_seconds = in.resolution.clock->offset_at(w->window.start_ns);
    rep.root_cause = root_cause(a, *w);
    if (!a.changes.empty()) rep.trigger = trigger_report(a, a.changes.front());
    if (!a.resolutions.empty()) rep.resolution = resolution_report(a, a.resolutions.front());
  }
  anomalies(a, w, rep);
  key_events(a, w, rep);
  rep.request_series = request_series(a.requests(), [&a](const Request& q) { return a.latency_us(q); },
                                      w ? std::optional<Window>(w->window) : std::nullopt);
  rep.postmortem = postmortem_of(rep);
  return rep;
}

}  // namespace hindcast
