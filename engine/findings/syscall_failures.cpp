// Causes from system calls: every call that failed, whatever it was, read against the same
// trace's own baseline.
//
// Failing calls are grouped by (errno, object): the path for file calls, the address for socket
// calls (for a non-blocking connect, whose error arrives later through
// getsockopt(SO_ERROR), the address of the connect on the same descriptor). A group is a
// candidate when it is concentrated in the incident: at least ten times as frequent inside as
// outside, where the trace covers outside at all. Errors that are how programs work, not how
// they fail (EAGAIN on a non-blocking socket, EINPROGRESS, interrupted calls), never are.
//
// A missing file also needs a sign that it was meant to exist, else every 404 and every
// speculative look-up would be a suspect: a near-identical path that does exist (a misspelled
// include: ".phpp" beside ".php"), or a server message naming it during the incident. Look-ups
// of one name in three or more directories (.htaccess up the tree, NSS and locale probes) and
// files behind ordinary 404 responses are noise.
#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

#include "engine/findings/analysis.h"
#include "engine/findings/path_similarity.h"

namespace hindcast {
namespace {

constexpr size_t kMaxEvidence = 3;  // display: the lines a cause shows

bool routine_errno(std::string_view e) {
  static constexpr std::string_view kRoutine[] = {"EAGAIN", "EINPROGRESS", "EINTR", "ERESTARTSYS", "ERESTARTNOINTR",
                                                  "ERESTARTNOHAND", "ERESTART_RESTARTBLOCK", "ENOTTY", "ESPIPE",
                                                  "ECHILD", "EALREADY", "ENODATA", "ENOTCONN", "EEXIST"};
  for (std::string_view r : kRoutine)
    if (e == r) return true;
  return false;
}

std::optional<CauseKind> kind_for(std::string_view err, const Record& r) {
  const bool socket_call = !r.endpoint.empty() || r.syscall == "getsockopt" || r.syscall == "connect";
  if (err == "ECONNREFUSED" || err == "ETIMEDOUT" || err == "ECONNRESET" || err == "EHOSTUNREACH" ||
      err == "ENETUNREACH" || err == "ECONNABORTED" || (socket_call && (err == "ENOENT" || err == "EPIPE")))
    return CauseKind::kDependencyDown;
  if (err == "ENOSPC" || err == "EDQUOT") return CauseKind::kDiskFull;
  if (err == "EMFILE" || err == "ENFILE" || err == "ENOMEM") return CauseKind::kResourceLimit;
  if (r.path.empty()) return std::nullopt;
  if (err == "ENOENT" || err == "ENOTDIR") return CauseKind::kMissingFile;
  if (err == "EACCES" || err == "EPERM" || err == "EROFS") return CauseKind::kPermissionDenied;
  return std::nullopt;
}

// The address the descriptor `fd` of `pid` was connected to: the connect just before `index`.
std::string connected_endpoint(const Source& s, size_t index, uint32_t pid, int fd) {
  // A cost bound: a non-blocking connect's error is read by getsockopt(SO_ERROR) a few calls of
  // the process after the connect (connect, poll, getsockopt), other processes' lines between;
  // beyond it the endpoint is unnamed, never wrong.
  constexpr size_t kLookBack = 400;
  const size_t stop = index > kLookBack ? index - kLookBack : 0;
  for (size_t k = index; k-- > stop;) {
    const Event& e = s.events[k];
    if (e.kind != EventKind::kSyscall || e.pid != pid) continue;
    const std::string_view line = s.line_text(e);
    if (line.find("connect(") == std::string_view::npos) continue;
    Record r;
    if (decode_record(s, e, &r) && r.syscall == "connect" && r.fd == fd && !r.endpoint.empty())
      return std::string(r.endpoint);
  }
  return {};
}

// The file descriptor's path: -y decorations ("3</var/log/x>") or the open that returned it.
std::string fd_path(const Source& s, size_t index, uint32_t pid, int fd, std::string_view args) {
  const size_t lt = args.find('<');
  if (lt != std::string_view::npos && args.find('>', lt) != std::string_view::npos)
    return std::string(args.substr(lt + 1, args.find('>', lt) - lt - 1));
  // A cost bound, wider than a connect's: a descriptor is written long after its open.
  constexpr size_t kLookBack = 2000;
  const std::string ret = "= " + std::to_string(fd);
  const size_t stop = index > kLookBack ? index - kLookBack : 0;
  for (size_t k = index; k-- > stop;) {
    const Event& e = s.events[k];
    if (e.kind != EventKind::kSyscall || e.pid != pid || e.code) continue;
    const std::string_view line = s.line_text(e);
    if (line.find("open") == std::string_view::npos || line.find(ret) == std::string_view::npos) continue;
    Record r;
    if (decode_record(s, e, &r) && !r.path.empty() && r.result.starts_with(std::to_string(fd))) return std::string(r.path);
  }
  return {};
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

struct Group {
  Candidate c;
  uint64_t inside = 0, outside = 0;
};

// What a failing call says: its errno, its object and the kind of cause, or nothing to count.
struct Failure {
  std::string errno_name, object;
  std::optional<CauseKind> kind;
};

// The call a strace line records, without the pid and the time before it: two lines with the
// same call text decode to the same failure (the decode reads only the line), so an outage's
// thousands of identical refused connects are decoded once.
std::string_view call_text(std::string_view line) {
  size_t k = 0;
  while (k < line.size()) {
    const char c = line[k];
    if ((c >= '0' && c <= '9') || c == ' ' || c == '.' || c == ':' || c == '[' || c == ']') ++k;
    else if (line.substr(k, 3) == "pid") k += 3;
    else break;
  }
  return line.substr(k);
}

class SyscallFailureDetector final : public Detector {
 public:
  std::string_view name() const override { return "syscall_failures"; }
  Stage stage() const override { return Stage::kCauses; }
  void run(const Analysis& a, std::vector<Candidate>& out) const override {
    if (!a.incident) return;
    const Timeline& t = a.timeline;
    const int64_t lo = a.incident->start_ns - a.lead_ns();
    const int64_t hi = a.incident->end_ns + kNanosPerSecond;
    std::map<std::pair<std::string, std::string>, Group> groups;
    bool outside_observed = false;
    // Inside first: the failures that could be causes. Outside, only the lines naming one of
    // their errnos are read (a search in the line, no decode): the others cannot be their baseline.
    std::set<std::string> inside_errnos;
    FailureCache cache;
    for (const bool inside : {true, false}) {
      for (const Source& s : t.sources()) {
        if (!s.may_have(EventKind::kSyscall)) continue;
        for (size_t i = 0; i < s.events.size(); ++i) {
          const Event& e = s.events[i];
          if (e.kind != EventKind::kSyscall || (e.basis & kBasisUnanchored)) continue;
          if ((e.time_ns >= lo && e.time_ns <= hi) != inside) continue;
          if (!inside) outside_observed = true;
          if (!e.code || (e.flags & kFlagResumed)) continue;  // the call's own record carries the errno
          if (!inside) {
            if (inside_errnos.empty()) continue;
            const std::string_view line = s.line_text(e);
            if (std::none_of(inside_errnos.begin(), inside_errnos.end(),
                             [&](const std::string& n) { return line.find(n) != std::string_view::npos; }))
              continue;
          }
          count_failure(s, i, inside, cache, groups);
        }
      }
      for (const auto& [key, g] : groups) inside_errnos.insert(key.first);
    }
    judge(a, groups, outside_observed, out);
  }

 private:
  // Failures read so far, by call text (views into the mapped text, which lives as long as the
  // run); at most kMaxCached kinds of call, the rest decoded each time.
  static constexpr size_t kMaxCached = 1 << 16;
  using FailureCache = std::unordered_map<std::string_view, std::optional<Failure>>;

  static std::optional<Failure> read_failure(const Source& s, size_t i) {
    const Event& e = s.events[i];
    Record r;
    if (!decode_record(s, e, &r) || r.errno_name.empty() || routine_errno(r.errno_name)) return std::nullopt;
    Failure f;
    f.object = !r.endpoint.empty() ? std::string(r.endpoint) : std::string(r.path);
    if (f.object.empty() && r.syscall == "getsockopt" && r.fd >= 0) f.object = connected_endpoint(s, i, e.pid, r.fd);
    f.kind = kind_for(r.errno_name, r);
    if (!f.kind) return std::nullopt;
    if (f.object.empty() && *f.kind == CauseKind::kDiskFull && r.fd >= 0) f.object = fd_path(s, i, e.pid, r.fd, r.args);
    f.errno_name = std::string(r.errno_name);
    return f;
  }

  // Whether a call's failure is the same wherever it is: not where its object is found from the
  // calls before it (a getsockopt's connect, a descriptor's open).
  static bool positional(const std::optional<Failure>& f, std::string_view call) {
    return f && (call.starts_with("getsockopt(") || *f->kind == CauseKind::kDiskFull);
  }

  // One failing call, read and counted in its group (errno, object).
  static void count_failure(const Source& s, size_t i, bool inside, FailureCache& cache,
                            std::map<std::pair<std::string, std::string>, Group>& groups) {
    const Event& e = s.events[i];
    const std::string_view call = call_text(s.line_text(e));
    std::optional<Failure> read;
    const std::optional<Failure>* failure = nullptr;
    if (const auto it = cache.find(call); it != cache.end()) {
      failure = &it->second;
    } else {
      read = read_failure(s, i);
      if (!positional(read, call) && cache.size() < kMaxCached) failure = &cache.emplace(call, std::move(read)).first->second;
      else failure = &read;
    }
    if (!*failure) return;
    const Failure& f = **failure;
    const std::string& object = f.object;
    const std::optional<CauseKind> kind = f.kind;
    Group& g = groups[{f.errno_name, object}];
    (inside ? g.inside : g.outside) += 1;
    Candidate& c = g.c;
    if (c.kind.empty()) {
      c = cause_candidate(*kind);
      c.object = object;
      c.host = s.host;
      c.errno_name = f.errno_name;
      const ObjectScope scope = kind_info(*kind).scope;
      if (scope == ObjectScope::kPath || scope == ObjectScope::kFilesystem) c.path = object;
    }
    if (inside) {
      if (c.count++ == 0) c.first_ns = e.time_ns;
      c.last_ns = e.time_ns;
      if (c.evidence.size() < kMaxEvidence) c.evidence.push_back(EventRef{static_cast<uint32_t>(i), s.id});
      c.add_instance(EventRef{static_cast<uint32_t>(i), s.id});
    }
  }

  // Paths seen to exist (successful calls) in the directories of the missing files that could be
  // causes: read only there, so a big trace is not decoded line by line for nothing.
  static std::unordered_set<std::string> existing_paths(const Analysis& a, const std::set<std::string>& dirs) {
    std::unordered_set<std::string> existing;
    if (dirs.empty()) return existing;
    // Around the incident (the mined neighbourhood): what existed then, at a cost bounded by
    // the evidence, not by the length of the trace.
    const Window& near = a.neighbourhood();
    for (const Source& s : a.timeline.sources()) {
      if (!s.may_have(EventKind::kSyscall)) continue;
      const auto from = std::lower_bound(s.events.begin(), s.events.end(), near.start_ns,
                                         [](const Event& e, int64_t t) { return e.time_ns < t; });
      for (auto it = from; it != s.events.end() && it->time_ns <= near.end_ns; ++it) {
        const Event& e = *it;
        if (e.kind != EventKind::kSyscall || e.code) continue;
        const std::string_view line = s.line_text(e);
        bool relevant = false;
        for (const std::string& d : dirs) relevant |= line.find(d) != std::string_view::npos;
        if (!relevant) continue;
        Record r;
        if (decode_record(s, e, &r) && !r.path.empty() && !r.result.starts_with("-1")) existing.emplace(r.path);
      }
    }
    return existing;
  }

  // Which of `wanted` (the missing paths that could be causes) the server's messages in the window
  // name (a sign a missing file was meant to exist), and the URL paths answered 404 (files behind
  // them are ordinary misses). A search of each message's text for the few wanted paths, not a
  // reading of every message: the window can be most of the logs. Nothing is read when no missing
  // file could be a cause: both sets are only asked about those.
  static void message_context(const Analysis& a, const std::set<std::string>& wanted, std::set<std::string>* named,
                              std::set<std::string>* not_found) {
    if (wanted.empty()) return;
    const auto [b, e] = a.message_range(a.incident->start_ns - a.lead_ns(), a.incident->end_ns + kNanosPerSecond);
    for (size_t i = b; i < e && named->size() < wanted.size(); ++i) {
      const MessageFacts& tf = a.template_facts(a.messages()[i].template_id);
      if (tf.meaning == Meaning::kClientError || tf.meaning == Meaning::kNone) continue;
      const EventRef ref = a.messages()[i].ref;
      const std::string_view text = a.timeline.source(ref).line_text(a.timeline.event(ref));
      for (const std::string& p : wanted)
        if (!named->count(p) && text.find(p) != std::string_view::npos) named->insert(p);
    }
    const Window& near = a.neighbourhood();
    const auto reqs = a.requests();
    const auto from = reqs.begin() + static_cast<ptrdiff_t>(a.request_at(near.start_ns));
    for (auto it = from; it != reqs.end() && it->time_ns <= near.end_ns; ++it) {
      const Request& r = *it;
      if (r.status != 404) continue;
      Record rec;
      if (!a.request_record(r, &rec) || rec.url.size() < 2) continue;
      std::string_view target = rec.url.substr(0, rec.url.find('?'));
      while (target.size() > 1 && target.back() == '/') target.remove_suffix(1);
      if (target.size() > 1) not_found->emplace(target);
    }
  }

  static void judge(const Analysis& a, std::map<std::pair<std::string, std::string>, Group>& groups,
                    bool outside_observed, std::vector<Candidate>& out) {
    // One missing name in three or more directories: speculative look-ups.
    std::map<std::string, std::set<std::string>, std::less<>> dirs_by_name;
    std::set<std::string> wanted_dirs;
    for (const auto& [key, g] : groups) {
      if (!g.c.is(CauseKind::kMissingFile)) continue;
      dirs_by_name[std::string(base_name(g.c.object))].emplace(dir_name(g.c.object));
      if (g.inside) wanted_dirs.emplace(dir_name(g.c.object));
    }
    std::set<std::string> wanted_paths, named, not_found;
    for (const auto& [key, g] : groups)
      if (g.inside && g.c.is(CauseKind::kMissingFile)) wanted_paths.insert(g.c.object);
    message_context(a, wanted_paths, &named, &not_found);
    const std::unordered_set<std::string> existing = existing_paths(a, wanted_dirs);
    for (auto& [key, g] : groups) {
      Candidate& c = g.c;
      if (g.inside == 0) continue;
      // A failure that names nothing (an mmap of huge pages that falls back) needs numbers: three,
      // as error_bursts' kMinMoments (two could be one retry).
      if (c.object.empty() && g.inside < 3) continue;
      // Chosen, not derived (counts, not rates): failing outside at over a tenth of its count inside.
      const bool baseline = g.outside > 0 && g.inside < 10 * g.outside;
      if (baseline) continue;
      if (c.is(CauseKind::kMissingFile)) {
        // Chosen: missing in three directories is a search (.htaccess up the tree, NSS, include
        // paths); two could be one typo and its retry.
        const bool probe = dirs_by_name[std::string(base_name(c.object))].size() >= 3;
        bool behind_404 = false;
        std::string_view trimmed = c.object;
        while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.remove_suffix(1);
        for (const std::string& target : not_found) behind_404 |= trimmed.ends_with(target);
        c.intended_path = find_intended_path(c.object, existing);
        const bool named_by_server = named.count(c.object) > 0;
        if (probe || behind_404 || (!c.intended_path && !named_by_server)) continue;
      }
      // Chosen, not derived: a kind's message prior (a failing call names a cause as plainly) and
      // the message terms' bonuses (message_causes.cpp).
      c.score = 0.5 + (g.outside == 0 && outside_observed ? 0.15 : 0) + (c.intended_path ? 0.15 : 0) +
                (g.inside >= 10 ? 0.05 : 0);
      c.new_at_onset = g.outside == 0 && outside_observed;
      c.severity = Severity::kError;
      c.explanation = std::to_string(g.inside) + " failing system calls (" + c.errno_name + ") on " +
                      (c.object.empty() ? std::string("an unknown object") : c.object) +
                      (g.outside ? ", " + std::to_string(g.outside) + " outside the incident" : ", none outside the incident") +
                      (c.intended_path ? "; the near-identical " + *c.intended_path + " exists" : "");
      if (!c.object.empty()) c.mentions.push_back(c.object);
      out.push_back(std::move(c));
    }
  }
};

}  // namespace

const Detector& syscall_failure_detector() {
  static const SyscallFailureDetector d;
  return d;
}

}  // namespace hindcast
