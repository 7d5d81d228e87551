// The merged timeline: every anchored event of every source in UTC order.
//
// Each source's events are sorted into a run (by time, then file order: sort_runs), then the
// runs are merged k-way. Equal instants keep source order, then file order, so the result is stable and
// reproducible. The timeline stores a 4-byte place per event (Places), not copies of the events:
// its order is written into fresh memory, whose first touch costs by the page on a VM
// (engine/core/memory.h), and 4 bytes per event is half of what an EventRef per event would take.
#pragma once
#include <algorithm>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <span>
#include <type_traits>
#include <vector>

#include "engine/core/memory.h"
#include "engine/core/source.h"
#include "engine/parallel.h"

namespace hindcast {

// 8 bytes, 2 of them padding. Packed to 6, a reference bound to `index` would be misaligned for
// every other element of an array of them, which is undefined behaviour that any `const T&`
// parameter (std::max, EXPECT_EQ) hits: UBSan caught it in a packed Request. Arrays of every event
// keep a 4-byte place instead (Places).
struct EventRef {
  uint32_t index;   // into sources[source].events
  uint16_t source;
};
static_assert(std::is_trivially_default_constructible_v<EventRef>, "the order is sized unwritten: see FillVector");

// Every event's place among all sources' events laid end to end (source 0's first, then source
// 1's, ...): 4 bytes, and back to the source and index. Going back reads a table of which source
// holds the first place of each 256, then searches the few sources that begin inside those 256.
// At most 2^32 - 1 events in all (Timeline::build refuses more: see kMaxEvents).
class Places {
 public:
  static constexpr uint64_t kMaxEvents = UINT32_MAX;
  Places() = default;
  explicit Places(std::span<const Source> sources);
  uint32_t of(EventRef r) const { return base_[r.source] + r.index; }
  EventRef ref(uint32_t place) const {
    const size_t block = place >> kBlockShift;
    const uint32_t* lo = base_.data() + hint_[block];
    const uint32_t* hi = base_.data() + hint_[block + 1] + 1;  // (base_ ends with the total)
    const uint32_t* at = std::upper_bound(lo, hi, place) - 1;  // the last source beginning at or before it
    return {place - *at, static_cast<uint16_t>(at - base_.data())};
  }

 private:
  static constexpr unsigned kBlockShift = 8;
  std::vector<uint32_t> base_;  // per source, its first place; then the total
  std::vector<uint16_t> hint_;  // per 256 places, the source of the first (and one more entry)
};

// A stretch of the timeline's order: random access to the EventRef of each place.
class OrderView {
 public:
  class iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = EventRef;
    using difference_type = std::ptrdiff_t;
    using reference = EventRef;
    using pointer = void;
    iterator() = default;
    iterator(const uint32_t* at, const Places* places) : at_(at), places_(places) {}
    EventRef operator*() const { return places_->ref(*at_); }
    EventRef operator[](difference_type n) const { return places_->ref(at_[n]); }
    iterator& operator++() { ++at_; return *this; }
    iterator operator++(int) { iterator old = *this; ++at_; return old; }
    iterator& operator--() { --at_; return *this; }
    iterator operator--(int) { iterator old = *this; --at_; return old; }
    iterator& operator+=(difference_type n) { at_ += n; return *this; }
    iterator& operator-=(difference_type n) { at_ -= n; return *this; }
    friend iterator operator+(iterator it, difference_type n) { return it += n; }
    friend iterator operator+(difference_type n, iterator it) { return it += n; }
    friend iterator operator-(iterator it, difference_type n) { return it -= n; }
    friend difference_type operator-(const iterator& a, const iterator& b) { return a.at_ - b.at_; }
    friend bool operator==(const iterator& a, const iterator& b) { return a.at_ == b.at_; }
    friend auto operator<=>(const iterator& a, const iterator& b) { return a.at_ <=> b.at_; }

   private:
    const uint32_t* at_ = nullptr;
    const Places* places_ = nullptr;
  };

  OrderView() = default;
  OrderView(const uint32_t* data, size_t size, const Places* places) : data_(data), size_(size), places_(places) {}
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  EventRef operator[](size_t i) const { return places_->ref(data_[i]); }
  EventRef front() const { return (*this)[0]; }
  EventRef back() const { return (*this)[size_ - 1]; }
  iterator begin() const { return {data_, places_}; }
  iterator end() const { return {data_ + size_, places_}; }

 private:
  const uint32_t* data_ = nullptr;
  size_t size_ = 0;
  const Places* places_ = nullptr;
};

struct TimeWindow {
  std::optional<Instant> since;  // inclusive
  std::optional<Instant> until;  // inclusive
  bool contains(int64_t t) const {
    return (!since || t >= since->ns) && (!until || t <= until->ns);
  }
};

class Timeline {
 public:
  // Merges the sources' runs, in parallel over ranges of time on the executor's threads. Each source's events must be resolved and in time order (sort_runs): the ingest
  // sorts them in a phase of its own, and checking them again here was a second pass over every
  // event on one thread. The sources must hold at most Places::kMaxEvents events in all (the
  // ingest refuses more).
  static Timeline build(const std::vector<Source>& sources, const TimeWindow& window,
                        const Executor& executor = Executor::serial());

  OrderView order() const { return {order_.data(), order_.size(), places_.get()}; }
  // The part of order() with times in [lo_ns, hi_ns] (binary search: the order is by time).
  OrderView range(int64_t lo_ns, int64_t hi_ns) const;
  size_t size() const { return order_.size(); }
  const Event& event(EventRef r) const { return sources_[r.source].events[r.index]; }
  const Source& source(EventRef r) const { return sources_[r.source]; }
  uint32_t line(EventRef r) const { return source(r).line_of(event(r)); }  // cited lines; see Source::line_of
  std::span<const Source> sources() const { return sources_; }

 private:
  // The sources' storage, which stays put when the vector that owns it is moved.
  std::span<const Source> sources_;
  std::unique_ptr<Places> places_;  // (its own allocation: views of the order outlive a move of the timeline)
  FillVector<uint32_t> order_;      // places, sized, then written by the merge's threads
};

// Sorts one run: by time, then in file order (a stable sort) — never clamping an out-of-order
// line. The executor's threads may share the work of a run far out of order.
void sort_run(std::span<Event> events, const Executor& executor = Executor::serial());
// Whether a run is in time order already (most logs are: nothing to sort).
bool sorted_by_time(std::span<const Event> events);
// Every source's run sorted (what Timeline::build needs): the runs are checked in parallel, then
// those out of order sorted one by one, each with every thread (one access log far out of order
// would otherwise be the whole phase, on one thread).
void sort_runs(std::vector<Source>& sources, const Executor& executor);

}  // namespace hindcast
