// The scan statistic on series whose answer is known by construction: a step, two bursts, a
// silence, and stationary noise that must not be taken for an incident.
#include <gtest/gtest.h>

#include <random>

#include "engine/findings/scan.h"

namespace hindcast {
namespace {

// Requests per bucket `per_bucket`, failing with probability `p` outside [a, b] and `q` inside.
CountSeries requests(size_t buckets, uint32_t per_bucket, double p, double q, size_t a, size_t b, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  CountSeries s = CountSeries::binomial(buckets);
  for (size_t t = 0; t < buckets; ++t)
    for (uint32_t k = 0; k < per_bucket; ++k) s.add(t, u(rng) < (t >= a && t <= b ? q : p));
  return s;
}

TEST(Scan, AStepInTheFailureRateIsFoundWhereItIs) {
  const CountSeries s = requests(3600, 12, 0.01, 0.30, 1000, 1069, 1);
  const std::vector<Segment> seg = scan_segments(s, Direction::kExcess, 1);
  ASSERT_EQ(seg.size(), 1u);
  EXPECT_NEAR(static_cast<double>(seg[0].first), 1000, 2);
  EXPECT_NEAR(static_cast<double>(seg[0].last), 1069, 2);
  EXPECT_LT(seg[0].p_value, 1e-20);
  EXPECT_NEAR(seg[0].rate_in(), 0.30, 0.05);
  EXPECT_NEAR(seg[0].rate_out(), 0.01, 0.005);
}

// The partial outage: about 5 % of all requests fail for a minute where 0.01 % usually do.
// No share floor: it is as plain as a total outage.
TEST(Scan, AFewPercentFailingWhereAlmostNothingDoesIsSignificant) {
  const CountSeries s = requests(7200, 20, 0.0001, 0.05, 4000, 4059, 2);
  const std::vector<Segment> seg = scan_segments(s, Direction::kExcess, 1);
  ASSERT_EQ(seg.size(), 1u);
  EXPECT_LT(seg[0].p_value, 1e-6);
  EXPECT_GE(seg[0].first, 3990u);
  EXPECT_LE(seg[0].last, 4070u);
}

TEST(Scan, StationaryNoiseIsNotAnIncident) {
  for (uint32_t seed = 10; seed < 20; ++seed) {
    const CountSeries s = requests(3600, 12, 0.13, 0.13, 0, 0, seed);  // ordinary 404s all day
    const std::vector<Segment> seg = scan_segments(s, Direction::kExcess, 1);
    if (seg.empty()) continue;
    EXPECT_GT(seg[0].p_value, 0.01) << "seed " << seed << ": [" << seg[0].first << ", " << seg[0].last << "]";
  }
}

TEST(Scan, TwoBurstsAreTwoSegmentsEachAgainstTheQuietTime) {
  CountSeries s = requests(4000, 10, 0.005, 0.5, 500, 560, 3);
  const CountSeries second = requests(4000, 10, 0.005, 0.5, 3000, 3030, 4);
  for (size_t t = 2900; t < 3100; ++t) {  // the second burst's stretch from the other draw
    s.x[t] = second.x[t];
    s.n[t] = second.n[t];
  }
  const std::vector<Segment> seg = scan_segments(s, Direction::kExcess, 3);
  ASSERT_GE(seg.size(), 2u);
  EXPECT_NEAR(static_cast<double>(seg[0].first), 500, 2);
  EXPECT_NEAR(static_cast<double>(seg[1].first), 3000, 2);
  EXPECT_LT(seg[1].p_value, 1e-10);
  // The second segment's background excludes the first burst.
  EXPECT_LT(seg[1].rate_out(), 0.01);
  if (seg.size() > 2) {
    EXPECT_GT(seg[2].p_value, 0.01);
  }
}

TEST(Scan, ASilenceIsADeficitOfArrivals) {
  std::mt19937 rng(5);
  std::poisson_distribution<uint32_t> arrivals(5.0);
  CountSeries s = CountSeries::poisson(1800);
  for (size_t t = 0; t < s.size(); ++t) s.x[t] = (t >= 900 && t < 930) ? 0 : arrivals(rng);
  const std::vector<Segment> seg = scan_segments(s, Direction::kDeficit, 1);
  ASSERT_EQ(seg.size(), 1u);
  EXPECT_EQ(seg[0].x_in, 0);
  EXPECT_NEAR(static_cast<double>(seg[0].first), 900, 1);
  EXPECT_NEAR(static_cast<double>(seg[0].last), 929, 1);
  EXPECT_LT(seg[0].p_value, 1e-20);
}

TEST(Scan, ScatteredDeathsAtASteadyRateAreNoBurstButABunchIs) {
  CountSeries steady = CountSeries::poisson(86400);
  for (size_t t = 0; t < steady.size(); t += 600) steady.x[t] = 1;  // one death every ten minutes
  const std::vector<Segment> none = scan_segments(steady, Direction::kExcess, 1);
  ASSERT_FALSE(none.empty());
  EXPECT_GT(none[0].p_value, 0.01);
  CountSeries bunch = steady;
  for (size_t t = 40000; t < 40060; t += 2) bunch.x[t] = 1;  // 30 deaths in a minute
  const std::vector<Segment> seg = scan_segments(bunch, Direction::kExcess, 1);
  ASSERT_EQ(seg.size(), 1u);
  EXPECT_LT(seg[0].p_value, 1e-10);
  EXPECT_NEAR(static_cast<double>(seg[0].first), 40000, 1);
  EXPECT_NEAR(static_cast<double>(seg[0].last), 40058, 1);
}

TEST(Scan, TheStatisticIsKulldorffsAndOneSided) {
  CountSeries s = CountSeries::binomial(3);
  s.x = {1, 8, 1};
  s.n = {10, 10, 10};
  Segment seg;
  const double llr = segment_llr(s, Direction::kExcess, 1, 1, &seg);
  // 8/10 inside, 2/20 outside, 10/30 overall.
  const double expect = 8 * std::log(0.8) + 2 * std::log(0.2) + 2 * std::log(0.1) + 18 * std::log(0.9) -
                        (10 * std::log(1.0 / 3) + 20 * std::log(2.0 / 3));
  EXPECT_NEAR(llr, expect, 1e-9);
  EXPECT_EQ(segment_llr(s, Direction::kDeficit, 1, 1), 0.0);
}

TEST(Scan, BenjaminiHochbergKeepsTheStepUpCutoff) {
  // m = 5, q = 0.05: thresholds 0.01 0.02 0.03 0.04 0.05; p_(3) = 0.025 <= 0.03 is the last one.
  const std::vector<bool> d = benjamini_hochberg({0.001, 0.2, 0.025, 0.015, 0.9}, 0.05);
  EXPECT_EQ(d, (std::vector<bool>{true, false, true, true, false}));
}

}  // namespace
}  // namespace hindcast
