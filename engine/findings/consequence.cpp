#include "engine/findings/consequence.h"

#include <algorithm>
#include <cstdlib>

#include "engine/findings/vocabulary.h"
#include "parsers/strace.h"

namespace hindcast {
namespace {

// How far a traced process is followed: its next few thousand events in the trace (a request is
// served in tens to hundreds of calls; a trace of many processes interleaves them).
constexpr size_t kLookAhead = 20000;
// How far a message's client is looked for in the access log: the log stamps a request when it
// arrives (Apache %t) or when it ends (nginx $time_local), whole seconds either way.
// An arrival stamp is at or before the message, by a truncation to the second and the wait (2 s);
// an end stamp after it by the rest of a failing request (5 s): both chosen, not derived.
constexpr int64_t kRequestBefore = 2 * kNanosPerSecond;
constexpr int64_t kRequestAfter = 5 * kNanosPerSecond;
// A cost bound: 7 s of a site at 570 requests a second; beyond it no outcome, never a wrong one.
constexpr size_t kMaxRequestsRead = 4000;
// A probe: survived at least this often, and twice as often as it was followed by failure (chosen).
constexpr uint32_t kMinSurvived = 3;
// Chosen: a third of the highest message score (0.95) is 0.32, under every kind's prior (0.4-0.5).
constexpr double kProbeFactor = 1.0 / 3;
// Chosen: the score terms' smallest step, ahead of an equal cause with no outcome.
constexpr double kConsequenceBonus = 0.05;

Outcome of_status(int status) {
  if (status <= 0) return Outcome::kUnknown;
  return status < 400 ? Outcome::kSucceeded : Outcome::kFailed;
}

// The status an HTTP response ("HTTP/1.1 500 ...") or a FastCGI reply ("Status: 502 ...") that a
// traced process wrote carries; 0 if the text is neither.
int written_status(std::string_view text) {
  if (text.starts_with("HTTP/1.") && text.size() >= 12) return std::atoi(std::string(text.substr(9, 3)).c_str());
  const size_t at = text.find("Status: ");
  if (at != std::string_view::npos && at + 11 <= text.size()) return std::atoi(std::string(text.substr(at + 8, 3)).c_str());
  // A FastCGI reply without a Status header is a 200.
  if (text.find("Content-type: ") != std::string_view::npos || text.find("Content-Type: ") != std::string_view::npos) return 200;
  return 0;
}

bool reads_new_request(std::string_view line) {
  return (line.find("read(") != std::string_view::npos || line.find("recvfrom(") != std::string_view::npos) &&
         line.find(" HTTP/1.") != std::string_view::npos;
}

Outcome traced_outcome(const Source& s, size_t index, uint32_t pid) {
  const size_t stop = std::min(s.events.size(), index + 1 + kLookAhead);
  for (size_t k = index + 1; k < stop; ++k) {
    const Event& e = s.events[k];
    if (e.pid != pid) continue;
    if (e.kind == EventKind::kProcessExit) {
      Record r;
      if (!decode_record(s, e, &r)) return Outcome::kUnknown;
      if (!r.signal.empty()) return Outcome::kFailed;
      return r.exit_status == 0 ? Outcome::kSucceeded : r.exit_status > 0 ? Outcome::kFailed : Outcome::kUnknown;
    }
    if (e.kind != EventKind::kSyscall) continue;
    const std::string_view line = s.line_text(e);
    if (reads_new_request(line)) return Outcome::kUnknown;  // the next unit of work began without an outcome
    if (!(e.flags & kFlagWritesText)) continue;
    const std::optional<std::string> text = written_text(line);
    if (!text) continue;
    if (const Outcome o = of_status(written_status(*text)); o != Outcome::kUnknown) return o;
    const Meaning m = read_message_text(*text).meaning;
    if (cause_kind(m) || m == Meaning::kOtherError) return Outcome::kFailed;
  }
  return Outcome::kUnknown;
}

// The status the access log gave the request of `client` nearest to `t`; unknown when two requests
// of the client are equally near and ended differently (a page and its static file in one second).
Outcome request_outcome(const Analysis& a, std::string_view client, int64_t t) {
  const auto& reqs = a.requests();
  auto it = reqs.begin() + static_cast<ptrdiff_t>(a.request_at(t - kRequestBefore));
  Outcome best = Outcome::kUnknown;
  int64_t nearest = INT64_MAX;
  size_t read = 0;
  for (; it != reqs.end() && it->time_ns <= t + kRequestAfter && read < kMaxRequestsRead; ++it, ++read) {
    Record r;
    if (!a.request_record(*it, &r) || r.client != client) continue;
    const int64_t d = std::llabs(it->time_ns - t);
    if (d < nearest) {
      nearest = d;
      best = of_status(it->status);
    } else if (d == nearest && of_status(it->status) != best) {
      best = Outcome::kUnknown;
    }
  }
  return best;
}

}  // namespace

Outcome outcome_after(const Analysis& a, EventRef instance) {
  const Source& s = a.timeline.source(instance);
  const Event& e = a.timeline.event(instance);
  if (e.kind == EventKind::kSyscall) return traced_outcome(s, instance.index, e.pid);
  Record r;
  if (!decode_record(s, e, &r)) return Outcome::kUnknown;
  if (!r.client.empty() && !a.requests().empty()) return request_outcome(a, r.client, e.time_ns);
  return Outcome::kUnknown;
}

void judge_consequences(const Analysis& a, std::vector<Candidate>& causes) {
  for (Candidate& c : causes) {
    for (EventRef ref : c.instances) {
      const Outcome o = outcome_after(a, ref);
      if (o == Outcome::kFailed) ++c.followed_by_failure;
      if (o == Outcome::kSucceeded) ++c.followed_by_success;
    }
    const uint32_t failed = c.followed_by_failure, survived = c.followed_by_success;
    if (survived >= kMinSurvived && survived >= 2 * failed) {
      c.score *= kProbeFactor;
      c.explanation += "; a probe: " + std::to_string(survived) + " of " + std::to_string(failed + survived) +
                       " instances were followed by success";
    } else if (failed > survived) {
      c.score = std::min(0.99, c.score + kConsequenceBonus);
    }
  }
}

}  // namespace hindcast
