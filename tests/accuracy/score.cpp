#include "tests/accuracy/score.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "engine/core/time.h"  // the civil calendar only: the times are read here

namespace hindcast::accuracy {
namespace {

bool digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

std::optional<int64_t> civil_ns(int y, int mo, int d, int h, int mi, int s) {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  const int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return ((days * 24 + h) * 60 + mi) * 60 * kSecond + int64_t{s} * kSecond;
}

// ns since the epoch → RFC 3339 in UTC (fraction only where there is one).
std::string format_ns(int64_t ns) {
  int64_t secs = ns / kSecond, frac = ns % kSecond;
  if (frac < 0) { frac += kSecond; --secs; }
  int64_t days = secs / 86400, rem = secs % 86400;
  if (rem < 0) { rem += 86400; --days; }
  const CivilDate date = civil_from_days(days);
  const int64_t y = date.year;
  const unsigned m = date.month, d = date.day;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld", static_cast<long long>(y), m, d,
                static_cast<long long>(rem / 3600), static_cast<long long>(rem / 60 % 60), static_cast<long long>(rem % 60));
  std::string out = buf;
  if (frac) {
    std::snprintf(buf, sizeof buf, ".%09lld", static_cast<long long>(frac));
    std::string f = buf;
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  return out + "Z";
}

std::string clean(std::string s) {
  for (char& c : s)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return s;
}

std::string seconds_text(int64_t ns) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.3f s", static_cast<double>(ns) / kSecond);
  return buf;
}

std::string trim_slash(std::string s) {
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

// ---- the report, read through simdjson's DOM ----

using simdjson::dom::element;

std::optional<element> field(element e, std::string_view key) {
  if (!e.is_object()) return std::nullopt;
  element v;
  if (e.get_object().at_key(key).get(v) != simdjson::SUCCESS) return std::nullopt;
  if (v.is_null()) return std::nullopt;
  return v;
}

std::optional<std::string> text(std::optional<element> e, std::string_view key) {
  if (!e) return std::nullopt;
  const auto v = field(*e, key);
  if (!v) return std::nullopt;
  std::string_view s;
  if (v->get_string().get(s) == simdjson::SUCCESS) return std::string(s);
  int64_t i;
  if (v->get_int64().get(i) == simdjson::SUCCESS) return std::to_string(i);
  return std::nullopt;
}

std::optional<int64_t> time_of(std::optional<element> e, std::string_view key) {
  const auto t = text(e, key);
  return t ? parse_rfc3339_ns(*t) : std::nullopt;
}

// Every evidence text of the root cause and of its chain's links.
std::vector<std::string> evidence_texts(std::optional<element> rc) {
  std::vector<std::string> out;
  auto add = [&](std::optional<element> holder) {
    const auto ev = holder ? field(*holder, "evidence") : std::nullopt;
    if (!ev || !ev->is_array()) return;
    for (element item : ev->get_array()) {
      if (auto t = text(item, "text")) out.push_back(*t);
    }
  };
  add(rc);
  const auto chain = rc ? field(*rc, "chain") : std::nullopt;
  if (chain && chain->is_array()) {
    for (element link : chain->get_array()) add(link);
  }
  return out;
}

bool number_at(std::string_view text, const std::string& line) {
  return text.substr(0, line.size()) == line &&
         (text.size() == line.size() || !std::isdigit(static_cast<unsigned char>(text[line.size()])));
}

// Does `t` name `file` with `line` the way the servers word it: PHP "FILE on line N", nginx and
// stack traces "FILE:N" / "FILE(N)", PostgreSQL `"FILE" line N`, MariaDB "FILE at line N",
// Apache "on line N of FILE"?
bool cites(const std::string& t, const std::string& file, const std::string& line) {
  for (size_t p = t.find(file); p != std::string::npos; p = t.find(file, p + 1)) {
    const std::string_view rest = std::string_view(t).substr(p + file.size());
    for (std::string_view lead : {" on line ", ":", "(", " line ", ", line ", "\" line ", " at line "}) {
      if (rest.substr(0, lead.size()) == lead && number_at(rest.substr(lead.size()), line)) return true;
    }
    const std::string before = "line " + line + " of ";
    if (p >= before.size() && t.compare(p - before.size(), before.size(), before) == 0 &&
        (p == before.size() || !std::isdigit(static_cast<unsigned char>(t[p - before.size() - 1]))))
      return true;
  }
  return false;
}

// The truth's object for a cause: an explicit `root_cause_object` (lab/README.md), else the key each kind's object lives in
// (README of the incidents; lab/README.md for the keys the lab adds), else the failing path or
// the root-cause file.
std::string truth_object(const Truth& t) {
  for (const char* key : {"root_cause_object", "object", "dependency", "limit", "filesystem", "mount_point", "dns_name", "certificate",
                          "bad_path", "root_cause_file"}) {
    if (t.has(key)) return t.get(key);
  }
  return "";
}

bool object_matches(const std::string& kind, const std::string& truth, const std::string& got) {
  const std::string a = trim_slash(truth), b = trim_slash(got);
  if (a == b) return true;
  // disk_full's object is "the filesystem (its mount point, or the directory that all failing
  // paths share)": a directory on that filesystem names it too.
  return kind == "disk_full" && b.size() > a.size() && b.compare(0, a.size(), a) == 0 && (a == "/" || b[a.size()] == '/');
}

bool is_action_resolution(const std::string& kind) {
  return kind == "restart" || kind == "dependency_restored" || kind == "rollback";
}

bool never_fixed(const Truth& t) {
  const std::string k = t.get("resolution_kind");
  if (k == "never_fixed" || k == "none" || k == "never" || k == "ongoing") return true;
  return k.empty() && !t.has("resolution_utc") && !t.has("restart_utc") && !t.has("fix_utc");
}

// The resolution kind the truth names, or the one its keys establish; "" where they do not.
std::string truth_resolution_kind(const Truth& t) {
  if (t.has("resolution_kind")) return t.get("resolution_kind");
  if (t.has("restart_utc")) return "restart";
  if (truth_kind(t) == "dependency_down" && t.has("fix_utc")) return "dependency_restored";
  return "";
}

std::optional<int64_t> truth_resolution_ns(const Truth& t) {
  for (const char* key : {"resolution_utc", "restart_utc", "fix_utc"}) {
    if (t.has(key)) return parse_rfc3339_ns(t.get(key));
  }
  return std::nullopt;
}

struct Window {
  int64_t start = 0;
  std::optional<int64_t> end;  // nullopt: still failing when the logs end
  int64_t logs_end = 0;        // end_utc, for an ongoing incident's tolerance
  std::string source;
};

std::optional<Window> truth_window(const Truth& t) {
  Window w;
  w.logs_end = t.has("end_utc") ? parse_rfc3339_ns(t.get("end_utc")).value_or(0) : 0;
  if (t.has("incident_start_utc")) {
    const auto s = parse_rfc3339_ns(t.get("incident_start_utc"));
    if (!s) return std::nullopt;
    w.start = *s;
    if (t.has("incident_end_utc")) w.end = parse_rfc3339_ns(t.get("incident_end_utc"));
    w.source = "incident_start_utc/_end_utc";
    return w;
  }
  if (t.failing_window) {
    w.start = t.failing_window->first;
    w.end = t.failing_window->second;
    w.source = "access log, first/last " + t.get("expected_status");
    return w;
  }
  return std::nullopt;
}

Criterion make(std::string name) {
  Criterion c;
  c.name = std::move(name);
  return c;
}

void decide(Criterion& c, bool ok) { c.result = ok ? Result::pass : Result::fail; }

}  // namespace

std::optional<int64_t> parse_rfc3339_ns(std::string_view s) {
  int y, mo, d, h, mi, sec;
  if (!digits(s, 0, 4, &y) || s.size() < 20 || s[4] != '-' || !digits(s, 5, 2, &mo) || s[7] != '-' ||
      !digits(s, 8, 2, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(s, 11, 2, &h) ||
      s[13] != ':' || !digits(s, 14, 2, &mi) || s[16] != ':' || !digits(s, 17, 2, &sec))
    return std::nullopt;
  auto base = civil_ns(y, mo, d, h, mi, sec);
  if (!base) return std::nullopt;
  size_t p = 19;
  int64_t frac = 0;
  if (p < s.size() && s[p] == '.') {
    ++p;
    int64_t scale = kSecond;
    const size_t first = p;
    while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
      if (scale > 1) {
        scale /= 10;
        frac += (s[p] - '0') * scale;
      }
      ++p;
    }
    if (p == first) return std::nullopt;
  }
  if (p >= s.size()) return std::nullopt;
  int64_t offset = 0;
  if (s[p] == 'Z' || s[p] == 'z') {
    ++p;
  } else if (s[p] == '+' || s[p] == '-') {
    int oh, om;
    if (!digits(s, p + 1, 2, &oh) || p + 3 >= s.size() || s[p + 3] != ':' || !digits(s, p + 4, 2, &om)) return std::nullopt;
    offset = (int64_t{oh} * 60 + om) * 60 * kSecond * (s[p] == '-' ? -1 : 1);
    p += 6;
  } else {
    return std::nullopt;
  }
  if (p != s.size()) return std::nullopt;
  return *base + frac - offset;
}

std::optional<int64_t> parse_access_stamp_ns(std::string_view s) {
  // 03/Nov/2023:09:00:45 -0400
  static constexpr std::string_view kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
  int d, y, h, mi, sec, oh, om;
  if (s.size() < 26 || !digits(s, 0, 2, &d) || s[2] != '/' || s[6] != '/' || !digits(s, 7, 4, &y) || s[11] != ':' ||
      !digits(s, 12, 2, &h) || s[14] != ':' || !digits(s, 15, 2, &mi) || s[17] != ':' || !digits(s, 18, 2, &sec) ||
      s[20] != ' ' || (s[21] != '+' && s[21] != '-') || !digits(s, 22, 2, &oh) || !digits(s, 24, 2, &om))
    return std::nullopt;
  const size_t m = kMonths.find(s.substr(3, 3));
  if (m == std::string_view::npos || m % 3) return std::nullopt;
  const auto base = civil_ns(y, static_cast<int>(m / 3 + 1), d, h, mi, sec);
  if (!base) return std::nullopt;
  return *base - (int64_t{oh} * 60 + om) * 60 * kSecond * (s[21] == '-' ? -1 : 1);
}

std::string Truth::get(const std::string& key) const {
  const auto it = keys.find(key);
  return it == keys.end() ? "" : it->second;
}

Truth parse_truth(std::string_view text) {
  Truth t;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    t.keys[std::string(line.substr(0, eq))] = std::string(line.substr(eq + 1));
  }
  return t;
}

