#include "engine/findings/ranking.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "engine/findings/analysis.h"
#include "engine/findings/vocabulary.h"

namespace hindcast {
namespace {

// Chosen, not derived: another log saying the same thing counts as "never seen outside" does;
// explaining another as the score terms' smallest step; an explained cause keeps 0.6 of its
// score, under an explainer of its prior (0.5 x 0.6 = 0.3, kMinCauseScore).
constexpr double kCorroboration = 0.1;  // another log says the same thing
constexpr double kExplainsOther = 0.05; // the candidate explains another one
constexpr double kConsequence = 0.6;    // factor for a candidate explained by another
// A chain's cause precedes its consequence; logs stamped to the second may put both in one second.
constexpr int64_t kSameMoment = kNanosPerSecond;
// Two lines of one error ("Syntax error on line 3 of F:" and "Invalid command 'X'") are written by
// one process within this time (chosen: one error path writes them microseconds apart).
constexpr int64_t kSameError = kNanosPerSecond / 10;
constexpr size_t kMaxEvidence = 6;  // display: a merged cause keeps each source's lines

void absorb(Candidate& into, Candidate&& from) {
  into.count = std::max(into.count, from.count);
  into.first_ns = std::min(into.first_ns, from.first_ns);
  into.last_ns = std::max(into.last_ns, from.last_ns);
  for (EventRef r : from.evidence)
    if (into.evidence.size() < kMaxEvidence) into.evidence.push_back(r);
  for (EventRef r : from.instances) into.add_instance(r);
  if (into.errno_name.empty()) into.errno_name = from.errno_name;
  if (into.host.empty()) into.host = from.host;
  if (!into.path) into.path = from.path;
  if (!into.intended_path) into.intended_path = from.intended_path;
  if (!into.referenced_from) into.referenced_from = from.referenced_from;
  if (!into.setting) into.setting = from.setting;
  if (!into.url) into.url = from.url;
  if (!into.signal) into.signal = from.signal;
  if (!into.service) into.service = from.service;
  if (into.writer.empty()) into.writer = from.writer;
  into.new_at_onset |= from.new_at_onset;
  into.followed_by_failure += from.followed_by_failure;
  into.followed_by_success += from.followed_by_success;
  into.severity = std::max(into.severity, from.severity);
  for (auto& m : from.mentions) into.mentions.push_back(std::move(m));
  if (into.explanation.size() < 400 && !from.explanation.empty()) into.explanation += "; " + from.explanation;
}

void drop_absorbed(std::vector<Candidate>& v) {
  std::erase_if(v, [](const Candidate& c) { return c.score <= 0 && c.cause != CauseKind::kServiceFailed; });
}

// Same kind and object from two detectors (or two logs): one candidate.
void merge_same(std::vector<Candidate>& v) {
  // A candidate that names no object joins the same kind's candidate that does (a "Permission
  // denied in Unknown on line 0" and the call that shows the path).
  for (Candidate& c : v) {
    if (!c.object.empty() || c.cause == CauseKind::kUnknown || c.score <= 0) continue;
    for (Candidate& other : v) {
      if (&other == &c || other.cause != c.cause || other.object.empty()) continue;
      const double best = std::max(other.score, c.score);
      absorb(other, std::move(c));
      other.score = std::min(0.99, best + kCorroboration);
      c.score = 0;
      break;
    }
  }
  drop_absorbed(v);
  std::vector<Candidate> out;
  std::map<std::pair<CauseKind, std::string>, size_t> at;
  for (Candidate& c : v) {
    if (c.cause == CauseKind::kUnknown || c.object.empty()) {
      out.push_back(std::move(c));
      continue;
    }
    const auto key = std::make_pair(c.cause, c.object);
    const auto it = at.find(key);
    if (it == at.end()) {
      at.emplace(key, out.size());
      out.push_back(std::move(c));
      continue;
    }
    Candidate& into = out[it->second];
    const double best = std::max(into.score, c.score);
    absorb(into, std::move(c));
    into.score = std::min(0.99, best + kCorroboration);
  }
  v = std::move(out);
}

// Causes whose kind is scoped to a filesystem (ENOSPC, EDQUOT: the space is the filesystem's, not
// the file's) on one host gather into one, named by the directory their paths share. So do
// failures of several paths in one directory (a directory made unreadable or unwritable denies
// every file created in it): the directory is what failed, each file one member.
void gather_members(std::vector<Candidate>& v) {
  std::map<std::tuple<CauseKind, std::string, std::string>, std::vector<size_t>> groups;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i].score <= 0) continue;
    const ObjectScope scope = kind_info(v[i].cause).scope;
    if (scope == ObjectScope::kFilesystem) groups[{v[i].cause, v[i].host, ""}].push_back(i);
    if (scope == ObjectScope::kPath && v[i].object.starts_with('/'))
      groups[{v[i].cause, v[i].host, std::string(v[i].object.substr(0, v[i].object.rfind('/')))}].push_back(i);
  }
  for (auto& [key, members] : groups) {
    if (kind_info(std::get<0>(key)).scope == ObjectScope::kPath && members.size() < 2) continue;
    std::vector<std::string> paths;
    for (size_t i : members)
      if (!v[i].object.empty() && v[i].object[0] == '/') paths.push_back(v[i].object);
    if (members.size() < 2 && paths.size() < 2) continue;
    std::stable_sort(members.begin(), members.end(), [&](size_t x, size_t y) { return v[x].score > v[y].score; });
    Candidate& into = v[members.front()];
    const std::string one_path = into.path.value_or(into.object);
    double best = into.score;
    for (size_t k = 1; k < members.size(); ++k) {
      best = std::max(best, v[members[k]].score);
      absorb(into, std::move(v[members[k]]));
      v[members[k]].score = 0;
    }
    if (!paths.empty()) into.object = common_directory(paths);
    into.path = one_path;
    into.members = static_cast<uint32_t>(std::max<size_t>(paths.size(), 1));
    into.score = std::min(0.99, best + (members.size() > 1 ? kCorroboration : 0));
  }
  drop_absorbed(v);
}

