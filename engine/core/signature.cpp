#include "engine/core/signature.h"

#include <cstring>

#include "engine/core/swar.h"

namespace hindcast {
namespace {

constexpr std::string_view kWildcard = "<*>";
constexpr int kSignatureTokens = 2;

}  // namespace

std::string_view mask_token(std::string_view t) {
  for (const char c : t)
    if ((c >= '0' && c <= '9') || c == '/' || c == '@' || c == '=') return kWildcard;
  if (t.size() >= 2 && (t.front() == '\'' || t.front() == '"' || t.front() == '[' || t.front() == '<' ||
                        t.front() == '{'))
    return kWildcard;
  return t;
}

namespace {

// SWAR: eight bytes at a time. has_zero() flags (exactly, for "any") the bytes that are zero.
using swar::has_byte;
using swar::kHighs;
using swar::kOnes;
using swar::load8;
constexpr uint64_t kPrime = 0x100000001b3ULL;
constexpr uint64_t kWildcardHash = 0x9e3779b97f4a7c15ULL;

// Bytes that end a token.
inline uint64_t separators(uint64_t w) { return has_byte(w, ' ') | has_byte(w, '\t'); }
// Whether a byte makes the token data: a digit, '/', '@' or '='.
inline uint64_t data_bytes(uint64_t w) {
  const uint64_t x = w ^ (kOnes * '0');
  return ((x - kOnes * 10) & ~x & kHighs) | has_byte(w, '/') | has_byte(w, '@') | has_byte(w, '=');
}
inline uint64_t mix(uint64_t h, uint64_t w) { return ((h ^ w) * kPrime) ^ (h >> 29); }

bool is_separator(char c) { return c == ' ' || c == '\t'; }
bool is_data(char c) { return (c >= '0' && c <= '9') || c == '/' || c == '@' || c == '='; }
bool opens_data(char c) { return c == '\'' || c == '"' || c == '[' || c == '<' || c == '{'; }

// One token from p: advances p past it, hashes its bytes and says whether it is data. Eight bytes
// at a time while a whole word fits before `end`, then byte by byte.
uint64_t token_hash(const char*& p, const char* end, bool* data) {
  uint64_t h = 14695981039346656037ULL;
  uint64_t flagged = 0;
  while (end - p >= 8) {
    uint64_t w = load8(p);
    const uint64_t sep = separators(w);
    if (sep) {
      const int k = __builtin_ctzll(sep) >> 3;  // bytes before the separator
      if (k == 0) break;
      w &= (uint64_t{1} << (8 * k)) - 1;
      flagged |= data_bytes(w) & ((uint64_t{1} << (8 * k)) - 1);
      h = mix(h, w ^ static_cast<uint64_t>(k));
      p += k;
      *data = flagged != 0;
      return h;
    }
    flagged |= data_bytes(w);
    h = mix(h, w);
    p += 8;
  }
  uint64_t tail = 0;
  int n = 0;
  for (; p < end && !is_separator(*p); ++p, ++n) {
    flagged |= is_data(*p);
    tail = (tail << 8) | static_cast<unsigned char>(*p);
    if (n == 7) {
      h = mix(h, tail);
      tail = 0;
      n = -1;
    }
  }
  h = mix(h, tail ^ (static_cast<uint64_t>(n) << 56));
  *data = flagged != 0;
  return h;
}

}  // namespace

// Called for every message line by the parsers: no allocation, eight bytes per step. A token that
// is data hashes as the wildcard, so the signature agrees with mask_token()'s masking. (The hash
// of a token depends on how it falls into words, which is the same for the same token.)
uint32_t message_signature(std::string_view writer, std::string_view message) {
  // The writer eight bytes a step too (a byte-at-a-time FNV was a chain of dependent multiplies:
  // a fifth of a syslog parse), its last bytes gathered into one word with its length.
  uint64_t h = 14695981039346656037ULL;
  const char* w = writer.data();
  size_t left = writer.size();
  for (; left >= 8; left -= 8, w += 8) h = mix(h, load8(w));
  uint64_t tail = static_cast<uint64_t>(left) << 56;
  for (size_t i = 0; i < left; ++i) tail |= static_cast<uint64_t>(static_cast<unsigned char>(w[i])) << (8 * i);
  h = (mix(h, tail) ^ 0x1f) * kPrime;
  const char* p = message.data();
  const char* const end = p + message.size();
  for (int n = 0; n < kSignatureTokens; ++n) {
    while (p < end && is_separator(*p)) ++p;
    if (p == end) break;
    const char* const start = p;
    bool data = false;
    const uint64_t th = token_hash(p, end, &data);
    if (p - start >= 2 && opens_data(*start)) data = true;
    h = (h ^ (data ? kWildcardHash : th)) * kPrime;
  }
  const auto s = static_cast<uint32_t>(h ^ (h >> 32));
  return s ? s : 1;
}

}  // namespace hindcast