Truth read_truth_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return parse_truth(ss.str());
}

std::optional<std::pair<int64_t, int64_t>> failing_window_from_access_logs(const std::string& dir,
                                                                           const std::string& status) {
  if (status.empty()) return std::nullopt;
  std::optional<std::pair<int64_t, int64_t>> w;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec); !ec && it != std::filesystem::end(it);
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!it->is_regular_file() || name.rfind("access.log", 0) != 0 || name.ends_with(".gz") || name.ends_with(".zst") ||
        name.ends_with(".xz"))
      continue;
    std::ifstream f(it->path());
    std::string line;
    while (std::getline(f, line)) {
      // combined: … [stamp] "request" STATUS …
      const size_t lb = line.find('[');
      const size_t q = line.find("\" ");
      if (lb == std::string::npos || q == std::string::npos) continue;
      if (line.compare(q + 2, status.size(), status) != 0 || (q + 2 + status.size() < line.size() && line[q + 2 + status.size()] != ' '))
        continue;
      const auto t = parse_access_stamp_ns(std::string_view(line).substr(lb + 1));
      if (!t) continue;
      if (!w) w = std::pair{*t, *t};
      w->first = std::min(w->first, *t);
      w->second = std::max(w->second, *t);
    }
  }
  return w;
}

std::string truth_kind(const Truth& t) {
  if (t.keys.count("root_cause_kind")) return t.get("root_cause_kind");
  // The first recorded cases predate root_cause_kind (../shared/incidents/README.md, first set).
  if (t.get("errno") == "ENOENT") return "missing_file";
  if (t.get("errno") == "EACCES" || t.get("errno") == "EPERM") return "permission_denied";
  if (t.has("root_cause_file")) return "php_parse_error";
  return "";
}

