// process_crashes (symptom) and crash (cause): processes that died of a fault signal.
//
// The same crash can be told by several logs: the server's own ("child pid 14533 exit signal
// Segmentation fault (11)"), the kernel ("php[123]: segfault at ..."), the service manager
// ("Main process exited, code=killed, status=11/SEGV"), the OOM killer ("Killed process 123"),
// and strace ("+++ killed by SIGSEGV +++"). Crashes close in time form one burst; its count is
// the largest count any one log gives, so one crash told twice is not two.
//
// As a cause, a crash names its signal and, where strace saw it, the request the dying process
// was serving: the last HTTP request line it read before the signal.
#include <algorithm>
#include <map>

#include "engine/findings/analysis.h"
#include "engine/findings/scan.h"
#include "parsers/strace.h"

namespace hindcast {
namespace {

constexpr double kCandidateLevel = 0.05;  // see http_failures.cpp

bool is_fault_signal(std::string_view s) {
  static constexpr std::string_view kFaults[] = {"SIGSEGV", "SIGBUS",  "SIGABRT", "SIGILL",
                                                 "SIGFPE",  "SIGSYS",  "SIGTRAP", "SIGXCPU", "SIGXFSZ"};
  for (std::string_view f : kFaults)
    if (s == f) return true;
  return false;
}

struct Crash {
  int64_t time_ns;
  EventRef ref;
  uint16_t source;
  std::string signal;
  bool from_strace;
  uint32_t pid;
  std::string process;  // what died, where the log names it (the OOM killer's victim, a unit)
  std::string host;
  std::string writer;   // the program that reported it (a server reporting its own children)
};

std::vector<Crash> collect_crashes(const Analysis& a) {
  std::vector<Crash> out;
  for (const SelectedMessage& m : a.selected()) {
    if (m.meaning != Meaning::kCrash) continue;
    const Record r = a.selected_record(m);
    const MessageFacts f = read_message(r);
    // A kill by the OOM killer is a crash whatever the signal; others need a fault signal.
    if (!is_fault_signal(f.signal) && f.detail.find("out-of-memory") == std::string::npos) continue;
    const std::string_view writer = !r.program.empty() ? r.program : server_of_format(a.timeline.source(m.ref()).format);
    out.push_back({m.time_ns, m.ref(), m.source, f.signal, false, r.pid, f.service, std::string(r.host), std::string(writer)});
  }
  const Timeline& t = a.timeline;
  for (const Source& s : t.sources()) {
    if (!s.may_have(EventKind::kProcessExit)) continue;
    for (size_t i = 0; i < s.events.size(); ++i) {
      const Event& e = s.events[i];
      if (e.kind != EventKind::kProcessExit || e.severity < Severity::kError || (e.basis & kBasisUnanchored)) continue;
      Record r;
      if (!decode_record(s, e, &r) || !is_fault_signal(r.signal)) continue;
      out.push_back({e.time_ns, EventRef{static_cast<uint32_t>(i), s.id}, s.id, std::string(r.signal), true, e.pid, {}, s.host, {}});
    }
  }
  std::sort(out.begin(), out.end(), [](const Crash& x, const Crash& y) { return x.time_ns < y.time_ns; });
  return out;
}

// The largest number of crashes any one log reports in [i, j], and the dominant signal.
uint64_t crash_count(const std::vector<Crash>& c, size_t i, size_t j, std::string* signal) {
  std::map<uint16_t, uint64_t> per_source;
  std::map<std::string, uint64_t> signals;
  for (size_t k = i; k <= j; ++k) {
    ++per_source[c[k].source];
    ++signals[c[k].signal];
  }
  uint64_t best = 0;
  for (const auto& [s, n] : per_source) best = std::max(best, n);
  uint64_t top = 0;
  for (const auto& [s, n] : signals)
    if (n > top) {
      top = n;
      *signal = s;
    }
  return best;
}

// The request line a process read last before `index` in its trace ("GET /?p=57 HTTP/1.1"), and
// the line that read it.
struct LastRequest {
  std::string url;
  std::string script;  // the file the server ran for it, where the request says (FastCGI)
  EventRef ref;
};

// A FastCGI parameter's value in a record the web server sent (name-value pairs, each length one
// byte below 128, else four: FastCGI 1.0, section 3.4), empty when it is not there or was cut.
std::string fastcgi_param(std::string_view text, std::string_view name) {
  const size_t at = text.find(name);
  if (at == std::string_view::npos || at < 2) return {};
  const auto name_len = static_cast<unsigned char>(text[at - 2]), value_len = static_cast<unsigned char>(text[at - 1]);
  if (name_len != name.size() || value_len >= 128) return {};
  const size_t from = at + name.size();
  if (from + value_len > text.size()) return {};  // strace cut the string short
  return std::string(text.substr(from, value_len));
}

// What a dying process read last: an HTTP request line (a server that reads the client) or a
// FastCGI request's URI and script (a PHP-FPM worker reading its web server).
std::optional<LastRequest> last_request_of(const Source& s, size_t index, uint32_t pid) {
  // A cost bound, the reach of consequence.cpp's kLookAhead (a request is tens to hundreds of
  // calls; traces interleave processes): a request read further back is not named.
  constexpr size_t kLookBack = 20000;
  const size_t stop = index > kLookBack ? index - kLookBack : 0;
  for (size_t k = index; k-- > stop;) {
    const Event& e = s.events[k];
    if (e.kind != EventKind::kSyscall || e.pid != pid) continue;
    const std::string_view line = s.line_text(e);
    const bool http = line.find(" HTTP/1.") != std::string_view::npos;
    if (!http && line.find("REQUEST_URI") == std::string_view::npos) continue;
    StraceRecord r;
    if (!decode_strace_line(line, &r) || (r.syscall != "read" && r.syscall != "recvfrom" && r.syscall != "recv"))
      continue;
    const std::string text = first_string_argument(r.args);
    const EventRef ref{static_cast<uint32_t>(k), s.id};
    if (std::string uri = fastcgi_param(text, "REQUEST_URI"); !uri.empty())
      return LastRequest{std::move(uri), fastcgi_param(text, "SCRIPT_FILENAME"), ref};
    const size_t sp = text.find(' ');
    const size_t version = text.find(" HTTP/1.");
    if (sp == std::string::npos || version == std::string::npos || version <= sp) continue;
    return LastRequest{text.substr(sp + 1, version - sp - 1), {}, ref};
  }
  return std::nullopt;
}

// Deaths per bucket: the largest number any one log reports there (one crash told by the server
// and by strace is one death).
CountSeries deaths_per_bucket(const std::vector<Crash>& crashes, const TimeAxis& axis) {
  CountSeries s = CountSeries::poisson(axis.size);
  std::map<std::pair<size_t, uint16_t>, uint32_t> per_source;
  for (const Crash& c : crashes) {
    const size_t b = axis.bucket(c.time_ns);
    const uint32_t n = ++per_source[{b, c.source}];
    s.x[b] = std::max(s.x[b], n);
  }
  return s;
}

// process_crashes: where deaths are significantly more frequent than the logs' own background
// (a Poisson series, engine/findings/scan.h). Deaths scattered at a steady rate over days are
// background, however many; a bunch of them is a symptom. It takes two deaths to be more than one
// process's bad luck, so a segment of one is reported as noise.
class CrashSymptomDetector final : public Detector {
 public:
  std::string_view name() const override { return "process_crashes"; }
  Stage stage() const override { return Stage::kSymptoms; }
  void run(const Analysis& a, std::vector<Candidate>& out) const override {
    const std::vector<Crash> crashes = collect_crashes(a);
    if (crashes.empty()) return;
    const TimeAxis& axis = a.axis();
    const CountSeries s = deaths_per_bucket(crashes, axis);
    // Three segments, as http_failures.cpp.
    for (const Segment& seg : scan_segments(s, Direction::kExcess, 3)) {
      const int64_t lo = axis.start(seg.first), hi = axis.end(seg.last);
      auto first = std::lower_bound(crashes.begin(), crashes.end(), lo, [](const Crash& c, int64_t t) { return c.time_ns < t; });
      auto last = std::upper_bound(crashes.begin(), crashes.end(), hi, [](int64_t t, const Crash& c) { return t < c.time_ns; });
      if (first == last) continue;
      const size_t i = static_cast<size_t>(first - crashes.begin()), j = static_cast<size_t>(last - crashes.begin()) - 1;
      Candidate c;
      c.kind = "process_crashes";
      c.first_ns = crashes[i].time_ns;
      c.last_ns = crashes[j].time_ns;
      c.last_event = crashes[j].ref;
      std::string signal;
      c.count = crash_count(crashes, i, j, &signal);
      c.signal = signal;
      c.p_value = seg.p_value;
      c.resolution_ns = axis.width_ns;
      // Evidence from the logs that report the crash themselves first, then strace.
      for (size_t k = i; k <= j && c.evidence.size() < 2; ++k)
        if (!crashes[k].from_strace) c.evidence.push_back(crashes[k].ref);
      for (size_t k = i; k <= j && c.evidence.size() < 3; ++k)
        if (crashes[k].from_strace) c.evidence.push_back(crashes[k].ref);
      // Deaths through most of the logs are how this system runs, whatever the edges show: a
      // background is what the logs mostly show, so a "burst" longer than half of them is not one.
      const bool most_of_the_logs = 2 * (seg.last - seg.first + 1) > axis.size;
      const bool burst = c.count >= 2 && seg.p_value < kCandidateLevel && !most_of_the_logs;
      c.role = burst ? Role::kSymptom : Role::kNoise;
      c.primary = burst;
      c.severity = burst ? Severity::kCritical : Severity::kWarning;
      c.score = burst ? 0.85 : 0.3;
      c.explanation = std::to_string(c.count) + " server process" + (c.count == 1 ? "" : "es") + " died of " +
                      (signal.empty() ? std::string("a fault signal") : signal);
      out.push_back(std::move(c));
    }
  }
};

class CrashCauseDetector final : public Detector {
 public:
  std::string_view name() const override { return "crash_causes"; }
  Stage stage() const override { return Stage::kCauses; }
  void run(const Analysis& a, std::vector<Candidate>& out) const override {
    if (!a.incident) return;
    const std::vector<Crash> crashes = collect_crashes(a);
    std::vector<const Crash*> inside;
    for (const Crash& c : crashes)
      if (c.time_ns >= a.incident->start_ns - a.lead_ns() && c.time_ns <= a.incident->end_ns + kNanosPerSecond)
        inside.push_back(&c);
    if (inside.empty()) return;
    Candidate c = cause_candidate(CauseKind::kCrash);
    c.first_ns = inside.front()->time_ns;
    c.last_ns = inside.back()->time_ns;
    std::string signal;
    const size_t i = static_cast<size_t>(inside.front() - crashes.data());
    const size_t j = static_cast<size_t>(inside.back() - crashes.data());
    c.count = crash_count(crashes, i, j, &signal);
    c.signal = signal;
    c.new_at_onset = true;
    // What the dying processes were serving: the request each read last.
    std::map<std::string, uint64_t> urls;
    std::map<std::string, std::string> script_of;  // url -> the file that ran it
    std::map<std::string, std::pair<EventRef, EventRef>> example;  // url -> (its read, the kill)
    const Timeline& t = a.timeline;
    for (const Crash* k : inside) {
      if (!k->from_strace) continue;
      const Source& s = t.sources()[k->ref.source];
      if (auto last = last_request_of(s, k->ref.index, k->pid)) {
        ++urls[last->url];
        example.try_emplace(last->url, last->ref, k->ref);
        if (!last->script.empty()) script_of.try_emplace(last->url, last->script);
      }
    }
    uint64_t best = 0;
    for (const auto& [u, n] : urls)
      if (n > best) {
        best = n;
        c.url = u;
      }
    // Evidence: the logs' own crash reports first, then one crash strace saw, with the request.
    for (const Crash* k : inside) {
      if (c.evidence.size() >= 2) break;
      if (!k->from_strace) c.evidence.push_back(k->ref);
    }
    if (c.url) {
      c.evidence.push_back(example[*c.url].first);
      c.evidence.push_back(example[*c.url].second);
    } else {
      for (const Crash* k : inside)
        if (k->from_strace) {
          c.evidence.push_back(k->ref);
          break;
        }
    }
    if (c.evidence.empty()) c.evidence.push_back(inside.front()->ref);
    // What died: the process the logs name most often, else the server's own processes.
    std::map<std::string, uint64_t> processes;
    for (const Crash* k : inside)
      if (!k->process.empty()) ++processes[k->process];
    c.object = "server processes";
    uint64_t named = 0;
    // The process itself (the kernel's victim, mariadbd) before the unit it ran in
    // (mariadb.service): what died is a process; its unit is its service.
    const auto is_unit = [](const std::string& p) { return p.find(".service") != std::string::npos || p.find(".scope") != std::string::npos; };
    bool named_unit = true;
    for (const auto& [p, n] : processes)
      if (std::pair{!is_unit(p), n} > std::pair{!named_unit, named}) {
        named = n;
        named_unit = is_unit(p);
        c.object = p;
      }
    c.host = inside.front()->host;
    if (named) {
      c.service = c.object;
    } else {
      // The server that reported its own children dying is the service that crashed.
      std::map<std::string, uint64_t> writers;
      for (const Crash* k : inside)
        if (!k->writer.empty()) ++writers[k->writer];
      uint64_t most = 0;
      for (const auto& [w, n] : writers)
        if (n > most) {
          most = n;
          c.service = w;
        }
    }
    // The file the server ran for the request the dying processes served (FastCGI's script): the
    // code that crashes them, the likely object, until a change names another.
    if (c.url && script_of.count(*c.url) && !named) {
      c.path = script_of[*c.url];
      c.object = *c.path;
      c.mentions.push_back(*c.path);
    }
    // Chosen, not derived: above a message's prior (a death is plain evidence), more with
    // repetition and with the request the dying processes served.
    c.score = 0.55 + (c.count >= 3 ? 0.15 : 0) + (c.url ? 0.1 : 0);
    c.severity = Severity::kError;
    c.explanation = std::to_string(c.count) + " server processes died of " + (signal.empty() ? "a fault signal" : signal) +
                    (c.url ? " while serving " + *c.url + " (" + std::to_string(best) + " of the crashes strace saw)" : "");
    out.push_back(std::move(c));
  }
};

}  // namespace

const Detector& crash_symptom_detector() {
  static const CrashSymptomDetector d;
  return d;
}

const Detector& crash_cause_detector() {
  static const CrashCauseDetector d;
  return d;
}

}  // namespace hindcast
