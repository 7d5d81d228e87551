// One parsed log record, kept small and fixed-size: the line's text stays in the source buffer
// and is re-read (re-decoded by its parser) only when a detector or a report needs its fields.
// Parsers allocate nothing per line; a timeline of N events costs N * sizeof(Event).
#pragma once
#include <cstdint>

#include "engine/core/memory.h"
#include "engine/core/time.h"

namespace hindcast {

enum class EventKind : uint8_t {
  kHttpRequest,   // access log: code = status (0 for "-")
  kMessage,       // a program's message: error log, syslog, journald, JSON lines, kernel, ...
  kSyscall,       // strace system call: code = errno number when it failed
  kSignal,        // strace "--- SIGHUP ... ---"
  kProcessExit,   // strace "+++ exited with 0 +++"
  kChange,        // a change to the system: package manager operations (dpkg, apt)
  kOther,
};

// A kind as a bit of a set of kinds (Source::kinds).
constexpr uint32_t kind_bit(EventKind k) { return uint32_t{1} << static_cast<unsigned>(k); }

enum class Severity : uint8_t { kDebug, kInfo, kNotice, kWarning, kError, kCritical };

enum EventFlags : uint8_t {
  kFlagUnfinished = 1 << 0,  // strace "<unfinished ...>": aux = line of the resume
  kFlagResumed = 1 << 1,     // strace "<... x resumed>": aux = line of the start, 0 if unmatched
  kFlagMultiLine = 1 << 2,   // continuation lines were attached to this record
  kFlagUtcStamp = 1 << 3,    // the stamp was written as UTC ('Z', "UTC", an epoch): no evidence of a local zone
  // strace: a call that writes text out (write, writev, pwrite64, send, sendto, sendmsg), not its
  // resumption. Only such a line can carry a line the traced program logged (written_text()):
  // the passes that look for those read no other line.
  kFlagWritesText = 1 << 4,
};

constexpr int16_t kNoOffset = INT16_MIN;

// A request's latency in 32 bits: µs + 1, 0 when the format has none (a negative value), saturating
// at about 71 minutes.
constexpr uint32_t encode_latency_us(int64_t us) {
  return us < 0 ? 0 : us >= int64_t{UINT32_MAX} - 1 ? UINT32_MAX : static_cast<uint32_t>(us + 1);
}
constexpr int64_t decode_latency_us(uint32_t code) { return code ? int64_t{code} - 1 : -1; }

struct Event {
  int64_t time_ns = 0;         // partial value (see TimeShape) until resolved, then UTC ns
  uint64_t offset : 40;        // byte offset of the record in its source
  uint64_t length : 24;        // bytes of the record, continuation lines included (saturates)
  uint32_t pid = 0;            // process id where the format has one
  // Per kind: strace calls, the line of the paired <unfinished>/<resumed> record (0: none);
  // HTTP requests, the latency in µs + 1 (0: the format has none; saturates at ~71 min);
  // messages and changes, the message signature (engine/core/signature.h; 0: none).
  uint32_t aux = 0;
  uint16_t code = 0;           // HTTP status, errno number; 0 elsewhere
  int16_t offset_minutes = kNoOffset;  // the UTC offset the line carried, or that was applied
  // The small fields share one word. Not here, because they can be had elsewhere: the line
  // number (Source::line_of: the newlines before `offset`) and the source (the array the event
  // is in; EventRef::source where events of several sources mix).
  uint32_t basis : 10;         // TimeBasis bits, set by the resolver
  EventKind kind : 3;
  Severity severity : 3;
  TimeShape shape : 3;
  uint32_t precision : 4;      // fractional digits of the source's timestamp
  uint32_t flags : 5;          // EventFlags
  uint32_t spare : 4;          // zero: every bit of an event is defined (events are compared with memcmp)

  Event()
      : offset(0), length(0), basis(kBasisNone), kind(EventKind::kOther), severity(Severity::kInfo),
        shape(TimeShape::kNone), precision(0), flags(0), spare(0) {}
  uint32_t partner() const { return kind == EventKind::kSyscall ? aux : 0; }
  uint32_t signature() const { return kind == EventKind::kMessage || kind == EventKind::kChange ? aux : 0; }
  int64_t latency_us() const { return kind == EventKind::kHttpRequest ? decode_latency_us(aux) : -1; }
  void set_latency_us(int64_t us) { aux = encode_latency_us(us); }
  ResolvedTime time() const { return {Instant{time_ns}, static_cast<uint16_t>(basis), static_cast<uint8_t>(precision)}; }
};

static_assert(sizeof(Event) == 32, "Event is a fixed 32-byte record; see docs/architecture.md");

// A source's events. Sized unwritten (see FillVector): the parse's threads first-touch the
// events they write, chunk by chunk, instead of one thread per file zeroing the whole array
// before the parse (on this project's VM that zeroing was 29 % of a run's samples, on one core
// for a run of one large file). A resize() that grows it leaves the new events unwritten.
using EventArray = FillVector<Event>;
static_assert(std::is_trivially_copyable_v<Event> && std::is_trivially_destructible_v<Event>);

constexpr uint64_t kMaxRecordLength = (uint64_t{1} << 24) - 1;
// The largest source Event::offset can address (1 TiB): engine/input refuses larger files and
// stops decompressing there.
constexpr uint64_t kMaxSourceBytes = uint64_t{1} << 40;

}  // namespace hindcast
