#include "engine/report/html_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "engine/report/postmortem.h"
#include "engine/report/safe_text.h"

namespace hindcast {
namespace {

// Every string from a log or a file name goes through html_text(); links only ever point at
// anchors this page generates (#ev-N), never at a URL from a log.
std::string esc(std::string_view s) { return html_text(s); }
std::string utc(const ResolvedTime& t) { return format_rfc3339_utc(t.utc, t.precision); }
std::string utc_ns(int64_t ns) { return format_rfc3339_utc(Instant{ns}, ns % kNanosPerSecond ? 6 : 0); }
std::string clock_of(int64_t ns) { return format_rfc3339_utc(Instant{ns}, 0).substr(11, 8); }

std::string num(double v, int digits = 1) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string time_tag(const ResolvedTime& t) { return "<time datetime=\"" + utc(t) + "\">" + utc(t) + "</time>"; }

constexpr const char* kPlaceholder = "<strong class=\"fill\">[TO FILL IN]</strong>";

constexpr const char* kStyle = R"CSS(
:root { --c2: #2e7d32; --c3: #1565c0; --c4: #ef6c00; --c5: #c62828; --co: #757575; --ink: #1b1b1b; --muted: #5f6368; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink);
       max-width: 1100px; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.6rem; margin: .5rem 0 0; } h2 { border-bottom: 1px solid #ddd; padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; }
.meta, .muted { color: var(--muted); }
nav { font-size: .9rem; margin: .8rem 0; } nav a { margin-right: .8rem; }
code, pre { font: 13px/1.4 "DejaVu Sans Mono", ui-monospace, monospace; background: #f5f5f5; border-radius: 3px; }
code { padding: 0 .2em; overflow-wrap: anywhere; }
pre { padding: .4rem .6rem; white-space: pre-wrap; overflow-wrap: anywhere; margin: .2rem 0 .6rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; } th, td { border: 1px solid #ddd; padding: .25rem .45rem; text-align: left; vertical-align: top; }
th { background: #fafafa; }
.fill { color: #b00020; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; } dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; }
figure { margin: 1rem 0; } figcaption { font-size: .85rem; color: var(--muted); }
svg { width: 100%; height: auto; font: 11px "DejaVu Sans", sans-serif; }
svg .axis { stroke: #999; stroke-width: 1; } svg .grid { stroke: #eee; stroke-width: 1; }
svg .tick { fill: #555; } svg .incident { fill: #c62828; fill-opacity: .08; stroke: #c62828; stroke-opacity: .35; stroke-dasharray: 4 3; }
svg .s2 { fill: var(--c2); } svg .s3 { fill: var(--c3); } svg .s4 { fill: var(--c4); } svg .s5 { fill: var(--c5); } svg .so { fill: var(--co); }
svg .mark line { stroke-width: 2; } svg .mark text { font-weight: 600; }
svg .m-trigger { stroke: #6a1b9a; fill: #6a1b9a; } svg .m-detected { stroke: #00838f; fill: #00838f; }
svg .m-root_cause { stroke: #c62828; fill: #c62828; } svg .m-resolution { stroke: #2e7d32; fill: #2e7d32; }
svg .lat { fill: none; stroke: #37474f; stroke-width: 1.5; } svg .latmax { fill: #90a4ae; }
svg .lane { fill: #fafafa; stroke: #e0e0e0; } svg .lane-label { fill: #333; }
svg a .ev { stroke: #fff; stroke-width: 1.5; } svg .ev.outside { fill-opacity: 0; stroke: #757575; stroke-width: 2; stroke-dasharray: 2 2; } svg a:hover .ev, svg a:focus .ev { stroke: #000; }
.legend span { display: inline-block; margin-right: 1rem; font-size: .85rem; }
.legend i { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; vertical-align: -1px; border-radius: 2px; }
ol.evidence li:target, ol.timeline li:target { background: #fff8e1; outline: 2px solid #ffb300; }
ol.evidence li { margin-bottom: .4rem; }
td.owner { white-space: nowrap; }
.type { font-weight: 600; text-transform: uppercase; font-size: .75rem; letter-spacing: .03em; }
@media print {
  body { max-width: none; font-size: 11pt; padding: 0; } nav { display: none; }
  a { color: inherit; text-decoration: none; } h2 { break-after: avoid; } figure, tr, li { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
)CSS";

// The key events: every timeline entry and every piece of evidence the report cites, one
// anchor per (source, line), in the order first cited.
struct KeyEvent {
  ResolvedTime time;
  std::string source;
  uint32_t line = 0;
  std::string kind;
  std::string summary;
  std::string text;  // the evidence text
  size_t id = 0;
};

class EventIndex {
 public:
  size_t add(const ResolvedTime& t, const std::string& source, uint32_t line, const std::string& kind,
             const std::string& summary, const std::string& text) {
    const auto key = std::make_pair(source, line);
    if (auto it = ids_.find(key); it != ids_.end()) {
      KeyEvent& e = events[it->second];
      if (e.text.empty()) e.text = text;
      return e.id;
    }
    KeyEvent e{t, source, line, kind, summary, text, events.size() + 1};
    ids_.emplace(key, events.size());
    events.push_back(std::move(e));
    return events.back().id;
  }
  size_t id_of(const std::string& source, uint32_t line) const {
    const auto it = ids_.find(std::make_pair(source, line));
    return it == ids_.end() ? 0 : events[it->second].id;
  }
  std::vector<KeyEvent> events;

 private:
  std::map<std::pair<std::string, uint32_t>, size_t> ids_;
};

EventIndex index_events(const Report& r) {
  EventIndex x;
  if (r.trigger) x.add(r.trigger->time, r.trigger->source, r.trigger->line, "trigger", "Change: " + r.trigger->message, r.trigger->message);
  for (const TimelineEntry& e : r.timeline) x.add(e.time, e.source, e.line, e.kind, e.summary, "");
  if (r.root_cause)
    for (const Evidence& e : r.root_cause->evidence) x.add(e.time, e.source, e.line, "root_cause", "Evidence of the root cause", e.text);
  if (r.resolution) x.add(r.resolution->time, r.resolution->source, r.resolution->line, r.resolution->kind, "Resolution", r.resolution->message);
  for (const AnomalyReport& a : r.anomalies)
    for (const Evidence& e : a.evidence) x.add(e.time, e.source, e.line, a.kind, a.summary, e.text);
  for (KeyEvent& e : x.events)
    if (e.text.empty()) e.text = e.summary;  // a timeline entry cited nowhere else: its summary quotes the line
  return x;
}

std::string cite(const EventIndex& x, const std::string& source, uint32_t line) {
  const std::string label = "<code>" + esc(source + ":" + std::to_string(line)) + "</code>";
  const size_t id = x.id_of(source, line);
  return id ? "<a href=\"#ev-" + std::to_string(id) + "\">" + label + "</a>" : label;
}

// Tick spacing (seconds) giving at most ~10 ticks over `span` seconds.
int64_t tick_step(int64_t span) {
  for (int64_t s : {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400})
    if (span / s <= 10) return s;
  return 86400 * ((span / 86400) / 10 + 1);
}

struct Mark {
  std::string kind, label;
  ResolvedTime time;
};

std::vector<Mark> chart_marks(const Report& r) {
  std::vector<Mark> m;
  if (r.trigger) m.push_back({"trigger", "trigger", r.trigger->time});
  if (r.incident && r.incident->detected) m.push_back({"detected", "detection", *r.incident->detected});
  if (r.postmortem.root_cause_first_evidence) m.push_back({"root_cause", "root cause: first evidence", *r.postmortem.root_cause_first_evidence});
  if (r.resolution) m.push_back({"resolution", "resolution", r.resolution->time});
  return m;
}

void request_chart(std::string& h, const Report& r) {
  const RequestSeries& s = *r.request_series;
  const size_t n = s.size();
  const double W = 1000, left = 52, right = 12, top = 64, plot_h = 220, bottom = 28;
  const double lat_h = s.has_latency ? 90 : 0, lat_gap = s.has_latency ? 26 : 0;
  const double H = top + plot_h + bottom + lat_gap + lat_h;
  const double plot_w = W - left - right;
  const double bw = plot_w / static_cast<double>(std::max<size_t>(n, 1));
  const int64_t bucket_ns = s.bucket_seconds * kNanosPerSecond;
  const int64_t end_ns = s.start_ns + static_cast<int64_t>(n) * bucket_ns;
  auto x_of = [&](int64_t ns) {
    return left + static_cast<double>(ns - s.start_ns) / static_cast<double>(bucket_ns) * bw;
  };
  uint32_t peak = 1;
  for (size_t i = 0; i < n; ++i)
    peak = std::max(peak, s.status_2xx[i] + s.status_3xx[i] + s.status_4xx[i] + s.status_5xx[i] + s.status_other[i]);
  // A round maximum for the y axis: 1, 2, 2.5, 5, 10, 20, 25, 50, ...
  double ymax = 1;
  for (double base = 1; ymax < peak; base *= 10)
    for (double f : {1.0, 2.0, 2.5, 5.0, 10.0})
      if (ymax < peak) ymax = f * base;
  auto y_of = [&](double v) { return top + plot_h - v / ymax * plot_h; };

  const std::string per = s.bucket_seconds == 1 ? "second" : std::to_string(s.bucket_seconds) + " s";
  h += "<figure id=\"request-chart-figure\">\n<svg id=\"request-chart\" viewBox=\"0 0 " + num(W, 0) + " " + num(H, 0) +
       "\" role=\"img\" aria-labelledby=\"chart-title\" data-start=\"" + utc_ns(s.start_ns) + "\" data-bucket-seconds=\"" +
       std::to_string(s.bucket_seconds) + "\" data-buckets=\"" + std::to_string(n) + "\">\n";
  h += "<title id=\"chart-title\">Requests per " + per + " by status class</title>\n";
  // Grid and y axis.
  // Gridlines at whole steps: 50 -> 10s, 20 -> 5s, 10 -> 2s.
  const double lead = ymax / std::pow(10.0, std::floor(std::log10(ymax)));
  const int divisions = lead > 1.5 && lead < 2.5 ? 4 : 5;
  for (int k = 0; k <= divisions; ++k) {
    const double v = ymax * k / divisions, y = y_of(v);
    h += "<line class=\"grid\" x1=\"" + num(left) + "\" x2=\"" + num(W - right) + "\" y1=\"" + num(y) + "\" y2=\"" + num(y) + "\"/>";
    h += "<text class=\"tick\" x=\"" + num(left - 6) + "\" y=\"" + num(y + 4) + "\" text-anchor=\"end\">" + num(v, v == std::floor(v) ? 0 : 1) + "</text>\n";
  }
  // Incident window.
  if (r.incident) {
    const int64_t a = r.incident->start.utc.ns, b = r.incident->end ? r.incident->end->utc.ns : end_ns;
    const double xa = std::clamp(x_of(a - a % kNanosPerSecond), left, W - right);
    const double xb = std::clamp(x_of(b - b % kNanosPerSecond + kNanosPerSecond), left, W - right);
    h += "<rect class=\"incident\" id=\"incident-window\" data-start=\"" + utc(r.incident->start) + "\" data-end=\"" +
         (r.incident->end ? utc(*r.incident->end) : std::string()) + "\" x=\"" + num(xa, 2) + "\" y=\"" + num(top - 4) +
         "\" width=\"" + num(std::max(xb - xa, 1.0), 2) + "\" height=\"" + num(plot_h + 4) + "\"><title>incident window</title></rect>\n";
  }
  // Bars: one group per bucket, stacked 2xx (bottom), 3xx, 4xx, 5xx, other.
  const double gap = bw > 4 ? 1 : 0;
  for (size_t i = 0; i < n; ++i) {
    const int64_t t = s.start_ns + static_cast<int64_t>(i) * bucket_ns;
    const uint32_t v[5] = {s.status_2xx[i], s.status_3xx[i], s.status_4xx[i], s.status_5xx[i], s.status_other[i]};
    const char* cls[5] = {"s2", "s3", "s4", "s5", "so"};
    const char* name[5] = {"2xx", "3xx", "4xx", "5xx", "other"};
    const uint32_t total = v[0] + v[1] + v[2] + v[3] + v[4];
    const double x = x_of(t);
    h += "<g class=\"bar-group\" data-time=\"" + utc_ns(t) + "\" data-total=\"" + std::to_string(total) + "\" data-x=\"" + num(x, 3) +
         "\" data-width=\"" + num(bw, 3) + "\"><title>" + clock_of(t) + "Z: " + std::to_string(total) + " requests";
    for (int k = 0; k < 5; ++k)
      if (v[k]) h += ", " + std::to_string(v[k]) + " " + name[k];
    h += "</title>";
    double acc = 0;
    for (int k = 0; k < 5; ++k) {
      if (!v[k]) continue;
      const double y0 = y_of(acc), y1 = y_of(acc + v[k]);
      h += "<rect class=\"" + std::string(cls[k]) + "\" x=\"" + num(x, 3) + "\" y=\"" + num(y1, 2) + "\" width=\"" +
           num(std::max(bw - gap, 0.5), 3) + "\" height=\"" + num(y0 - y1, 2) + "\"/>";
      acc += v[k];
    }
    h += "</g>\n";
  }
  // X axis with ticks.
  const double axis_y = top + plot_h;
  h += "<line class=\"axis\" x1=\"" + num(left) + "\" x2=\"" + num(W - right) + "\" y1=\"" + num(axis_y) + "\" y2=\"" + num(axis_y) + "\"/>\n";
  const int64_t span_s = static_cast<int64_t>(n) * s.bucket_seconds;
  const int64_t step = tick_step(span_s);
  const int64_t first_tick = (s.start_ns / kNanosPerSecond + step - 1) / step * step;
  for (int64_t t = first_tick; t * kNanosPerSecond <= end_ns; t += step) {
    const double x = x_of(t * kNanosPerSecond);
    h += "<line class=\"axis\" x1=\"" + num(x) + "\" x2=\"" + num(x) + "\" y1=\"" + num(axis_y) + "\" y2=\"" + num(axis_y + 4) + "\"/>";
    // Labels near an edge are anchored inside it, so none is cut off.
    const char* anchor = x > W - right - 28 ? "end" : x < left + 28 ? "start" : "middle";
    h += "<text class=\"tick\" x=\"" + num(x) + "\" y=\"" + num(axis_y + 16) + "\" text-anchor=\"" + anchor + "\">" + clock_of(t * kNanosPerSecond) + "</text>\n";
  }
  // Latency: median per bucket as a line, the maximum as dots, on its own scale.
  if (s.has_latency) {
    double lmax = 1;
    for (size_t i = 0; i < n; ++i) lmax = std::max(lmax, s.latency_max_ms[i]);
    const double ltop = top + plot_h + bottom + lat_gap;
    auto ly = [&](double ms) { return ltop + lat_h - ms / lmax * lat_h; };
    h += "<g id=\"latency\"><text class=\"tick\" x=\"" + num(left) + "\" y=\"" + num(ltop - 8) + "\">latency (ms): median line, maximum dots; peak " +
         num(lmax, 1) + " ms</text>";
    h += "<line class=\"axis\" x1=\"" + num(left) + "\" x2=\"" + num(W - right) + "\" y1=\"" + num(ltop + lat_h) + "\" y2=\"" + num(ltop + lat_h) + "\"/>";
    std::string path;
    for (size_t i = 0; i < n; ++i) {
      if (s.latency_p50_ms[i] < 0) continue;
      const double x = x_of(s.start_ns + static_cast<int64_t>(i) * bucket_ns) + bw / 2;
      path += (path.empty() ? "M" : " L") + num(x, 2) + " " + num(ly(s.latency_p50_ms[i]), 2);
      h += "<circle class=\"latmax\" cx=\"" + num(x, 2) + "\" cy=\"" + num(ly(s.latency_max_ms[i]), 2) + "\" r=\"1.6\"/>";
    }
    h += "<path class=\"lat\" d=\"" + path + "\"/></g>\n";
  }
  // Marks: trigger, detection, the root cause's first evidence, resolution.
  const std::vector<Mark> marks = chart_marks(r);
  for (size_t k = 0; k < marks.size(); ++k) {
    const Mark& m = marks[k];
    if (m.time.utc.ns < s.start_ns || m.time.utc.ns >= end_ns) continue;
    const double x = x_of(m.time.utc.ns);
    const double label_y = 12 + 13 * static_cast<double>(k);
    const bool right_side = x > left + plot_w * 0.7;
    h += "<g class=\"mark m-" + m.kind + "\" data-kind=\"" + m.kind + "\" data-time=\"" + utc(m.time) + "\" data-x=\"" + num(x, 3) + "\">";
    h += "<title>" + esc(m.label) + " at " + utc(m.time) + "</title>";
    h += "<line x1=\"" + num(x, 3) + "\" x2=\"" + num(x, 3) + "\" y1=\"" + num(label_y + 3) + "\" y2=\"" + num(axis_y) + "\"/>";
    h += "<text x=\"" + num(x + (right_side ? -4 : 4), 2) + "\" y=\"" + num(label_y + 2) + "\" text-anchor=\"" + (right_side ? "end" : "start") +
         "\" stroke=\"none\">" + esc(m.label) + " " + clock_of(m.time.utc.ns) + "Z</text></g>\n";
  }
  h += "</svg>\n<figcaption><span class=\"legend\"><span><i style=\"background:var(--c2)\"></i>2xx</span><span><i style=\"background:var(--c3)\"></i>3xx</span>"
       "<span><i style=\"background:var(--c4)\"></i>4xx</span><span><i style=\"background:var(--c5)\"></i>5xx</span>"
       "<span><i style=\"background:var(--co)\"></i>other</span></span><br>Requests per " + per + " (UTC) by status class, " + esc(s.scope) + " (" +
       std::to_string(s.requests) + " requests)." + (r.incident ? " Shaded: the incident window." : "") + " " +
       (s.has_latency ? std::string("Below: latency.") : std::string("The access log records no latency.")) + "</figcaption>\n</figure>\n";
}

void lanes(std::string& h, const Report& r, const EventIndex& x) {
  if (x.events.empty()) return;
  std::vector<std::string> sources;
  for (const SourceReport& s : r.sources)
    for (const KeyEvent& e : x.events)
      if (e.source == s.path) {
        sources.push_back(s.path);
        break;
      }
  for (const KeyEvent& e : x.events)
    if (std::find(sources.begin(), sources.end(), e.source) == sources.end()) sources.push_back(e.source);
  // The axis spans the timeline's key events (the incident); evidence far from it (an anomaly
  // hours earlier) is drawn hollow at the edge, so it cannot squash the incident into a point.
  int64_t lo = x.events.front().time.utc.ns, hi = lo;
  bool first = true;
  for (const TimelineEntry& e : r.timeline) {
    lo = first ? e.time.utc.ns : std::min(lo, e.time.utc.ns);
    hi = first ? e.time.utc.ns : std::max(hi, e.time.utc.ns);
    first = false;
  }
  if (first)
    for (const KeyEvent& e : x.events) {
      lo = std::min(lo, e.time.utc.ns);
      hi = std::max(hi, e.time.utc.ns);
    }
  const int64_t pad = std::max<int64_t>((hi - lo) / 20, kNanosPerSecond);
  lo -= pad;
  hi += pad;
  const double W = 1000, left = 190, right = 12, lane_h = 30, top = 8;
  const double H = top + lane_h * static_cast<double>(sources.size()) + 26;
  auto x_of = [&](int64_t ns) { return left + static_cast<double>(ns - lo) / static_cast<double>(hi - lo) * (W - left - right); };
  h += "<figure id=\"lanes-figure\">\n<svg id=\"lanes\" viewBox=\"0 0 " + num(W, 0) + " " + num(H, 0) + "\" role=\"img\" aria-labelledby=\"lanes-title\">\n";
  h += "<title id=\"lanes-title\">Key events per log file</title>\n";
  // Lane labels without the directory the files share ("access.log", not "incident/access.log").
  std::string shared = sources.front();
  for (const std::string& src : sources) {
    size_t k = 0;
    while (k < shared.size() && k < src.size() && shared[k] == src[k]) ++k;
    shared.resize(k);
  }
  const size_t slash = shared.rfind('/');
  const size_t common = slash == std::string::npos ? 0 : slash + 1;
  for (size_t i = 0; i < sources.size(); ++i) {
    const double y = top + lane_h * static_cast<double>(i);
    std::string label = sources[i].substr(std::min(common, sources[i].size()));
    if (label.size() > 30) label = "…" + label.substr(label.size() - 29);
    h += "<g class=\"lane-row\" data-source=\"" + esc(sources[i]) + "\"><rect class=\"lane\" x=\"" + num(left) + "\" y=\"" + num(y + 2) + "\" width=\"" +
         num(W - left - right) + "\" height=\"" + num(lane_h - 4) + "\"/><text class=\"lane-label\" x=\"" + num(left - 6) + "\" y=\"" +
         num(y + lane_h / 2 + 4) + "\" text-anchor=\"end\">" + esc(label) + "</text></g>\n";
  }
  const int64_t step = tick_step((hi - lo) / kNanosPerSecond + 1);
  const double axis_y = top + lane_h * static_cast<double>(sources.size());
  for (int64_t t = (lo / kNanosPerSecond + step - 1) / step * step; t * kNanosPerSecond <= hi; t += step)
    h += "<text class=\"tick\" x=\"" + num(x_of(t * kNanosPerSecond)) + "\" y=\"" + num(axis_y + 16) + "\" text-anchor=\"middle\">" +
         clock_of(t * kNanosPerSecond) + "</text>";
  h += "\n";
  size_t outside_count = 0;
  for (const KeyEvent& e : x.events) {
    const size_t lane = static_cast<size_t>(std::find(sources.begin(), sources.end(), e.source) - sources.begin());
    const double cy = top + lane_h * static_cast<double>(lane) + lane_h / 2;
    const std::string cls = e.kind == "trigger" ? "m-trigger" : e.kind == "detected" ? "m-detected"
                          : e.kind == "root_cause" ? "m-root_cause" : e.kind == "restart" || e.kind == "recovered" || e.kind == "dependency_restored" || e.kind == "monitor_ok" ? "m-resolution" : "so";
    const bool outside = e.time.utc.ns < lo || e.time.utc.ns > hi;
    outside_count += outside;
    const int64_t shown = std::clamp(e.time.utc.ns, lo, hi);
    h += "<a href=\"#ev-" + std::to_string(e.id) + "\" class=\"lane-event\" data-kind=\"" + esc(e.kind) + "\" data-time=\"" + utc(e.time) +
         "\"><title>" + esc(utc(e.time) + " " + e.source + ":" + std::to_string(e.line) + " — " + e.summary) + "</title><circle class=\"ev " + cls +
         (outside ? " outside" : "") + "\" cx=\"" + num(x_of(shown), 2) + "\" cy=\"" + num(cy, 1) + "\" r=\"6\"/></a>\n";
  }
  h += "</svg>\n<figcaption>Key events per log file: which log said what, when (UTC). Each dot links to its line below." +
       (outside_count ? " " + std::to_string(outside_count) + " more, outside this range, are drawn hollow at its edge." : std::string()) +
       "</figcaption>\n</figure>\n";
}

void facts_row(std::string& h, const std::string& term, const std::string& value) { h += "<dt>" + term + "</dt><dd>" + value + "</dd>\n"; }

std::string phrases(const std::vector<Phrase>& text) {
  std::string s;
  for (const Phrase& p : text) s += p.literal ? "<code>" + esc(p.text) + "</code>" : esc(p.text);
  return s;
}

std::string placeholder_line(const std::string& s) {
  const std::string tag = "[TO FILL IN]";
  if (s.rfind(tag, 0) == 0) return std::string(kPlaceholder) + esc(s.substr(tag.size()));
  return esc(s);
}

}  // namespace

std::string render_html(const Report& r) {
  const EventIndex x = index_events(r);
  const std::optional<int>& off = r.local_offset_seconds;
  auto server_time = [&](const ResolvedTime& t) {
    return off ? " <span class=\"muted\">(" + format_rfc3339_offset(t.utc, t.precision, *off) + " server time)</span>" : std::string();
  };
  std::string h;
  h.reserve(1 << 16);
  h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
       "<meta name=\"generator\" content=\"" + esc(r.generator) + "\">\n<title>" + esc(r.postmortem.title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  h += "<header><h1>" + esc(r.postmortem.title) + "</h1>\n<p class=\"meta\">Drafted by " + esc(r.generator) + " from " + std::to_string(r.sources.size()) +
       " log files. Every statement cites its evidence as <code>file:line</code>, linked to the line under Supporting information; items marked " +
       kPlaceholder + " need a person.</p></header>\n";
  h += "<nav><a href=\"#summary\">Summary</a><a href=\"#impact\">Impact</a><a href=\"#detection\">Detection</a><a href=\"#root-cause\">Root cause</a>"
       "<a href=\"#trigger\">Trigger</a><a href=\"#resolution\">Resolution</a><a href=\"#timeline\">Timeline</a><a href=\"#action-items\">Action items</a>"
       "<a href=\"#lessons-learned\">Lessons learned</a><a href=\"#supporting-information\">Supporting information</a></nav>\n";

  h += "<section id=\"summary\"><h2>Summary</h2>\n<p>" + esc(r.postmortem.summary) + "</p></section>\n";

  // Impact, with the chart.
  h += "<section id=\"impact\"><h2>Impact</h2>\n";
  if (r.request_series) request_chart(h, r);
  if (r.incident) {
    const IncidentReport& i = *r.incident;
    h += "<dl class=\"facts\">\n";
    facts_row(h, "Start", time_tag(i.start) + server_time(i.start));
    facts_row(h, "End", i.end ? time_tag(*i.end) + server_time(*i.end) : std::string("still failing at the end of the logs"));
    if (i.duration_s) facts_row(h, "Duration", duration_text(*i.duration_s));
    std::string statuses;
    for (const auto& [st, n] : i.impact.status_counts) statuses += (statuses.empty() ? "" : ", ") + std::to_string(n) + " × " + std::to_string(st);
    facts_row(h, "Requests", std::to_string(i.impact.requests_failed) + " of " + std::to_string(i.impact.requests_total) + " failed (" +
                                 num(i.impact.failed_ratio * 100) + "%" + (statuses.empty() ? "" : "; " + statuses) + ")");
    facts_row(h, "Clients affected", std::to_string(i.impact.clients_affected) + " distinct client addresses");
    if (!i.impact.failing_urls.empty()) {
      std::string urls;
      for (const std::string& u : i.impact.failing_urls) urls += (urls.empty() ? "" : ", ") + std::string("<code>") + esc(u) + "</code>";
      facts_row(h, "Failing URLs", urls);
    }
    if (i.impact.failed_checks) facts_row(h, "Failed health checks", std::to_string(*i.impact.failed_checks));
    if (i.impact.crashes) facts_row(h, "Server processes crashed", std::to_string(*i.impact.crashes));
    h += "</dl>\n";
    if (!i.impact.note.empty()) h += "<p>" + esc(i.impact.note) + "</p>\n";
    h += "<p>" + std::string(kPlaceholder) + " user-facing impact (which pages, which users, revenue).</p>\n";
  } else {
    h += "<p>None found in the logs.</p>\n";
  }
  h += "</section>\n";

  // Detection.
  h += "<section id=\"detection\"><h2>Detection</h2>\n";
  if (r.incident) {
    const DetectionReport& d = r.postmortem.detection;
    h += "<dl class=\"facts\">\n";
    facts_row(h, "First failure", time_tag(*d.first_failure) + (d.first_failure_at ? " (" + cite(x, d.first_failure_at->source, d.first_failure_at->line) + ")" : ""));
    facts_row(h, "First alert", d.first_alert ? time_tag(*d.first_alert) + (d.first_alert_at ? " (" + cite(x, d.first_alert_at->source, d.first_alert_at->line) + ")" : "")
                                              : std::string("none in the logs"));
    if (d.gap_s) facts_row(h, "Detection gap", num(*d.gap_s) + " s");
    h += "</dl>\n<p>" + esc(d.how) + "</p>\n<p>" + kPlaceholder + " how people noticed, who responded, and when.</p>\n";
  } else {
    h += "<p>Not applicable: no incident.</p>\n";
  }
  h += "</section>\n";

  // Root cause.
  h += "<section id=\"root-cause\"><h2>Root cause</h2>\n";
  if (r.root_cause) {
    const RootCauseReport& c = *r.root_cause;
    h += "<p>" + esc(c.summary) + " <span class=\"muted\">(kind <code>" + esc(c.kind) + "</code>, confidence " + num(c.confidence, 2) + ")</span></p>\n<dl class=\"facts\">\n";
    if (c.path) facts_row(h, "Failing path", "<code>" + esc(*c.path) + "</code>" + (c.errno_name ? " (" + esc(*c.errno_name) + ")" : ""));
    else if (c.object) facts_row(h, "What failed", "<code>" + esc(*c.object) + "</code>" + (c.errno_name ? " (" + esc(*c.errno_name) + ")" : ""));
    if (c.intended_path) facts_row(h, "Near-identical path that exists", "<code>" + esc(*c.intended_path) + "</code>");
    if (c.referenced_from) facts_row(h, "Referenced from", "<code>" + esc(c.referenced_from->file + ":" + std::to_string(c.referenced_from->line)) + "</code>");
    if (c.service) facts_row(h, "Service", "<code>" + esc(*c.service) + "</code>");
    if (c.url) facts_row(h, "Request", "<code>" + esc(*c.url) + "</code>");
    if (c.signal) facts_row(h, "Signal", "<code>" + esc(*c.signal) + "</code>");
    if (c.setting) facts_row(h, "Directive or limit", "<code>" + esc(*c.setting) + "</code>");
    if (c.host) facts_row(h, "Host", "<code>" + esc(*c.host) + "</code>");
    h += "</dl>\n";
    if (c.chain.size() > 1) {
      h += "<h3>Why</h3>\n<ol class=\"why\">\n";
      for (const ChainLinkReport& l : c.chain) {
        h += "<li>" + esc(l.summary) + " <span class=\"muted\">(<code>" + esc(l.kind) + "</code>" +
             (l.host ? " on <code>" + esc(*l.host) + "</code>" : "") + ")</span>";
        if (!l.evidence.empty()) h += " " + cite(x, l.evidence.front().source, l.evidence.front().line);
        h += "</li>\n";
      }
      h += "</ol>\n";
    }
    if (!c.evidence.empty()) {
      h += "<h3>Evidence chain</h3>\n<ol>\n";
      for (const Evidence& e : c.evidence) h += "<li>" + time_tag(e.time) + " " + cite(x, e.source, e.line) + "<pre>" + esc(e.text) + "</pre></li>\n";
      h += "</ol>\n";
    }
    if (!c.hypotheses.empty()) {
      h += "<h3>Other candidates considered</h3>\n<ul>\n";
      for (const RootCauseReport& o : c.hypotheses)
        h += "<li>" + esc(o.summary) + " <span class=\"muted\">(kind <code>" + esc(o.kind) + "</code>, confidence " + num(o.confidence, 2) + ")</span></li>\n";
      h += "</ul>\n";
    }
  } else {
    h += r.incident ? "<p>The logs do not name a cause with enough evidence. " + std::string(kPlaceholder) + "</p>\n" : "<p>Not applicable: no incident.</p>\n";
  }
  h += "</section>\n";

  // Trigger and resolution.
  h += "<section id=\"trigger\"><h2>Trigger</h2>\n";
  if (r.trigger) {
    const TriggerReport& t = *r.trigger;
    h += "<p>" + time_tag(t.time) + server_time(t.time) + " " + cite(x, t.source, t.line);
    if (t.host || t.program) h += ", written by <code>" + esc((t.program ? *t.program : std::string("?")) + (t.host ? "@" + *t.host : "")) + "</code>";
    h += ":</p><pre>" + esc(t.message) + "</pre>\n";
  } else {
    h += r.incident ? "<p>No change in the logs stands out as what set the incident off. " + std::string(kPlaceholder) + "</p>\n" : "<p>Not applicable: no incident.</p>\n";
  }
  h += "</section>\n<section id=\"resolution\"><h2>Resolution</h2>\n";
  if (r.resolution) {
    const ResolutionReport& s = *r.resolution;
    h += "<p>" + std::string(s.kind == "restart" ? "The service was restarted" : s.kind == "dependency_restored" ? "The failed dependency was started again"
                                                                                                              : "The failures stopped without a restart") +
         " at " + time_tag(s.time) + " (" + cite(x, s.source, s.line) + "):</p><pre>" + esc(s.message) + "</pre><p>" + kPlaceholder +
         " what was changed to fix it, and by whom.</p>\n";
  } else {
    h += r.incident ? "<p>The logs end while the failures go on. " + std::string(kPlaceholder) + " how it was resolved.</p>\n" : "<p>Not applicable: no incident.</p>\n";
  }
  h += "</section>\n";

  // Timeline: the lanes, then the list.
  h += "<section id=\"timeline\"><h2>Timeline</h2>\n";
  lanes(h, r, x);
  h += "<p>All times UTC" + (off ? " (server time is UTC" + format_offset(*off) + ")" : std::string()) + ".</p>\n<ol class=\"timeline\">\n";
  for (const TimelineEntry& e : r.timeline)
    h += "<li data-kind=\"" + esc(e.kind) + "\">" + time_tag(e.time) + " — " + esc(e.summary) + " (" + cite(x, e.source, e.line) + ")</li>\n";
  h += "<li>" + std::string(kPlaceholder) + " when people noticed, who responded, what they tried.</li>\n</ol>\n</section>\n";

  // Action items.
  h += "<section id=\"action-items\"><h2>Action items</h2>\n<table>\n<thead><tr><th>type</th><th>action</th><th>owner</th><th>why</th></tr></thead>\n<tbody>\n";
  for (const ActionItem& a : r.postmortem.action_items)
    h += "<tr><td class=\"type\">" + esc(a.type) + "</td><td>" + phrases(a.text) + "</td><td class=\"owner\">" + kPlaceholder + "</td><td>" + esc(a.why) + "</td></tr>\n";
  h += "<tr><td></td><td>" + std::string(kPlaceholder) + " further items, owners and due dates</td><td></td><td></td></tr>\n</tbody>\n</table>\n</section>\n";

  // Lessons learned.
  h += "<section id=\"lessons-learned\"><h2>Lessons learned</h2>\n";
  auto list = [&](const char* title, const std::vector<std::string>& v) {
    h += "<h3>" + std::string(title) + "</h3>\n<ul>\n";
    for (const std::string& s : v) h += "<li>" + placeholder_line(s) + "</li>\n";
    h += "</ul>\n";
  };
  list("What went well", r.postmortem.went_well);
  list("What went wrong", r.postmortem.went_wrong);
  list("Where we got lucky", r.postmortem.got_lucky);
  h += "</section>\n";

  // Supporting information: sources, anomalies, every cited line.
  h += "<section id=\"supporting-information\"><h2>Supporting information</h2>\n<h3>Sources read</h3>\n<table>\n"
       "<thead><tr><th>file</th><th>format</th><th>lines</th><th>skipped</th><th>first</th><th>last</th><th>time basis</th></tr></thead>\n<tbody>\n";
  for (const SourceReport& s : r.sources)
    h += "<tr><td><code>" + esc(s.path) + "</code></td><td>" + esc(s.format) + "</td><td>" + std::to_string(s.lines) + "</td><td>" + std::to_string(s.skipped) +
         "</td><td>" + (s.first ? utc(*s.first) : "") + "</td><td>" + (s.last ? utc(*s.last) : "") + "</td><td>" + esc(s.time_basis.empty() ? "none" : s.time_basis) + "</td></tr>\n";
  h += "</tbody>\n</table>\n";
  if (!r.clock.empty()) h += "<p>Clock: " + esc(r.clock) + "</p>\n";
  if (!r.anomalies.empty()) {
    h += "<h3>Anomalies</h3>\n<table>\n<thead><tr><th>severity</th><th>kind</th><th>first (UTC)</th><th>count</th><th>summary</th><th>evidence</th></tr></thead>\n<tbody>\n";
    for (const AnomalyReport& a : r.anomalies)
      h += "<tr><td>" + esc(a.severity) + "</td><td>" + esc(a.kind) + "</td><td>" + time_tag(a.first) + "</td><td>" + std::to_string(a.count) + "</td><td>" +
           esc(a.summary) + "</td><td>" + (a.evidence.empty() ? "" : cite(x, a.evidence.front().source, a.evidence.front().line)) + "</td></tr>\n";
    h += "</tbody>\n</table>\n";
  }
  h += "<h3>Evidence</h3>\n<ol class=\"evidence\">\n";
  for (const KeyEvent& e : x.events)
    h += "<li id=\"ev-" + std::to_string(e.id) + "\" data-source=\"" + esc(e.source) + "\" data-line=\"" + std::to_string(e.line) + "\">" + time_tag(e.time) +
         " <code>" + esc(e.source + ":" + std::to_string(e.line)) + "</code> <span class=\"muted\">" + esc(e.kind) + "</span><pre>" + esc(e.text) + "</pre></li>\n";
  h += "</ol>\n";
  if (!r.data_quality.empty()) {
    h += "<h3>Data quality</h3>\n<ul>\n";
    for (const std::string& d : r.data_quality) h += "<li>" + esc(d) + "</li>\n";
    h += "</ul>\n";
  }
  h += "<p>Check the draft against the cited lines before publishing.</p>\n</section>\n</body>\n</html>\n";
  return h;
}

}  // namespace hindcast