std::string_view result_name(Result r) {
  switch (r) {
    case Result::pass: return "pass";
    case Result::fail: return "fail";
    case Result::not_applicable: return "n/a";
  }
  return "n/a";
}

int CaseScore::passed() const {
  return static_cast<int>(std::count_if(criteria.begin(), criteria.end(), [](const Criterion& c) { return c.result == Result::pass; }));
}
int CaseScore::applicable() const {
  return static_cast<int>(
      std::count_if(criteria.begin(), criteria.end(), [](const Criterion& c) { return c.result != Result::not_applicable; }));
}

int64_t window_tolerance_ns(int64_t true_duration_ns) {
  return std::max<int64_t>(5 * kSecond, std::llabs(true_duration_ns) / 10);
}

CaseScore score_report(std::string_view report_json, const Truth& truth) {
  CaseScore s;
  s.kind = truth_kind(truth);
  s.quiet = s.kind.empty();
  if (s.quiet) s.kind = "quiet";

  simdjson::dom::parser parser;
  element root;
  const simdjson::padded_string padded(report_json);
  const bool readable = !report_json.empty() && parser.parse(padded).get(root) == simdjson::SUCCESS && root.is_object();
  const std::optional<element> rep = readable ? std::optional<element>(root) : std::nullopt;
  const std::optional<element> incident = rep ? field(*rep, "incident") : std::nullopt;
  const std::optional<element> rc = rep ? field(*rep, "root_cause") : std::nullopt;
  const std::optional<element> trigger = rep ? field(*rep, "trigger") : std::nullopt;
  const std::optional<element> resolution = rep ? field(*rep, "resolution") : std::nullopt;
  const std::string unreadable = "no readable report";

  // incident: found, or on a quiet day neither an incident nor an error-level anomaly
  Criterion found = make("incident");
  if (s.quiet) {
    found.expected = "no incident, no error-level anomaly";
    std::vector<std::string> loud;
    const auto anomalies = rep ? field(*rep, "anomalies") : std::nullopt;
    if (anomalies && anomalies->is_array()) {
      for (element a : anomalies->get_array()) {
        const std::string sev = text(a, "severity").value_or("");
        if (sev == "critical" || sev == "error") loud.push_back(text(a, "kind").value_or("?") + "(" + sev + ")");
      }
    }
    if (!rep) found.got = unreadable;
    else if (incident) found.got = "incident " + text(incident, "kind").value_or("?") + " from " + text(incident, "start").value_or("?");
    else found.got = "no incident";
    for (const auto& l : loud) found.got += ", " + l;
    decide(found, rep && !incident && loud.empty());
  } else {
    found.expected = "an incident";
    found.got = !rep ? unreadable : incident ? text(incident, "kind").value_or("?") + " incident" : "no incident";
    decide(found, incident.has_value());
  }
  s.criteria.push_back(found);

  // window: start and end within max(5 s, 10 % of the true duration)
  Criterion window = make("window");
  if (const auto w = s.quiet ? std::nullopt : truth_window(truth)) {
    const int64_t end_for_length = w->end.value_or(w->logs_end);
    const int64_t tol = window_tolerance_ns(end_for_length - w->start);
    window.expected = format_ns(w->start) + " .. " + (w->end ? format_ns(*w->end) : "ongoing") + " (" + w->source + ")";
    const auto start = time_of(incident, "start");
    const auto end = time_of(incident, "end");
    window.got = incident ? text(incident, "start").value_or("null") + " .. " + text(incident, "end").value_or("null") : "no incident";
    bool ok = start && std::llabs(*start - w->start) <= tol;
    std::string note = start ? "start " + seconds_text(*start - w->start) : "no start";
    if (w->end) {
      ok = ok && end && std::llabs(*end - *w->end) <= tol;
      note += end ? ", end " + seconds_text(*end - *w->end) : ", no end";
    } else if (end) {  // ongoing: null, or the last failure near the end of the logs
      ok = ok && std::llabs(*end - w->logs_end) <= tol;
      note += ", end " + seconds_text(*end - w->logs_end) + " from the logs' end";
    }
    char tol_text[48];
    std::snprintf(tol_text, sizeof tol_text, "; tolerance %.1f s", static_cast<double>(tol) / kSecond);
    window.note = note + tol_text;
    decide(window, ok);
  }
  s.criteria.push_back(window);

  const std::string rc_kind = text(rc, "kind").value_or(rc ? "?" : "no root cause");
  Criterion kind = make("kind");
  if (!s.quiet) {
    kind.expected = s.kind;
    kind.got = rep ? rc_kind : unreadable;
    decide(kind, rc && rc_kind == s.kind);
  }
  s.criteria.push_back(kind);

  Criterion object = make("object");
  if (const std::string want = s.quiet ? "" : truth_object(truth); !want.empty()) {
    object.expected = want;
    const auto got = text(rc, "object");
    object.got = got.value_or(rc ? "null" : "no root cause");
    decide(object, got && object_matches(s.kind, want, *got));
  }
  s.criteria.push_back(object);

  Criterion err = make("errno");
  if (!s.quiet && truth.has("errno")) {
    err.expected = truth.get("errno");
    const auto got = text(rc, "errno");
    err.got = got.value_or(rc ? "null" : "no root cause");
    decide(err, got && *got == err.expected);
  }
  s.criteria.push_back(err);

  Criterion file_line = make("file_line");
  if (!s.quiet && truth.has("root_cause_file") && truth.has("root_cause_line")) {
    const std::string file = truth.get("root_cause_file"), line = truth.get("root_cause_line");
    file_line.expected = file + ":" + line;
    const auto ref = rc ? field(*rc, "referenced_from") : std::nullopt;
    const auto ref_file = text(ref, "file"), ref_line = text(ref, "line");
    file_line.got = ref ? ref_file.value_or("?") + ":" + ref_line.value_or("?") : "referenced_from null";
    bool ok = ref_file == file && ref_line == line;
    if (ok) {
      file_line.note = "referenced_from";
    } else {
      for (const auto& t : evidence_texts(rc)) {
        if (cites(t, file, line)) {
          ok = true;
          file_line.note = "cited by the evidence";
          break;
        }
      }
      if (!ok) file_line.note = "neither referenced_from nor any evidence of the root cause cites it";
    }
    decide(file_line, ok);
  }
  s.criteria.push_back(file_line);

  Criterion trig = make("trigger");
  const bool no_trigger = truth.get("trigger_utc") == "none" || truth.get("trigger_kind") == "none";
  if (!s.quiet && no_trigger) {
    trig.expected = "none (no trigger claimed)";
    trig.got = trigger ? text(trigger, "time").value_or("?") + " " + text(trigger, "message").value_or("") : "null";
    decide(trig, rep && !trigger);
  } else if (!s.quiet && truth.has("trigger_utc")) {
    trig.expected = truth.get("trigger_utc");
    const auto want = parse_rfc3339_ns(truth.get("trigger_utc"));
    const auto got = time_of(trigger, "time");
    trig.got = trigger ? text(trigger, "time").value_or("?") + " " + text(trigger, "program").value_or("") : "null";
    if (got && want) trig.note = seconds_text(*got - *want) + "; tolerance 1 s";
    decide(trig, got && want && std::llabs(*got - *want) <= kTriggerToleranceNs);
  }
  s.criteria.push_back(trig);

  const std::string want_res_kind = truth_resolution_kind(truth);
  Criterion res = make("resolution");
  if (!s.quiet && never_fixed(truth)) {
    res.expected = "none (still failing at the end of the logs)";
    res.got = resolution ? text(resolution, "time").value_or("?") + " " + text(resolution, "kind").value_or("") : "null";
    decide(res, rep && !resolution);
  } else if (const auto want = s.quiet ? std::nullopt : truth_resolution_ns(truth)) {
    int64_t tol = kResolutionActionToleranceNs;
    if (!is_action_resolution(want_res_kind)) {
      const auto w = truth_window(truth);
      tol = window_tolerance_ns(w && w->end ? *w->end - w->start : 0);
    }
    res.expected = truth.has("resolution_utc") ? truth.get("resolution_utc")
                   : truth.has("restart_utc")  ? truth.get("restart_utc")
                                               : truth.get("fix_utc");
    const auto got = time_of(resolution, "time");
    res.got = resolution ? text(resolution, "time").value_or("?") : "null";
    char note[64];
    std::snprintf(note, sizeof note, "; tolerance %.1f s", static_cast<double>(tol) / kSecond);
    res.note = (got ? seconds_text(*got - *want) : std::string("no time")) + note;
    decide(res, got && std::llabs(*got - *want) <= tol);
  }
  s.criteria.push_back(res);

  Criterion res_kind = make("resolution_kind");
  if (!s.quiet && !want_res_kind.empty() && !never_fixed(truth)) {
    res_kind.expected = want_res_kind;
    const std::string got = text(resolution, "kind").value_or("null");
    const std::string action = text(resolution, "action").value_or("");
    res_kind.got = action.empty() ? got : got + " (" + action + ")";
    const bool undo = got == "rollback" || action == "revert" || action == "rollback";
    bool ok = got == want_res_kind;
    if (want_res_kind == "rollback") ok = undo;
    if (want_res_kind == "recovered") ok = got == "recovered" && !undo;
    decide(res_kind, resolution && ok);
  }
  s.criteria.push_back(res_kind);
  return s;
}

