// http_5xx_burst / http_4xx_burst: where failing responses are significantly more frequent than
// the access logs' own background (engine/findings/scan.h), per status and per status class.
//
// Every failing status (>= 400) seen at least twice is a binomial series over the requests, and so
// is each class with more than one such status; each series yields its significant segments.
// Overlapping segments of one class are one burst (the dominant status first). Nothing is
// compared with an absolute share: ordinary 404s keep their share all day and never form a
// segment, and 3 % of requests failing where almost none do is as plain as a total outage.
//
// Who failed decides what a burst means:
//   - users: a burst of client errors is an outage only when at least two clients got them (one
//     client's 404s are its own problem); server errors are the server's failure whoever met them;
//   - noise: client errors (4xx) that a few clients bring on themselves while the other clients
//     fail no more than usual (a scanner's 404s, a blocked crawler's 403s);
//   - confinement: when the failures outside one route, virtual host or upstream are no more
//     frequent than the background, the outage is partial and that is its scope.
// "No more than usual" is the same one-sided likelihood-ratio test at the same level as the scan.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <deque>
#include <map>
#include <set>
#include <unordered_map>

#include "engine/core/median.h"
#include "engine/findings/analysis.h"
#include "engine/findings/routes.h"
#include "engine/findings/scan.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace hindcast {
namespace {

// Chosen, not derived: up to three separate outages of one series; a fourth is not seen (the
// incident is one cluster, the strongest), and each costs one more scan.
constexpr size_t kMaxSegmentsPerSeries = 3;
// A segment worth keeping for the false-discovery test across every symptom (incident.cpp):
// Benjamini-Hochberg at q admits no p above q (p_(k) <= k q / m, k <= m), so a segment above 0.05
// cannot pass it at 0.01; those between 0.01 and 0.05 stay as noise.
constexpr double kCandidateLevel = 0.05;
// The level at which the failures of the other clients or routes count as "more than usual": the
// same as the incident's false-discovery rate.
constexpr double kUsualLevel = 0.01;
// Failing requests decoded to say who failed: a sample of a long burst is enough. Shares from
// 20,000 requests have a standard error of at most 0.5/sqrt(20000) = 0.004, so the top clients'
// share (against 0.5) and the confinement test are decided to well under a percent.
constexpr size_t kMaxDecoded = 20000;

struct Found {
  uint16_t status;  // 0: the whole class
  bool server_errors;
  Segment seg;
};

// One-sided: is x of n significantly above the rate p0?
bool above_usual(double x, double n, double p0) {
  if (n <= 0 || x <= p0 * n) return false;
  const double p = x / n;
  const double q0 = std::clamp(p0, 1e-9, 1 - 1e-9);  // numerical guard (scan.cpp)
  double llr = x * std::log(p / q0);
  if (n > x) llr += (n - x) * std::log((1 - p) / (1 - q0));
  return 0.5 * std::erfc(std::sqrt(std::max(0.0, llr))) < kUsualLevel;
}

std::string status_list(const std::vector<uint16_t>& statuses) {
  std::string s;
  for (uint16_t st : statuses) s += (s.empty() ? "" : "/") + std::to_string(st);
  return s;
}

std::string percent(double x) {
  const double pc = x * 100;
  if (pc < 1 && pc > 0) return std::to_string(static_cast<int>(pc * 10 + 0.5) / 10.0).substr(0, 3) + "%";
  return std::to_string(static_cast<int>(pc + 0.5)) + "%";
}

bool failing(const std::vector<uint16_t>& statuses, uint16_t s) {
  return std::find(statuses.begin(), statuses.end(), s) != statuses.end();
}

// The fields of a request the detector reads (its route, client, user agent and virtual host),
// decoded at most once per run for each use: the route scans, the failures' routes and every
// burst's spread go over the same requests again and again (six route scans of a day's log each
// read most of it). Names are interned: a field is an id, compared and counted as a number. A
// route scan needs only the route, and an URL seen before has its route already (a site's
// requests ask for a few thousand URLs), so the client, agent and vhost are interned only for a
// spread. 16 bytes per request, allocated when a request is first read (none when no route or
// burst is examined).
class DecodedRequests {
 public:
  static constexpr uint32_t kUnread = 0, kUnreadable = 1;  // route ids; names start at 2
  struct Fields {
    uint32_t route = kUnread, client = kUnread, agent = 0, vhost = 0;  // client kUnread: not read yet
  };
  explicit DecodedRequests(const Analysis& a) : a_(a) {
    names_.emplace_back();  // kUnread
    names_.emplace_back();  // kUnreadable
  }
  // Request i's route id, decoded on first use (kUnreadable when its record cannot be read).
  uint32_t route(size_t i) {
    Fields& f = slot(i);
    if (f.route == kUnread) read(i, f, false);
    return f.route;
  }
  // Request i's fields, decoded on first use; null when its record cannot be read.
  const Fields* fields(size_t i) {
    Fields& f = slot(i);
    if (f.route == kUnread || (f.route != kUnreadable && f.client == kUnread)) read(i, f, true);
    return f.route == kUnreadable ? nullptr : &f;
  }
  // The route id of request i if it was decoded already (kUnread if not).
  uint32_t known_route(size_t i) const { return fields_.empty() ? kUnread : fields_[i].route; }
  uint32_t id(std::string_view name) {
    const auto it = ids_.find(name);
    if (it != ids_.end()) return it->second;
    names_.emplace_back(name);
    const auto n = static_cast<uint32_t>(names_.size() - 1);
    ids_.emplace(names_.back(), n);
    return n;
  }
  const std::string& name(uint32_t id) const { return names_[id]; }