// One error printed as two lines by one process: a configuration error's place ("Syntax error on
// line 3 of F:") and what was wrong there ("Invalid command 'X'"). The object is the file; the
// directive is its setting.
void join_two_line_errors(const Analysis& a, std::vector<Candidate>& v) {
  for (Candidate& place : v) {
    if (!place.is(CauseKind::kConfigSyntax) || place.score <= 0 || !place.referenced_from) continue;
    const Event& pe = a.timeline.event(place.evidence.front());
    for (Candidate& what : v) {
      if (&what == &place || !what.is(CauseKind::kConfigSyntax) || what.score <= 0 || what.referenced_from) continue;
      const Event& we = a.timeline.event(what.evidence.front());
      if (we.pid != pe.pid || what.evidence.front().source != place.evidence.front().source) continue;
      if (std::llabs(we.time_ns - pe.time_ns) > kSameError) continue;
      const double best = std::max(place.score, what.score);
      if (!place.setting) place.setting = what.setting ? what.setting : std::optional<std::string>(what.object);
      absorb(place, std::move(what));
      place.score = best;
      what.score = 0;
    }
  }
  drop_absorbed(v);
}

// The service a candidate is about: the one it names, the process that died, the unit that
// failed, else the program that wrote its messages.
std::string service_of(const Candidate& c) {
  if (c.service) return *c.service;
  const ObjectScope scope = kind_info(c.cause).scope;
  if ((scope == ObjectScope::kProcess || scope == ObjectScope::kService) && !c.object.empty()) return c.object;
  return c.writer;
}

// What stands behind each dependency's address: the server that said it listens there, or the host
// the address names when logs of that host are among the inputs.
void locate_dependencies(const Analysis& a, std::vector<Candidate>& v) {
  std::set<std::string> hosts;
  for (const Source& s : a.timeline.sources())
    if (!s.host.empty()) hosts.insert(s.host);
  for (Candidate& c : v) {
    if (!c.is(CauseKind::kDependencyDown) || c.object.empty()) continue;
    if (const Listener* l = a.listener(c.object)) {
      c.behind_host = l->host;
      if (!c.service && !l->program.empty()) c.service = l->program;
      continue;
    }
    const size_t colon = c.object.rfind(':');
    if (colon != std::string::npos && hosts.count(c.object.substr(0, colon))) c.behind_host = c.object.substr(0, colon);
  }
}

}  // namespace

