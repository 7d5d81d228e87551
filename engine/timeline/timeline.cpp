#include "engine/timeline/timeline.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include "engine/core/memory.h"
#include "engine/parallel.h"

namespace hindcast {

namespace {

bool by_time(const Event& a, const Event& b) { return a.time_ns < b.time_ns; }

// Events below the running maximum: the ones a stable sort must move.
size_t count_behind(std::span<const Event> events) {
  size_t behind = 0;
  int64_t max = std::numeric_limits<int64_t>::min();
  for (const Event& e : events) {
    if (e.time_ns < max) ++behind;
    else max = e.time_ns;
  }
  return behind;
}

// Out of order only locally (many workers writing at once; every request jittered): blocks that
// fit in cache are sorted on their own, then each is merged into the sorted prefix where the two
// overlap, in place. No buffer as big as the run: a fresh one costs a page fault per 4 KB, more
// than the sort. The blocks are sorted on the executor's threads, the merges done in order. False (the
// run part done, in an order a stable sort still gives the same result from, since every step is
// stable) when a block reaches far back.
bool sort_locally(std::span<Event> events, const Executor& executor) {
  constexpr size_t kBlock = size_t{1} << 15;  // 1.25 MB of events
  const auto time_less = [](int64_t t, const Event& e) { return t < e.time_ns; };
  const auto less_time = [](const Event& e, int64_t t) { return e.time_ns < t; };
  const size_t n = events.size();
  executor.parallel_for((n + kBlock - 1) / kBlock, [&](size_t k) {
    const size_t b = k * kBlock;
    std::stable_sort(events.begin() + static_cast<std::ptrdiff_t>(b),
                     events.begin() + static_cast<std::ptrdiff_t>(std::min(n, b + kBlock)), by_time);
  });
  for (size_t b = kBlock; b < n; b += kBlock) {
    const auto mid = events.begin() + static_cast<std::ptrdiff_t>(b);
    const auto last = events.begin() + static_cast<std::ptrdiff_t>(std::min(n, b + kBlock));
    if (!by_time(*mid, *(mid - 1))) continue;
    // Before `lo`: at or below the block's first (stays); from `hi`: at or above the prefix's last.
    const auto lo = std::upper_bound(events.begin(), mid, mid->time_ns, time_less);
    const auto hi = std::lower_bound(mid, last, (mid - 1)->time_ns, less_time);
    if (mid - lo > static_cast<std::ptrdiff_t>(2 * kBlock)) return false;
    std::inplace_merge(lo, mid, hi, by_time);
  }
  return true;
}

// More than one event in eight behind: first as a run out of order only locally; when a block
// reaches far back, a stable sort, its two halves on two threads and then merged.
void stable_sort_run(std::span<Event> events, const Executor& executor) {
  if (sort_locally(events, executor)) return;
  if (executor.threads() < 2 || events.size() < (size_t{1} << 18)) {
    std::stable_sort(events.begin(), events.end(), by_time);
    return;
  }
  const auto mid = events.begin() + static_cast<std::ptrdiff_t>(events.size() / 2);
  executor.parallel_for(2, [&](size_t half) {
    if (half == 0) std::stable_sort(events.begin(), mid, by_time);
    else std::stable_sort(mid, events.end(), by_time);
  });
  std::inplace_merge(events.begin(), mid, events.end(), by_time);
}

}  // namespace

bool sorted_by_time(std::span<const Event> events) { return std::is_sorted(events.begin(), events.end(), by_time); }

void sort_run(std::span<Event> events, const Executor& executor) {
  if (sorted_by_time(events)) return;  // the common case: logs are written in order
  // Nearly in order is the next most common: an access log stamps a request when it starts and
  // writes it when it ends, so the slow ones come late. The events at or above the running
  // maximum are one sorted run and stay (closed up in place); the few behind it are set aside,
  // sorted, and merged back in from the end. One pass and a small sort instead of a merge sort
  // of the whole run with a buffer as big as it (which was most of this phase, and its pages).
  const size_t behind = count_behind(events);
  if (behind > events.size() / 8) {
    stable_sort_run(events, executor);
    return;
  }
  std::vector<Event> side;
  side.reserve(behind);
  size_t kept = 0;
  int64_t max = std::numeric_limits<int64_t>::min();
  for (const Event& e : events) {
    if (e.time_ns < max) {
      side.push_back(e);
    } else {
      max = e.time_ns;
      events[kept++] = e;
    }
  }
  std::stable_sort(side.begin(), side.end(), by_time);
  // From the back. On equal times the set-aside event goes after the kept one, as in the file: a
  // kept event is at or above everything before it, so an event of its time set aside (it had a
  // later one before it) came after it.
  size_t out = events.size(), j = side.size();
  while (j > 0) {
    if (kept > 0 && events[kept - 1].time_ns > side[j - 1].time_ns) events[--out] = events[--kept];
    else events[--out] = side[--j];
  }
}

Places::Places(std::span<const Source> sources) {
  base_.reserve(sources.size() + 1);
  uint64_t total = 0;
  for (const Source& s : sources) {
    base_.push_back(static_cast<uint32_t>(total));
    total += s.events.size();
  }
  if (total > kMaxEvents) throw std::length_error("more events than a timeline can place");  // the ingest refuses first
  base_.push_back(static_cast<uint32_t>(total));
  hint_.resize(static_cast<size_t>(total >> kBlockShift) + 2);
  size_t s = 0;
  for (size_t block = 0; block < hint_.size(); ++block) {
    const uint64_t first = uint64_t{block} << kBlockShift;
    while (s + 1 < sources.size() && base_[s + 1] <= first) ++s;
    hint_[block] = static_cast<uint16_t>(s);
  }
}

OrderView Timeline::range(int64_t lo, int64_t hi) const {
  const auto time_at = [&](uint32_t place) { return event(places_->ref(place)).time_ns; };
  const auto first = std::lower_bound(order_.begin(), order_.end(), lo,
                                      [&](uint32_t p, int64_t t) { return time_at(p) < t; });
  const auto last = std::upper_bound(first, order_.end(), hi, [&](int64_t t, uint32_t p) { return t < time_at(p); });
  return {order_.data() + (first - order_.begin()), static_cast<size_t>(last - first), places_.get()};
}

namespace {

// One source's part of a time range: events [begin, end) of its sorted run.
struct Run {
  uint32_t begin, end;
  uint16_t source;
};

// The head of one run in a merge: its next event, and what the merge needs of it at hand.
struct Head {
  const Event* at;
  const Event* end;
  const Event* base;
  int64_t time;
  uint16_t source;
  uint32_t first_place;  // the place of base[0]
};

// Writes the stretch of `h` that wins against every other head (its times below `bound`), the
// anchored events inside the window only; advances h.at. Returns the new count.
size_t emit_stretch(Head& h, int64_t bound, const TimeWindow& window, uint32_t* out, size_t n) {
  const Event* at = h.at;
  do {
    if (!(at->basis & kBasisUnanchored) && window.contains(at->time_ns)) out[n++] = h.first_place + static_cast<uint32_t>(at - h.base);
    ++at;
  } while (at != h.end && at->time_ns < bound);
  h.at = at;
  if (at != h.end) h.time = at->time_ns;
  return n;
}

// The bound up to which a head keeps the lead against `other`: a head before it in source order
// wins a tie, one after it loses.
int64_t lead_bound(const Head& leader, const Head& other) {
  const int64_t t = other.time;
  return other.source < leader.source || t == std::numeric_limits<int64_t>::max() ? t : t + 1;
}

// Many runs (thousands of small files): a heap ordered by (time, source), so each stretch costs
// log(runs), not a scan of every head.
size_t merge_heap(std::vector<Head>& heads, const TimeWindow& window, uint32_t* out) {
  const auto later = [](const Head& a, const Head& b) { return a.time != b.time ? a.time > b.time : a.source > b.source; };
  std::make_heap(heads.begin(), heads.end(), later);
  size_t n = 0;
  while (!heads.empty()) {
    std::pop_heap(heads.begin(), heads.end(), later);
    Head& h = heads.back();
    const int64_t bound = heads.size() > 1 ? lead_bound(h, heads.front()) : std::numeric_limits<int64_t>::max();
    n = emit_stretch(h, bound, window, out, n);
    if (h.at == h.end) heads.pop_back();
    else std::push_heap(heads.begin(), heads.end(), later);
  }
  return n;
}

// Merges the runs (each sorted by time) into out[0..), equal times by source order then file
// order; unanchored events and those outside the window stay out. Returns how many it wrote. For
// a few runs, a linear scan over the runs' head times (kept next to their cursors: no
// indirection per step) for the earliest beats a heap's bookkeeping; past kScanRuns, the heap.
// Either way the earliest run's events go out for as long as it would win again: logs of second
// precision write tens of lines a second, so a stretch is long, and the choice of the next run (a
// branch the predictor cannot learn) is made once per stretch, not per event.
size_t merge_runs(const std::vector<Source>& sources, const Places& places, const std::vector<Run>& runs,
                  const TimeWindow& window, uint32_t* out) {
  constexpr size_t kScanRuns = 32;
  std::vector<Head> heads;
  for (const Run& r : runs) {
    if (r.begin >= r.end) continue;
    const Event* base = sources[r.source].events.data();
    heads.push_back({base + r.begin, base + r.end, base, base[r.begin].time_ns, r.source, places.of({0, r.source})});
  }
  if (heads.size() > kScanRuns) return merge_heap(heads, window, out);
  // Equal times go to the lower source: keep the heads in source order and take the first minimum.
  std::sort(heads.begin(), heads.end(), [](const Head& a, const Head& b) { return a.source < b.source; });
  size_t n = 0;
  while (!heads.empty()) {
    size_t best = 0;
    for (size_t k = 1; k < heads.size(); ++k)
      if (heads[k].time < heads[best].time) best = k;
    int64_t bound = std::numeric_limits<int64_t>::max();
    for (size_t k = 0; k < heads.size(); ++k)
      if (k != best) bound = std::min(bound, lead_bound(heads[best], heads[k]));
    n = emit_stretch(heads[best], bound, window, out, n);
    if (heads[best].at == heads[best].end) heads.erase(heads.begin() + static_cast<ptrdiff_t>(best));
  }
  return n;
}

// Split times that cut the union of the runs into `parts` ranges of about equal size: quantiles
// of a sample taken at even steps through every run (the runs are sorted, so no sort of the
// events is needed, only of the sample).
std::vector<int64_t> split_times(const std::vector<Source>& sources, const std::vector<Run>& runs, size_t parts) {
  std::vector<int64_t> sample;
  constexpr size_t kSamplesPerRun = 4096;
  for (const Run& r : runs) {
    const size_t n = r.end - r.begin;
    const size_t step = std::max<size_t>(1, n / kSamplesPerRun);
    for (size_t i = r.begin; i < r.end; i += step) sample.push_back(sources[r.source].events[i].time_ns);
  }
  std::sort(sample.begin(), sample.end());
  std::vector<int64_t> cuts;
  for (size_t p = 1; p < parts && !sample.empty(); ++p) {
    const int64_t t = sample[sample.size() * p / parts];
    if (cuts.empty() || t > cuts.back()) cuts.push_back(t);
  }
  return cuts;
}

}  // namespace

void sort_runs(std::vector<Source>& sources, const Executor& executor) {
  std::vector<char> in_order(sources.size(), 0);
  executor.parallel_for(sources.size(), [&](size_t i) { in_order[i] = sorted_by_time(sources[i].events); });
  for (size_t i = 0; i < sources.size(); ++i)
    if (!in_order[i]) sort_run(sources[i].events, executor);
}

Timeline Timeline::build(const std::vector<Source>& sources, const TimeWindow& window, const Executor& executor) {
  Timeline t;
  t.sources_ = std::span<const Source>(sources.data(), sources.size());
  t.places_ = std::make_unique<Places>(t.sources_);
  std::vector<Run> runs;
  size_t total = 0;
  for (const Source& s : sources) {
    // Unanchored events have no place on a UTC axis; they stay in their source.
    uint32_t begin = 0, end = static_cast<uint32_t>(s.events.size());
    while (begin < end && ((s.events[begin].basis & kBasisUnanchored) || !window.contains(s.events[begin].time_ns)))
      ++begin;
    while (end > begin && ((s.events[end - 1].basis & kBasisUnanchored) || !window.contains(s.events[end - 1].time_ns)))
      --end;
    if (begin < end) {
      runs.push_back({begin, end, s.id});
      total += end - begin;
    }
  }
  // Range-partitioned: the time axis is cut at sampled quantiles, each range merged on its own
  // (a run's part of a range is found by binary search), and the ranges laid end to end.
  constexpr size_t kMinPerPart = 1 << 18;
  const size_t parts = std::max<size_t>(1, std::min<size_t>(executor.threads() * 2, total / kMinPerPart));
  const std::vector<int64_t> cuts = parts > 1 ? split_times(sources, runs, parts) : std::vector<int64_t>{};
  const size_t ranges = cuts.size() + 1;
  std::vector<std::vector<Run>> range_runs(ranges);
  for (const Run& r : runs) {
    const auto& ev = sources[r.source].events;
    uint32_t from = r.begin;
    for (size_t k = 0; k < ranges; ++k) {
      uint32_t to = r.end;
      if (k < cuts.size()) {
        to = static_cast<uint32_t>(std::lower_bound(ev.begin() + from, ev.begin() + r.end, cuts[k],
                                                    [](const Event& e, int64_t x) { return e.time_ns < x; }) -
                                   ev.begin());
      }
      range_runs[k].push_back({from, to, r.source});
      from = to;
    }
  }
  // Merged into final positions: each range gets its slot of the order (its runs' length, an upper
  // bound: unanchored events inside a run drop out), and the slots close up afterwards. No
  // per-range arrays to copy, and no second array of references at the peak.
  std::vector<size_t> offset(ranges + 1, 0);
  for (size_t k = 0; k < ranges; ++k) {
    size_t n = 0;
    for (const Run& r : range_runs[k]) n += r.end - r.begin;
    offset[k + 1] = offset[k] + n;
  }
  t.order_.reserve(offset[ranges]);
  advise_huge_pages_if_large(t.order_.data(), offset[ranges] * sizeof(uint32_t));
  t.order_.resize(offset[ranges]);
  std::vector<size_t> written(ranges, 0);
  executor.parallel_for(ranges, [&](size_t k) {
    populate_for_write(t.order_.data() + offset[k], (offset[k + 1] - offset[k]) * sizeof(uint32_t));
    written[k] = merge_runs(sources, *t.places_, range_runs[k], window, t.order_.data() + offset[k]);
  });
  size_t end = 0;
  for (size_t k = 0; k < ranges; ++k) {
    if (end != offset[k]) std::copy(t.order_.begin() + static_cast<ptrdiff_t>(offset[k]),
                                    t.order_.begin() + static_cast<ptrdiff_t>(offset[k] + written[k]),
                                    t.order_.begin() + static_cast<ptrdiff_t>(end));
    end += written[k];
  }
  t.order_.resize(end);
  return t;
}

}  // namespace hindcast
