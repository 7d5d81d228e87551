#include "engine/findings/service_events.h"

#include "engine/findings/message_records.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>

#include "parsers/apache_error.h"
#include "parsers/strace.h"

namespace hindcast {
namespace {

// Time, then source, then file order: the timeline's own order, from values at hand.
template <class T>
bool in_timeline_order(const T& a, const T& b) {
  if (a.time_ns != b.time_ns) return a.time_ns < b.time_ns;
  return a.ref.source != b.ref.source ? a.ref.source < b.ref.source : a.ref.index < b.ref.index;
}

bool contains(std::string_view s, std::string_view w) { return s.find(w) != std::string_view::npos; }

bool contains_word_ci(std::string_view s, std::string_view w) {
  auto it = std::search(s.begin(), s.end(), w.begin(), w.end(),
                        [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
  return it != s.end();
}

bool is_monitor(const MessageRecord& r) {
  const std::string_view p = r.program;
  return p.starts_with("check_") || p == "nagios" || p == "icinga" || p == "icinga2" || p == "monit" ||
         contains(r.message, "SERVICE ALERT:") || r.message.starts_with("HTTP CRITICAL") ||
         r.message.starts_with("HTTP OK") || r.message.starts_with("HTTP WARNING");
}

// Messages with their numbers masked: the same template many times is routine, not a change.
std::string template_of(std::string_view program, std::string_view msg) {
  std::string t(program);
  t += '|';
  bool in_digits = false;
  for (char c : msg) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      if (!in_digits) t += '#';
      in_digits = true;
    } else {
      t += c;
      in_digits = false;
    }
  }
  return t;
}

}  // namespace

// Monitor lines name themselves: a cheap test before any decoding.
bool may_be_monitor(std::string_view line) {
  return mentions(line, "check_") || mentions(line, "HTTP ") || mentions(line, "SERVICE ALERT") ||
         mentions(line, "nagios") || mentions(line, "icinga") || mentions(line, "monit");
}

std::vector<HealthCheck> find_health_checks(const Timeline& t, const Window& span) {
  std::vector<HealthCheck> out;
  for_each_event_of_kind(t, EventKind::kSyslog, span, [&](EventRef r) {
    const Event& e = t.event(r);
    const bool classified = t.source(r).format.starts_with("syslog");  // the parser set ProgramClass
    if (classified ? e.code != kProgramMonitor : !may_be_monitor(t.source(r).line_text(e))) return;
    MessageRecord rec;
    if (!read_message_record(t.source(r), e, &rec) || !is_monitor(rec)) return;
    const bool failing = contains(rec.message, "CRITICAL") || contains(rec.message, "WARNING") ||
                         contains(rec.message, "UNKNOWN");
    const bool ok = contains(rec.message, "OK");
    if (failing || ok) out.push_back({r, failing, e.time_ns});
  });
  std::sort(out.begin(), out.end(), [](const HealthCheck& a, const HealthCheck& b) { return in_timeline_order(a, b); });
  return out;
}

std::vector<ServiceEvent> find_service_events(const Timeline& t, const Window& span) {
  std::vector<ServiceEvent> out;
  for_each_event_of_kind(t, EventKind::kSyslog, span, [&](EventRef r) {
    const Event& e = t.event(r);
    const std::string_view line = t.source(r).line_text(e);
    const bool classified = t.source(r).format.starts_with("syslog");
    if (classified ? e.code != kProgramServiceManager : !mentions(line, "systemd") && !mentions(line, "ctl")) return;
    MessageRecord rec;
    if (!read_message_record(t.source(r), e, &rec)) return;
    const std::string_view m = rec.message;
    if (rec.program == "systemd" || rec.program == "init") {
      if (m.starts_with("Reloading") || m.starts_with("Reloaded") || m.starts_with("Restarting"))
        out.push_back({r, "restart", t.event(r).time_ns});
      else if (m.starts_with("Started") || m.starts_with("Starting"))
        out.push_back({r, "start", t.event(r).time_ns});
      else if (m.starts_with("Stopping") || m.starts_with("Stopped"))
        out.push_back({r, "stop", t.event(r).time_ns});
    } else if ((contains(rec.program, "apachectl") || contains(rec.program, "apache2ctl")) &&
               (contains(m, "graceful") || contains(m, "restart"))) {
      out.push_back({r, "restart", t.event(r).time_ns});
    }
  });
  for_each_event_of_kind(t, EventKind::kServerLog, span, [&](EventRef r) {
    const Event& e = t.event(r);
    if (e.severity != Severity::kNotice) return;  // Apache logs its lifecycle at notice
    const std::string_view line = t.source(r).line_text(e);
    if (contains(line, "SIGHUP received") || contains(line, "SIGUSR1 received") ||
        contains(line, "Graceful restart requested"))
      out.push_back({r, "restart", t.event(r).time_ns});
    else if (contains(line, "resuming normal operations"))
      out.push_back({r, "start", t.event(r).time_ns});
    else if (contains(line, "caught SIGTERM") || contains(line, "caught SIGWINCH"))
      out.push_back({r, "stop", t.event(r).time_ns});
  });
  for_each_event_of_kind(t, EventKind::kSignal, span, [&](EventRef r) {
    StraceRecord rec;
    if (!decode_strace_line(t.source(r).line_text(t.event(r)), &rec)) return;
    if (rec.syscall == "SIGHUP" || rec.syscall == "SIGUSR1") out.push_back({r, "restart", t.event(r).time_ns});
  });
  std::sort(out.begin(), out.end(), [](const ServiceEvent& a, const ServiceEvent& b) { return in_timeline_order(a, b); });
  return out;
}

std::vector<ChangeCandidate> find_changes(const Timeline& t, int64_t onset_ns, int64_t lookback_ns,
                                          const std::vector<std::string>& related_paths) {
  static constexpr std::string_view kChangeWords[] = {
      "deploy", "release", "rolled out", "rollout", "ansible", "puppet", "chef", "salt", "changed",
      "upgrade", "install", "dpkg", "apt", "yum", "rpm", "chmod", "chown", "rsync", "git ",
      "config", "update", "migrat", "perms", "permission", "play ", "task ", "cmd (", "edit", "replace"};
  std::unordered_map<std::string, int> template_count;
  std::vector<EventRef> window;
  constexpr int64_t kRoutineSpan = 2 * 3600 * kNanosPerSecond;
  for (const EventRef r : t.range(onset_ns - kRoutineSpan, onset_ns + kRoutineSpan)) {
    const Event& e = t.event(r);
    MessageRecord rec;
    if (!read_message_record(t.source(r), e, &rec)) continue;
    ++template_count[template_of(rec.program, rec.message)];
    if (e.time_ns >= onset_ns - lookback_ns && e.time_ns <= onset_ns + kNanosPerSecond) window.push_back(r);
  }
  std::vector<ChangeCandidate> out;
  for (const EventRef r : window) {
    MessageRecord rec;
    read_message_record(t.source(r), t.event(r), &rec);
    if (is_monitor(rec) || rec.program == "systemd") continue;
    if (template_count[template_of(rec.program, rec.message)] >= 3) continue;  // routine
    double score = 0;
    for (std::string_view w : kChangeWords)
      if (contains_word_ci(rec.message, w) || contains_word_ci(rec.program, w)) score += 1;
    score = std::min(score, 3.0);
    for (const std::string& p : related_paths)
      if (!p.empty() && contains(rec.message, p)) score += 3;
    const double age = static_cast<double>(onset_ns - t.event(r).time_ns) / static_cast<double>(lookback_ns);
    score += 1 - std::clamp(age, 0.0, 1.0);  // closer to the onset ranks higher
    out.push_back({r, std::string(rec.host), std::string(rec.program), std::string(rec.message), score});
  }
  std::sort(out.begin(), out.end(), [](const ChangeCandidate& a, const ChangeCandidate& b) { return a.score > b.score; });
  return out;
}

}  // namespace hindcast