bool explains(const Candidate& a, const Candidate& b) {
  if (&a == &b || a.cause == CauseKind::kUnknown || b.cause == CauseKind::kUnknown) return false;
  if (a.cause == b.cause && a.object == b.object) return false;
  // A cause does not follow its consequence: it may appear within the first quarter of a long
  // consequence it sustains (a database stopped for a restart refuses at once; the failed start
  // that keeps it refusing is logged a second later), not after it is mostly over.
  if (a.first_ns > b.first_ns + std::max<int64_t>(kSameMoment, (b.last_ns - b.first_ns) / 4)) return false;
  // B fails on A's object: its path, or an address or path it names as failing. Files that merely
  // referenced something (the script a missing include was required from) do not count.
  // Of two about one object, only the deeper explains the other (kinds.h, depth).
  if (!a.object.empty() && (a.object != b.object || kind_info(a.cause).depth > kind_info(b.cause).depth)) {
    if (b.path && *b.path == a.object) return true;
    for (const std::string& m : b.mentions)
      if (m == a.object) return true;
  }
  // A dependency that refuses connections is explained by what happened to the service behind
  // its address: it crashed, failed to start, reached a limit, or ran out of disk.
  if (b.is(CauseKind::kDependencyDown) && !a.is(CauseKind::kDependencyDown)) {
    const std::string behind = service_of_endpoint(b.object);
    const std::string svc = service_of(a);
    if (!behind.empty() && !svc.empty() && same_service(svc, behind)) return true;
    if (b.service && !svc.empty() && same_service(svc, *b.service)) return true;
    // A server's failure on the host the address belongs to.
    const ObjectScope scope = kind_info(a.cause).scope;
    if (!b.behind_host.empty() && a.host == b.behind_host && scope != ObjectScope::kCodeFile && scope != ObjectScope::kEndpoint)
      return true;
  }
  return false;
}

void rank_causes(const Analysis& a, std::vector<Candidate>& v) {
  merge_same(v);
  gather_members(v);
  locate_dependencies(a, v);
  join_two_line_errors(a, v);
  std::vector<double> factor(v.size(), 1.0), bonus(v.size(), 0.0);
  for (size_t i = 0; i < v.size(); ++i) {
    for (size_t j = 0; j < v.size(); ++j) {
      if (i == j || !explains(v[i], v[j])) continue;
      if (kind_info(v[i].cause).root) {
        factor[j] = kConsequence;
        bonus[i] = kExplainsOther;
      } else {
        // A failed unit behind a dependency says why it refused: the dependency's candidate
        // carries it (and the chain shows it), corroborated.
        if (!v[j].service) v[j].service = service_of(v[i]);
        bonus[j] = std::max(bonus[j], kCorroboration);
        v[j].first_ns = std::min(v[j].first_ns, v[i].first_ns);
      }
    }
  }
  // 0.99: a score ranks, it never reaches certainty.
  for (size_t i = 0; i < v.size(); ++i) v[i].score = std::min(0.99, v[i].score * factor[i] + bonus[i]);
  // A failed unit is a link of a chain, never a root cause on its own: below every named cause.
  for (Candidate& c : v)
    if (!kind_info(c.cause).root && c.cause != CauseKind::kUnknown) c.score = std::min(c.score, kLinkScore);
  std::stable_sort(v.begin(), v.end(), [](const Candidate& x, const Candidate& y) {
    if (x.score != y.score) return x.score > y.score;
    return x.first_ns < y.first_ns;  // the earlier of two equals: the first unusual event
  });
}

