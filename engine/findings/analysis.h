// The state every detector reads: the timeline, its requests, its messages, and what the earlier
// stages concluded (symptoms, the incident window, the causes).
//
//   Analysis a(timeline);                       // requests, message kinds, whole-log selections
//   run_stage(Stage::kSymptoms, a, a.symptoms);  // detectors read a, append candidates
//   a.set_incident(window, lead);                // decodes and mines the incident's neighbourhood
//   ...
//
// Cost follows the incident, not the logs. Every message carries a signature from its parser
// (engine/core/signature.h); the analysis reads one representative per signature to learn what
// each kind of message means, and decodes across the whole logs only the kinds the symptoms need
// (monitor results, crashes, failed services, refused configurations). Everything else is
// decoded and mined into templates only around the incident (its neighbourhood, half an hour
// each side, bounded in count), where the causes, the trigger and the resolution are; a
// signature's count over the whole logs still says whether a kind of message is new.
//
// Messages are decoded in timeline order, so template ids and everything built on them are
// deterministic. The server log lines strace saw being written count as messages where no log
// file of that format covers the time.
#pragma once
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "engine/findings/candidate.h"
#include "engine/findings/evidence.h"
#include "engine/findings/templates.h"
#include "engine/parallel.h"
#include "engine/core/memory.h"
#include "engine/findings/vocabulary.h"
#include "parsers/parser.h"

namespace hindcast {

// One HTTP request, from the event alone (no decoding): what the request detectors scan.
// (No default member values: the array of them is sized unwritten and filled in parallel, see
// FillVector.) 16 bytes: the whole-log arrays are first-touched memory, which costs by the page
// (engine/core/memory.h), so the event's place is kept as its two
// fields (an EventRef member's padding cannot be shared) and the latency, which one detector and
// the chart read, is read from the event (Analysis::latency_us).
struct Request {
  int64_t time_ns;
  uint32_t index;
  uint16_t source;
  uint16_t status;
  EventRef ref() const { return {index, source}; }
};
static_assert(std::is_trivially_default_constructible_v<Request>);
static_assert(sizeof(Request) == 16);

// The median gap between consecutive requests (in time order; the gap at n/2 of the sorted
// gaps), exact, without an array of every gap (engine/findings/request_flow.cpp). 0 for fewer
// than two requests.
int64_t median_gap(std::span<const Request> reqs);

// An error a symptom can be made of: one that names a cause's kind (but a crash, which has its
// own series) or fits none; not a client's error, a service's start, a monitor's result.
inline bool is_error_meaning(Meaning m) {
  return (cause_kind(m).has_value() && m != Meaning::kCrash) || m == Meaning::kOtherError;
}

// A message of the whole logs that the symptoms need: what kind it is and whose it is. Its record
// and facts are read again when a detector wants them (Analysis::selected_record/_facts).
// 16 bytes: the event's place is kept as its two fields, not as an EventRef, whose padding a
// member of another struct cannot share.
struct SelectedMessage {
  int64_t time_ns;
  uint32_t index;
  uint16_t source;
  Meaning meaning;
  EventRef ref() const { return {index, source}; }
};
static_assert(sizeof(SelectedMessage) == 16);

// A message of the incident's neighbourhood: its place and template; the record is decoded again
// when a detector asks (Analysis::record), which is cheaper than keeping it.
struct MessageItem {
  EventRef ref;
  int64_t time_ns = 0;
  uint32_t template_id = 0;
  // How many messages it stands for: 1, or the stride of the sample taken of a long incident's
  // interior (Analysis::mine_neighbourhood).
  uint32_t weight = 1;
  const Parser* embedded = nullptr;  // a line strace saw written, and the parser that reads it
};

// The buckets every symptom series is counted in: whole seconds from the logs' first instant, wider
// only where the logs span more than kMaxBuckets seconds (a scan costs per bucket, and a month of
// logs in seconds is 2.6 million).
struct TimeAxis {
  // A cost bound: a scan costs per bucket and grid rate; 200,000 one-second buckets are 2.3 days,
  // and longer logs get wider buckets (a week: 4 s), which place an onset no closer.
  static constexpr size_t kMaxBuckets = 200'000;
  int64_t t0 = 0;
  int64_t width_ns = kNanosPerSecond;
  size_t size = 1;
  size_t bucket(int64_t t) const {
    if (t <= t0) return 0;
    return std::min(size - 1, static_cast<size_t>((t - t0) / width_ns));
  }
  int64_t start(size_t b) const { return t0 + static_cast<int64_t>(b) * width_ns; }
  int64_t end(size_t b) const { return start(b + 1) - 1; }
  static TimeAxis spanning(int64_t first_ns, int64_t last_ns);
};

// How a template occurs relative to the incident window [start - lead, end].
struct TemplateStats {
  uint64_t before = 0, during = 0, after = 0;  // inside the neighbourhood
  uint64_t elsewhere = 0;  // its messages outside the neighbourhood (the whole logs, estimated from a sample)
  int64_t first_ns = 0;  // its first message in the neighbourhood
  bool is_new() const { return before == 0 && elsewhere == 0; }
};

// Who accepts connections at an endpoint, as the server said when it started listening.
struct Listener {
  std::string host;
  std::string program;
};

class Analysis {
 public:
  // The whole-log passes run on the executor's threads.
  explicit Analysis(const Timeline& timeline, const Executor& executor = Executor::serial());

