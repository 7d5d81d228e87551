// new_client: a client that appears shortly before the onset and hammers the site, as a trigger
// candidate. A client is a user agent (else an address). It is hammering when it sends at least
// kMinRequests within its first minute (one every 3 s, more than a person browsing), and new when
// none of the requests before it came from it although, at the share of the traffic it then
// takes, it would have shown among them: (1 - share)^n < kUnseen for the n requests the log saw
// before its first. A log that starts a few seconds before a crawler with a handful of requests
// cannot tell a new client from an old one; ten seconds of a busy site can. It is tied to the
// failure when the failure is about capacity (a limit reached, requests slowing, the site not
// answering): that is what a crawler or a flood does.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "engine/findings/analysis.h"

namespace hindcast {
namespace {

// Chosen, not derived: a client that begins up to ten minutes before the onset; its first minute
// is its burst, and 20 requests in it (one every 3 s) is more than a person reading pages.
constexpr int64_t kLookback = 10 * 60 * kNanosPerSecond;
constexpr int64_t kBurst = 60 * kNanosPerSecond;
constexpr uint64_t kMinRequests = 20;
// The chance that a client as busy as this one went unseen in the requests before it by accident:
// the level at which its absence is evidence it is new (the same one in a hundred as elsewhere).
constexpr double kUnseen = 0.01;
// The requests read before the look-back for who was seen: the latest this many. A client taking
// even 1 % of the traffic shows among 100,000 requests with certainty; reading more would only cost.
constexpr size_t kMaxHistoryRequests = 100000;

struct Client {
  int64_t first_ns = 0;
  size_t first_index = 0;
  uint64_t in_burst = 0;
  uint64_t failed = 0;  // its failing answers (5xx) inside the incident
  std::set<std::string> addresses;
  std::map<std::string, uint64_t> url_heads;  // URL up to its first variable part
};

// "/?m=20260512" -> "/?m=": the stable head of a URL family.
std::string url_head(std::string_view url) {
  size_t k = 0;
  while (k < url.size() && !(url[k] >= '0' && url[k] <= '9')) ++k;
  return std::string(url.substr(0, k));
}

bool capacity_failure(const Analysis& a) {
  if (!a.causes.empty() && a.causes.front().is(CauseKind::kResourceLimit)) return true;
  for (const Candidate& s : a.symptoms)
    if (s.kind == "latency_high" || s.kind == "no_requests") return true;
  return false;
}

class TrafficDetector final : public Detector {
 public:
  std::string_view name() const override { return "new_client"; }
  Stage stage() const override { return Stage::kChanges; }
  void run(const Analysis& a, std::vector<Candidate>& out) const override {
    if (!a.incident) return;
    const auto& reqs = a.requests();
    const int64_t onset = a.incident->start_ns;
    std::map<std::string, Client> clients;
    std::set<std::string> seen_before;
    const size_t window = a.request_at(onset - kLookback);
    for (size_t i = window > kMaxHistoryRequests ? window - kMaxHistoryRequests : 0; i < reqs.size(); ++i) {
      const Request& q = reqs[i];
      if (q.time_ns > onset + kBurst) break;
      Record r;
      if (!a.request_record(q, &r)) continue;
      const std::string key = !r.user_agent.empty() ? std::string(r.user_agent) : std::string(r.client);
      if (q.time_ns < onset - kLookback) {
        seen_before.insert(key);
        continue;
      }
      if (seen_before.count(key)) continue;
      auto [it, inserted] = clients.try_emplace(key);
      Client& c = it->second;
      if (inserted) {
        c.first_ns = q.time_ns;
        c.first_index = i;
      }
      if (q.status >= 500 && q.time_ns >= onset && q.time_ns <= a.incident->end_ns) ++c.failed;
      if (q.time_ns - c.first_ns <= kBurst) {
        ++c.in_burst;
        c.addresses.emplace(r.client);
        ++c.url_heads[url_head(r.url)];
      }
    }
    const bool tied = capacity_failure(a);
    uint64_t failed_in_incident = 0;
    for (size_t i = a.request_at(onset); i < reqs.size() && reqs[i].time_ns <= a.incident->end_ns; ++i)
      failed_in_incident += reqs[i].status >= 500;
    for (const auto& [key, c] : clients) {
      // Its own requests are most of the failures: what it asks for is what fails (an export
      // that exceeds memory_limit, a route no one else calls), however few they are.
      const bool its_failures = failed_in_incident > 0 && 2 * c.failed >= failed_in_incident;
      if ((c.in_burst < kMinRequests && !its_failures) || c.first_ns > onset + kBurst) continue;
      // "Never seen before" means something only where it would have been seen.
      const size_t burst_end = a.request_at(c.first_ns + kBurst + 1);
      const double share = static_cast<double>(c.in_burst) /
                           static_cast<double>(std::max<size_t>(1, burst_end - c.first_index));
      if (share >= 1 || std::pow(1 - share, static_cast<double>(c.first_index)) >= kUnseen) continue;
      std::string addresses;
      for (const std::string& ad : c.addresses) addresses += (addresses.empty() ? "" : ", ") + ad;
      std::string head;
      uint64_t top = 0;
      for (const auto& [h, n] : c.url_heads)
        if (n > top) {
          top = n;
          head = h;
        }
      // The tie (changes.cpp's kTied), a change's nature (1), closeness within kLookback (0..1).
      const double score =
          (tied || its_failures ? 3 : 0) + 1 + 1.0 - std::clamp(static_cast<double>(onset - c.first_ns) / kLookback, 0.0, 1.0);
      Candidate cand = change_candidate("new_client", key, c.first_ns, reqs[c.first_index].ref(), score,
                                        "A client never seen before (" + key + ", from " + addresses + ") sent " +
                                            std::to_string(c.in_burst) + " requests in its first minute" +
                                            (head.empty() ? "" : ", mostly " + head + "..."));
      cand.client = key;
      cand.count = c.in_burst;
      if (!head.empty()) cand.url = head;
      out.push_back(std::move(cand));
    }
  }
};

}  // namespace

const Detector& traffic_detector() {
  static const TrafficDetector d;
  return d;
}

}  // namespace hindcast