 private:
  // A cost bound on the URLs remembered (each at most once): beyond it, routes are computed again.
  static constexpr size_t kMaxUrls = 65536;
  Fields& slot(size_t i) {
    if (fields_.empty()) fields_.resize(a_.requests().size());
    return fields_[i];
  }
  void read(size_t i, Fields& f, bool who) {
    Record r;
    if (!a_.request_record(a_.requests()[i], &r)) {
      f.route = kUnreadable;
      return;
    }
    f.route = route_id(r.url);
    if (!who) return;
    f.client = id(r.client);
    f.agent = id(r.user_agent);
    f.vhost = id(r.vhost);
  }
  uint32_t route_id(std::string_view url) {
    if (const auto it = route_of_url_.find(url); it != route_of_url_.end()) return it->second;
    const uint32_t route = id(route_template(url));
    if (route_of_url_.size() < kMaxUrls) {
      urls_.emplace_back(url);
      route_of_url_.emplace(urls_.back(), route);
    }
    return route;
  }

  const Analysis& a_;
  std::vector<Fields> fields_;
  std::deque<std::string> names_, urls_;  // stable: ids_ and route_of_url_ view them
  std::unordered_map<std::string_view, uint32_t> ids_, route_of_url_;
};

// Who failed inside [first, last] (request indexes), and whom else the same span served.
struct Spread {
  uint64_t decoded_failures = 0, decoded = 0;
  std::map<std::string, uint64_t> clients;  // failing requests per client
  std::map<std::string, uint64_t> agents;
  std::map<std::string, std::pair<uint64_t, uint64_t>> routes, vhosts;  // failures, requests
  std::vector<std::pair<uint32_t, bool>> seen;  // client (DecodedRequests' id), failed
};

Spread spread_of(const Analysis& a, DecodedRequests& dr, const std::vector<uint16_t>& statuses, size_t first,
                 size_t last) {
  const auto& reqs = a.requests();
  Spread sp;
  // Counted by id (ids are dense: an array indexed by id), named once at the end (the maps' order
  // is the names').
  std::vector<uint64_t> clients, agents;
  std::vector<std::pair<uint64_t, uint64_t>> routes, vhosts;
  const auto at = [](auto& v, uint32_t id) -> auto& {
    if (id >= v.size()) v.resize(id + 1);
    return v[id];
  };
  const uint32_t no_vhost = dr.id("");
  const size_t stride = std::max<size_t>(1, (last - first + 1) / kMaxDecoded);
  for (size_t i = first; i <= last; i += stride) {
    const DecodedRequests::Fields* f = dr.fields(i);
    if (!f) continue;
    const bool failed = failing(statuses, reqs[i].status);
    ++sp.decoded;
    sp.seen.emplace_back(f->client, failed);
    auto& route = at(routes, f->route);
    ++route.second;
    if (f->vhost != no_vhost) ++at(vhosts, f->vhost).second;
    if (!failed) continue;
    ++sp.decoded_failures;
    ++route.first;
    if (f->vhost != no_vhost) ++at(vhosts, f->vhost).first;
    ++at(clients, f->client);
    ++at(agents, f->agent);
  }
  for (uint32_t id = 0; id < clients.size(); ++id)
    if (clients[id]) sp.clients.emplace(dr.name(id), clients[id]);
  for (uint32_t id = 0; id < agents.size(); ++id)
    if (agents[id]) sp.agents.emplace(dr.name(id), agents[id]);
  for (uint32_t id = 0; id < routes.size(); ++id)
    if (routes[id].second) sp.routes.emplace(dr.name(id), routes[id]);
  for (uint32_t id = 0; id < vhosts.size(); ++id)
    if (vhosts[id].second) sp.vhosts.emplace(dr.name(id), vhosts[id]);
  return sp;
}

template <class Map>
std::vector<std::pair<std::string, uint64_t>> ranked(const Map& m) {
  std::vector<std::pair<std::string, uint64_t>> v;
  for (const auto& [k, n] : m) {
    if constexpr (std::is_same_v<std::decay_t<decltype(n)>, uint64_t>) v.emplace_back(k, n);
    else v.emplace_back(k, n.first);
  }
  std::stable_sort(v.begin(), v.end(), [](const auto& x, const auto& y) { return x.second > y.second; });
  return v;
}

// The groups (routes or virtual hosts) that hold the failures, when outside them the failure rate
// is no more than the background `p0`: the smallest set, largest first, of at most three (chosen:
// failures spread over more groups than that are reported with no scope, not as partial).
std::vector<std::string> confinement(const std::map<std::string, std::pair<uint64_t, uint64_t>>& groups, double p0) {
  if (groups.size() < 2) return {};
  std::vector<std::pair<std::string, std::pair<uint64_t, uint64_t>>> v(groups.begin(), groups.end());
  std::stable_sort(v.begin(), v.end(), [](const auto& x, const auto& y) { return x.second.first > y.second.first; });
  uint64_t rest_x = 0, rest_n = 0;
  for (const auto& [k, xn] : v) {
    rest_x += xn.first;
    rest_n += xn.second;
  }
  std::vector<std::string> scope;
  for (size_t k = 0; k < v.size() && k < 3; ++k) {
    if (v[k].second.first == 0) break;
    scope.push_back(v[k].first);
    rest_x -= v[k].second.first;
    rest_n -= v[k].second.second;
    if (rest_n == 0) return {};  // nothing outside the scope: not confined
    if (!above_usual(static_cast<double>(rest_x), static_cast<double>(rest_n), p0)) return scope;
  }
  return {};
}

// Whether `needle` occurs in `hay` (string_view::find, faster): sixteen places a step are
// candidates where both the needle's first and its last byte match (SSE2 compares), and only those
// are compared in full. A route's literal starts with '/', which a request line holds many times
// over (its date, its protocol, its referer): a search for the first byte stopped at every one.
bool contains(std::string_view hay, std::string_view needle) {
  const size_t n = hay.size(), m = needle.size();
  size_t i = 0;
#ifdef __SSE2__
  if (m >= 2 && m <= n) {
    const char* h = hay.data();
    const __m128i first = _mm_set1_epi8(needle.front()), last = _mm_set1_epi8(needle.back());
    for (; i + m - 1 + 16 <= n; i += 16) {
      const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(h + i));
      const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(h + i + m - 1));
      auto candidates = static_cast<uint32_t>(_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last))));
      for (; candidates; candidates &= candidates - 1) {
        const size_t at = i + static_cast<size_t>(__builtin_ctz(candidates));
        if (std::memcmp(h + at + 1, needle.data() + 1, m - 2) == 0) return true;
      }
    }
  }
