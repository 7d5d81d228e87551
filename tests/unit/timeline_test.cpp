// sort_run: every run ends in the order a stable sort by time gives (ties in file order), on real
// access log that is out of order (requests are stamped when they start and written when they
// end) and on shapes that take each of its paths.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "engine/ingest.h"
#include "engine/timeline/timeline.h"
#include "tests/support/support.h"

namespace hindcast {
namespace {

// A stable sort by time, as the reference; events compared by where they are in the file.
void expect_stable_sorted_order(std::vector<Event> events, unsigned threads = 1) {
  std::vector<Event> want = events;
  std::stable_sort(want.begin(), want.end(), [](const Event& a, const Event& b) { return a.time_ns < b.time_ns; });
  sort_run(events, Executor(threads));
  ASSERT_EQ(events.size(), want.size());
  for (size_t i = 0; i < events.size(); ++i) {
    ASSERT_EQ(events[i].time_ns, want[i].time_ns) << "at " << i;
    ASSERT_EQ(events[i].offset, want[i].offset) << "at " << i;
  }
}

size_t behind_max(const std::vector<Event>& events) {
  size_t n = 0;
  int64_t max = events.empty() ? 0 : events[0].time_ns;
  for (const Event& e : events) {
    if (e.time_ns < max) ++n;
    max = std::max(max, e.time_ns);
  }
  return n;
}

std::vector<Event> access_log_events(const std::string& incident) {
  auto s = load_source(test::shared_dir() + "/incidents/" + incident + "/access.log", 0, true, nullptr);
  if (!s) ADD_FAILURE() << s.error().message;
  return s ? std::vector<Event>(s->events.begin(), s->events.end()) : std::vector<Event>{};
}

TEST(SortRun, RealAccessLogEndsInStableTimeOrder) {
  // capacity-spike's workers were all busy: about one request in ten is written after a later
  // one (the nearly-in-order path).
  std::vector<Event> events = access_log_events("capacity-spike");
  ASSERT_GT(events.size(), 1000u);
  const size_t behind = behind_max(events);
  EXPECT_GT(behind, events.size() / 20) << "the log should be out of order for this test to mean anything";
  EXPECT_LT(behind, events.size() / 8) << "and only nearly";
  expect_stable_sorted_order(events);
  // The same events newest first (the whole-run stable sort).
  std::reverse(events.begin(), events.end());
  EXPECT_GT(behind_max(events), events.size() / 2);
  expect_stable_sorted_order(events);
}

TEST(SortRun, TiesKeepFileOrderOnEveryPath) {
  std::mt19937 rng(42);
  for (const int disorder : {0, 1, 5, 30, 100}) {  // per cent of events pushed back in time
    SCOPED_TRACE(disorder);
    std::vector<Event> events(20000);
    for (size_t i = 0; i < events.size(); ++i) {
      events[i].offset = i;
      events[i].time_ns = static_cast<int64_t>(i / 7);  // runs of equal times
      if (static_cast<int>(rng() % 100) < disorder) events[i].time_ns -= static_cast<int64_t>(rng() % 50);
    }
    expect_stable_sorted_order(events);
  }
}

TEST(SortRun, ALargeRunFarOutOfOrderSortedOnTwoThreads) {
  std::mt19937 rng(7);
  std::vector<Event> events(400000);  // above the size where the halves go to two threads
  for (size_t i = 0; i < events.size(); ++i) {
    events[i].offset = i;
    events[i].time_ns = static_cast<int64_t>(i / 3) - static_cast<int64_t>(rng() % 2000);  // ties, and most behind
  }
  ASSERT_GT(behind_max(events), events.size() / 2);
  expect_stable_sorted_order(events, 2);
  expect_stable_sorted_order(events, 1);
}

// Two logs of the same hours one after the other in one file (a rotation concatenated): events
// belong hundreds of thousands of places back, too far for block-local merging.
TEST(SortRun, ConcatenatedLogsReachingFarBack) {
  std::vector<Event> events(300000);
  for (size_t i = 0; i < events.size(); ++i) {
    events[i].offset = i;
    const size_t k = i < 150000 ? i : i - 150000;
    events[i].time_ns = static_cast<int64_t>(k / 2) * 10 + (i < 150000 ? 0 : 5) - static_cast<int64_t>(i % 3 == 0 ? 1000 : 0);
  }
  for (const unsigned threads : {1u, 2u}) expect_stable_sorted_order(events, threads);
}

}  // namespace
}  // namespace hindcast

namespace hindcast {
namespace {

// The merge's reference: every anchored event in the window, by time, ties by source then file
// order (each run is sorted by then).
std::vector<std::pair<uint16_t, uint32_t>> reference_order(const std::vector<Source>& sources, const TimeWindow& window) {
  struct Item {
    int64_t time;
    uint16_t source;
    uint32_t index;
  };
  std::vector<Item> items;
  for (const Source& s : sources)
    for (uint32_t i = 0; i < s.events.size(); ++i)
      if (!(s.events[i].basis & kBasisUnanchored) && window.contains(s.events[i].time_ns))
        items.push_back({s.events[i].time_ns, s.id, i});
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return a.time != b.time ? a.time < b.time : a.source < b.source;
  });
  std::vector<std::pair<uint16_t, uint32_t>> out;
  for (const Item& it : items) out.emplace_back(it.source, it.index);
  return out;
}

