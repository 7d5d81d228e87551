// One parsed log record, kept small and fixed-size: the line's text stays in the source buffer
// and is re-read (re-decoded by its parser) only when a detector or a report needs its fields.
// Parsers allocate nothing per line; a timeline of N events costs N * sizeof(Event).
#pragma once
#include <cstdint>

#include "engine/core/time.h"

namespace hindcast {

enum class EventKind : uint8_t {
  kHttpRequest,   // access log: code = status (0 for "-")
  kServerLog,     // Apache error log record
  kSyslog,        // syslog / journald message
  kSyscall,       // strace system call: code = errno number when it failed
  kSignal,        // strace "--- SIGHUP ... ---"
  kProcessExit,   // strace "+++ exited with 0 +++"
  kOther,
};

// Event::code of syslog events: what kind of program wrote the line (set once by the parser, so
// detectors need not decode every line to find the few they read).
enum ProgramClass : uint16_t {
  kProgramOther = 0,
  kProgramServiceManager = 1,  // systemd, init, apachectl: starts, stops, reloads
  kProgramMonitor = 2,         // check_*, nagios, icinga, monit: health checks
};

enum class Severity : uint8_t { kDebug, kInfo, kNotice, kWarning, kError, kCritical };

enum EventFlags : uint8_t {
  kFlagUnfinished = 1 << 0,  // strace "<unfinished ...>": partner = line of the resume
  kFlagResumed = 1 << 1,     // strace "<... x resumed>": partner = line of the start, 0 if unmatched
  kFlagMultiLine = 1 << 2,   // continuation lines were attached to this record
};

constexpr int16_t kNoOffset = INT16_MIN;

struct Event {
  int64_t time_ns = 0;         // partial value (see TimeShape) until resolved, then UTC ns
  uint64_t offset : 40;        // byte offset of the record in its source
  uint64_t length : 24;        // bytes of the record, continuation lines included (saturates)
  uint32_t line = 0;           // 1-based line number of the record's first line
  uint32_t pid = 0;            // process id where the format has one
  uint32_t partner = 0;        // line of the paired strace record, 0 if none
  uint16_t source = 0;         // index into the input's sources
  uint16_t code = 0;           // HTTP status, errno number, or ProgramClass (syslog)
  uint16_t basis = kBasisNone; // TimeBasis bits, set by the resolver
  int16_t offset_minutes = kNoOffset;  // the UTC offset the line carried, or that was applied
  EventKind kind = EventKind::kOther;
  Severity severity = Severity::kInfo;
  TimeShape shape = TimeShape::kNone;
  uint8_t precision : 4 = 0;   // fractional digits of the source's timestamp
  uint8_t flags : 4 = 0;       // EventFlags

  Event() : offset(0), length(0) {}
  ResolvedTime time() const { return {Instant{time_ns}, basis, precision}; }
};

static_assert(sizeof(Event) == 40, "Event is a fixed 40-byte record; see docs/architecture.md");

constexpr uint64_t kMaxRecordLength = (uint64_t{1} << 24) - 1;

}  // namespace hindcast