#endif
  return hay.substr(i).find(needle) != std::string_view::npos;  // the places from i on
}

// The literal text a request line for `route` must hold: the template up to its first mask.
std::string_view route_literal(std::string_view route) {
  const size_t mask = route.find("<*>");
  return mask == std::string_view::npos ? route : route.substr(0, mask);
}

// Calls fn(request index, failed) for every request of `route` in [lo, hi] that is a trial of the
// class (server or client errors). A request the other class failed could not have failed in
// this one (a page answering 500 cannot also be a 404): it is no trial, as the status scan masks
// it. Lines are searched for the route's literal text before any is decoded; a request decoded
// before (for another route, or a spread) and of another route is not searched again.
template <class Fn>
void for_route_requests(const Analysis& a, DecodedRequests& dr, const std::string& route, bool server, int64_t lo,
                        int64_t hi, Fn fn) {
  const auto& reqs = a.requests();
  const std::string_view literal = route_literal(route);
  const uint32_t want = dr.id(route);
  for (size_t i = a.request_at(lo); i < reqs.size() && reqs[i].time_ns <= hi; ++i) {
    const uint16_t st = reqs[i].status;
    if (server ? st >= 400 && st < 500 : st >= 500) continue;
    const uint32_t known = dr.known_route(i);
    if (known != DecodedRequests::kUnread && known != want) continue;  // (searched or not, it is not this route)
    const EventRef ref = reqs[i].ref();
    if (!contains(a.timeline.source(ref).line_text(a.timeline.event(ref)), literal)) continue;
    if (dr.route(i) != want) continue;
    fn(i, server ? st >= 500 : st >= 400);
  }
}

