// SWAR: eight bytes of a line at a time in a 64-bit word, for the short scans of a header (a
// tag's colon, a token's end) where a memchr call costs more than the scan.
//
//   const uint64_t w = swar::load8(p);
//   if (const uint64_t m = swar::has_byte(w, ':') | swar::has_byte(w, '=')) p += swar::first(m);
//
// has_byte flags the bytes equal to `b`; the lowest flag is exact, flags above it may not be
// (a borrow), so read masks with first() only.
#pragma once
#include <cstdint>
#include <cstring>

namespace hindcast::swar {

inline constexpr uint64_t kOnes = 0x0101010101010101ULL;
inline constexpr uint64_t kHighs = 0x8080808080808080ULL;

inline uint64_t load8(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline uint64_t has_zero(uint64_t v) { return (v - kOnes) & ~v & kHighs; }
inline uint64_t has_byte(uint64_t w, unsigned char b) { return has_zero(w ^ (kOnes * b)); }
// The index (0..7) of the lowest flagged byte of a non-zero mask.
inline int first(uint64_t mask) { return __builtin_ctzll(mask) >> 3; }

}  // namespace hindcast::swar