std::string tsv_line(const std::string& case_name, const CaseScore& score, const Criterion& c) {
  return clean(case_name) + '\t' + clean(score.kind) + '\t' + c.name + '\t' + std::string(result_name(c.result)) + '\t' +
         clean(c.expected) + '\t' + clean(c.got) + '\t' + clean(c.note);
}

namespace {
std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}
}  // namespace

std::string summary_json(const std::string& case_name, const CaseScore& score) {
  std::string out = "{\"case\":" + json_string(case_name) + ",\"kind\":" + json_string(score.kind) +
                    ",\"quiet\":" + (score.quiet ? "true" : "false") + ",\"passed\":" + std::to_string(score.passed()) +
                    ",\"applicable\":" + std::to_string(score.applicable()) + ",\"criteria\":{";
  bool first = true;
  for (const auto& c : score.criteria) {
    out += (first ? "" : ",") + json_string(c.name) + ":" + json_string(result_name(c.result));
    first = false;
  }
  return out + "}}";
}

namespace {
// Tab-separated records, without empty lines and `#` comments.
std::vector<std::vector<std::string>> tab_records(std::string_view tsv) {
  std::vector<std::vector<std::string>> out;
  std::istringstream in{std::string(tsv)};
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f;
    size_t pos = 0;
    while (true) {
      const size_t tab = line.find('\t', pos);
      f.push_back(line.substr(pos, tab == std::string::npos ? std::string::npos : tab - pos));
      if (tab == std::string::npos) break;
      pos = tab + 1;
    }
    out.push_back(std::move(f));
  }
  return out;
}
}  // namespace

