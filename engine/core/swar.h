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

// The number written by the n (1..8) digits at p, with 8 bytes readable at p; false when one of
// them is not a digit. No loop and no branch per digit (a pid's digit count varies line by line:
// a loop over them mispredicted its exit on most lines). The word parse is Lemire's, as in
// simdjson's parse_eight_digits_unrolled.
inline bool parse_digits(const char* p, size_t n, uint32_t* out) {
  const unsigned pad = 8 * (8 - static_cast<unsigned>(n));  // leading '0's fill the word
  const uint64_t w = (load8(p) << pad) | (0x3030303030303030ULL & ((uint64_t{1} << pad) - 1));
  if ((((w & 0xF0F0F0F0F0F0F0F0ULL) | (((w + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) >> 4))) !=
      0x3333333333333333ULL)
    return false;
  uint64_t v = w - 0x3030303030303030ULL;
  v = v * 10 + (v >> 8);
  v = (((v & 0x000000FF000000FFULL) * 0x000F424000000064ULL) +
       (((v >> 16) & 0x000000FF000000FFULL) * 0x0000271000000001ULL)) >> 32;
  *out = static_cast<uint32_t>(v);
  return true;
}

}  // namespace hindcast::swar