  const Timeline& timeline;
  std::vector<Candidate> symptoms;  // and noise
  std::optional<Window> incident;   // [start, end] of the incident, when there is one
  bool still_failing = false;       // the incident runs into the end of the logs
  std::vector<Candidate> causes;    // ranked, best first
  std::optional<size_t> root;       // the root cause (an index into causes); none: unknown
  std::vector<size_t> chain;        // why, deepest first, through causes[0] to its consequences (indexes into causes)
  std::vector<Candidate> changes;   // trigger candidates, best first
  std::vector<Candidate> resolutions;

  // The buckets of every symptom series (the logs' first to last anchored instant).
  const TimeAxis& axis() const { return axis_; }
  // Every anchored HTTP request of every access log, in time order.
  std::span<const Request> requests() const { return requests_; }
  // The index of the first request at or after t (requests() is in time order): where a window's
  // requests begin, by binary search.
  size_t request_at(int64_t t) const;
  bool request_record(const Request& r, Record* out) const;
  int64_t latency_us(const Request& r) const { return timeline.event(r.ref()).latency_us(); }  // -1: none
  // Whole-log messages that mean a monitor result, a crash, a failed service or a refused
  // configuration, decoded, in time order.
  std::span<const SelectedMessage> selected() const { return selected_; }
  Record selected_record(const SelectedMessage& m) const;
  // Whose message it is (host and program, hashed): one monitor's results are one series. Read
  // once per kind of message in a file (its signature) and remembered: a monitor repeating one
  // alert all day costs a lookup per line, not a decode. (Lines of one kind in one file are one
  // writer's; a central syslog with one monitor program on several hosts writing the very same
  // words is the case this would merge.) Not thread-safe: detectors run one at a time.
  uint32_t series(const SelectedMessage& m) const;
  MessageFacts selected_facts(const SelectedMessage& m) const;
  // The server listening at `endpoint` ("10.0.0.5:5432"), from its own startup messages; null if
  // the logs do not say.
  const Listener* listener(std::string_view endpoint) const;

  // Sets the window, decodes and mines the neighbourhood, and computes each template's
  // statistics. `lead` widens the window backwards: what starts shortly before the first
  // symptom belongs to the incident.
  void set_incident(const Window& w, int64_t lead_ns);
  int64_t lead_ns() const { return lead_ns_; }

  // The neighbourhood's messages, in time order.
  const std::vector<MessageItem>& messages() const { return messages_; }
  Record record(size_t message_index) const;
  Severity severity(size_t message_index) const { return timeline.event(messages_[message_index].ref).severity; }
  const MessageFacts& template_facts(uint32_t template_id) const;
  const MessageFacts& facts(size_t message_index) const;
  const TemplateMiner& templates() const { return miner_; }
  const TemplateStats& stats(uint32_t template_id) const { return stats_[template_id]; }
  // Indexes of neighbourhood messages in [lo, hi] (binary search).
  std::pair<size_t, size_t> message_range(int64_t lo, int64_t hi) const;
  // The span whose messages were all mined: the incident and up to half an hour either side.
  const Window& neighbourhood() const { return neighbourhood_; }

 private:
  // A stretch of one source's events: the whole-log passes go over these in parallel and put
  // their results together in block order (the same as one pass in order).
  struct Block {
    uint16_t source;
    size_t begin, end;
  };
  static std::vector<Block> blocks_of(const Timeline& t);
  void index_signatures(const std::vector<Block>& blocks, const Executor& executor);
  void select_messages(const std::vector<Block>& blocks, const Executor& executor);
  int64_t neighbourhood_margin(int64_t lo, int64_t hi) const;
  void mine_neighbourhood(int64_t lo, int64_t hi);
  void mine_elsewhere();

  TimeAxis axis_;
  FillVector<Request> requests_;  // sized, then written by the blocks' threads
  FillVector<SelectedMessage> selected_;  // sized, then written by the blocks' threads
  struct SignatureInfo {
    uint64_t count = 0;
    EventRef first;
    Meaning meaning = Meaning::kNone;
  };
  std::unordered_map<uint32_t, SignatureInfo> signatures_;
  std::vector<MessageItem> messages_;
  TemplateMiner miner_;
  std::vector<TemplateStats> stats_;
  static constexpr uint32_t kNoMessage = UINT32_MAX;
  mutable std::unordered_map<uint64_t, uint32_t> series_of_kind_;  // (source, signature) -> series()
  mutable uint64_t last_kind_ = 0;  // the last series() looked up (a kind is never 0: its signature is not)
  mutable uint32_t last_series_ = 0;
  std::vector<uint32_t> first_message_of_;  // template id -> its first neighbourhood message (kNoMessage: none)
  std::vector<uint64_t> elsewhere_;         // template id -> estimated messages outside the neighbourhood
  Window neighbourhood_{0, -1};
  mutable std::vector<std::unique_ptr<MessageFacts>> template_facts_;
  mutable std::unordered_map<std::string, Listener> listeners_;
  mutable bool listeners_built_ = false;
  mutable std::unordered_map<size_t, std::unique_ptr<MessageFacts>> facts_;
  int64_t lead_ns_ = 0;
};

// The template writer key of a record: program, else module, else the source's format.
std::string writer_of(const Source& source, const Record& record);

// ---------------------------------------------------------------------------------------------
// Detectors. Each reads the Analysis and appends uniform candidates; registry.cpp lists them
// by stage, and adding one is one file plus one line there.

enum class Stage { kSymptoms, kCauses, kChanges, kResolutions };

class Detector {
 public:
  virtual ~Detector() = default;
  virtual std::string_view name() const = 0;
  virtual Stage stage() const = 0;
  virtual void run(const Analysis& a, std::vector<Candidate>& out) const = 0;
};

const std::vector<const Detector*>& detectors();
const Detector* find_detector(std::string_view name);
void run_stage(Stage stage, const Analysis& a, std::vector<Candidate>& out);

}  // namespace hindcast
