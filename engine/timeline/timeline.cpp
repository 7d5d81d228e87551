#include "engine/timeline/timeline.h"

#include <algorithm>
#include <queue>

namespace hindcast {

void sort_run(std::vector<Event>& events) {
  const bool sorted = std::is_sorted(events.begin(), events.end(), [](const Event& a, const Event& b) {
    return a.time_ns < b.time_ns;
  });
  if (sorted) return;  // the common case: logs are written in order
  std::stable_sort(events.begin(), events.end(),
                   [](const Event& a, const Event& b) { return a.time_ns < b.time_ns; });
}

std::span<const EventRef> Timeline::range(int64_t lo, int64_t hi) const {
  const auto first = std::lower_bound(order_.begin(), order_.end(), lo,
                                      [&](EventRef r, int64_t t) { return event(r).time_ns < t; });
  const auto last = std::upper_bound(first, order_.end(), hi,
                                     [&](int64_t t, EventRef r) { return t < event(r).time_ns; });
  return {order_.data() + (first - order_.begin()), static_cast<size_t>(last - first)};
}

Timeline Timeline::build(std::vector<Source>& sources, const TimeWindow& window) {
  Timeline t;
  t.sources_ = std::span<const Source>(sources.data(), sources.size());
  struct Cursor {
    uint32_t index, end;
    uint16_t source;
  };
  std::vector<Cursor> cursors;
  size_t total = 0;
  for (Source& s : sources) {
    sort_run(s.events);
    // Unanchored events have no place on a UTC axis; they stay in their source.
    uint32_t begin = 0, end = static_cast<uint32_t>(s.events.size());
    while (begin < end && ((s.events[begin].basis & kBasisUnanchored) || !window.contains(s.events[begin].time_ns)))
      ++begin;
    while (end > begin && ((s.events[end - 1].basis & kBasisUnanchored) || !window.contains(s.events[end - 1].time_ns)))
      --end;
    if (begin < end) {
      cursors.push_back({begin, end, s.id});
      total += end - begin;
    }
  }
  t.order_.reserve(total);
  auto later = [&](const Cursor& a, const Cursor& b) {
    const int64_t ta = sources[a.source].events[a.index].time_ns;
    const int64_t tb = sources[b.source].events[b.index].time_ns;
    return ta != tb ? ta > tb : a.source > b.source;
  };
  std::priority_queue<Cursor, std::vector<Cursor>, decltype(later)> heap(later, std::move(cursors));
  while (!heap.empty()) {
    Cursor c = heap.top();
    heap.pop();
    const Event& e = sources[c.source].events[c.index];
    if (!(e.basis & kBasisUnanchored) && window.contains(e.time_ns)) t.order_.push_back({c.index, c.source});
    if (++c.index < c.end) heap.push(c);
  }
  return t;
}

}  // namespace hindcast
