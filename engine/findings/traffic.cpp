// new_client: a client that appears shortly before the onset and hammers the site, as a trigger
// candidate. A client is a user agent (else an address); it is new when the access log never
// saw it before although it covers at least 30 s before its first request, and hammering when it sends at least 20 requests within its first minute. It is
// tied to the failure when the failure is about capacity (a limit reached, requests slowing,
// the site not answering): that is what a crawler or a flood does.
#include <algorithm>
#include <map>
#include <set>

#include "engine/findings/analysis.h"

namespace hindcast {
namespace {

constexpr int64_t kLookback = 10 * 60 * kNanosPerSecond;
constexpr int64_t kBurst = 60 * kNanosPerSecond;
constexpr uint64_t kMinRequests = 20;
constexpr int64_t kHistory = 30 * kNanosPerSecond;

struct Client {
  int64_t first_ns = 0;
  size_t first_index = 0;
  uint64_t in_burst = 0;
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
    for (size_t i = 0; i < reqs.size(); ++i) {
      const Request& q = reqs[i];
      if (q.time_ns > onset + kBurst) break;
      if (q.time_ns < onset - kLookback - kBurst) continue;
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
      if (q.time_ns - c.first_ns <= kBurst) {
        ++c.in_burst;
        c.addresses.emplace(r.client);
        ++c.url_heads[url_head(r.url)];
      }
    }
    const bool tied = capacity_failure(a);
    // "Never seen before" means something only where the log saw the time before.
    const int64_t history_from = reqs.empty() ? 0 : reqs.front().time_ns + kHistory;
    for (const auto& [key, c] : clients) {
      if (c.in_burst < kMinRequests || c.first_ns > onset || c.first_ns < history_from) continue;
      Candidate cand;
      cand.role = Role::kChange;
      cand.kind = "new_client";
      cand.object = key;
      cand.client = key;
      cand.first_ns = cand.last_ns = c.first_ns;
      cand.count = c.in_burst;
      cand.evidence = {reqs[c.first_index].ref()};
      cand.score = (tied ? 3 : 0) + 1 + 1.0 - std::clamp(static_cast<double>(onset - c.first_ns) / kLookback, 0.0, 1.0);
      cand.severity = Severity::kWarning;
      std::string addresses;
      for (const std::string& ad : c.addresses) addresses += (addresses.empty() ? "" : ", ") + ad;
      std::string head;
      uint64_t top = 0;
      for (const auto& [h, n] : c.url_heads)
        if (n > top) {
          top = n;
          head = h;
        }
      if (!head.empty()) cand.url = head;
      cand.explanation = "A client never seen before (" + key + ", from " + addresses + ") sent " +
                         std::to_string(c.in_burst) + " requests in its first minute" +
                         (head.empty() ? "" : ", mostly " + head + "...");
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
