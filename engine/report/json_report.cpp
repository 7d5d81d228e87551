#include "engine/report/json_report.h"

#include <cmath>
#include <cstdio>

#include "engine/report/json_text.h"
#include "engine/report/postmortem.h"

namespace hindcast {
namespace {

// A small pretty-printing writer: objects and arrays on their own lines, two-space indents.
class Json {
 public:
  std::string out;

  void open(char c) {
    value_prefix();
    out += c;
    ++depth_;
    first_ = true;
  }
  void close(char c) {
    --depth_;
    if (!first_) newline();
    out += c;
    first_ = false;
  }
  void key(std::string_view k) {
    if (!first_) out += ',';
    newline();
    append_json_string(out, k);
    out += ": ";
    after_key_ = true;
  }
  void str(std::string_view s) {
    value_prefix();
    append_json_string(out, s);
  }
  void null() {
    value_prefix();
    out += "null";
  }
  void num(uint64_t v) {
    value_prefix();
    out += std::to_string(v);
  }
  void real(double v, int digits) {
    value_prefix();
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    out += buf;
  }
  void time(const ResolvedTime& t) { str(format_rfc3339_utc(t.utc, t.precision)); }
  void time(const std::optional<ResolvedTime>& t) { t ? time(*t) : null(); }
  void opt_str(const std::optional<std::string>& s) { s ? str(*s) : null(); }
  // A list of numbers on one line (the chart's series: thousands of values).
  template <class T, class Fn>
  void inline_array(const std::vector<T>& v, Fn&& item) {
    value_prefix();
    out += '[';
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) out += ", ";
      item(v[i]);
    }
    out += ']';
  }

 private:
  int depth_ = 0;
  bool first_ = true;
  bool after_key_ = false;
  void newline() {
    out += '\n';
    out.append(static_cast<size_t>(depth_) * 2, ' ');
  }
  void value_prefix() {
    if (after_key_) {
      after_key_ = false;
      first_ = false;
      return;
    }
    if (depth_ > 0) {
      if (!first_) out += ',';
      newline();
    }
    first_ = false;
  }
};

void evidence_list(Json& j, const std::vector<Evidence>& ev) {
  j.open('[');
  for (const Evidence& e : ev) {
    j.open('{');
    j.key("time"); j.time(e.time);
    j.key("source"); j.str(e.source);
    j.key("line"); j.num(e.line);
    j.key("text"); j.str(e.text);
    j.close('}');
  }
  j.close(']');
}

void root_cause(Json& j, const RootCauseReport& c) {
  j.open('{');
  j.key("kind"); j.str(c.kind);
  j.key("object"); j.opt_str(c.object);
  j.key("errno"); j.opt_str(c.errno_name);
  j.key("path"); j.opt_str(c.path);
  j.key("intended_path"); j.opt_str(c.intended_path);
  j.key("referenced_from");
  if (c.referenced_from) {
    j.open('{');
    j.key("file"); j.str(c.referenced_from->file);
    j.key("line"); j.num(c.referenced_from->line);
    j.close('}');
  } else {
    j.null();
  }
  j.key("url"); j.opt_str(c.url);
  j.key("signal"); j.opt_str(c.signal);
  j.key("service"); j.opt_str(c.service);
  j.key("setting"); j.opt_str(c.setting);
  j.key("host"); j.opt_str(c.host);
  j.key("members"); j.num(c.members);
  j.key("summary"); j.str(c.summary);
  j.key("confidence"); j.real(c.confidence, 2);
  j.key("evidence"); evidence_list(j, c.evidence);
  j.key("chain");
  j.open('[');
  for (const ChainLinkReport& l : c.chain) {
    j.open('{');
    j.key("kind"); j.str(l.kind);
    j.key("object"); j.opt_str(l.object);
    j.key("host"); j.opt_str(l.host);
    j.key("summary"); j.str(l.summary);
    j.key("evidence"); evidence_list(j, l.evidence);
    j.close('}');
  }
  j.close(']');
  j.key("hypotheses");
  j.open('[');
  for (const RootCauseReport& h : c.hypotheses) root_cause(j, h);
  j.close(']');
  j.close('}');
}

void string_list(Json& j, const std::vector<std::string>& v) {
  j.open('[');
  for (const auto& s : v) j.str(s);
  j.close(']');
}

void opt_num(Json& j, const std::optional<uint64_t>& v) { v ? j.num(*v) : j.null(); }

