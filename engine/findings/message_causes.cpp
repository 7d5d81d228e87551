// Causes from messages: the templates that are new or bursting at the onset, read for what
// they mean (engine/findings/vocabulary.h) and grouped by what they name.
//
// A template is unusual when it never occurred before the incident in the same logs (new), or
// when its rate inside the window is far above its rate outside (bursting). Only unusual
// templates become candidates: an error that also fills the quiet hours is not this incident's
// cause. Each unusual template's messages inside the window are grouped by (kind, object), so
// "No such file" for one path and for another are two candidates.
//
// The earliest unusual error is ranked above the loudest: the first unusual event is usually the
// cause, the flood that follows the symptom (Zebrium's reading of an incident).
#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "engine/findings/analysis.h"
#include "engine/findings/incident.h"

namespace hindcast {
namespace {

// A cost bound: the messages of one template read for their objects; an object first named after
// its template's 200th message in the window is not seen.
constexpr size_t kMaxFactsPerTemplate = 200;

// New at the onset, or bursting: its rate inside the window significantly above its rate over the
// rest of the logs (a one-sided Poisson likelihood-ratio test, Bonferroni over the `tests`
// templates of the window, at the incident's false-discovery rate).
bool unusual(const TemplateStats& st, double inside_s, double outside_s, size_t tests) {
  if (st.during == 0) return false;
  if (st.is_new()) return true;
  const double x_in = static_cast<double>(st.during);
  const double x_out = static_cast<double>(st.before + st.after + st.elsewhere);
  const double total = x_in + x_out, exposure = inside_s + outside_s;
  const double e_in = total * inside_s / exposure, e_out = total - e_in;
  if (x_in <= e_in) return false;
  double llr = x_in * std::log(x_in / e_in);
  if (x_out > 0) llr += x_out * std::log(x_out / e_out);
  const double p = 0.5 * std::erfc(std::sqrt(std::max(0.0, llr)));
  return p * static_cast<double>(std::max<size_t>(tests, 1)) < kFalseDiscoveryRate;
}

// What names the cause, by the kind's scope (engine/findings/kinds.h).
std::string object_for(CauseKind k, const MessageFacts& f, const Record& r) {
  switch (kind_info(k).scope) {
    case ObjectScope::kPath:
      return !f.path.empty() ? f.path : f.referenced_from ? f.referenced_from->file : std::string();
    case ObjectScope::kFilesystem:  // the file that made the write is not where the space ran out
      return f.path;
    case ObjectScope::kCodeFile:
      return f.referenced_from ? f.referenced_from->file : f.path;
    case ObjectScope::kConfigFile:
      return !f.path.empty() ? f.path : f.setting;
    case ObjectScope::kEndpoint:
      return !f.endpoint.empty() ? f.endpoint : f.service;
    case ObjectScope::kSetting:
      return f.setting;
    case ObjectScope::kProcess:
      return !f.service.empty() ? f.service : std::string(r.program);
    case ObjectScope::kHostName:
      return f.name;
    case ObjectScope::kCertificate:
      return f.certificate;
    case ObjectScope::kService:
      return f.service;
    case ObjectScope::kNone:
      return {};
  }
  return {};
}

CauseKind kind_for(Meaning m) { return cause_kind(m).value_or(CauseKind::kUnknown); }

struct Group {
  Candidate c;
  uint32_t template_id = 0;
};

class MessageCauseDetector final : public Detector {
 public:
  std::string_view name() const override { return "message_causes"; }
  Stage stage() const override { return Stage::kCauses; }
  void run(const Analysis& a, std::vector<Candidate>& out) const override {
    if (!a.incident) return;
    const int64_t lo = a.incident->start_ns - a.lead_ns();
    const int64_t hi = a.incident->end_ns + kNanosPerSecond;
    const auto& msgs = a.messages();
    if (msgs.empty()) return;
    const double inside_s = std::max(1.0, static_cast<double>(hi - lo) / kNanosPerSecond);
    // Outside: the rest of the logs (a template's outside count covers them all).
    const TimeAxis& axis = a.axis();
    const double outside_s = std::max(1.0, static_cast<double>(axis.end(axis.size - 1) - axis.t0) / kNanosPerSecond - inside_s);
    // Chosen: "new at the onset" needs some log before it; the sample outside covers the rest.
    const bool has_baseline = msgs.front().time_ns < lo - 10 * kNanosPerSecond;
    std::map<std::tuple<CauseKind, std::string, std::string>, Group> groups;
    std::vector<size_t> read(a.templates().size(), 0);
    const auto [begin, end] = a.message_range(lo, hi);
    std::vector<bool> in_window(a.templates().size(), false);
    size_t tests = 0;
    for (size_t i = begin; i < end; ++i)
      if (!in_window[msgs[i].template_id]) {
        in_window[msgs[i].template_id] = true;
        ++tests;
      }
    for (size_t i = begin; i < end; ++i) {
      const MessageItem& m = msgs[i];
      const TemplateStats& st = a.stats(m.template_id);
      if (!unusual(st, inside_s, outside_s, tests)) continue;
      const Meaning meaning = a.template_facts(m.template_id).meaning;
      if (!cause_kind(meaning) && meaning != Meaning::kOtherError) continue;
      if (meaning == Meaning::kCrash) continue;  // crashes are read together, from every log (crashes.cpp)
      if (read[m.template_id]++ >= kMaxFactsPerTemplate) {
        continue;
      }
      const MessageFacts& f = a.facts(i);
      const Record rec = a.record(i);
      const Meaning mm = f.meaning == Meaning::kNone ? meaning : f.meaning;
      const CauseKind kind = kind_for(mm);
      const std::string object = kind == CauseKind::kUnknown ? a.templates().text(m.template_id) : object_for(kind, f, rec);
      Group& g = groups[{kind, object, std::string(rec.host)}];
      Candidate& c = g.c;
      if (c.count++ == 0) {
        g.template_id = m.template_id;
        c = cause_candidate(kind);
        c.count = 1;
        c.object = kind == CauseKind::kUnknown ? std::string() : object;
        c.host = std::string(rec.host);
        c.writer = writer_of(a.timeline.source(m.ref), rec);
        c.errno_name = f.errno_name;
        c.first_ns = m.time_ns;
        if (!f.path.empty() && (mm == Meaning::kMissingFile || mm == Meaning::kPermissionDenied ||
                                mm == Meaning::kDiskFull || mm == Meaning::kPhpFatal || mm == Meaning::kConfigSyntax))
          c.path = f.path;
        if (!f.setting.empty()) c.setting = f.setting;
        if (f.referenced_from) c.referenced_from = f.referenced_from;
        if (!f.signal.empty()) c.signal = f.signal;
        if (!f.service.empty()) c.service = f.service;
        if (!rec.client.empty()) c.client = std::string(rec.client);
        c.new_at_onset = st.is_new() && has_baseline;
        c.explanation = explanation(mm, f, rec, a.templates().text(m.template_id));
        if (!f.endpoint.empty()) c.mentions.push_back(f.endpoint);
        if (!f.path.empty()) c.mentions.push_back(f.path);
        if (!f.name.empty()) c.mentions.push_back(f.name);
      }
      c.last_ns = m.time_ns;
      c.severity = std::max(c.severity, a.severity(i));
      if (c.evidence.size() < 3) c.evidence.push_back(m.ref);
      c.add_instance(m.ref);
    }
    for (auto& [key, g] : groups) {
      Candidate& c = g.c;
      const TemplateStats& st = a.stats(g.template_id);
      c.count = std::max<uint64_t>(c.count, st.during);
      c.score = score(c, st, *a.incident);
      out.push_back(std::move(c));
    }
  }