std::vector<size_t> causal_chain(const std::vector<Candidate>& v, size_t best) {
  // Up from the best candidate to the deepest one that explains it (each step to the earliest
  // explainer; no candidate twice), then down from it through what it explains (each step to the
  // strongest consequence) to the last cause before the symptom.
  std::vector<size_t> up{best};
  auto on_chain = [&](size_t i, const std::vector<size_t>& other) {
    return std::find(up.begin(), up.end(), i) != up.end() || std::find(other.begin(), other.end(), i) != other.end();
  };
  const std::vector<size_t> none;
  for (;;) {
    std::optional<size_t> deeper;
    for (size_t i = 0; i < v.size(); ++i) {
      if (on_chain(i, none) || !explains(v[i], v[up.back()])) continue;
      if (!deeper || v[i].first_ns < v[*deeper].first_ns) deeper = i;
    }
    if (!deeper) break;
    up.push_back(*deeper);
  }
  std::reverse(up.begin(), up.end());  // deepest first
  std::vector<size_t> down;
  for (size_t at = best;;) {
    std::optional<size_t> next;
    for (size_t i = 0; i < v.size(); ++i) {
      if (on_chain(i, down) || !explains(v[at], v[i])) continue;
      if (!next || v[i].score > v[*next].score) next = i;
    }
    if (!next) break;
    down.push_back(*next);
    at = *next;
  }
  up.insert(up.end(), down.begin(), down.end());
  return up;
}

std::string meaningful_directory(std::string_view path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return {};
  const std::string_view dir = path.substr(0, slash);
  if (std::count(dir.begin(), dir.end(), '/') < 2) return {};
  return std::string(dir);
}

std::string volume_of(std::string_view path) {
  if (path.size() < 2 || path[0] != '/') return {};
  const size_t second = path.find('/', 1);
  if (second == std::string_view::npos) return {};
  const size_t third = path.find('/', second + 1);
  if (third == std::string_view::npos) return {};
  return std::string(path.substr(0, third + 1));  // "/srv/site/": the slash keeps "/srv/site2" out
}

std::vector<std::string> tie_terms(const Candidate& c) {
  std::vector<std::string> t;
  auto add = [&](const std::string& s) {
    if (s.size() >= 3 && std::find(t.begin(), t.end(), s) == t.end()) t.push_back(s);
  };
  auto add_path = [&](const std::optional<std::string>& p) {
    if (!p || p->empty()) return;
    add(*p);
    add(meaningful_directory(*p));
    // A deploy tool names what it changed relative to the site ("1 file changed: gallery.php",
    // "app/cart.php"): a file's own name (with its extension) ties as well as its full path.
    const std::string_view base = std::string_view(*p).substr(p->rfind('/') + 1);
    if (base.size() >= 5 && base.find('.') != std::string_view::npos && base.front() != '.') add(std::string(base));
  };
  if (!c.object.empty()) {
    add(c.object);
    if (c.object[0] == '/') add(meaningful_directory(c.object));
    add(service_of_endpoint(c.object));
  }
  add_path(c.path);
  add_path(c.intended_path);
  if (c.referenced_from) add_path(c.referenced_from->file);
  if (c.setting) add(*c.setting);
  if (c.service) {
    add(*c.service);
    add(c.service->substr(0, c.service->find('.')));
  }
  // A full disk is the filesystem's, not the file's: whatever wrote to the same volume may have
  // filled it. Mount points are not in the logs; the path's first two components stand for it.
  if (kind_info(c.cause).scope == ObjectScope::kFilesystem) {
    if (c.path) add(volume_of(*c.path));
    if (!c.object.empty() && c.object[0] == '/') {
      add(volume_of(c.object));
      add(c.object);
    }
  }
  return t;
}

bool is_service_of(const Candidate& c, std::string_view unit) {
  if (unit.empty()) return false;
  if (c.service && same_service(*c.service, unit)) return true;
  const std::string of_endpoint = c.is(CauseKind::kDependencyDown) ? service_of_endpoint(c.object) : std::string();
  return !of_endpoint.empty() && same_service(of_endpoint, unit);
}

bool mentions_any(std::string_view text, const std::vector<std::string>& terms) {
  for (const std::string& s : terms)
    if (!s.empty() && text.find(s) != std::string_view::npos) return true;
  return false;
}

}  // namespace hindcast
