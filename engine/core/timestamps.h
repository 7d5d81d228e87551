// Timestamp notations: one reader per notation, shared by every parser (the time module's text
// side; engine/core/time.h is its arithmetic side).
//
//   scan::Cursor c{line};
//   Stamp st;
//   switch (read_iso8601(c, &st)) {
//     case StampStatus::kOk:      use(st.shape, st.value_ns); break;
//     case StampStatus::kInvalid: skip("impossible time");    break;  // 2023-02-30, year 9999
//     case StampStatus::kNoMatch: /* not this notation */      break;
//   }
//
// Every reader validates the civil fields (month, day of that month, hour, minute, second up to
// a leap second 60) and the range int64 nanoseconds hold (years kMinYear..kMaxYear), so no parser
// multiplies an unchecked day count into an overflow. A reader that returns kNoMatch may have
// moved the cursor: the caller restores it. Readers allocate nothing.
//
// What a stamp says about zones is kept apart from the instant: `has_offset` means the text
// carried a numeric offset or a UTC designator; `utc_designator` means it was written as UTC
// ('Z', "UTC", "GMT", an epoch). Only offsets written as local time are evidence of a host's
// clock (see engine/resolve).
#pragma once
#include <cstdint>
#include <string_view>

#include "engine/core/scan.h"
#include "engine/core/time.h"

namespace hindcast {

enum class StampStatus : uint8_t {
  kNoMatch,  // the text is not in this notation
  kOk,
  kInvalid,  // the notation, but an impossible or unrepresentable time (a skipped line, never a crash)
};

struct Stamp {
  TimeShape shape = TimeShape::kNone;
  int64_t value_ns = 0;        // per shape: UTC (kAbsolute), local as if UTC (kLocalDateTime),
                               // placeholder-year local (kLocalNoYear), time of day (kLocalTimeOfDay)
  int offset_seconds = 0;      // the offset the text carried (kAbsolute)
  bool has_offset = false;
  bool utc_designator = false; // written as UTC: says nothing about the writer's local zone
  uint8_t precision = 0;       // fractional digits (0..9)
  uint8_t month = 0, day = 0;  // civil month and day, for year-less rollover counting
};

// 2023-11-03T09:00:45[.frac][Z|±hh[:mm]]; a space may replace 'T'; ',' may replace '.'. With
// `need_time` false a bare date is accepted (midnight). No offset: kLocalDateTime.
StampStatus read_iso8601(scan::Cursor& c, Stamp* out, bool need_time = true);
// Common Log Format without the brackets: 03/Nov/2023:09:00:03[.frac] -0400. The offset is
// optional and a space may replace the ':' after the year (Python's http.server writes
// "29/Aug/2023 22:02:58"): no offset gives kLocalDateTime.
StampStatus read_clf(scan::Cursor& c, Stamp* out);
// ctime / Apache error log: "Fri Nov 03 09:00:45.274165 2023" (day may be space-padded).
StampStatus read_ctime(scan::Cursor& c, Stamp* out);
// BSD syslog: "Nov  3 09:00:43[.frac]", no year: kLocalNoYear in kPlaceholderYear. Month names in
// English and in the common locales' abbreviations (fr, de, es, it, pt, nl).
StampStatus read_bsd(scan::Cursor& c, Stamp* out);
// Its common layout only, at p (left bytes readable): "Mmm dd hh:mm:ss" at fixed positions (the
// day space-padded or two digits, English month, no fraction, no leap second); *out is then what
// read_bsd gives and the stamp is 15 bytes long. False (*out untouched) for anything else.
bool read_bsd_fixed(const char* p, size_t left, Stamp* out);
// "09:00:45[.frac]" -> kLocalTimeOfDay.
StampStatus read_time_of_day(scan::Cursor& c, Stamp* out);
// An epoch of unknown unit written as digits[.digits]: seconds, ms, µs or ns by the magnitude
// of the integer part (integer arithmetic: ns stamps keep every digit). The whole text.
StampStatus read_epoch(std::string_view text, Stamp* out);
// An epoch in a known unit: `unit_ns` 1e9 (s), 1e6 (ms), 1e3 (µs).
StampStatus read_epoch_in(std::string_view text, int64_t unit_ns, Stamp* out);
// RFC 7231 IMF-fixdate "Fri, 03 Nov 2023 13:01:08 GMT" (HTTP Date headers).
StampStatus read_http_date(scan::Cursor& c, Stamp* out);

// nginx error log: "2024/01/05 10:00:00" -> kLocalDateTime.
StampStatus read_slash_date(scan::Cursor& c, Stamp* out);
// PHP and PHP-FPM: "05-Jan-2024 10:00:00[.frac]" -> kLocalDateTime.
StampStatus read_day_month_year(scan::Cursor& c, Stamp* out);
// MySQL before 5.7 / MariaDB before 10.1.4: "240105 10:00:00" or "240105  9:00:00" (two-digit
// year, 2000-2099; space-padded hour) -> kLocalDateTime.
StampStatus read_yymmdd(scan::Cursor& c, Stamp* out);
// dmesg's "[12345.678901]" (seconds since boot, brackets and padding included) -> kRelative with
// the seconds since boot as value; the caller anchors it on a boot time.
StampStatus read_since_boot(scan::Cursor& c, Stamp* out);

// An offset or UTC designator at the cursor ("Z", "+0100", "-04:00") applied to a local stamp
// (kLocalDateTime becomes kAbsolute). kNoMatch leaves the cursor and the stamp unchanged.
StampStatus attach_offset(scan::Cursor& c, Stamp* st);

// A month name or abbreviation at p (up to `left` bytes): 1..12 and its length, or 0.
unsigned read_month_name(const char* p, size_t left, size_t* length);

}  // namespace hindcast