std::vector<ScoreLine> parse_score_lines(std::string_view tsv) {
  std::vector<ScoreLine> out;
  for (auto& f : tab_records(tsv)) {
    if (f.size() < 4) continue;
    f.resize(7);
    out.push_back({f[0], f[1], f[2], f[3], f[4], f[5], f[6]});
  }
  return out;
}

namespace {
struct Tally {
  std::set<std::string> cases;  // the cases where it applied
  int passed = 0, applicable = 0;
  void add(const ScoreLine& l) {
    if (l.result == "n/a") return;
    cases.insert(l.case_name);
    ++applicable;
    if (l.result == "pass") ++passed;
  }
};

constexpr const char* kRow = "%-22s %5s %11s %7s\n";

std::string row(const std::string& label, const std::string& cases, int passed, int applicable) {
  char buf[160];
  char percent[16] = "-";
  if (applicable) std::snprintf(percent, sizeof percent, "%.1f", 100.0 * passed / applicable);
  const std::string ratio = std::to_string(passed) + "/" + std::to_string(applicable);
  std::snprintf(buf, sizeof buf, kRow, label.c_str(), cases.c_str(), ratio.c_str(), percent);
  return buf;
}

std::string header(const char* first) {
  char buf[160];
  std::snprintf(buf, sizeof buf, kRow, first, "cases", "passed", "%");
  return buf;
}
}  // namespace

