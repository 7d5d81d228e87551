// new_client, for a database: a client (user and database) whose sessions begin shortly before a
// connection limit is reached, never seen before in the logs, as a trigger candidate. What fills a
// database's connection slots is sessions held, not requests sent: a report job that opens ten
// sessions and holds them takes ten slots however few they are against a web pool's thousands of
// short ones, so the share test of an HTTP client (traffic.cpp) does not apply. It is new when
// its key opened no session in the neighbourhood before its first, although the logs show other
// clients' sessions there (kMinBaselineSessions: a log that starts with it cannot tell). It is
// tied to the failure only when the root cause is that database's connection limit on its host.
//
// Sessions are read where the server writes them: PostgreSQL's log_connections ("connection
// authorized: user=U database=D"); MariaDB/MySQL's general log ("Connect  user@host on db").
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <re2/re2.h>

#include "engine/findings/analysis.h"

namespace hindcast {
namespace {

// The same look-back and first minute as an HTTP client's (traffic.cpp): chosen, not derived.
constexpr int64_t kLookback = 10 * 60 * kNanosPerSecond;
constexpr int64_t kBurst = 60 * kNanosPerSecond;
// Sessions of other clients before it that make its absence mean something: with fewer, the log
// began too late to say who was there. Chosen: a web pool opens this many in seconds.
constexpr uint64_t kMinBaselineSessions = 20;

struct Client {
  int64_t first_ns = 0;
  size_t first_message = 0;
  uint64_t in_burst = 0;
};

// The client a session-start line names ("fleet_report@fleet"), or empty.
std::string session_client(std::string_view m) {
  static const re2::RE2 pg{R"re(connection authorized: user=(\S+) database=(\S+))re"};
  static const re2::RE2 mysql{R"re(^\s*(?:\d+\s+)?Connect\s+([^@\s]+)@\S+ on (\S*))re"};
  std::string user, db;
  const re2::StringPiece p(m.data(), m.size());
  if (re2::RE2::PartialMatch(p, pg, &user, &db) || re2::RE2::PartialMatch(p, mysql, &user, &db))
    return user + "@" + (db.empty() ? "-" : db);
  return {};
}

// The miner masks "user=x" whole: a template is a session start by its fixed words.
bool is_session_template(std::string_view t) {
  return t.starts_with("connection authorized: ") || t.find("Connect <*>") != std::string_view::npos ||
         t.find("Connect\t") != std::string_view::npos;
}

bool connection_limit(const Candidate& c) {
  return c.is(CauseKind::kResourceLimit) && c.setting && *c.setting == "max_connections";
}

class DatabaseClientDetector final : public Detector {
 public:
  std::string_view name() const override { return "new_database_client"; }
  Stage stage() const override { return Stage::kChanges; }
  void run(const Analysis& a, std::vector<Candidate>& out) const override {
    if (!a.incident || a.causes.empty() || !connection_limit(a.causes.front())) return;
    const std::string& host = a.causes.front().host;
    const int64_t onset = a.incident->start_ns;
    // Which templates are session starts: decided once per template, read only for those.
    std::vector<int8_t> is_session(a.templates().size(), -1);
    std::map<std::string, Client> clients;
    std::map<std::string, uint64_t> before;  // sessions per client before the look-back
    std::vector<int64_t> session_times;      // every client's, in time order
    const auto [b, e] = a.message_range(a.neighbourhood().start_ns, onset + kBurst);
    for (size_t i = b; i < e; ++i) {
      const MessageItem& m = a.messages()[i];
      int8_t& known = is_session[m.template_id];
      if (known < 0) known = is_session_template(a.templates().text(m.template_id));
      if (!known) continue;
      const Record r = a.record(i);
      if (!host.empty() && r.host != host) continue;
      const std::string key = session_client(r.message);
      if (key.empty()) continue;
      session_times.push_back(m.time_ns);
      if (m.time_ns < onset - kLookback) {
        ++before[key];
        continue;
      }
      auto [it, inserted] = clients.try_emplace(key);
      Client& c = it->second;
      if (inserted) {
        c.first_ns = m.time_ns;
        c.first_message = i;
      }
      if (m.time_ns - c.first_ns <= kBurst) ++c.in_burst;
    }
    for (const auto& [key, c] : clients) {
      // Sessions seen before its first: all of them other clients' (it had none before).
      const auto others = static_cast<uint64_t>(
          std::lower_bound(session_times.begin(), session_times.end(), c.first_ns) - session_times.begin());
      if (before.count(key) || c.first_ns > onset || others < kMinBaselineSessions) continue;
      // The tie (changes.cpp's kTied: it took the slots of the limit reached), a change's nature
      // (1), closeness within kLookback (0..1): the same terms as an HTTP client's.
      const double score = 3 + 1 + 1.0 - std::clamp(static_cast<double>(onset - c.first_ns) / kLookback, 0.0, 1.0);
      Candidate cand = change_candidate("new_client", key, c.first_ns, a.messages()[c.first_message].ref, score,
                                        "A database client never seen before (" + key + ") opened " +
                                            std::to_string(c.in_burst) + " sessions in its first minute");
      cand.client = key;
      cand.host = host;
      cand.count = c.in_burst;
      out.push_back(std::move(cand));
    }
  }
};

}  // namespace

const Detector& database_client_detector() {
  static const DatabaseClientDetector d;
  return d;
}

}  // namespace hindcast
