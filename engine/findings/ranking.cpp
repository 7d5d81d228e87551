#include "engine/findings/ranking.h"

#include <algorithm>
#include <map>

#include "engine/findings/vocabulary.h"

namespace hindcast {
namespace {

constexpr double kCorroboration = 0.1;  // another log says the same thing
constexpr double kExplainsOther = 0.05; // the candidate explains another one
constexpr double kConsequence = 0.6;    // factor for a candidate explained by another

void absorb(Candidate& into, Candidate&& from) {
  into.count = std::max(into.count, from.count);
  into.first_ns = std::min(into.first_ns, from.first_ns);
  into.last_ns = std::max(into.last_ns, from.last_ns);
  for (EventRef r : from.evidence)
    if (into.evidence.size() < 6) into.evidence.push_back(r);
  if (into.errno_name.empty()) into.errno_name = from.errno_name;
  if (!into.path) into.path = from.path;
  if (!into.intended_path) into.intended_path = from.intended_path;
  if (!into.referenced_from) into.referenced_from = from.referenced_from;
  if (!into.url) into.url = from.url;
  if (!into.signal) into.signal = from.signal;
  if (!into.service) into.service = from.service;
  into.new_at_onset |= from.new_at_onset;
  into.severity = std::max(into.severity, from.severity);
  for (auto& m : from.mentions) into.mentions.push_back(std::move(m));
  if (into.explanation.size() < 400 && !from.explanation.empty()) into.explanation += "; " + from.explanation;
}

// Same kind and object from two detectors (or two logs): one candidate.
void merge_same(std::vector<Candidate>& v) {
  // A candidate that names no object joins the same kind's candidate that does (a "Permission
  // denied in Unknown on line 0" and the call that shows the path).
  for (Candidate& c : v) {
    if (!c.object.empty() || c.kind == "unknown" || c.score <= 0) continue;
    for (Candidate& other : v) {
      if (&other == &c || other.kind != c.kind || other.object.empty()) continue;
      const double best = std::max(other.score, c.score);
      absorb(other, std::move(c));
      other.score = std::min(0.99, best + kCorroboration);
      c.score = 0;
      break;
    }
  }
  std::erase_if(v, [](const Candidate& c) { return c.score <= 0; });
  std::vector<Candidate> out;
  std::map<std::pair<std::string, std::string>, size_t> at;
  for (Candidate& c : v) {
    if (c.kind == "unknown" || c.object.empty()) {
      out.push_back(std::move(c));
      continue;
    }
    const auto key = std::make_pair(c.kind, c.object);
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

// A failed service behind a dependency's address: the dependency candidate carries it.
void link_services(std::vector<Candidate>& v) {
  for (Candidate& dep : v) {
    if (dep.kind != "dependency_down" || dep.object.empty()) continue;
    const std::string service = service_of_endpoint(dep.object);
    for (Candidate& svc : v) {
      if (&svc == &dep || svc.score <= 0 || !svc.service) continue;
      if (svc.kind != "service_failed" && svc.kind != "dependency_down" && svc.kind != "resource_limit" &&
          svc.kind != "crash" && svc.kind != "config_syntax")
        continue;
      if (service.empty() || !same_service(*svc.service, service)) continue;
      if (!dep.service) dep.service = svc.service;
      dep.first_ns = std::min(dep.first_ns, svc.first_ns);
      std::string why = svc.explanation;
      for (EventRef r : svc.evidence)
        if (dep.evidence.size() < 6) dep.evidence.push_back(r);
      dep.explanation += "; behind it, " + why;
      dep.score = std::min(0.99, std::max(dep.score, svc.score) + kCorroboration);
      svc.score = 0;  // told inside the dependency's candidate now
    }
  }
  v.erase(std::remove_if(v.begin(), v.end(), [](const Candidate& c) { return c.score <= 0; }), v.end());
}

// B fails on A's object (its path, or an address or path it names as failing): B is A's
// consequence. Files that merely referenced something (the script a missing include was
// required from) do not count: both candidates name those.
bool explains(const Candidate& a, const Candidate& b) {
  if (&a == &b || a.object.empty() || a.kind == "unknown") return false;
  if (a.kind == b.kind && a.object == b.object) return false;
  if (b.path && *b.path == a.object) return true;
  for (const std::string& m : b.mentions)
    if (m == a.object) return true;
  return false;
}

}  // namespace

void rank_causes(std::vector<Candidate>& v) {
  merge_same(v);
  link_services(v);
  std::vector<double> factor(v.size(), 1.0), bonus(v.size(), 0.0);
  for (size_t i = 0; i < v.size(); ++i)
    for (size_t j = 0; j < v.size(); ++j)
      if (i != j && explains(v[i], v[j])) {
        factor[j] = kConsequence;
        bonus[i] = kExplainsOther;
      }
  for (size_t i = 0; i < v.size(); ++i) v[i].score = std::min(0.99, v[i].score * factor[i] + bonus[i]);
  std::stable_sort(v.begin(), v.end(), [](const Candidate& a, const Candidate& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.first_ns < b.first_ns;  // the earlier of two equals: the first unusual event
  });
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
  };
  if (!c.object.empty()) {
    add(c.object);
    if (c.object[0] == '/') add(meaningful_directory(c.object));
    add(service_of_endpoint(c.object));
  }
  add_path(c.path);
  add_path(c.intended_path);
  if (c.referenced_from) add_path(c.referenced_from->file);
  if (c.service) {
    add(*c.service);
    add(c.service->substr(0, c.service->find('.')));
  }
  // A full disk is the filesystem's, not the file's: whatever wrote to the same volume may have
  // filled it. Mount points are not in the logs; the path's first two components stand for it.
  if (c.kind == "disk_full") {
    if (c.path) add(volume_of(*c.path));
    if (!c.object.empty() && c.object[0] == '/') add(volume_of(c.object));
  }
  return t;
}

bool is_service_of(const Candidate& c, std::string_view unit) {
  if (unit.empty()) return false;
  if (c.service && same_service(*c.service, unit)) return true;
  const std::string of_endpoint = c.kind == "dependency_down" ? service_of_endpoint(c.object) : std::string();
  return !of_endpoint.empty() && same_service(of_endpoint, unit);
}

bool mentions_any(std::string_view text, const std::vector<std::string>& terms) {
  for (const std::string& s : terms)
    if (!s.empty() && text.find(s) != std::string_view::npos) return true;
  return false;
}

}  // namespace hindcast
