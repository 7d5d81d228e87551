// The time module: every timestamp reader on arbitrary text; whatever a reader accepts must be
// a representable instant that formats and reads back; the civil arithmetic round-trips.
#include "engine/core/time.h"
#include "engine/core/timestamps.h"
#include "fuzz/fuzz_support.h"

using namespace hindcast;

namespace {

void check_stamp(StampStatus status, const Stamp& st) {
  if (status != StampStatus::kOk) return;
  HINDCAST_FUZZ_CHECK(st.precision <= 9);
  if (st.shape == TimeShape::kAbsolute || st.shape == TimeShape::kLocalDateTime) {
    const int64_t lo = *checked_civil_ns(kMinYear, 1, 1, 0, 0, 0, 0) - int64_t{kMaxOffsetSeconds} * kNanosPerSecond;
    const int64_t hi = *checked_civil_ns(kMaxYear, 12, 31, 23, 59, 59, 0) + int64_t{kMaxOffsetSeconds} * kNanosPerSecond;
    HINDCAST_FUZZ_CHECK(st.value_ns >= lo && st.value_ns <= hi);
    const std::string text = format_rfc3339_utc(Instant{st.value_ns}, st.precision);
    Instant back;
    HINDCAST_FUZZ_CHECK(parse_rfc3339(text, &back));
    // The text keeps `precision` digits: equal up to the dropped ones.
    HINDCAST_FUZZ_CHECK(back.ns <= st.value_ns && st.value_ns - back.ns < kNanosPerSecond);
    (void)format_rfc3339_offset(Instant{st.value_ns}, st.precision, st.offset_seconds);
  }
  if (st.shape == TimeShape::kLocalTimeOfDay) HINDCAST_FUZZ_CHECK(st.value_ns >= 0 && st.value_ns <= kNanosPerDay + kNanosPerSecond);
}

template <class Reader>
void each_reader(std::string_view text, Reader&& read) {
  scan::Cursor c{text};
  Stamp st;
  const StampStatus status = read(c, &st);
  HINDCAST_FUZZ_CHECK(c.i <= text.size());
  check_stamp(status, st);
  if (status == StampStatus::kOk) {
    const StampStatus o = attach_offset(c, &st);
    check_stamp(o, st);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  each_reader(text, [](scan::Cursor& c, Stamp* st) { return read_iso8601(c, st); });
  each_reader(text, [](scan::Cursor& c, Stamp* st) { return read_iso8601(c, st, false); });
  each_reader(text, [](scan::Cursor& c, Stamp* st) { return read_clf(c, st); });
  each_reader(text, [](scan::Cursor& c, Stamp* st) { return read_ctime(c, st); });
  each_reader(text, [](scan::Cursor& c, Stamp* st) { return read_bsd(c, st); });
  each_reader(text, [](scan::Cursor& c, Stamp* st) { return read_time_of_day(c, st); });
  each_reader(text, [](scan::Cursor& c, Stamp* st) { return read_http_date(c, st); });
  Stamp st;
  check_stamp(read_epoch(text, &st), st);
  for (int64_t unit : {kNanosPerSecond, int64_t{1'000'000}, int64_t{1'000}, int64_t{1}})
    check_stamp(read_epoch_in(text, unit, &st), st);
  Instant t;
  if (parse_rfc3339(text, &t)) (void)format_rfc3339_utc(t, 9);
  size_t len = 0;
  if (read_month_name(text.data(), text.size(), &len)) HINDCAST_FUZZ_CHECK(len > 0 && len <= text.size());

  // Civil arithmetic: eight bytes as a day number inside the representable range round-trip.
  if (size >= 8) {
    int64_t raw;
    __builtin_memcpy(&raw, data, 8);
    const int64_t lo = days_from_civil(kMinYear, 1, 1), hi = days_from_civil(kMaxYear, 12, 31);
    const int64_t day = lo + static_cast<int64_t>(static_cast<uint64_t>(raw) % static_cast<uint64_t>(hi - lo + 1));
    const CivilDate d = civil_from_days(day);
    HINDCAST_FUZZ_CHECK(days_from_civil(d.year, d.month, d.day) == day);
    HINDCAST_FUZZ_CHECK(checked_civil_ns(d.year, d.month, d.day, 0, 0, 0, 0).has_value());
  }
  return 0;
}