void request_series(Json& j, const RequestSeries& s) {
  j.open('{');
  j.key("start"); j.time(ResolvedTime{Instant{s.start_ns}, 0, 0});
  j.key("bucket_s"); j.num(static_cast<uint64_t>(s.bucket_seconds));
  j.key("scope"); j.str(s.scope);
  j.key("requests"); j.num(s.requests);
  auto counts = [&](const char* name, const std::vector<uint32_t>& v) {
    j.key(name);
    j.inline_array(v, [&](uint32_t n) { j.out += std::to_string(n); });
  };
  counts("status_2xx", s.status_2xx);
  counts("status_3xx", s.status_3xx);
  counts("status_4xx", s.status_4xx);
  counts("status_5xx", s.status_5xx);
  counts("status_other", s.status_other);
  auto ms = [&](const char* name, const std::vector<double>& v) {
    j.key(name);
    if (!s.has_latency) return j.null();
    j.inline_array(v, [&](double x) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.3f", x);
      j.out += x < 0 ? "null" : buf;
    });
  };
  ms("latency_p50_ms", s.latency_p50_ms);
  ms("latency_max_ms", s.latency_max_ms);
  j.close('}');
}

void citation(Json& j, const std::optional<Citation>& c) {
  if (!c) return j.null();
  j.open('{');
  j.key("source"); j.str(c->source);
  j.key("line"); j.num(c->line);
  j.close('}');
}

void postmortem(Json& j, const Postmortem& p) {
  j.open('{');
  j.key("title"); j.str(p.title);
  j.key("summary"); j.str(p.summary);
  // Where each section of the draft is in this report (Markdown and HTML use the same order).
  j.key("sections");
  j.open('[');
  for (const auto& [name, field] : std::initializer_list<std::pair<const char*, const char*>>{
           {"Summary", "postmortem.summary"}, {"Impact", "incident.impact"}, {"Detection", "postmortem.detection"},
           {"Root cause", "root_cause"}, {"Trigger", "trigger"}, {"Resolution", "resolution"}, {"Timeline", "timeline"},
           {"Action items", "postmortem.action_items"}, {"Lessons learned", "postmortem.lessons_learned"},
           {"Supporting information", "sources"}}) {
    j.open('{');
    j.key("name"); j.str(name);
    j.key("field"); j.str(field);
    j.close('}');
  }
  j.close(']');
  j.key("detection");
  j.open('{');
  j.key("first_failure"); j.time(p.detection.first_failure);
  j.key("first_failure_at"); citation(j, p.detection.first_failure_at);
  j.key("first_alert"); j.time(p.detection.first_alert);
  j.key("first_alert_at"); citation(j, p.detection.first_alert_at);
  j.key("gap_s"); p.detection.gap_s ? j.real(*p.detection.gap_s, 1) : j.null();
  j.key("how"); j.str(p.detection.how);
  j.close('}');
  j.key("root_cause_first_evidence"); j.time(p.root_cause_first_evidence);
  j.key("action_items");
  j.open('[');
  for (const ActionItem& a : p.action_items) {
    j.open('{');
    j.key("type"); j.str(a.type);
    j.key("text"); j.str(plain_text(a.text));
    j.key("quoted");
    j.open('[');
    for (const Phrase& ph : a.text)
      if (ph.literal) j.str(ph.text);
    j.close(']');
    j.key("owner"); j.str(a.owner);
    j.key("why"); j.str(a.why);
    j.close('}');
  }
  j.close(']');
  j.key("lessons_learned");
  j.open('{');
  j.key("went_well"); string_list(j, p.went_well);
  j.key("went_wrong"); string_list(j, p.went_wrong);
  j.key("where_we_got_lucky"); string_list(j, p.got_lucky);
  j.close('}');
  j.close('}');
}

}  // namespace

