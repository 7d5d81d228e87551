#include <gtest/gtest.h>

#include "engine/core/time.h"

namespace hindcast {
namespace {

TEST(Time, CivilRoundTrip) {
  for (int64_t d : {-719468LL, -1LL, 0LL, 11016LL, 19664LL, 20729LL, 2932896LL}) {
    const CivilDate c = civil_from_days(d);
    EXPECT_EQ(days_from_civil(c.year, c.month, c.day), d);
  }
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(2000, 2, 29) + 1, days_from_civil(2000, 3, 1));
  EXPECT_TRUE(is_leap_year(2000));
  EXPECT_FALSE(is_leap_year(2100));
}

TEST(Time, Rfc3339FormatKeepsSourcePrecision) {
  const Instant t{civil_to_ns(2023, 11, 3, 13, 1, 8, 267592000)};
  EXPECT_EQ(format_rfc3339_utc(t, 0), "2023-11-03T13:01:08Z");
  EXPECT_EQ(format_rfc3339_utc(t, 6), "2023-11-03T13:01:08.267592Z");
  EXPECT_EQ(format_rfc3339_utc(t, 9), "2023-11-03T13:01:08.267592000Z");
  EXPECT_EQ(format_rfc3339_offset(t, 0, -4 * 3600), "2023-11-03T09:01:08-04:00");
  EXPECT_EQ(format_offset(5 * 3600 + 1800), "+05:30");
  EXPECT_EQ(format_rfc3339_utc(Instant{-1}, 9), "1969-12-31T23:59:59.999999999Z");
}

TEST(Time, Rfc3339Parse) {
  Instant t;
  ASSERT_TRUE(parse_rfc3339("2023-11-03T13:00:43.260863183Z", &t));
  EXPECT_EQ(t.ns, civil_to_ns(2023, 11, 3, 13, 0, 43, 260863183));
  ASSERT_TRUE(parse_rfc3339("2026-10-04T03:00:00+11:00", &t));
  EXPECT_EQ(t.ns, civil_to_ns(2026, 10, 3, 16, 0, 0, 0));
  ASSERT_TRUE(parse_rfc3339("2026-10-04", &t));
  EXPECT_FALSE(parse_rfc3339("yesterday", &t));
  EXPECT_FALSE(parse_rfc3339("2026-13-04", &t));
}

TEST(Time, DescribeBasis) {
  EXPECT_EQ(describe_basis(kBasisExplicitOffset), "explicit offset");
  EXPECT_EQ(describe_basis(kBasisOffsetInferred | kBasisYearInferred), "offset inferred, year inferred");
}

}  // namespace
}  // namespace hindcast

namespace hindcast {
namespace {
TEST(Time, PlaceholderDaysMatchTheCalendar) {
  for (int k = 0; k < 20; ++k)
    for (unsigned m = 1; m <= 12; ++m)
      for (unsigned d : {1u, 15u, 28u})
        EXPECT_EQ(placeholder_days(k, m, d), days_from_civil(kPlaceholderYear + 4 * k, m, d)) << k << " " << m << " " << d;
  EXPECT_EQ(placeholder_days(0, 2, 29), days_from_civil(2000, 2, 29));
}
}  // namespace
}  // namespace hindcast
