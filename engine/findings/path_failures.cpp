#include "engine/findings/path_failures.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

#include "engine/findings/path_similarity.h"
#include "engine/findings/server_messages.h"
#include "parsers/apache_access.h"
#include "parsers/apache_error.h"
#include "parsers/strace.h"

namespace hindcast {
namespace {

constexpr size_t kMaxEvidence = 3;

bool is_path_errno(uint16_t code) {
  static const uint16_t enoent = errno_from_name("ENOENT"), eacces = errno_from_name("EACCES"),
                        eperm = errno_from_name("EPERM");
  return code == enoent || code == eacces || code == eperm;
}

std::string_view base_name(std::string_view p) {
  while (p.size() > 1 && p.back() == '/') p.remove_suffix(1);
  const size_t s = p.rfind('/');
  return s == std::string_view::npos ? p : p.substr(s + 1);
}

std::string_view dir_name(std::string_view p) {
  const size_t s = p.rfind('/');
  return s == std::string_view::npos ? std::string_view{} : p.substr(0, s);
}

struct Collected {
  std::map<std::pair<std::string, std::string>, PathFailure> failures;
  std::unordered_set<std::string> existing;      // paths seen to exist
  std::set<std::string> not_found_targets;       // URL paths answered 404
  bool strace_outside = false, server_outside = false;
};

void note(PathFailure& f, EventRef r, bool in_window, bool from_strace) {
  (in_window ? f.inside : f.outside) += 1;
  if (!f.first) f.first = r;
  f.last = r;
  auto& ev = from_strace ? f.strace_evidence : f.server_evidence;
  if (ev.size() < kMaxEvidence && (in_window || f.inside == 0)) ev.push_back(r);
}

}  // namespace

std::vector<PathFailure> find_path_failures(const Timeline& t, const std::optional<Window>& window) {
  Collected c;
  auto in_window = [&](int64_t ts) { return !window || window->contains(ts); };
  const std::span<const EventRef> scope = scope_of(t, window);
  for (const EventRef r : scope) {
    const Event& e = t.event(r);
    const Source& src = t.source(r);
    if (e.kind == EventKind::kSyscall) {
      if (!in_window(e.time_ns)) c.strace_outside = true;
      if (e.flags & kFlagResumed) continue;  // the call's own record carries path and errno
      if (!is_path_errno(e.code)) continue;   // successful calls are read later, only if needed
      StraceRecord rec;
      if (!decode_strace_line(src.line_text(e), &rec) || rec.args.empty()) continue;
      const std::string_view raw = nth_raw_string(rec.args, 0);
      if (raw.empty() || (raw[0] != '/' && raw[0] != '.')) continue;
      std::string path = unescape_c_string(raw);
      auto& f = c.failures[{path, std::string(errno_name(e.code))}];
      f.path = path;
      f.errno_name = errno_name(e.code);
      note(f, r, in_window(e.time_ns), true);
    } else if (e.kind == EventKind::kHttpRequest && e.code == 404) {
      AccessRecord rec;
      if (decode_access_record(src, src.line_text(e), &rec) && rec.target.size() > 1) {
        std::string_view target = rec.target.substr(0, rec.target.find('?'));
        while (target.size() > 1 && target.back() == '/') target.remove_suffix(1);
        if (target.size() > 1) c.not_found_targets.emplace(target);
      }
    }
  }

  for_each_server_record(t, scope, [&](EventRef r, const ErrorRecord& rec) {
    const Event& e = t.event(r);
    if (!in_window(e.time_ns)) c.server_outside = true;
    const ServerMessageFacts facts = read_server_message(rec.message);
    if (facts.ref_file) c.existing.insert(*facts.ref_file);
    if (!facts.path) return;
    const std::string err = facts.errno_name.empty() ? "ENOENT" : facts.errno_name;
    auto& f = c.failures[{*facts.path, err}];
    f.path = *facts.path;
    f.errno_name = err;
    if (in_window(e.time_ns)) f.named_by_server = true;
    if (facts.ref_file && !f.referenced_from) f.referenced_from = FileLine{*facts.ref_file, facts.ref_line};
    note(f, r, in_window(e.time_ns), false);
  });

  // Speculative look-ups: one missing name in three or more directories.
  std::map<std::string, std::set<std::string>, std::less<>> dirs_by_name;
  for (const auto& [key, f] : c.failures)
    if (f.errno_name == "ENOENT") dirs_by_name[std::string(base_name(f.path))].emplace(dir_name(f.path));

  for (auto& [key, f] : c.failures) {
    f.outside_observed = c.strace_outside || c.server_outside;
    f.probe = f.errno_name == "ENOENT" && dirs_by_name[std::string(base_name(f.path))].size() >= 3;
    std::string_view trimmed = f.path;
    while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.remove_suffix(1);
    for (const std::string& target : c.not_found_targets)
      if (trimmed.ends_with(target)) f.behind_404 = true;
  }
  // Paths that exist, from successful calls: read only in the directories of missing files that
  // could be causes, so a large trace is not decoded line by line for nothing.
  std::set<std::string> wanted_dirs;
  for (const auto& [key, f] : c.failures)
    if (window && f.errno_name == "ENOENT" && f.inside > 0 && !f.probe && !f.behind_404)
      wanted_dirs.emplace(dir_name(f.path));
  if (!wanted_dirs.empty()) {
    for (const EventRef r : scope) {
      const Event& e = t.event(r);
      if (e.kind != EventKind::kSyscall || e.code != 0 || (e.flags & kFlagResumed)) continue;
      const std::string_view line = t.source(r).line_text(e);
      bool relevant = false;
      for (const std::string& d : wanted_dirs) relevant |= mentions(line, d);
      if (!relevant) continue;
      StraceRecord rec;
      if (!decode_strace_line(line, &rec) || rec.result.starts_with("-1")) continue;
      const std::string_view raw = nth_raw_string(rec.args, 0);
      if (!raw.empty() && raw[0] == '/') c.existing.insert(unescape_c_string(raw));
    }
  }

  std::vector<PathFailure> out;
  for (auto& [key, f] : c.failures) {
    if (f.errno_name == "ENOENT") f.intended_path = find_intended_path(f.path, c.existing);

    // As a root cause: concentrated in the incident, not noise, and (for a missing file) a sign
    // that it was meant to exist.
    const bool baseline = f.outside > 0 && f.inside < 10 * f.outside;
    if (window && f.inside > 0 && !baseline && !f.behind_404) {
      if (f.errno_name == "ENOENT") {
        if (!f.probe && (f.intended_path || f.named_by_server)) {
          f.confidence = 0.45 + (f.intended_path ? 0.25 : 0) + (f.named_by_server ? 0.15 : 0) +
                         (f.outside == 0 && f.outside_observed ? 0.1 : 0);
        }
      } else {
        f.confidence = 0.5 + (f.named_by_server ? 0.2 : 0) +
                       (f.outside == 0 && f.outside_observed ? 0.15 : 0) + (f.inside >= 10 ? 0.1 : 0);
      }
    }
    out.push_back(std::move(f));
  }
  std::sort(out.begin(), out.end(), [](const PathFailure& a, const PathFailure& b) {
    if (a.confidence != b.confidence) return a.confidence > b.confidence;
    return a.inside > b.inside;
  });
  return out;
}

}  // namespace hindcast