 private:
  // Chosen, not derived: novelty with a baseline counts most, repetition and severity least; -0.2
  // puts a line that begins 30 s into the incident under a cause of its prior that began with it;
  // 0.95 stays under merged causes' 0.99. At half and twice these terms the lab's table is
  // unchanged (docs/findings.md, Sensitivity).
  static double score(const Candidate& c, const TemplateStats& st, const Window& w) {
    double s = kind_info(c.cause).prior;
    if (c.new_at_onset) s += 0.15;
    if (st.before + st.after + st.elsewhere == 0) s += 0.1;
    if (st.during >= 10) s += 0.05;
    if (c.severity >= Severity::kError) s += 0.05;
    // Long after the start it is more likely a consequence than the cause.
    if (c.first_ns > w.start_ns + 30 * kNanosPerSecond) s -= 0.2;
    return std::clamp(s, 0.0, 0.95);
  }

  static std::string explanation(Meaning m, const MessageFacts& f, const Record& r, const std::string& tmpl) {
    switch (m) {
      case Meaning::kMissingFile:
        return "The server could not find " + f.path + (f.errno_name.empty() ? "" : " (" + f.errno_name + ")") +
               (f.referenced_from ? ", used from " + f.referenced_from->file + " line " +
                                        std::to_string(f.referenced_from->line)
                                  : "");
      case Meaning::kPermissionDenied:
        return "The server was denied access to " + f.path + " (" + (f.errno_name.empty() ? "EACCES" : f.errno_name) + ")";
      case Meaning::kPhpParseError:
        return "PHP cannot parse " + (f.referenced_from ? f.referenced_from->file + ": line " + std::to_string(f.referenced_from->line) : std::string("a script")) +
               (f.detail.empty() ? "" : " has a syntax error (" + f.detail + ")");
      case Meaning::kPhpFatal:
        return "PHP stops with a fatal error" + (f.referenced_from ? " in " + f.referenced_from->file + " on line " + std::to_string(f.referenced_from->line) : std::string()) +
               (f.detail.empty() ? "" : ": " + f.detail.substr(0, 200));
      case Meaning::kConfigSyntax:
        return "Invalid configuration" + (f.path.empty() ? std::string() : " in " + f.path) +
               (f.setting.empty() ? "" : ": directive '" + f.setting + "'") +
               (f.referenced_from ? " (line " + std::to_string(f.referenced_from->line) + ")" : "");
      case Meaning::kDependencyDown:
        return "A dependency the server needs did not answer: " + (!f.endpoint.empty() ? f.endpoint : f.service) +
               (f.errno_name.empty() ? "" : " (" + f.errno_name + ")");
      case Meaning::kDiskFull:
        return "Writes failed for lack of space" + (f.path.empty() ? std::string() : " on " + f.path) + " (" +
               (f.errno_name.empty() ? "ENOSPC" : f.errno_name) + ")";
      case Meaning::kResourceLimit:
        return "A limit was reached: " + f.setting;
      case Meaning::kCrash:
        return "A process died of " + (f.signal.empty() ? std::string("a signal") : f.signal);
      case Meaning::kDnsFailure:
        return "A name the server needed could not be resolved" + (f.name.empty() ? std::string() : ": " + f.name);
      case Meaning::kTlsFailure:
        return "A TLS certificate or handshake failed" + (f.certificate.empty() ? std::string() : " (" + f.certificate + ")") +
               (f.detail.empty() ? "" : ": " + f.detail);
      case Meaning::kServiceFailed:
        return "The service " + (f.service.empty() ? std::string(r.program) : f.service) + " failed: " +
               std::string(r.message.substr(0, 200));
      default:
        return "A message never seen before the incident: " + tmpl.substr(0, 200);
    }
  }
};

}  // namespace

const Detector& message_cause_detector() {
  static const MessageCauseDetector d;
  return d;
}

}  // namespace hindcast
