// http_5xx_burst / http_4xx_burst: a change point in the rate of one failing status against the
// access logs' own baseline.
//
// For each status >= 400, the per-second excess of that status over its overall share is summed
// over the best contiguous stretch (maximum subarray); the stretch is a burst when its share is
// far above the share outside it (two-proportion z-test). Ordinary 404s keep the same share all
// day and never qualify. The burst is widened to the failing requests that follow their
// neighbours closely, so its ends are the first and last failing requests, not bucket edges.
//
// Who failed decides what a burst means. Client errors (4xx) that a few clients bring on
// themselves while everyone else is served as usual (a scanner's 404s, a blocked crawler's
// 403s) are noise, reported as such; failures confined to one URL make a partial outage.
#include <algorithm>
#include <cmath>
#include <map>

#include "engine/findings/analysis.h"

namespace hindcast {
namespace {

constexpr size_t kMinRequests = 20;
constexpr size_t kMinFailures = 5;

struct Stretch {
  uint16_t status;
  size_t first, last;  // indexes into requests
  double share_in, share_out;
  double excess;
};

// The requests' time axis cut into equal buckets, and how many requests each holds: the same for
// every status, so counted once, not in a pass over all requests per failing status.
struct Buckets {
  int64_t t0 = 0, width_ns = 1;
  size_t size = 0;
  std::vector<uint32_t> requests;
};

// Counts the requests reqs[at(k)], k < n, in time order, into their buckets: a bucket's edge is
// passed, not divided for (no 64-bit division per request).
template <class At>
std::vector<uint32_t> per_bucket(const Buckets& axis, std::span<const Request> reqs, size_t n, At at) {
  std::vector<uint32_t> count(axis.size, 0);
  size_t b = 0;
  int64_t edge = axis.t0 + axis.width_ns;
  for (size_t k = 0; k < n; ++k) {
    while (reqs[at(k)].time_ns >= edge) {
      ++b;
      edge += axis.width_ns;
    }
    ++count[b];
  }
  return count;
}

// The failing requests' indexes grouped by status, each group in time order: a counting sort in
// two passes over the requests, one array instead of a growing list per status in a map.
struct Failures {
  std::vector<uint32_t> index;
  std::vector<std::pair<uint16_t, std::span<const uint32_t>>> by_status;  // ascending status
};

Failures failures_by_status(std::span<const Request> reqs) {
  constexpr size_t kStatuses = size_t{UINT16_MAX} + 1;
  std::vector<uint32_t> start(kStatuses + 1, 0);
  for (const Request& r : reqs) ++start[r.status + 1u];
  start[400] = 0;  // from here on, only failures are counted
  for (size_t k = 401; k <= kStatuses; ++k) start[k] += start[k - 1];
  Failures f;
  f.index.resize(start[kStatuses]);
  std::vector<uint32_t> next(start.begin(), start.end() - 1);
  for (size_t i = 0; i < reqs.size(); ++i)
    if (reqs[i].status >= 400) f.index[next[reqs[i].status]++] = static_cast<uint32_t>(i);
  for (size_t k = 400; k < kStatuses; ++k)
    if (start[k + 1] > start[k])
      f.by_status.emplace_back(static_cast<uint16_t>(k), std::span<const uint32_t>(f.index).subspan(start[k], start[k + 1] - start[k]));
  return f;
}

Buckets requests_per_bucket(std::span<const Request> reqs, int64_t width_ns) {
  Buckets axis{reqs.front().time_ns, width_ns, static_cast<size_t>((reqs.back().time_ns - reqs.front().time_ns) / width_ns) + 1, {}};
  axis.requests = per_bucket(axis, reqs, reqs.size(), [](size_t k) { return k; });
  return axis;
}

std::optional<Stretch> burst_for_status(uint16_t status, std::span<const Request> reqs,
                                        std::span<const uint32_t> fails, const Buckets& axis) {
  const int64_t t0 = axis.t0, bucket_ns = axis.width_ns;
  const size_t buckets = axis.size;
  const std::vector<uint32_t>& n = axis.requests;
  const std::vector<uint32_t> f = per_bucket(axis, reqs, fails.size(), [&](size_t k) { return fails[k]; });
  const double total_n = static_cast<double>(reqs.size());
  const double total_f = static_cast<double>(fails.size());
  const double share = total_f / total_n;
  double best = 0, run = 0;
  size_t best_a = 0, best_b = 0, a = 0;
  for (size_t b = 0; b < buckets; ++b) {
    if (run <= 0) {
      run = 0;
      a = b;
    }
    run += f[b] - share * n[b];
    if (run > best) {
      best = run;
      best_a = a;
      best_b = b;
    }
  }
  if (best <= 0) return std::nullopt;
  double in_n = 0, in_f = 0;
  for (size_t b = best_a; b <= best_b; ++b) {
    in_n += n[b];
    in_f += f[b];
  }
  const double out_n = total_n - in_n, out_f = total_f - in_f;
  const double p_in = in_f / in_n;
  const double p_out = out_n > 0 ? out_f / out_n : 0;
  const double pooled = total_f / total_n;
  const double se = std::sqrt(pooled * (1 - pooled) * (1 / in_n + (out_n > 0 ? 1 / out_n : 1)));
  const double z = se > 0 ? (p_in - p_out) / se : 0;
  if (in_f < kMinFailures || p_in < 0.2 || p_in < 3 * p_out + 0.05 || z < 4) return std::nullopt;

  const int64_t lo = t0 + static_cast<int64_t>(best_a) * bucket_ns;
  const int64_t hi = t0 + static_cast<int64_t>(best_b + 1) * bucket_ns - 1;
  size_t i0 = fails.size(), i1 = 0;
  for (size_t k = 0; k < fails.size(); ++k) {
    const int64_t t = reqs[fails[k]].time_ns;
    if (t >= lo && t <= hi) {
      i0 = std::min(i0, k);
      i1 = k;
    }
  }
  if (i0 > i1) return std::nullopt;
  std::vector<int64_t> gaps;
  for (size_t k = i0 + 1; k <= i1; ++k) gaps.push_back(reqs[fails[k]].time_ns - reqs[fails[k - 1]].time_ns);
  int64_t median_gap = 0;
  if (!gaps.empty()) {
    std::nth_element(gaps.begin(), gaps.begin() + gaps.size() / 2, gaps.end());
    median_gap = gaps[gaps.size() / 2];
  }
  const int64_t reach = std::max<int64_t>(2 * kNanosPerSecond, 5 * median_gap);
  while (i0 > 0 && reqs[fails[i0]].time_ns - reqs[fails[i0 - 1]].time_ns <= reach) --i0;
  while (i1 + 1 < fails.size() && reqs[fails[i1 + 1]].time_ns - reqs[fails[i1]].time_ns <= reach) ++i1;
  return Stretch{status, fails[i0], fails[i1], p_in, p_out, in_f - p_out * in_n};
}

// Who failed inside the stretch: the clients and URLs of the failing requests, and whether the
// other clients failed more than usual.
struct Spread {
  std::vector<std::pair<std::string, uint64_t>> top_clients;  // most failures first
  std::vector<std::pair<std::string, uint64_t>> top_urls;
  double top_clients_share = 0;  // of the failures, by the top three clients
  double others_share_in = 0;    // failing share of the other clients' requests inside
  std::string top_user_agent;
};

std::vector<std::pair<std::string, uint64_t>> ranked(const std::map<std::string, uint64_t>& m) {
  std::vector<std::pair<std::string, uint64_t>> v(m.begin(), m.end());
  std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  return v;
}

Spread spread_of(const Analysis& a, const std::vector<uint16_t>& statuses, size_t first, size_t last) {
  const auto& reqs = a.requests();
  auto failing = [&](uint16_t s) { return std::find(statuses.begin(), statuses.end(), s) != statuses.end(); };
  std::map<std::string, uint64_t> clients, urls, agents;
  std::vector<std::pair<std::string, bool>> seen;  // client, failed
  uint64_t failures = 0;
  // A sample is enough to say who failed: long bursts in big logs are read with a stride.
  constexpr size_t kMaxDecoded = 20000;
  const size_t stride = std::max<size_t>(1, (last - first + 1) / kMaxDecoded);
  for (size_t i = first; i <= last; i += stride) {
    Record r;
    if (!a.request_record(reqs[i], &r)) continue;
    const bool failed = failing(reqs[i].status);
    seen.emplace_back(std::string(r.client), failed);
    if (!failed) continue;
    ++failures;
    ++clients[std::string(r.client)];
    ++urls[std::string(r.url)];
    ++agents[std::string(r.user_agent)];
  }
  Spread sp;
  sp.top_clients = ranked(clients);
  sp.top_urls = ranked(urls);
  if (!agents.empty()) sp.top_user_agent = ranked(agents).front().first;
  uint64_t top = 0;
  for (size_t k = 0; k < sp.top_clients.size() && k < 3; ++k) top += sp.top_clients[k].second;
  sp.top_clients_share = failures ? static_cast<double>(top) / static_cast<double>(failures) : 0;
  uint64_t others = 0, others_failed = 0;
  for (const auto& [client, failed] : seen) {
    bool is_top = false;
    for (size_t k = 0; k < sp.top_clients.size() && k < 3; ++k) is_top |= sp.top_clients[k].first == client;
    if (is_top) continue;
    ++others;
    others_failed += failed;
  }
  sp.others_share_in = others ? static_cast<double>(others_failed) / static_cast<double>(others) : 0;
  return sp;
}

std::string status_list(const std::vector<uint16_t>& statuses) {
  std::string s;
  for (uint16_t st : statuses) s += (s.empty() ? "" : "/") + std::to_string(st);
  return s;
}

std::string percent(double x) { return std::to_string(static_cast<int>(x * 100 + 0.5)) + "%"; }

Candidate make_candidate(const Analysis& a, const std::vector<uint16_t>& statuses, size_t first, size_t last,
                         double share_in, double share_out) {
  const auto& reqs = a.requests();
  Candidate c;
  c.role = Role::kSymptom;
  c.kind = statuses.front() >= 500 ? "http_5xx_burst" : "http_4xx_burst";
  c.object = status_list(statuses);
  c.first_ns = reqs[first].time_ns;
  c.last_ns = reqs[last].time_ns;
  for (size_t i = first; i <= last; ++i)
    c.count += std::find(statuses.begin(), statuses.end(), reqs[i].status) != statuses.end();
  c.evidence = {reqs[first].ref(), reqs[last].ref()};
  c.last_event = reqs[last].ref();
  c.primary = true;
  c.severity = Severity::kCritical;
  c.score = 0.9;
  c.explanation = std::to_string(c.count) + " requests answered " + c.object + " (" + percent(share_in) +
                  " of requests, against " + percent(share_out) + " before and after)";
  const Spread sp = spread_of(a, statuses, first, last);
  // Client errors that a few clients cause while the others are served as usual: noise.
  const bool client_errors = statuses.front() < 500;
  if (client_errors && sp.top_clients_share >= 0.5 && sp.others_share_in <= std::max(2 * share_out, share_out + 0.1)) {
    c.role = Role::kNoise;
    c.primary = false;
    c.severity = Severity::kWarning;
    c.score = 0.3;
    std::string who;
    for (size_t k = 0; k < sp.top_clients.size() && k < 3; ++k)
      who += (who.empty() ? "" : ", ") + sp.top_clients[k].first;
    c.client = who;
    c.explanation += "; " + percent(sp.top_clients_share) + " of them from " + who +
                     (sp.top_user_agent.empty() ? "" : " (" + sp.top_user_agent + ")") +
                     ", while other clients were served as usual";
    return c;
  }
  // Failures confined to one URL: a partial outage.
  if (!sp.top_urls.empty() && c.count >= kMinFailures &&
      static_cast<double>(sp.top_urls.front().second) >= 0.8 * static_cast<double>(c.count) && sp.top_urls.size() <= 3) {
    c.url = sp.top_urls.front().first;
    c.explanation += "; confined to " + *c.url;
  }
  return c;
}

class HttpFailureDetector final : public Detector {
 public:
  std::string_view name() const override { return "http_failures"; }
  Stage stage() const override { return Stage::kSymptoms; }
  void run(const Analysis& a, std::vector<Candidate>& out) const override {
    const auto& reqs = a.requests();
    if (reqs.size() < kMinRequests) return;
    const int64_t span = reqs.back().time_ns - reqs.front().time_ns;
    const int64_t bucket_ns = std::max<int64_t>(kNanosPerSecond, span / 2'000'000 + 1);
    const Failures failures = failures_by_status(reqs);
    std::vector<Stretch> found;
    std::optional<Buckets> axis;
    for (const auto& [status, fails] : failures.by_status) {
      if (fails.size() < kMinFailures) continue;
      if (!axis) axis = requests_per_bucket(reqs, bucket_ns);
      if (auto s = burst_for_status(status, reqs, fails, *axis)) found.push_back(*s);
    }
    std::sort(found.begin(), found.end(), [](const Stretch& x, const Stretch& y) { return x.excess > y.excess; });
    // Statuses bursting over the same stretch are one burst (the dominant status first).
    std::vector<bool> used(found.size(), false);
    for (size_t k = 0; k < found.size(); ++k) {
      if (used[k]) continue;
      std::vector<uint16_t> statuses{found[k].status};
      size_t first = found[k].first, last = found[k].last;
      for (size_t j = k + 1; j < found.size(); ++j) {
        if (used[j] || found[j].last < first || found[j].first > last) continue;
        if ((found[j].status >= 500) != (found[k].status >= 500)) continue;
        used[j] = true;
        statuses.push_back(found[j].status);
        first = std::min(first, found[j].first);
        last = std::max(last, found[j].last);
      }
      Candidate c = make_candidate(a, statuses, first, last, found[k].share_in, found[k].share_out);
      c.open_ended = reqs.back().time_ns - reqs[last].time_ns <= 2 * kNanosPerSecond;
      out.push_back(std::move(c));
    }
  }
};

}  // namespace

const Detector& http_failure_detector() {
  static const HttpFailureDetector d;
  return d;
}

}  // namespace hindcast
