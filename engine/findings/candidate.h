// What every detector emits: one uniform Candidate, whatever it looked at.
//
//   Candidate c;
//   c.role = Role::kCause;
//   c.kind = "dependency_down";
//   c.object = "127.0.0.1:11211";
//   c.errno_name = "ECONNREFUSED";
//   c.first_ns / c.last_ns / c.count, c.evidence (EventRefs, best first), c.score (0..1),
//   c.explanation: one sentence a person can read.
//
// The role says which question a candidate answers: is something wrong (symptom), why (cause),
// what set it off (change), what ended it (resolution), or what only looks alarming (noise).
// analyze() clusters symptoms into the incident window, ranks causes, and picks a change and a
// resolution; the report is written from the chosen candidates.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/event.h"
#include "engine/core/record.h"
#include "engine/timeline/timeline.h"

namespace hindcast {

enum class Role : uint8_t { kSymptom, kCause, kChange, kResolution, kNoise };

struct Candidate {
  Role role = Role::kCause;
  std::string kind;        // documented in docs/findings.md (http_5xx_burst, missing_file, ...)
  std::string object;      // what failed, as the logs name it; empty when none
  std::string errno_name;  // ENOENT, ECONNREFUSED, ...; empty when none
  int64_t first_ns = 0, last_ns = 0;
  uint64_t count = 0;
  std::vector<EventRef> evidence;  // best first, a few
  std::optional<EventRef> last_event;  // symptoms: the event at last_ns
  double score = 0;        // 0..1: how strongly the evidence supports it
  Severity severity = Severity::kWarning;
  std::string explanation;

  // Details, where they apply.
  std::optional<std::string> path;           // the path that failed
  std::optional<std::string> intended_path;  // a near-identical path that exists
  std::optional<FileLine> referenced_from;   // the file and line that used it
  std::optional<std::string> url;            // the request target concerned
  std::optional<std::string> signal;         // SIGSEGV, ...
  std::optional<std::string> service;        // a unit or program named with it (memcached.service)
  std::optional<std::string> client;         // the client (address or user agent) concerned
  bool primary = false;    // symptoms: users are affected (failures, timeouts, crashes), not only a hint
  bool open_ended = false; // symptoms: still going at the end of the logs
  bool new_at_onset = false;  // causes: never seen before the incident in the same logs
  std::vector<std::string> mentions;  // objects this candidate's text names (causal links)

  bool has_evidence() const { return !evidence.empty(); }
};

std::string_view role_name(Role r);

}  // namespace hindcast