// Whether the routes a burst is confined to fail no more often inside it than around it (as far
// again before and after as it spans): then more of their requests came, not more failures (a
// missing icon that answers 404 to every browser asking for it, at the hour browsers ask more).
bool routes_fail_as_usual(const Analysis& a, DecodedRequests& dr, const std::vector<std::string>& routes, bool server, int64_t first_t,
                          int64_t last_t) {
  const int64_t reach = std::max<int64_t>(last_t - first_t, a.axis().width_ns);
  uint64_t x_in = 0, n_in = 0, x_out = 0, n_out = 0;
  for (const std::string& route : routes)
    for_route_requests(a, dr, route, server, first_t - reach, last_t + reach, [&](size_t i, bool failed) {
      const int64_t t = a.requests()[i].time_ns;
      const bool inside = t >= first_t && t <= last_t;
      (inside ? n_in : n_out) += 1;
      (inside ? x_in : x_out) += failed;
    });
  // Never asked outside it: a route whose every request got a client error, from its first to
  // its last, is a resource that is not there (a missing icon), not one that went away; a server
  // error on every request may be an outage older than the logs, and stays one.
  if (n_out == 0) return !server && x_in == n_in;
  const double background = (static_cast<double>(x_out) + 0.5) / (static_cast<double>(n_out) + 1.0);
  return !above_usual(static_cast<double>(x_in), static_cast<double>(n_in), background);
}

