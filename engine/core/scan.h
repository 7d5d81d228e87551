// Small, allocation-free scanning primitives shared by the hand-written parsers.
//
//   scan::Cursor c{line};
//   unsigned day;
//   if (c.digits(2, &day) && c.skip('/')) ...
//
// Every function either consumes what it matched and returns true, or leaves the cursor where
// it was (or at an unspecified position inside the failed token, for the caller to abandon) and
// returns false. No function reads past the end of the view.
#pragma once
#include <cstdint>
#include <string_view>

namespace hindcast::scan {

inline bool is_digit(char c) { return static_cast<unsigned char>(c - '0') < 10; }
inline bool is_space(char c) { return c == ' ' || c == '\t'; }

// "Jan".."Dec" -> 1..12; 0 when not a month abbreviation. Case-sensitive as logs write them.
inline unsigned month_from_abbrev(const char* p) {
  switch (p[0]) {
    case 'J': return p[1] == 'a' ? (p[2] == 'n' ? 1 : 0) : (p[1] == 'u' ? (p[2] == 'n' ? 6 : p[2] == 'l' ? 7 : 0) : 0);
    case 'F': return p[1] == 'e' && p[2] == 'b' ? 2 : 0;
    case 'M': return p[1] == 'a' ? (p[2] == 'r' ? 3 : p[2] == 'y' ? 5 : 0) : 0;
    case 'A': return p[1] == 'p' && p[2] == 'r' ? 4 : (p[1] == 'u' && p[2] == 'g' ? 8 : 0);
    case 'S': return p[1] == 'e' && p[2] == 'p' ? 9 : 0;
    case 'O': return p[1] == 'c' && p[2] == 't' ? 10 : 0;
    case 'N': return p[1] == 'o' && p[2] == 'v' ? 11 : 0;
    case 'D': return p[1] == 'e' && p[2] == 'c' ? 12 : 0;
    default: return 0;
  }
}

inline bool is_weekday_abbrev(const char* p) {
  switch (p[0]) {
    case 'M': return p[1] == 'o' && p[2] == 'n';
    case 'T': return (p[1] == 'u' && p[2] == 'e') || (p[1] == 'h' && p[2] == 'u');
    case 'W': return p[1] == 'e' && p[2] == 'd';
    case 'F': return p[1] == 'r' && p[2] == 'i';
    case 'S': return (p[1] == 'a' && p[2] == 't') || (p[1] == 'u' && p[2] == 'n');
    default: return false;
  }
}

struct Cursor {
  std::string_view s;
  size_t i = 0;

  bool done() const { return i >= s.size(); }
  size_t left() const { return s.size() - i; }
  char peek() const { return i < s.size() ? s[i] : '\0'; }
  char peek_at(size_t k) const { return i + k < s.size() ? s[i + k] : '\0'; }
  void advance(size_t n = 1) { i += n; }
  std::string_view rest() const { return i < s.size() ? s.substr(i) : std::string_view{}; }

  bool skip(char c) {
    if (i < s.size() && s[i] == c) { ++i; return true; }
    return false;
  }
  bool skip(std::string_view lit) {
    if (s.substr(i, lit.size()) == lit) { i += lit.size(); return true; }
    return false;
  }
  // One or more spaces/tabs.
  bool spaces() {
    const size_t start = i;
    while (i < s.size() && is_space(s[i])) ++i;
    return i > start;
  }
  // Exactly n digits.
  bool digits(int n, unsigned* out) {
    if (left() < static_cast<size_t>(n)) return false;
    unsigned v = 0;
    for (int k = 0; k < n; ++k) {
      const char c = s[i + k];
      if (!is_digit(c)) return false;
      v = v * 10 + static_cast<unsigned>(c - '0');
    }
    i += n;
    *out = v;
    return true;
  }
  // 1..max_len digits.
  bool number(uint64_t* out, int max_len = 19) {
    size_t k = 0;
    uint64_t v = 0;
    while (i + k < s.size() && is_digit(s[i + k]) && k < static_cast<size_t>(max_len)) {
      v = v * 10 + static_cast<unsigned>(s[i + k] - '0');
      ++k;
    }
    if (k == 0) return false;
    i += k;
    *out = v;
    return true;
  }
  // Fractional digits after the separator, scaled to ns (extra digits beyond 9 are ignored).
  bool fraction_ns(int64_t* ns, int* ndigits) {
    int64_t v = 0;
    int n = 0;
    while (i < s.size() && is_digit(s[i])) {
      if (n < 9) v = v * 10 + (s[i] - '0');
      ++n;
      ++i;
    }
    if (n == 0) return false;
    for (int k = n; k < 9; ++k) v *= 10;
    *ns = v;
    *ndigits = n > 9 ? 9 : n;
    return true;
  }
  // "Z", "+hh:mm", "+hhmm", "+hh", "-..."; seconds east of UTC.
  bool zone_offset(int* seconds) {
    if (skip('Z') || skip('z')) { *seconds = 0; return true; }
    const char sign = peek();
    if (sign != '+' && sign != '-') return false;
    ++i;
    unsigned hh, mm = 0;
    if (!digits(2, &hh)) return false;
    if (skip(':')) {
      if (!digits(2, &mm)) return false;
    } else if (is_digit(peek())) {
      if (!digits(2, &mm)) return false;
    }
    if (hh > 23 || mm > 59) return false;
    const int v = static_cast<int>(hh * 3600 + mm * 60);
    *seconds = sign == '-' ? -v : v;
    return true;
  }
  // "Jan".."Dec".
  bool month(unsigned* out) {
    if (left() < 3) return false;
    const unsigned m = month_from_abbrev(s.data() + i);
    if (m == 0) return false;
    i += 3;
    *out = m;
    return true;
  }
  // "hh:mm:ss" with an optional ".fraction"; ns since midnight, and the fraction's digit count.
  bool time_of_day(int64_t* ns, int* precision) {
    unsigned h, m, sec;
    if (!digits(2, &h) || !skip(':') || !digits(2, &m) || !skip(':') || !digits(2, &sec)) return false;
    if (h > 23 || m > 59 || sec > 60) return false;
    int64_t frac = 0;
    int nd = 0;
    if (peek() == '.' && is_digit(peek_at(1))) {
      ++i;
      fraction_ns(&frac, &nd);
    }
    *ns = (int64_t{h} * 3600 + m * 60 + sec) * 1'000'000'000 + frac;
    *precision = nd;
    return true;
  }
  // Up to (not including) c; false if c does not occur.
  bool until(char c, std::string_view* out) {
    const size_t p = s.find(c, i);
    if (p == std::string_view::npos) return false;
    *out = s.substr(i, p - i);
    i = p;
    return true;
  }
  // A run of non-space characters.
  std::string_view token() {
    const size_t start = i;
    while (i < s.size() && !is_space(s[i])) ++i;
    return s.substr(start, i - start);
  }
};

}  // namespace hindcast::scan
