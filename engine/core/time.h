// The one time type of hindcast: a UTC instant plus how it was resolved.
//
// Parsers see only what a line carries (maybe no year, no date, no zone). They record that as a
// TimeShape and a *partial* value; the resolver (engine/resolve) completes it into a UTC instant
// and records the evidence it used as TimeBasis bits. Nothing here depends on a time-zone
// database: the hot path uses the civil-calendar arithmetic below.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hindcast {

constexpr int64_t kNanosPerSecond = 1'000'000'000;
constexpr int64_t kNanosPerDay = 86'400 * kNanosPerSecond;

// What the timestamp of a line carried, as the parser saw it. Determines how the resolver reads
// the partial value stored in Event::time_ns.
enum class TimeShape : uint8_t {
  kNone,            // no timestamp (value unused)
  kAbsolute,        // an explicit offset or an epoch: value is already UTC ns
  kLocalDateTime,   // full local date and time, zone unknown: value is local wall clock as if UTC
  kLocalNoYear,     // month, day, time, no year: local wall clock in year kPlaceholderYear + 4k,
                    // where k counts Dec->Jan rollovers the parser saw inside the file (4k keeps
                    // every placeholder year a leap year, so Feb 29 survives)
  kLocalTimeOfDay,  // time of day only: value is day_index * 86400 s + time of day, where
                    // day_index counts midnight rollovers seen inside the file
  kRelative,        // strace -r: seconds since the previous line, value is the running sum
};

constexpr uint32_t shape_bit(TimeShape s) { return uint32_t{1} << static_cast<unsigned>(s); }

// A leap year, so Feb 29 in a year-less source is representable before the real year is known.
constexpr int kPlaceholderYear = 2000;

// How an instant was obtained. A bit set: a syslog line may have both its year and its offset
// inferred.
enum TimeBasis : uint16_t {
  kBasisNone = 0,
  kBasisExplicitOffset = 1 << 0,  // the line's own offset or epoch
  kBasisZoneOption = 1 << 1,      // --tz
  kBasisOffsetInferred = 1 << 2,  // offset from zone-aware sources of the same host
  kBasisAssumedUtc = 1 << 3,      // no clue at all: read as UTC (warned)
  kBasisYearInferred = 1 << 4,    // year from dated sources covering the same period
  kBasisYearOption = 1 << 5,      // --year
  kBasisYearFromMtime = 1 << 6,   // the file's modification time (warned)
  kBasisDateAnchored = 1 << 7,    // date from the other sources (strace -t/-tt)
  kBasisUnanchored = 1 << 8,      // relative times with no anchor: order only
};

// Nanoseconds since 1970-01-01T00:00:00Z.
struct Instant {
  int64_t ns = 0;
  friend constexpr auto operator<=>(Instant, Instant) = default;
};

struct ResolvedTime {
  Instant utc;
  uint16_t basis = kBasisNone;  // TimeBasis bits
  uint8_t precision = 0;        // digits of fractional seconds the source had: 0, 3, 6, 9
};

// Civil calendar (proleptic Gregorian), Howard Hinnant's algorithms; constexpr and branch-light
// because every parsed line goes through them.
constexpr int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct CivilDate {
  int64_t year;
  unsigned month;
  unsigned day;
};

constexpr CivilDate civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

// Days since the epoch of month/day in placeholder year kPlaceholderYear + 4k. Those years are
// all leap years (2000, 2004, ..., 2096), so this is a table lookup, not a calendar computation:
// the year-less syslog parser calls it for every line.
constexpr int64_t placeholder_days(int64_t k, unsigned month, unsigned day) {
  constexpr int kLeapCumulative[13] = {0, 0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335};
  return 10957 + 1461 * k + kLeapCumulative[month] + static_cast<int64_t>(day) - 1;  // 10957: 2000-01-01
}

constexpr bool is_leap_year(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// Wall-clock fields to ns "as if UTC" (the caller applies an offset or zone).
constexpr int64_t civil_to_ns(int64_t y, unsigned mo, unsigned d, unsigned h, unsigned mi,
                              unsigned s, int64_t frac_ns) {
  return (days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s) * kNanosPerSecond + frac_ns;
}

// The civil years an instant can have: int64 nanoseconds since 1970 hold 1677-09-21 to
// 2262-04-11; whole years inside that, so an offset of ±26 h can never overflow either.
constexpr int64_t kMinYear = 1678;
constexpr int64_t kMaxYear = 2261;

constexpr unsigned days_in_month(int64_t y, unsigned m) {
  constexpr unsigned kDays[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap_year(y) ? 29 : (m >= 1 && m <= 12 ? kDays[m] : 0);
}

// The checked constructor every stamp goes through: wall-clock fields to ns "as if UTC", or
// nullopt when a field is impossible (Feb 30, hour 24, minute 60; second 60 is a leap second and
// reads as the next minute's first) or the year is outside kMinYear..kMaxYear.
constexpr std::optional<int64_t> checked_civil_ns(int64_t y, unsigned mo, unsigned d, unsigned h, unsigned mi,
                                                  unsigned s, int64_t frac_ns) {
  if (y < kMinYear || y > kMaxYear || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
      mi > 59 || s > 60 || frac_ns < 0 || frac_ns >= kNanosPerSecond)
    return std::nullopt;
  return civil_to_ns(y, mo, d, h, mi, s, frac_ns);
}

// Offsets a clock can have: UTC-12 .. UTC+14, with margin.
constexpr int kMaxOffsetSeconds = 26 * 3600;

// The instants hindcast handles (years kMinYear..kMaxYear). A value computed from untrusted
// text (a running sum of -r deltas, a day count, an anchor plus a partial time) is checked
// against them before it is used as a time; add_saturated() keeps such sums from overflowing.
constexpr int64_t kMinInstantNs = civil_to_ns(kMinYear, 1, 1, 0, 0, 0, 0);
constexpr int64_t kMaxInstantNs = civil_to_ns(kMaxYear, 12, 31, 23, 59, 59, kNanosPerSecond - 1);
constexpr bool in_time_range(int64_t ns) { return ns >= kMinInstantNs && ns <= kMaxInstantNs; }
constexpr int64_t add_saturated(int64_t a, int64_t b) {
  int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) return b > 0 ? INT64_MAX : INT64_MIN;
  return r;
}

// RFC 3339 in UTC with 'Z' and `precision` fractional digits (0, 3, 6 or 9).
std::string format_rfc3339_utc(Instant t, int precision);
// The same wall clock shifted by `offset_seconds`, with the numeric offset (+09:00) appended.
std::string format_rfc3339_offset(Instant t, int precision, int offset_seconds);
// "+09:00" / "-04:00" / "+05:30".
std::string format_offset(int offset_seconds);
// Human-readable summary of basis bits: "explicit offset", "offset inferred, year inferred".
std::string describe_basis(uint16_t basis);
// Parses an RFC 3339 / ISO 8601 instant ("2023-11-03T13:00:43Z", "2023-11-03 13:00:43+02:00",
// "2023-11-03"). Used for --since/--until. Returns false when the text is not such an instant.
bool parse_rfc3339(std::string_view text, Instant* out);

}  // namespace hindcast
