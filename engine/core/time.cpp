#include "engine/core/time.h"

#include <cstdio>

#include "engine/core/timestamps.h"

namespace hindcast {
namespace {

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

std::string format_wall(int64_t ns, int precision) {
  const int64_t secs = floor_div(ns, kNanosPerSecond);
  const int64_t frac = ns - secs * kNanosPerSecond;
  const int64_t days = floor_div(secs, 86400);
  const int64_t sod = secs - days * 86400;
  const CivilDate d = civil_from_days(days);
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld",
                        static_cast<long long>(d.year), d.month, d.day,
                        static_cast<long long>(sod / 3600), static_cast<long long>(sod / 60 % 60),
                        static_cast<long long>(sod % 60));
  if (precision > 0) {
    int64_t f = frac;
    for (int i = precision; i < 9; ++i) f /= 10;
    n += std::snprintf(buf + n, sizeof buf - n, ".%0*lld", precision, static_cast<long long>(f));
  }
  return std::string(buf, n);
}

}  // namespace

std::string format_offset(int offset_seconds) {
  const char sign = offset_seconds < 0 ? '-' : '+';
  const int a = offset_seconds < 0 ? -offset_seconds : offset_seconds;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", sign, a / 3600, a / 60 % 60);
  return buf;
}

std::string format_rfc3339_utc(Instant t, int precision) { return format_wall(t.ns, precision) + "Z"; }

std::string format_rfc3339_offset(Instant t, int precision, int offset_seconds) {
  return format_wall(t.ns + int64_t{offset_seconds} * kNanosPerSecond, precision) +
         format_offset(offset_seconds);
}

std::string describe_basis(uint16_t basis) {
  static constexpr struct {
    uint16_t bit;
    const char* text;
  } kNames[] = {
      {kBasisExplicitOffset, "explicit offset"}, {kBasisZoneOption, "zone from --tz"},
      {kBasisOffsetInferred, "offset inferred"}, {kBasisAssumedUtc, "assumed UTC"},
      {kBasisYearInferred, "year inferred"},     {kBasisYearOption, "year from --year"},
      {kBasisYearFromMtime, "year from file mtime"}, {kBasisDateAnchored, "date anchored"},
      {kBasisUnanchored, "unanchored (relative)"},
  };
  std::string out;
  for (const auto& n : kNames) {
    if (basis & n.bit) {
      if (!out.empty()) out += ", ";
      out += n.text;
    }
  }
  return out.empty() ? "none" : out;
}

bool parse_rfc3339(std::string_view s, Instant* out) {
  scan::Cursor c{s};
  Stamp st;
  if (read_iso8601(c, &st, /*need_time=*/false) != StampStatus::kOk || !c.done()) return false;
  out->ns = st.value_ns;  // a stamp without offset is read as UTC
  return true;
}

}  // namespace hindcast