std::string accuracy_table(const std::vector<ScoreLine>& lines) {
  std::map<std::string, Tally> per_kind, per_criterion;
  Tally incidents, all;
  std::set<std::string> quiet_clean, quiet_cases;
  for (const auto& l : lines) {
    all.add(l);
    if (l.kind == "quiet") {
      quiet_cases.insert(l.case_name);
      if (l.criterion == "incident" && l.result == "pass") quiet_clean.insert(l.case_name);
      per_criterion["incident (quiet days)"].add(l);
      continue;
    }
    per_kind[l.kind].add(l);
    incidents.add(l);
    per_criterion[l.criterion].add(l);
  }
  std::string out = header("root-cause kind");
  for (const auto& [k, t] : per_kind) out += row(k, std::to_string(t.cases.size()), t.passed, t.applicable);
  out += row("incidents (total)", std::to_string(incidents.cases.size()), incidents.passed, incidents.applicable);
  out += row("quiet days", std::to_string(quiet_cases.size()), static_cast<int>(quiet_clean.size()),
             static_cast<int>(quiet_cases.size()));
  out += row("all criteria", std::to_string(all.cases.size()), all.passed, all.applicable);
  out += "\n";
  out += header("criterion");
  for (const char* name : {"incident", "window", "kind", "object", "errno", "file_line", "trigger", "resolution",
                           "resolution_kind", "incident (quiet days)"}) {
    const auto it = per_criterion.find(name);
    if (it == per_criterion.end()) continue;
    out += row(name, std::to_string(it->second.cases.size()), it->second.passed, it->second.applicable);
  }
  return out;
}

