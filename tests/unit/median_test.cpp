// engine/core/median.h: the one median every pass uses (resolver anchors and skews, the dmesg
// boot anchor, latency and gap medians of the detectors, the chart's per-bucket latency).
#include "engine/core/median.h"

#include <gtest/gtest.h>

#include <vector>

namespace hindcast {
namespace {

TEST(Median, OddCountIsTheMiddleValue) {
  std::vector<int64_t> v{9, -3, 5, 1, 7};
  EXPECT_EQ(median(v), 5);
}

TEST(Median, EvenCountIsTheUpperMiddleValueNotAMean) {
  std::vector<int64_t> v{4, 1, 3, 2};
  EXPECT_EQ(median(v), 3);  // one of the values: a real gap, latency or offset
  std::vector<int64_t> two{10, 20};
  EXPECT_EQ(median(two), 20);
}

TEST(Median, OneValueDuplicatesAndNone) {
  std::vector<int64_t> one{42};
  EXPECT_EQ(median(one), 42);
  std::vector<int64_t> same{7, 7, 7, 1};
  EXPECT_EQ(median(same), 7);
  std::vector<int64_t> none;
  EXPECT_EQ(median(none), 0);
}

TEST(Median, ExtremesDoNotMoveIt) {
  std::vector<int64_t> v{INT64_MIN, 2, 3, INT64_MAX, 2};
  EXPECT_EQ(median(v), 2);
}

}  // namespace
}  // namespace hindcast
