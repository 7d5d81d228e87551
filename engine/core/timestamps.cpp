#include "engine/core/timestamps.h"

#include <cctype>

namespace hindcast {
namespace {

inline bool two_digits(const char* p, unsigned* v) {
  const unsigned a = static_cast<unsigned char>(p[0]) - '0', b = static_cast<unsigned char>(p[1]) - '0';
  *v = a * 10 + b;
  return a < 10 && b < 10;
}

// Exactly n digits into *out (no range check: the caller validates the whole date at once).
bool digits(scan::Cursor& c, int n, unsigned* out) { return c.digits(n, out); }

// One or two digits (a day written "3" or "03").
bool day_digits(scan::Cursor& c, unsigned* out) { return c.digits(2, out) || c.digits(1, out); }

// "hh:mm:ss[.frac]": the shape only; values are checked with the date. false = no match.
bool clock_fields(scan::Cursor& c, unsigned* h, unsigned* mi, unsigned* s, int64_t* frac, uint8_t* precision,
                  bool seconds_optional = false) {
  if (!digits(c, 2, h) || !c.skip(':') || !digits(c, 2, mi)) return false;
  *s = 0;
  if (!c.skip(':')) {
    if (!seconds_optional) return false;
  } else if (!digits(c, 2, s)) {
    return false;
  }
  *frac = 0;
  *precision = 0;
  if ((c.peek() == '.' || c.peek() == ',') && scan::is_digit(c.peek_at(1))) {
    c.advance();
    int nd = 0;
    c.fraction_ns(frac, &nd);
    *precision = static_cast<uint8_t>(nd);
  }
  return true;
}

// A numeric offset or UTC designator after the time: "Z", "+hh:mm", "+hhmm", "+hh", " UTC",
// " GMT". false: none there (cursor unchanged). *valid false: an offset out of range.
bool offset_after(scan::Cursor& c, Stamp* st, bool* valid) {
  *valid = true;
  if (c.peek() == 'Z' || c.peek() == 'z') {
    c.advance();
    st->has_offset = st->utc_designator = true;
    st->offset_seconds = 0;
    return true;
  }
  const char sign = c.peek();
  if (sign == '+' || sign == '-') {
    scan::Cursor p = c;
    p.advance();
    unsigned hh, mm = 0;
    if (!digits(p, 2, &hh)) return false;
    if (p.skip(':')) {
      if (!digits(p, 2, &mm)) return false;
    } else if (scan::is_digit(p.peek()) && !digits(p, 2, &mm)) {
      return false;
    }
    c = p;
    if (hh > 23 || mm > 59) *valid = false;
    const int v = static_cast<int>(hh * 3600 + mm * 60);
    st->offset_seconds = sign == '-' ? -v : v;
    st->has_offset = true;
    return true;
  }
  return false;
}

// checked_civil_ns with the thread's last valid date remembered: consecutive lines of a log
// nearly always share their date, and the day count is a chain of divisions. (A bool and an out
// parameter, not an optional: GCC copies an optional through the stack in two stores and one
// wider load, which stalls store forwarding on every line.)
bool civil_ns_of_dated(int64_t y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s, int64_t frac,
                       int64_t* ns) {
  thread_local int64_t last_y = 0, last_days = 0;
  thread_local unsigned last_mo = 0, last_d = 0;  // last_mo 0: nothing remembered
  if (y != last_y || mo != last_mo || d != last_d) {
    if (!checked_civil_ns(y, mo, d, 0, 0, 0, 0)) return false;
    last_y = y;
    last_mo = mo;
    last_d = d;
    last_days = days_from_civil(y, mo, d);
  }
  if (h > 23 || mi > 59 || s > 60 || frac < 0 || frac >= kNanosPerSecond) return false;
  *ns = (last_days * 86400 + h * 3600 + mi * 60 + s) * kNanosPerSecond + frac;
  return true;
}

StampStatus finish_dated(Stamp* st, int64_t y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s,
                         int64_t frac) {
  int64_t local;
  if (!civil_ns_of_dated(y, mo, d, h, mi, s, frac, &local)) return StampStatus::kInvalid;
  st->month = static_cast<uint8_t>(mo);
  st->day = static_cast<uint8_t>(d);
  if (st->has_offset) {
    st->shape = TimeShape::kAbsolute;
    st->value_ns = local - int64_t{st->offset_seconds} * kNanosPerSecond;
  } else {
    st->shape = TimeShape::kLocalDateTime;
    st->value_ns = local;
  }
  return StampStatus::kOk;
}

struct MonthName {
  std::string_view name;
  unsigned month;
};
// Abbreviations as glibc's %b writes them in common locales (lower-cased; compared without case
// for ASCII letters). Longer spellings first where one is a prefix of another.
constexpr MonthName kMonthNames[] = {
    {"janv.", 1}, {"janv", 1}, {"jan", 1}, {"ene", 1}, {"gen", 1},
    {"f\xc3\xa9vr.", 2}, {"f\xc3\xa9vr", 2}, {"feb", 2}, {"fev", 2},
    {"mars", 3}, {"m\xc3\xa4r", 3}, {"mar", 3}, {"mrt", 3},
    {"avr.", 4}, {"avril", 4}, {"avr", 4}, {"apr", 4}, {"abr", 4},
    {"may", 5}, {"mai", 5}, {"mag", 5}, {"mei", 5},
    {"juin", 6}, {"jun", 6}, {"giu", 6},
    {"juil.", 7}, {"juil", 7}, {"jul", 7}, {"lug", 7},
    {"ao\xc3\xbbt", 8}, {"aug", 8}, {"ago", 8},
    {"sept.", 9}, {"sept", 9}, {"sep", 9}, {"set", 9},
    {"oct.", 10}, {"oct", 10}, {"okt", 10}, {"ott", 10}, {"out", 10},
    {"nov.", 11}, {"nov", 11},
    {"d\xc3\xa9" "c.", 12}, {"d\xc3\xa9" "c", 12}, {"dec", 12}, {"dez", 12}, {"dic", 12},
};

bool equal_fold(const char* p, std::string_view name) {
  for (size_t i = 0; i < name.size(); ++i) {
    const auto a = static_cast<unsigned char>(p[i]);
    const auto b = static_cast<unsigned char>(name[i]);
    if (a == b) continue;
    if (a < 0x80 && std::tolower(a) == b) continue;
    return false;
  }
  return true;
}

}  // namespace

unsigned read_month_name(const char* p, size_t left, size_t* length) {
  if (left >= 3) {
    if (const unsigned m = scan::month_from_abbrev(p)) {  // the common case: English, as written
      *length = 3;
      return m;
    }
  }
  for (const MonthName& m : kMonthNames) {
    if (m.name.size() <= left && equal_fold(p, m.name)) {
      *length = m.name.size();
      return m.month;
    }
  }
  return 0;
}

StampStatus read_iso8601(scan::Cursor& c, Stamp* st, bool need_time) {
  *st = Stamp{};
  unsigned y, mo, d;
  if (!digits(c, 4, &y) || !c.skip('-') || !digits(c, 2, &mo) || !c.skip('-') || !digits(c, 2, &d))
    return StampStatus::kNoMatch;
  unsigned h = 0, mi = 0, s = 0;
  int64_t frac = 0;
  const char sep = c.peek();
  if ((sep == 'T' || sep == ' ' || sep == 't') && scan::is_digit(c.peek_at(1))) {
    c.advance();
    if (!clock_fields(c, &h, &mi, &s, &frac, &st->precision)) return StampStatus::kNoMatch;
  } else if (need_time) {
    return StampStatus::kNoMatch;
  }
  bool valid = true;
  if (!offset_after(c, st, &valid)) {
    // " UTC" / " GMT" after the time: a UTC designator too.
    if (c.peek() == ' ' && (c.s.substr(c.i + 1, 3) == "UTC" || c.s.substr(c.i + 1, 3) == "GMT") &&
        !std::isalpha(static_cast<unsigned char>(c.peek_at(4)))) {
      c.advance(4);
      st->has_offset = st->utc_designator = true;
    }
  }
  if (!valid) return StampStatus::kInvalid;
  return finish_dated(st, y, mo, d, h, mi, s, frac);
}

StampStatus attach_offset(scan::Cursor& c, Stamp* st) {
  if (st->shape != TimeShape::kLocalDateTime) return StampStatus::kNoMatch;
  Stamp with = *st;
  bool valid = true;
  scan::Cursor p = c;
  if (!offset_after(p, &with, &valid)) return StampStatus::kNoMatch;
  if (!valid) return StampStatus::kInvalid;
  c = p;
  with.shape = TimeShape::kAbsolute;
  with.value_ns = st->value_ns - int64_t{with.offset_seconds} * kNanosPerSecond;
  *st = with;
  return StampStatus::kOk;
}

namespace {

// "dd/Mmm/yyyy:hh:mm:ss ±hhmm" at fixed positions (Apache's %t), English month.
StampStatus read_clf_fixed(scan::Cursor& c, Stamp* st) {
  if (c.left() < 26) return StampStatus::kNoMatch;
  const char* p = c.s.data() + c.i;
  if (p[2] != '/' || p[6] != '/' || p[11] != ':' || p[14] != ':' || p[17] != ':' || p[20] != ' ' ||
      (p[21] != '+' && p[21] != '-'))
    return StampStatus::kNoMatch;
  const unsigned mo = scan::month_from_abbrev(p + 3);
  unsigned d, y, y2, h, mi, s, oh, om;
  if (!mo || !two_digits(p, &d) || !two_digits(p + 7, &y) || !two_digits(p + 9, &y2) || !two_digits(p + 12, &h) ||
      !two_digits(p + 15, &mi) || !two_digits(p + 18, &s) || !two_digits(p + 22, &oh) || !two_digits(p + 24, &om))
    return StampStatus::kNoMatch;
  if (oh > 23 || om > 59) return StampStatus::kInvalid;
  const int offset = static_cast<int>(oh * 3600 + om * 60);
  st->offset_seconds = p[21] == '-' ? -offset : offset;
  st->has_offset = true;
  c.advance(26);
  return finish_dated(st, y * 100 + y2, mo, d, h, mi, s, 0);
}

}  // namespace

StampStatus read_clf(scan::Cursor& c, Stamp* st) {
  *st = Stamp{};
  {
    scan::Cursor fast = c;
    const StampStatus f = read_clf_fixed(fast, st);
    if (f != StampStatus::kNoMatch) {
      c = fast;
      return f;
    }
    *st = Stamp{};
  }
  unsigned d, y, h, mi, s;
  size_t len = 0;
  if (!digits(c, 2, &d) || !c.skip('/')) return StampStatus::kNoMatch;
  const unsigned mo = read_month_name(c.s.data() + c.i, c.left(), &len);
  if (!mo) return StampStatus::kNoMatch;
  c.advance(len);
  int64_t frac;
  if (!c.skip('/') || !digits(c, 4, &y) || !(c.skip(':') || c.skip(' ')) ||
      !clock_fields(c, &h, &mi, &s, &frac, &st->precision))
    return StampStatus::kNoMatch;
  bool valid = true;
  if (c.peek() == ' ' && (c.peek_at(1) == '+' || c.peek_at(1) == '-')) {
    scan::Cursor p = c;
    p.advance();
    if (offset_after(p, st, &valid)) c = p;
  }
  if (!valid) return StampStatus::kInvalid;
  return finish_dated(st, y, mo, d, h, mi, s, frac);
}

namespace {

// "Www Mmm dd hh:mm:ss[.ffffff] yyyy" at fixed positions (Apache's error-log stamp), read
// without a cursor step per field; anything else takes the general path.
StampStatus read_ctime_fixed(scan::Cursor& c, Stamp* st) {
  if (c.left() < 24) return StampStatus::kNoMatch;
  const char* p = c.s.data() + c.i;
  if (p[3] != ' ' || p[7] != ' ' || p[10] != ' ' || p[13] != ':' || p[16] != ':' || !scan::is_weekday_abbrev(p))
    return StampStatus::kNoMatch;
  const unsigned mo = scan::month_from_abbrev(p + 4);
  unsigned d, h, mi, s;
  if (!mo || !(p[8] == ' ' ? (d = static_cast<unsigned char>(p[9]) - '0') < 10 : two_digits(p + 8, &d)) ||
      !two_digits(p + 11, &h) || !two_digits(p + 14, &mi) || !two_digits(p + 17, &s))
    return StampStatus::kNoMatch;
  size_t i = 19;
  int64_t frac = 0;
  uint8_t precision = 0;
  unsigned f1, f2, f3;
  if (c.left() >= 31 && p[19] == '.' && p[26] == ' ' && two_digits(p + 20, &f1) && two_digits(p + 22, &f2) &&
      two_digits(p + 24, &f3)) {  // Apache's microseconds, without a loop and its exit per line
    frac = (int64_t{f1} * 10000 + f2 * 100 + f3) * 1000;
    precision = 6;
    i = 26;
  } else if (p[i] == '.') {
    ++i;
    while (i < c.left() && scan::is_digit(p[i])) {
      if (precision < 9) {
        frac = frac * 10 + (p[i] - '0');
        ++precision;
      }
      ++i;
    }
    for (int k = precision; k < 9; ++k) frac *= 10;
  }
  unsigned y, y2;
  if (i + 5 > c.left() || p[i] != ' ' || !two_digits(p + i + 1, &y) || !two_digits(p + i + 3, &y2))
    return StampStatus::kNoMatch;
  c.advance(i + 5);
  st->precision = precision;
  return finish_dated(st, y * 100 + y2, mo, d, h, mi, s, frac);
}

}  // namespace

StampStatus read_ctime(scan::Cursor& c, Stamp* st) {
  *st = Stamp{};
  {
    scan::Cursor fast = c;
    const StampStatus f = read_ctime_fixed(fast, st);
    if (f != StampStatus::kNoMatch) {
      c = fast;
      return f;
    }
    *st = Stamp{};
  }
  if (c.left() < 4 || !scan::is_weekday_abbrev(c.s.data() + c.i)) return StampStatus::kNoMatch;
  c.advance(3);
  unsigned mo, d, y, h, mi, s;
  int64_t frac;
  if (!c.skip(' ') || !c.month(&mo) || !c.skip(' ')) return StampStatus::kNoMatch;
  if (c.peek() == ' ') c.advance();
  if (!day_digits(c, &d) || !c.skip(' ') || !clock_fields(c, &h, &mi, &s, &frac, &st->precision) || !c.skip(' ') ||
      !digits(c, 4, &y))
    return StampStatus::kNoMatch;
  return finish_dated(st, y, mo, d, h, mi, s, frac);
}

// "Mmm dd hh:mm:ss" at fixed positions: the layout nearly every BSD-syslog line has, read
// without a cursor step per field.
bool read_bsd_fixed(const char* p, size_t left, Stamp* st) {
  if (left < 15) return false;
  if (p[3] != ' ' || p[6] != ' ' || p[9] != ':' || p[12] != ':' || (left > 15 && p[15] == '.')) return false;
  const unsigned mo = scan::month_from_abbrev(p);
  unsigned d, h, mi, s;
  if (!mo || !(p[4] == ' ' ? (d = static_cast<unsigned char>(p[5]) - '0') < 10 : two_digits(p + 4, &d)) ||
      !two_digits(p + 7, &h) || !two_digits(p + 10, &mi) || !two_digits(p + 13, &s))
    return false;
  if (d < 1 || d > days_in_month(kPlaceholderYear, mo) || h > 23 || mi > 59 || s > 59) return false;
  *st = Stamp{};
  st->shape = TimeShape::kLocalNoYear;
  st->value_ns = placeholder_days(0, mo, d) * kNanosPerDay + (int64_t{h} * 3600 + mi * 60 + s) * kNanosPerSecond;
  st->month = static_cast<uint8_t>(mo);
  st->day = static_cast<uint8_t>(d);
  return true;
}

StampStatus read_bsd(scan::Cursor& c, Stamp* st) {
  if (read_bsd_fixed(c.s.data() + c.i, c.left(), st)) {
    c.advance(15);
    return StampStatus::kOk;
  }
  *st = Stamp{};
  size_t len = 0;
  const unsigned mo = read_month_name(c.s.data() + c.i, c.left(), &len);
  if (!mo) return StampStatus::kNoMatch;
  c.advance(len);
  unsigned d, h, mi, s;
  int64_t frac;
  if (!c.skip(' ')) return StampStatus::kNoMatch;
  if (c.peek() == ' ') c.advance();
  if (!day_digits(c, &d) || !c.skip(' ') || !clock_fields(c, &h, &mi, &s, &frac, &st->precision))
    return StampStatus::kNoMatch;
  // Feb 29 must survive until the year is known: the placeholder year is a leap year.
  std::optional<int64_t> local = checked_civil_ns(kPlaceholderYear, mo, d, h, mi, s, frac);
  if (!local) return StampStatus::kInvalid;
  // A leap second on Dec 31 would spill into the next placeholder year, which the year
  // resolution would read as January of the same year: it stays the last instant of the year.
  if (mo == 12 && d == 31 && s == 60) *local = *checked_civil_ns(kPlaceholderYear, 12, 31, 23, 59, 59, kNanosPerSecond - 1);
  st->shape = TimeShape::kLocalNoYear;
  st->value_ns = *local;
  st->month = static_cast<uint8_t>(mo);
  st->day = static_cast<uint8_t>(d);
  return StampStatus::kOk;
}

StampStatus read_time_of_day(scan::Cursor& c, Stamp* st) {
  *st = Stamp{};
  // strace -tt's "hh:mm:ss.ffffff": fixed positions first.
  if (c.left() >= 15) {
    const char* p = c.s.data() + c.i;
    unsigned h, mi, s;
    if (p[2] == ':' && p[5] == ':' && p[8] == '.' && two_digits(p, &h) && two_digits(p + 3, &mi) &&
        two_digits(p + 6, &s) && h <= 23 && mi <= 59 && s <= 60) {
      int64_t frac = 0;
      int n = 0;
      while (9 + n < static_cast<int>(c.left()) && scan::is_digit(p[9 + n]) && n < 9) frac = frac * 10 + (p[9 + n++] - '0');
      if (n == 6 && !(9 + n < static_cast<int>(c.left()) && scan::is_digit(p[9 + n]))) {
        st->shape = TimeShape::kLocalTimeOfDay;
        st->precision = 6;
        st->value_ns = (int64_t{h} * 3600 + mi * 60 + s) * kNanosPerSecond + frac * 1000;
        c.advance(15);
        return StampStatus::kOk;
      }
    }
  }
  unsigned h, mi, s;
  int64_t frac;
  if (!clock_fields(c, &h, &mi, &s, &frac, &st->precision)) return StampStatus::kNoMatch;
  if (h > 23 || mi > 59 || s > 60) return StampStatus::kInvalid;
  st->shape = TimeShape::kLocalTimeOfDay;
  st->value_ns = (int64_t{h} * 3600 + mi * 60 + s) * kNanosPerSecond + frac;
  return StampStatus::kOk;
}

namespace {
// ns of `whole` units of `unit_ns` plus `frac_ns` of a unit, or nullopt outside the range.
std::optional<int64_t> epoch_ns(uint64_t whole, int64_t unit_ns, int64_t frac_of_unit_ns) {
  const auto limit = static_cast<uint64_t>(INT64_MAX / unit_ns);
  if (whole >= limit) return std::nullopt;
  const int64_t base = static_cast<int64_t>(whole) * unit_ns;
  // The fraction is of one unit: scale ns-of-a-second to the unit.
  const int64_t extra = unit_ns == kNanosPerSecond ? frac_of_unit_ns : frac_of_unit_ns / (kNanosPerSecond / unit_ns);
  const int64_t t = base + extra;
  const int64_t lo = *checked_civil_ns(kMinYear, 1, 1, 0, 0, 0, 0);
  const int64_t hi = *checked_civil_ns(kMaxYear, 12, 31, 23, 59, 59, 0);
  if (t < lo || t > hi) return std::nullopt;
  return t;
}
}  // namespace

StampStatus read_epoch_in(std::string_view text, int64_t unit_ns, Stamp* st) {
  *st = Stamp{};
  scan::Cursor c{text};
  uint64_t whole;
  if (!c.number(&whole, 20)) return StampStatus::kNoMatch;
  int64_t frac = 0;
  int nd = 0;
  if (c.skip('.') && !c.fraction_ns(&frac, &nd)) return StampStatus::kNoMatch;
  if (!c.done()) return StampStatus::kNoMatch;
  const std::optional<int64_t> t = epoch_ns(whole, unit_ns, frac);
  if (!t) return StampStatus::kInvalid;
  st->shape = TimeShape::kAbsolute;
  st->value_ns = *t;
  st->has_offset = st->utc_designator = true;
  const int unit_digits = unit_ns == kNanosPerSecond ? 0 : unit_ns == 1'000'000 ? 3 : unit_ns == 1'000 ? 6 : 9;
  st->precision = static_cast<uint8_t>(std::min(9, unit_digits + nd));
  return StampStatus::kOk;
}

StampStatus read_epoch(std::string_view text, Stamp* st) {
  scan::Cursor c{text};
  uint64_t whole;
  if (!c.number(&whole, 20)) return StampStatus::kNoMatch;
  // Seconds up to 11 digits (year 5138), then ms, µs, ns by magnitude.
  const int64_t unit = whole < 100'000'000'000ULL           ? kNanosPerSecond
                       : whole < 100'000'000'000'000ULL     ? 1'000'000
                       : whole < 100'000'000'000'000'000ULL ? 1'000
                                                            : 1;
  return read_epoch_in(text, unit, st);
}

StampStatus read_http_date(scan::Cursor& c, Stamp* st) {
  *st = Stamp{};
  if (c.left() < 29 || !scan::is_weekday_abbrev(c.s.data() + c.i)) return StampStatus::kNoMatch;
  c.advance(3);
  unsigned d, mo, y, h, mi, s;
  int64_t frac;
  if (!c.skip(", ") || !digits(c, 2, &d) || !c.skip(' ') || !c.month(&mo) || !c.skip(' ') || !digits(c, 4, &y) ||
      !c.skip(' ') || !clock_fields(c, &h, &mi, &s, &frac, &st->precision) || !c.skip(" GMT"))
    return StampStatus::kNoMatch;
  st->has_offset = st->utc_designator = true;
  return finish_dated(st, y, mo, d, h, mi, s, frac);
}

StampStatus read_slash_date(scan::Cursor& c, Stamp* st) {
  *st = Stamp{};
  unsigned y, mo, d, h, mi, s;
  int64_t frac;
  if (!digits(c, 4, &y) || !c.skip('/') || !digits(c, 2, &mo) || !c.skip('/') || !digits(c, 2, &d) || !c.skip(' ') ||
      !clock_fields(c, &h, &mi, &s, &frac, &st->precision))
    return StampStatus::kNoMatch;
  return finish_dated(st, y, mo, d, h, mi, s, frac);
}

StampStatus read_day_month_year(scan::Cursor& c, Stamp* st) {
  *st = Stamp{};
  unsigned d, y, h, mi, s;
  int64_t frac;
  size_t len = 0;
  if (!digits(c, 2, &d) || !c.skip('-')) return StampStatus::kNoMatch;
  const unsigned mo = read_month_name(c.s.data() + c.i, c.left(), &len);
  if (!mo) return StampStatus::kNoMatch;
  c.advance(len);
  if (!c.skip('-') || !digits(c, 4, &y) || !c.skip(' ') || !clock_fields(c, &h, &mi, &s, &frac, &st->precision))
    return StampStatus::kNoMatch;
  return finish_dated(st, y, mo, d, h, mi, s, frac);
}

StampStatus read_yymmdd(scan::Cursor& c, Stamp* st) {
  *st = Stamp{};
  unsigned yy, mo, d, h, mi, s;
  if (!digits(c, 2, &yy) || !digits(c, 2, &mo) || !digits(c, 2, &d) || !c.skip(' ')) return StampStatus::kNoMatch;
  if (c.peek() == ' ') {  // " 9:00:00"
    c.advance();
    if (!digits(c, 1, &h)) return StampStatus::kNoMatch;
  } else if (!digits(c, 2, &h)) {
    return StampStatus::kNoMatch;
  }
  if (!c.skip(':') || !digits(c, 2, &mi) || !c.skip(':') || !digits(c, 2, &s)) return StampStatus::kNoMatch;
  return finish_dated(st, 2000 + yy, mo, d, h, mi, s, 0);
}

StampStatus read_since_boot(scan::Cursor& c, Stamp* st) {
  *st = Stamp{};
  if (!c.skip('[')) return StampStatus::kNoMatch;
  c.spaces();
  uint64_t whole;
  int64_t frac = 0;
  int nd = 0;
  if (!c.number(&whole, 12) || !c.skip('.') || !c.fraction_ns(&frac, &nd) || !c.skip(']')) return StampStatus::kNoMatch;
  if (whole > 100ULL * 365 * 86400) return StampStatus::kInvalid;  // a century of uptime
  st->shape = TimeShape::kRelative;
  st->value_ns = static_cast<int64_t>(whole) * kNanosPerSecond + frac;
  st->precision = static_cast<uint8_t>(nd);
  return StampStatus::kOk;
}

}  // namespace hindcast