std::vector<ExpectedFailure> parse_expected_failures(std::string_view tsv) {
  std::vector<ExpectedFailure> out;
  for (auto& f : tab_records(tsv)) {
    if (f.size() < 3 || (f[0] == "case" && f[1] == "criterion")) continue;  // short, or a header
    std::string reason = f[2];
    for (size_t i = 3; i < f.size(); ++i) reason += " " + f[i];
    out.push_back({f[0], f[1], reason});
  }
  return out;
}

CheckOutcome check_expected(const std::vector<ScoreLine>& lines, const std::vector<ExpectedFailure>& expected,
                            const std::string& only_case) {
  CheckOutcome out;
  std::map<std::pair<std::string, std::string>, std::string> listed;
  for (const auto& e : expected) {
    if (only_case.empty() || e.case_name == only_case) listed[{e.case_name, e.criterion}] = e.reason;
  }
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& l : lines) {
    if (!only_case.empty() && l.case_name != only_case) continue;
    const auto key = std::pair{l.case_name, l.criterion};
    seen.insert(key);
    const auto it = listed.find(key);
    const std::string what = l.case_name + " " + l.criterion;
    if (l.result == "fail" && it == listed.end()) {
      out.problems.push_back(what + ": FAILED (expected " + l.expected + ", got " + l.got + (l.note.empty() ? "" : "; " + l.note) + ")");
    } else if (l.result == "fail") {
      out.expected.push_back(what + ": expected failure: " + it->second);
    } else if (it != listed.end() && l.result == "pass") {
      out.problems.push_back(what + ": unexpectedly passed, remove it from expected-failures.tsv (" + it->second + ")");
    } else if (it != listed.end()) {
      out.problems.push_back(what + ": listed in expected-failures.tsv but n/a for this case, remove it");
    }
  }
  for (const auto& [key, reason] : listed) {
    if (!seen.count(key)) out.problems.push_back(key.first + " " + key.second + ": listed in expected-failures.tsv but not scored (no such case or criterion)");
  }
  return out;
}

}  // namespace hindcast::accuracy
