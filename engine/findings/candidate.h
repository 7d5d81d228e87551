// What every detector emits: one uniform Candidate, whatever it looked at.
//
//   Candidate c;
//   c.role = Role::kCause;
//   c.cause = CauseKind::kDependencyDown;        // causes: a kind of the table (kinds.h)
//   c.object = "127.0.0.1:11211";
//   c.errno_name = "ECONNREFUSED";
//   c.first_ns / c.last_ns / c.count, c.evidence (EventRefs, best first), c.score (0..1),
//   c.explanation: one sentence a person can read.
//
// The role says which question a candidate answers: is something wrong (symptom), why (cause),
// what set it off (change), what ended it (resolution), or what only looks alarming (noise).
// analyze() unites the significant symptoms into the incident window, ranks causes and links them
// into a chain, and picks a change and a resolution; the report is written from the chosen ones.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/event.h"
#include "engine/core/record.h"
#include "engine/findings/kinds.h"
#include "engine/timeline/timeline.h"

namespace hindcast {

enum class Role : uint8_t { kSymptom, kCause, kChange, kResolution, kNoise };

// Where failures were confined (partial incidents): what the failing requests share that the
// others do not.
struct Scope {
  std::vector<std::string> urls;       // route templates ("/checkout.php?item=<*>")
  std::vector<std::string> vhosts;
  std::vector<std::string> upstreams;
  bool empty() const { return urls.empty() && vhosts.empty() && upstreams.empty(); }
};

struct Candidate {
  Role role = Role::kCause;
  // Symptoms, changes and resolutions: their documented kind (docs/findings.md: http_5xx_burst,
  // package_change, restart, ...). Causes: the name of `cause`.
  std::string kind;
  // The kind it is listed under among the report's anomalies, where that differs from `kind`
  // (a resolution of kind restart is the anomaly service_restart); empty: `kind`.
  std::string anomaly_kind;
  CauseKind cause = CauseKind::kUnknown;  // causes only
  std::string object;      // what failed, as the logs name it; empty when none
  std::string errno_name;  // ENOENT, ECONNREFUSED, ...; empty when none
  std::string host;        // the host the evidence comes from; empty when the logs name none
  int64_t first_ns = 0, last_ns = 0;
  uint64_t count = 0;
  uint32_t members = 1;    // causes: how many objects it gathers (failing paths on one filesystem)
  std::vector<EventRef> evidence;  // best first, a few
  // Causes: a sample of the instances inside the incident (the failing calls, the messages),
  // followed to what came of each (engine/findings/consequence.h).
  std::vector<EventRef> instances;
  std::optional<EventRef> last_event;  // symptoms: the event at last_ns
  double score = 0;        // 0..1 for symptoms and causes; points for changes and resolutions
  Severity severity = Severity::kWarning;
  std::string explanation;

  // Details, where they apply.
  std::optional<std::string> path;           // the path that failed
  std::optional<std::string> intended_path;  // a near-identical path that exists
  std::optional<FileLine> referenced_from;   // the file and line that used it
  std::optional<std::string> setting;        // the directive or limit named (config_syntax, resource_limit)
  std::optional<std::string> url;            // the request target concerned
  std::optional<std::string> signal;         // SIGSEGV, ...
  std::optional<std::string> service;        // a unit or program named with it (memcached.service)
  std::optional<std::string> client;         // the client (address or user agent) concerned
  std::string writer;                        // causes: the program that logged the evidence (its service, for chains)
  std::string behind_host;                   // dependency_down: the host its endpoint belongs to, where the logs say
  bool primary = false;    // symptoms: users are affected (failures, timeouts, crashes), not only a hint
  bool open_ended = false; // symptoms: still going at the end of the logs
  bool new_at_onset = false;  // causes: never seen before the incident in the same logs
  Scope scope;             // symptoms: where the failures were confined (partial)
  double p_value = 1;      // symptoms: the scan's significance
  int64_t resolution_ns = 0;  // symptoms: how finely the series can place a change (its sampling interval)
  // Causes: of the instances whose outcome the logs show, how many were followed by a failure of
  // what depended on them (the process exited or logged an error, the request failed) and how many
  // by success (a probe that the program survives).
  uint32_t followed_by_failure = 0, followed_by_success = 0;
  std::vector<std::string> mentions;  // objects this candidate's text names (causal links)

  // A cost bound: each instance is followed up to consequence.cpp's kLookAhead events; 16 let the
  // probe test (3 survived, twice the failures) go either way.
  static constexpr size_t kMaxInstances = 16;
  void add_instance(EventRef r) {
    if (instances.size() < kMaxInstances) instances.push_back(r);
  }
  bool has_evidence() const { return !evidence.empty(); }
  bool is(CauseKind k) const { return role == Role::kCause && cause == k; }
};

// A cause candidate of kind `k`, its kind name set.
inline Candidate cause_candidate(CauseKind k) {
  Candidate c;
  c.role = Role::kCause;
  c.cause = k;
  c.kind = std::string(kind_name(k));
  return c;
}

// A trigger candidate of kind `kind` ("new_client", "cert_expiry", an action type's name): one
// occurrence at `at`, its evidence `ref`, a warning.
inline Candidate change_candidate(std::string kind, std::string object, int64_t at, EventRef ref, double score,
                                  std::string explanation) {
  Candidate c;
  c.role = Role::kChange;
  c.kind = std::move(kind);
  c.object = std::move(object);
  c.first_ns = c.last_ns = at;
  c.count = 1;
  c.evidence = {ref};
  c.score = score;
  c.severity = Severity::kWarning;
  c.explanation = std::move(explanation);
  return c;
}

}  // namespace hindcast