Candidate make_candidate(const Analysis& a, DecodedRequests& dr, const std::vector<uint16_t>& statuses, size_t first,
                         size_t last, const Segment& seg, double p_value) {
  const auto& reqs = a.requests();
  Candidate c;
  c.role = Role::kSymptom;
  c.kind = statuses.front() >= 500 ? "http_5xx_burst" : "http_4xx_burst";
  c.object = status_list(statuses);
  c.first_ns = reqs[first].time_ns;
  c.last_ns = reqs[last].time_ns;
  uint64_t total = 0;
  for (size_t i = first; i <= last; ++i) {
    ++total;
    c.count += failing(statuses, reqs[i].status);
  }
  c.evidence = {reqs[first].ref(), reqs[last].ref()};
  c.last_event = reqs[last].ref();
  c.p_value = p_value;
  c.primary = true;
  c.severity = Severity::kCritical;
  // Symptom scores (here, monitor_checks, crashes, request_flow, error_bursts) are chosen, not
  // derived: an order of directness, users' failing answers first. They weigh clusters
  // (incident.cpp) and choose the main symptom, where the counts mostly decide; this one at half
  // and twice its value changes nothing on the lab's table (docs/findings.md, Sensitivity).
  c.score = 0.9;
  const double share_in = total ? static_cast<double>(c.count) / static_cast<double>(total) : 0;
  const double share_out = seg.rate_out();
  c.explanation = std::to_string(c.count) + " requests answered " + c.object + " (" + percent(share_in) +
                  " of requests, against " + percent(share_out) + " before and after)";
  const Spread sp = spread_of(a, dr, statuses, first, last);
  const auto clients = ranked(sp.clients);
  // One client's client errors: its own problem, not an outage. (A server error is the server's
  // failure whoever met it: one integration's every request answered 500 is an incident.)
  if (clients.size() < 2 && statuses.front() < 500) {
    c.role = Role::kNoise;
    c.primary = false;
    c.severity = Severity::kWarning;
    c.score = 0.3;
    if (!clients.empty()) c.client = clients.front().first;
    c.explanation += "; all of them from one client" + (clients.empty() ? std::string() : " (" + clients.front().first + ")");
    return c;
  }
  // Client errors that a few clients cause while the others are served as usual: noise. Chosen,
  // not derived: a scanner or crawler from up to three addresses holding most of the failures.
  uint64_t top = 0;
  std::set<uint32_t> top_clients;
  for (size_t k = 0; k < clients.size() && k < 3; ++k) {
    top += clients[k].second;
    top_clients.insert(dr.id(clients[k].first));
  }
  uint64_t others = 0, others_failed = 0;
  for (const auto& [client, failed] : sp.seen) {
    if (top_clients.count(client)) continue;
    ++others;
    others_failed += failed;
  }
  const double top_share = sp.decoded_failures ? static_cast<double>(top) / static_cast<double>(sp.decoded_failures) : 0;
  const bool client_errors = statuses.front() < 500;
  if (client_errors && top_share >= 0.5 &&
      !above_usual(static_cast<double>(others_failed), static_cast<double>(others), share_out)) {
    c.role = Role::kNoise;
    c.primary = false;
    c.severity = Severity::kWarning;
    c.score = 0.3;
    std::string who;
    for (size_t k = 0; k < clients.size() && k < 3; ++k) who += (who.empty() ? "" : ", ") + clients[k].first;
    c.client = who;
    const auto agents = ranked(sp.agents);
    c.explanation += "; " + percent(top_share) + " of them from " + who +
                     (agents.empty() || agents.front().first.empty() ? "" : " (" + agents.front().first + ")") +
                     ", while other clients were served as usual";
    return c;
  }
  // Failures confined to a few routes or virtual hosts: a partial outage.
  c.scope.urls = confinement(sp.routes, share_out);
  c.scope.vhosts = confinement(sp.vhosts, share_out);
  if (!c.scope.urls.empty() &&
      routes_fail_as_usual(a, dr, c.scope.urls, statuses.front() >= 500, c.first_ns, c.last_ns)) {
    c.role = Role::kNoise;
    c.primary = false;
    c.severity = Severity::kWarning;
    c.score = 0.3;
    c.explanation += "; " + c.scope.urls.front() + (c.scope.urls.size() > 1 ? " and the others" : "") +
                     " failed as often before and after: more of their requests came, not more failures";
    return c;
  }
  if (!c.scope.urls.empty()) {
    c.url = c.scope.urls.front();
    std::string list;
    for (const std::string& u : c.scope.urls) list += (list.empty() ? "" : ", ") + u;
    c.explanation += "; confined to " + list;
  }
  if (!c.scope.vhosts.empty()) {
    std::string list;
    for (const std::string& v : c.scope.vhosts) list += (list.empty() ? "" : ", ") + v;
    c.explanation += "; confined to the virtual host" + std::string(c.scope.vhosts.size() > 1 ? "s " : " ") + list;
  }
  return c;
}

// The failing requests of `statuses` in the time span [lo, hi], as request indexes, widened to the
// failures that continue the stream at its own pace: a bucket at a segment's edge where failures
// thin out may fall outside the best segment, but a failure that follows the last one within five
// typical gaps is the same failure still going (for failures arriving at random, a gap of five
// times the mean is a 1-in-150 event, e^-5), at least two buckets (chosen: the segment's edge bucket
// and the next, where a stream that thins out at a bucket boundary goes on).
std::optional<std::pair<size_t, size_t>> failing_span(const Analysis& a, const std::vector<uint16_t>& statuses, int64_t lo,
                                                       int64_t hi, int64_t bucket_ns) {
  const auto& reqs = a.requests();
  auto it = reqs.begin() + static_cast<ptrdiff_t>(a.request_at(lo));
  std::vector<size_t> inside;
  for (; it != reqs.end() && it->time_ns <= hi; ++it)
    if (failing(statuses, it->status)) inside.push_back(static_cast<size_t>(it - reqs.begin()));
  if (inside.empty()) return std::nullopt;
  std::vector<int64_t> gaps;
  for (size_t k = 1; k < inside.size(); ++k) gaps.push_back(reqs[inside[k]].time_ns - reqs[inside[k - 1]].time_ns);
  const int64_t typical = median(gaps);
  const int64_t reach = std::max<int64_t>(2 * bucket_ns, 5 * typical);
  size_t first = inside.front(), last = inside.back();
  for (size_t k = first; k-- > 0;) {
    if (reqs[first].time_ns - reqs[k].time_ns > reach) break;
    if (failing(statuses, reqs[k].status)) first = k;
  }
  for (size_t k = last + 1; k < reqs.size(); ++k) {
    if (reqs[k].time_ns - reqs[last].time_ns > reach) break;
    if (failing(statuses, reqs[k].status)) last = k;
  }
  return std::pair{first, last};
}