std::string render_json(const Report& r) {
  Json j;
  j.open('{');
  j.key("schema"); j.str(r.schema);
  j.key("generator"); j.str(r.generator);
  j.key("inputs");
  j.open('[');
  for (const auto& i : r.inputs) j.str(i);
  j.close(']');

  j.key("sources");
  j.open('[');
  for (const SourceReport& s : r.sources) {
    j.open('{');
    j.key("path"); j.str(s.path);
    j.key("format"); j.str(s.format);
    j.key("host"); s.host.empty() ? j.null() : j.str(s.host);
    j.key("lines"); j.num(s.lines);
    j.key("events"); j.num(s.events);
    j.key("skipped"); j.num(s.skipped);
    j.key("skipped_examples");
    j.open('[');
    for (const SkippedExample& k : s.skipped_examples) {
      j.open('{');
      j.key("line"); j.num(k.line);
      j.key("reason"); j.str(k.reason);
      j.key("text"); j.str(k.text);
      j.close('}');
    }
    j.close(']');
    j.key("first"); j.time(s.first);
    j.key("last"); j.time(s.last);
    j.key("time_basis"); s.time_basis.empty() ? j.null() : j.str(s.time_basis);
    j.key("continuation_lines"); j.num(s.continuation_lines);
    j.key("format_score"); j.real(s.format_score, 2);
    j.key("runner_up"); s.runner_up.empty() ? j.null() : j.str(s.runner_up);
    j.close('}');
  }
  j.close(']');

  j.key("incident");
  if (r.incident) {
    const IncidentReport& i = *r.incident;
    j.open('{');
    j.key("kind"); j.str(i.kind);
    j.key("start"); j.time(i.start);
    j.key("end"); j.time(i.end);
    j.key("duration_s"); i.duration_s ? j.real(*i.duration_s, 1) : j.null();
    j.key("detected"); j.time(i.detected);
    j.key("scope");
    if (i.scope) {
      j.open('{');
      j.key("urls"); string_list(j, i.scope->urls);
      j.key("vhosts"); string_list(j, i.scope->vhosts);
      j.key("upstreams"); string_list(j, i.scope->upstreams);
      j.key("hosts"); string_list(j, i.scope->hosts);
      j.close('}');
    } else {
      j.null();
    }
    j.key("hosts"); string_list(j, i.hosts);
    j.key("impact");
    j.open('{');
    j.key("requests_total"); j.num(i.impact.requests_total);
    j.key("requests_failed"); j.num(i.impact.requests_failed);
    j.key("failed_ratio"); j.real(i.impact.failed_ratio, 3);
    j.key("status_counts");
    j.open('{');
    for (const auto& [status, n] : i.impact.status_counts) {
      j.key(std::to_string(status));
      j.num(n);
    }
    j.close('}');
    j.key("clients_affected"); j.num(i.impact.clients_affected);
    j.key("failing_urls"); string_list(j, i.impact.failing_urls);
    j.key("failed_checks"); opt_num(j, i.impact.failed_checks);
    j.key("crashes"); opt_num(j, i.impact.crashes);
    j.key("note"); i.impact.note.empty() ? j.null() : j.str(i.impact.note);
    j.close('}');
    j.key("symptoms"); string_list(j, i.symptoms);
    j.close('}');
  } else {
    j.null();
  }

  j.key("root_cause");
  r.root_cause ? root_cause(j, *r.root_cause) : j.null();

  j.key("trigger");
  if (r.trigger) {
    j.open('{');
    j.key("time"); j.time(r.trigger->time);
    j.key("source"); j.str(r.trigger->source);
    j.key("line"); j.num(r.trigger->line);
    j.key("host"); j.opt_str(r.trigger->host);
    j.key("program"); j.opt_str(r.trigger->program);
    j.key("message"); j.str(r.trigger->message);
    j.close('}');
  } else {
    j.null();
  }

  j.key("resolution");
  if (r.resolution) {
    j.open('{');
    j.key("time"); j.time(r.resolution->time);
    j.key("kind"); j.str(r.resolution->kind);
    j.key("action"); j.opt_str(r.resolution->action);
    j.key("source"); j.str(r.resolution->source);
    j.key("line"); j.num(r.resolution->line);
    j.key("message"); j.str(r.resolution->message);
    j.close('}');
  } else {
    j.null();
  }

  j.key("anomalies");
  j.open('[');
  for (const AnomalyReport& a : r.anomalies) {
    j.open('{');
    j.key("kind"); j.str(a.kind);
    j.key("severity"); j.str(a.severity);
    j.key("first"); j.time(a.first);
    j.key("last"); j.time(a.last);
    j.key("count"); j.num(a.count);
    j.key("summary"); j.str(a.summary);
    j.key("evidence"); evidence_list(j, a.evidence);
    j.close('}');
  }
  j.close(']');

  j.key("timeline");
  j.open('[');
  for (const TimelineEntry& e : r.timeline) {
    j.open('{');
    j.key("time"); j.time(e.time);
    j.key("source"); j.str(e.source);
    j.key("line"); j.num(e.line);
    j.key("kind"); j.str(e.kind);
    j.key("summary"); j.str(e.summary);
    j.close('}');
  }
  j.close(']');

  // Additions beyond schema version 1 (allowed: "add fields freely").
  j.key("local_utc_offset");
  r.local_offset_seconds ? j.str(format_offset(*r.local_offset_seconds)) : j.null();
  j.key("clock"); j.str(r.clock);
  j.key("data_quality");
  j.open('[');
  for (const auto& d : r.data_quality) j.str(d);
  j.close(']');
  j.key("request_series");
  r.request_series ? request_series(j, *r.request_series) : j.null();
  j.key("postmortem"); postmortem(j, r.postmortem);
  j.close('}');
  j.out += '\n';
  return j.out;
}

}  // namespace hindcast