void expect_reference_order(const std::vector<Source>& sources, const TimeWindow& window, unsigned threads) {
  const Timeline t = Timeline::build(sources, window, Executor(threads));
  const auto want = reference_order(sources, window);
  ASSERT_EQ(t.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    ASSERT_EQ(t.order()[i].source, want[i].first) << "at " << i;
    ASSERT_EQ(t.order()[i].index, want[i].second) << "at " << i;
  }
}

// A real incident's four logs (seconds, microseconds, an out-of-order access log): the merge,
// which takes a run's events a stretch at a time, gives the reference order on 1 and 2 threads.
TEST(Merge, AnIncidentsLogsInTheReferenceOrder) {
  IngestOptions options;
  options.inputs = {test::shared_dir() + "/incidents/seed-classic"};
  auto in = ingest(options, Executor::serial());
  ASSERT_TRUE(in.has_value());
  ASSERT_GE(in->sources.size(), 4u);
  expect_reference_order(in->sources, TimeWindow{}, 1);
  expect_reference_order(in->sources, TimeWindow{}, 2);
}

// Ties everywhere: three sources whose times repeat in long stretches and interleave, a few
// events unanchored and a window that cuts both ends. Equal times go to the lower source, whether
// the leading run comes before or after the others; with a few runs (scanned) and with many (the
// heap a merge of thousands of small files uses).
TEST(Merge, TiesGoToTheLowerSourceAcrossStretches) {
  for (const uint16_t runs : {uint16_t{3}, uint16_t{40}}) {
    std::mt19937 rng(7);
    std::vector<Source> sources(runs);
    for (uint16_t s = 0; s < runs; ++s) {
      sources[s].id = s;
      int64_t t = 0;
      for (int i = 0; i < 600000 / runs; ++i) {
        t += rng() % 4 == 0 ? static_cast<int64_t>(rng() % 3) : 0;  // stretches of equal times
        Event e;
        e.time_ns = t;
        e.basis = rng() % 97 == 0 ? kBasisUnanchored : kBasisExplicitOffset;
        sources[s].events.push_back(e);
      }
    }
    TimeWindow window;
    window.since = Instant{5000};
    window.until = Instant{40000};
    for (unsigned threads : {1u, 2u}) {
      expect_reference_order(sources, TimeWindow{}, threads);
      expect_reference_order(sources, window, threads);
    }
  }
}

// The order keeps a 4-byte place per event (Places): thousands of sources, many empty and many
// smaller than a block of the lookup table (strace -ff writes a file per process), some that
// begin exactly on a block's edge. Every event's place leads back to it, the merge gives the
// reference order, and range() is the stretch of the order inside its times.
TEST(Merge, ManySmallAndEmptySourcesArePlacedAndFoundAgain) {
  std::mt19937 rng(11);
  std::vector<Source> sources(3000);
  for (uint16_t s = 0; s < sources.size(); ++s) {
    sources[s].id = s;
    const size_t n = s % 7 == 0 ? 0 : s % 500 == 1 ? 256 : s % 311 == 2 ? 1000 : rng() % 40;
    int64_t t = static_cast<int64_t>(rng() % 1000);
    for (size_t i = 0; i < n; ++i) {
      t += static_cast<int64_t>(rng() % 50);
      Event e;
      e.time_ns = t;
      e.basis = kBasisExplicitOffset;
      sources[s].events.push_back(e);
    }
  }
  const Places places(sources);
  for (const Source& s : sources)
    for (uint32_t i = 0; i < s.events.size(); ++i) {
      const EventRef back = places.ref(places.of({i, s.id}));
      ASSERT_EQ(back.source, s.id);
      ASSERT_EQ(back.index, i);
    }
  for (unsigned threads : {1u, 2u}) expect_reference_order(sources, TimeWindow{}, threads);
  const Timeline t = Timeline::build(sources, TimeWindow{}, Executor(2));
  const OrderView order = t.order();
  const auto in_range = [&](int64_t lo, int64_t hi) {
    size_t n = 0;
    for (const EventRef r : order) n += t.event(r).time_ns >= lo && t.event(r).time_ns <= hi;
    return n;
  };
  for (const auto& [lo, hi] : std::vector<std::pair<int64_t, int64_t>>{{0, 10}, {500, 800}, {900, 900}, {-5, 1 << 30}}) {
    const OrderView r = t.range(lo, hi);
    EXPECT_EQ(r.size(), in_range(lo, hi)) << lo << ".." << hi;
    for (const EventRef ref : r) {
      EXPECT_GE(t.event(ref).time_ns, lo);
      EXPECT_LE(t.event(ref).time_ns, hi);
    }
  }
}

}  // namespace
}  // namespace hindcast