// Failures confined to one route can be too few among all requests to stand out (a page that
// answers 500 to each of its 0.4 requests a second, 6 % of the traffic, for a minute), yet plain
// among the route's own requests. Each route that holds at least two failures of a class is
// scanned on its own requests, around its failures (as far again before the first and after the
// last as they span: the route's background on either side), and its segment must stay
// significant after a Bonferroni correction for the routes that could have been tested.
struct RouteBurst {
  std::string route;
  std::vector<uint16_t> statuses;  // failing statuses inside, most frequent first
  size_t first = 0, last = 0;      // request indexes of its first and last failure
  Segment seg;
  double p_value = 1;
};

std::optional<RouteBurst> scan_route(const Analysis& a, DecodedRequests& dr, const std::string& route, const std::vector<size_t>& failures,
                                     bool server, double routes_tested) {
  const auto& reqs = a.requests();
  const TimeAxis& axis = a.axis();
  const int64_t first_t = reqs[failures.front()].time_ns, last_t = reqs[failures.back()].time_ns;
  const int64_t reach = std::max<int64_t>(last_t - first_t, axis.width_ns);
  const size_t b0 = axis.bucket(first_t - reach), b1 = axis.bucket(last_t + reach);
  CountSeries series = CountSeries::binomial(b1 - b0 + 1);
  std::map<uint16_t, uint64_t> status_count;
  std::vector<std::pair<size_t, size_t>> failed_at;  // (bucket, request index) of the route's failures
  for_route_requests(a, dr, route, server, axis.start(b0), axis.end(b1), [&](size_t i, bool failed) {
    const size_t b = axis.bucket(reqs[i].time_ns) - b0;
    series.add(b, failed);
    if (failed) failed_at.emplace_back(b, i);
  });
  const std::vector<Segment> segs = scan_segments(series, Direction::kExcess, 1);
  if (segs.empty()) return std::nullopt;
  RouteBurst rb;
  rb.route = route;
  rb.seg = segs.front();
  rb.p_value = std::min(1.0, rb.seg.p_value * routes_tested);
  if (rb.p_value >= kCandidateLevel) return std::nullopt;
  bool any = false;
  for (const auto& [b, i] : failed_at) {
    if (b < rb.seg.first || b > rb.seg.last) continue;
    if (!any) rb.first = i;
    rb.last = i;
    any = true;
    ++status_count[reqs[i].status];
  }
  if (!any) return std::nullopt;
  rb.seg.first += b0;
  rb.seg.last += b0;
  std::vector<std::pair<uint64_t, uint16_t>> by_count;
  for (const auto& [st, n] : status_count) by_count.emplace_back(n, st);
  std::stable_sort(by_count.begin(), by_count.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
  for (const auto& [n, st] : by_count) rb.statuses.push_back(st);
  return rb;
}

// The route bursts of one class (server or client errors), at most three routes, those with the
// most failures; nothing when the class failed more often than a sample decodes (so many failures
// are the status scan's to find).
std::vector<RouteBurst> route_bursts(const Analysis& a, DecodedRequests& dr, bool server) {
  const auto& reqs = a.requests();
  std::vector<size_t> failing;
  for (size_t i = 0; i < reqs.size(); ++i) {
    const uint16_t st = reqs[i].status;
    if (server ? st >= 500 : st >= 400 && st < 500) failing.push_back(i);
    if (failing.size() > kMaxDecoded) return {};
  }
  std::map<std::string, std::vector<size_t>> by_route;
  for (size_t i : failing)
    if (const uint32_t route = dr.route(i); route != DecodedRequests::kUnreadable) by_route[dr.name(route)].push_back(i);
  std::vector<std::pair<size_t, const std::string*>> order;
  for (const auto& [route, v] : by_route)
    if (v.size() >= 2) order.emplace_back(v.size(), &route);
  std::stable_sort(order.begin(), order.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
  std::vector<RouteBurst> out;
  for (size_t k = 0; k < order.size() && k < 3; ++k)
    if (auto rb = scan_route(a, dr, *order[k].second, by_route[*order[k].second], server, static_cast<double>(order.size())))
      out.push_back(std::move(*rb));
  return out;
}

class HttpFailureDetector final : public Detector {
 public:
  std::string_view name() const override { return "http_failures"; }
  Stage stage() const override { return Stage::kSymptoms; }
  void run(const Analysis& a, std::vector<Candidate>& out) const override {
    const auto& reqs = a.requests();
    if (reqs.size() < 2) return;
    const size_t first_added = out.size();
    const TimeAxis axis = a.axis();
    DecodedRequests dr(a);
    // Requests per bucket once; failures per status.
    std::vector<uint32_t> trials(axis.size, 0);
    std::map<uint16_t, std::vector<uint32_t>> per_status;
    std::map<uint16_t, uint64_t> totals;
    for (const Request& q : reqs) {
      const size_t b = axis.bucket(q.time_ns);
      ++trials[b];
      if (q.status >= 400) ++totals[q.status];
    }
    // One failing request is not a burst (as kMinFailing for monitors, two deaths for crashes):
    // a status seen once gets no series of its own.
    for (const auto& [status, n] : totals)
      if (n >= 2) per_status.emplace(status, std::vector<uint32_t>(axis.size, 0));
    for (const Request& q : reqs) {
      const auto it = per_status.find(q.status);
      if (it != per_status.end()) ++it->second[axis.bucket(q.time_ns)];
    }
    // Strongest status first, each against the requests the stronger ones left it: a request
    // answered 403 because a file became unreadable could not have been a 404, so the 404s that
    // vanish during a 403 outage are not an excess of 404s before and after it.
    std::vector<std::pair<double, uint16_t>> order;
    for (const auto& [status, x] : per_status) {
      const std::vector<Segment> first = scan_segments(CountSeries{CountModel::kBinomial, x, trials}, Direction::kExcess, 1);
      order.emplace_back(first.empty() ? 0.0 : first.front().llr, status);
    }
    std::stable_sort(order.begin(), order.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
    std::vector<bool> taken(axis.size, false);  // buckets of stronger statuses' segments
    std::vector<Found> found;
    auto scan_series = [&](uint16_t status, bool server, std::vector<uint32_t> x, const std::vector<bool>& mask) {
      std::vector<uint32_t> n = trials;
      for (size_t b = 0; b < n.size(); ++b)
        if (mask[b]) n[b] = x[b] = 0;
      CountSeries s{CountModel::kBinomial, std::move(x), std::move(n)};
      std::vector<Segment> kept;
      for (const Segment& seg : scan_segments(s, Direction::kExcess, kMaxSegmentsPerSeries))
        if (seg.p_value < kCandidateLevel) {
          found.push_back({status, server, seg});
          kept.push_back(seg);
        }
      return kept;
    };
    std::vector<uint32_t> class_4xx(axis.size, 0), class_5xx(axis.size, 0);
    size_t statuses_4xx = 0, statuses_5xx = 0;
    std::vector<bool> taken_4xx(axis.size, false), taken_5xx(axis.size, false);
    for (const auto& [llr, status] : order) {
      const std::vector<uint32_t>& x = per_status[status];
      std::vector<uint32_t>& cls = status >= 500 ? class_5xx : class_4xx;
      (status >= 500 ? statuses_5xx : statuses_4xx) += 1;
      for (size_t b = 0; b < x.size(); ++b) cls[b] += x[b];
      for (const Segment& seg : scan_series(status, status >= 500, x, taken))
        for (size_t b = seg.first; b <= seg.last; ++b) {
          taken[b] = true;
          (status >= 500 ? taken_5xx : taken_4xx)[b] = true;
        }
    }
    // A class against the requests the other class's outages left it.
    if (statuses_4xx > 1) scan_series(0, false, std::move(class_4xx), taken_5xx);
    if (statuses_5xx > 1) scan_series(0, true, std::move(class_5xx), taken_4xx);
    std::stable_sort(found.begin(), found.end(), [](const Found& x, const Found& y) { return x.seg.llr > y.seg.llr; });
    // Overlapping segments of one class are one burst; its statuses are those whose own segment
    // overlaps it (a class segment lends its span, not its statuses).
    std::vector<bool> used(found.size(), false);
    for (size_t k = 0; k < found.size(); ++k) {
      if (used[k]) continue;
      used[k] = true;
      size_t lo = found[k].seg.first, hi = found[k].seg.last;
      double p = found[k].seg.p_value;
      std::vector<uint16_t> statuses;
      if (found[k].status) statuses.push_back(found[k].status);
      for (size_t j = k + 1; j < found.size(); ++j) {
        if (used[j] || found[j].server_errors != found[k].server_errors) continue;
        if (found[j].seg.last + 1 < lo || found[j].seg.first > hi + 1) continue;  // neither overlapping nor adjacent
        used[j] = true;
        lo = std::min(lo, found[j].seg.first);
        hi = std::max(hi, found[j].seg.last);
        p = std::min(p, found[j].seg.p_value);
        if (found[j].status && !failing(statuses, found[j].status)) statuses.push_back(found[j].status);
      }
      if (statuses.empty()) {  // a class segment alone: the statuses that fail inside it
        for (const auto& [status, x] : per_status) {
          if ((status >= 500) != found[k].server_errors) continue;
          uint64_t inside = 0;
          for (size_t b = lo; b <= hi; ++b) inside += x[b];
          if (inside) statuses.push_back(status);
        }
        std::stable_sort(statuses.begin(), statuses.end(), [&](uint16_t x, uint16_t y) {
          uint64_t nx = 0, ny = 0;
          for (size_t b = lo; b <= hi; ++b) {
            nx += per_status[x][b];
            ny += per_status[y][b];
          }
          return nx > ny;
        });
      }
      const auto span = failing_span(a, statuses, axis.start(lo), axis.end(hi), axis.width_ns);
      if (!span) continue;
      Candidate c = make_candidate(a, dr, statuses, span->first, span->second, found[k].seg, p);
      c.resolution_ns = axis.width_ns;
      // Open when the log ends within the continuation's least reach (two buckets) of the last failure.
      c.open_ended = reqs.back().time_ns - reqs[span->second].time_ns <= 2 * axis.width_ns;
      out.push_back(std::move(c));
    }
    add_route_bursts(a, dr, first_added, out);
  }

 private:
  // A route's burst stands for its failures unless a burst of the whole traffic over the same
  // time is at least as significant (its confinement then names the routes); a more significant
  // route burst takes that burst's place.
  static void add_route_bursts(const Analysis& a, DecodedRequests& dr, size_t first_added, std::vector<Candidate>& out) {
    const auto& reqs = a.requests();
    const TimeAxis& axis = a.axis();
    for (const bool server : {true, false}) {
      const std::string kind = server ? "http_5xx_burst" : "http_4xx_burst";
      for (RouteBurst& rb : route_bursts(a, dr, server)) {
        const int64_t lo = reqs[rb.first].time_ns, hi = reqs[rb.last].time_ns;
        bool weaker = false;
        for (size_t k = first_added; k < out.size();) {
          const Candidate& g = out[k];
          const bool overlaps = g.kind == kind && g.first_ns <= hi && g.last_ns >= lo;
          if (overlaps && g.p_value <= rb.p_value) {
            weaker = true;
            break;
          }
          if (overlaps) out.erase(out.begin() + static_cast<ptrdiff_t>(k));
          else ++k;
        }
        if (weaker) continue;
        Candidate c = make_candidate(a, dr, rb.statuses, rb.first, rb.last, rb.seg, rb.p_value);
        if (c.role != Role::kSymptom) continue;  // a few clients' own errors
        // Found in the route's own requests: that is where it failed, and its numbers are the route's.
        c.scope.urls = {rb.route};
        c.url = rb.route;
        c.explanation = "On " + rb.route + ", " + std::to_string(static_cast<uint64_t>(rb.seg.x_in)) + " of " +
                        std::to_string(static_cast<uint64_t>(rb.seg.n_in)) + " requests answered " + c.object + " (" +
                        percent(rb.seg.rate_in()) + ", against " + percent(rb.seg.rate_out()) +
                        " of the route's requests before and after)";
        c.resolution_ns = axis.width_ns;
        c.open_ended = reqs.back().time_ns - reqs[rb.last].time_ns <= 2 * axis.width_ns;
        out.push_back(std::move(c));
      }
    }
  }
};

}  // namespace

const Detector& http_failure_detector() {
  static const HttpFailureDetector d;
  return d;
}

}  // namespace hindcast
