// The merged timeline: every anchored event of every source in UTC order.
//
// Each source's events are sorted into a run (by time, then file order: sort_runs), then the
// runs are merged k-way. Equal instants keep source order, then file order, so the result is stable and
// reproducible. The timeline stores 8-byte references, not copies of the events.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <type_traits>
#include <vector>

#include "engine/core/memory.h"
#include "engine/core/source.h"

namespace hindcast {

// 8 bytes, 2 of them padding. Packed to 6 (tried in the fifth session: 48.3 -> 46.3 bytes per
// event) a reference bound to `index` is misaligned for every other element of the order, which
// is undefined behaviour that any `const T&` parameter (std::max, EXPECT_EQ) hits: UBSan caught
// it in a packed Request.
struct EventRef {
  uint32_t index;   // into sources[source].events
  uint16_t source;
};
static_assert(std::is_trivially_default_constructible_v<EventRef>, "the order is sized unwritten: see FillVector");

struct TimeWindow {
  std::optional<Instant> since;  // inclusive
  std::optional<Instant> until;  // inclusive
  bool contains(int64_t t) const {
    return (!since || t >= since->ns) && (!until || t <= until->ns);
  }
};

class Timeline {
 public:
  // Merges the sources' runs, in parallel over ranges of time on up to `threads` threads (0: one
  // per core). Each source's events must be resolved and in time order (sort_runs): the ingest
  // sorts them in a phase of its own, and checking them again here was a second pass over every
  // event on one thread.
  static Timeline build(const std::vector<Source>& sources, const TimeWindow& window, unsigned threads = 0);

  std::span<const EventRef> order() const { return order_; }
  // The part of order() with times in [lo_ns, hi_ns] (binary search: the order is by time).
  std::span<const EventRef> range(int64_t lo_ns, int64_t hi_ns) const;
  size_t size() const { return order_.size(); }
  const Event& event(EventRef r) const { return sources_[r.source].events[r.index]; }
  const Source& source(EventRef r) const { return sources_[r.source]; }
  uint32_t line(EventRef r) const { return source(r).line_of(event(r)); }  // cited lines; see Source::line_of
  std::span<const Source> sources() const { return sources_; }

 private:
  // The sources' storage, which stays put when the vector that owns it is moved.
  std::span<const Source> sources_;
  FillVector<EventRef> order_;  // sized, then written by the merge's threads
};

// Sorts one run: by time, then in file order (a stable sort) — never clamping an out-of-order
// line. `threads` may share the work of a run far out of order.
void sort_run(std::span<Event> events, unsigned threads = 1);
// Whether a run is in time order already (most logs are: nothing to sort).
bool sorted_by_time(std::span<const Event> events);
// Every source's run sorted (what Timeline::build needs): the runs are checked in parallel, then
// those out of order sorted one by one, each with every thread (one access log far out of order
// would otherwise be the whole phase, on one thread).
void sort_runs(std::vector<Source>& sources, unsigned threads);

}  // namespace hindcast
