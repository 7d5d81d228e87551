// The state every detector reads: the timeline, its messages decoded once and grouped into
// templates, and what the earlier stages concluded (symptoms, the incident window, the causes).
//
//   Analysis a(timeline);                       // decodes messages, mines templates
//   run_stage(Stage::kSymptoms, a, a.symptoms);  // detectors read a, append candidates
//   a.set_incident(window);                      // template statistics relative to it
//   ...
//
// Messages are every record of kind message or change (error logs, syslog, journald, JSON
// lines, package logs) plus the server log lines strace saw being written where no log file of
// that format covers the time. They are decoded once, in timeline order, so template ids and
// everything built on them are deterministic.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/findings/candidate.h"
#include "engine/findings/evidence.h"
#include "engine/findings/templates.h"
#include "engine/findings/vocabulary.h"
#include "parsers/parser.h"

namespace hindcast {

struct MessageItem {
  EventRef ref;
  int64_t time_ns = 0;
  Record record;
  uint32_t template_id = 0;
  bool embedded = false;  // a line strace saw the server write
};

// One HTTP request, from the event alone (no decoding): what the request detectors scan.
struct Request {
  int64_t time_ns = 0;
  uint16_t status = 0;
  int64_t latency_us = -1;
  EventRef ref;
};

// How a template occurs relative to the incident window [start - lead, end].
struct TemplateStats {
  uint64_t before = 0, during = 0, after = 0;
  int64_t first_ns = 0, last_ns = 0;
  int64_t first_during_ns = 0;
  Severity max_severity = Severity::kDebug;
  std::vector<uint32_t> during_samples;  // message indexes, first few inside the window
  uint32_t first_message = 0;
};

class Analysis {
 public:
  explicit Analysis(const Timeline& timeline);

  const Timeline& timeline;
  std::vector<Candidate> symptoms;  // and noise
  std::optional<Window> incident;   // [start, end] of the incident, when there is one
  bool still_failing = false;       // the incident runs into the end of the logs
  std::vector<Candidate> causes;    // ranked, best first
  std::vector<Candidate> changes;   // trigger candidates, best first
  std::vector<Candidate> resolutions;

  const std::vector<MessageItem>& messages() const { return messages_; }
  // Every anchored HTTP request of every access log, in time order.
  const std::vector<Request>& requests() const { return requests_; }
  // The decoded record of a request (client, URL, user agent), decoded on demand.
  bool request_record(const Request& r, Record* out) const;
  // The meaning of a template (read from its first message) and of one message (cached).
  const MessageFacts& template_facts(uint32_t template_id) const;
  const MessageFacts& facts(size_t message_index) const;
  const TemplateMiner& templates() const { return miner_; }

  // Sets the window and computes each template's statistics against it. `lead` widens the
  // window backwards: what starts shortly before the first symptom belongs to the incident.
  void set_incident(const Window& w, int64_t lead_ns);
  const TemplateStats& stats(uint32_t template_id) const { return stats_[template_id]; }
  // Indexes of messages in [lo, hi] (binary search; messages are in time order).
  std::pair<size_t, size_t> message_range(int64_t lo, int64_t hi) const;
  // Whether messages (of any template) were recorded before `t`: is there a baseline at all?
  int64_t first_message_ns() const { return messages_.empty() ? 0 : messages_.front().time_ns; }
  int64_t lead_ns() const { return lead_ns_; }

 private:
  std::vector<MessageItem> messages_;
  std::vector<Request> requests_;
  TemplateMiner miner_;
  std::vector<TemplateStats> stats_;
  std::vector<uint32_t> first_message_of_;  // template id -> its first message
  mutable std::vector<std::unique_ptr<MessageFacts>> template_facts_;
  mutable std::vector<std::unique_ptr<MessageFacts>> facts_;
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
