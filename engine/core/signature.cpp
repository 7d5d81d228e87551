#include "engine/core/signature.h"

#include <cstddef>
#include <cstring>

#include "engine/core/swar.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

// A mask of the low min(n, 8) bytes of a word.
inline uint64_t low_bytes(size_t n) { return n >= 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * n)) - 1; }

// The bytes of [p, end), at most eight, in a word; bytes at or past `end` are zero. Padded: eight
// bytes are readable at p whatever `end` says (a parse window's padding), so none is copied one
// at a time.
template <bool Padded>
inline uint64_t load_upto8(const char* p, const char* end) {
  const std::ptrdiff_t rem = end - p;
  if (rem >= 8) return load8(p);
  if (rem <= 0) return 0;
  if constexpr (Padded) return load8(p) & ((uint64_t{1} << (8 * rem)) - 1);
  uint64_t w = 0;
  std::memcpy(&w, p, static_cast<size_t>(rem));
  return w;
}

// The hash of the n bytes at p. The first two words (a token or a writer is rarely longer) each
// by a multiply of its own, which the processor runs side by side; the length; then any further
// word in a chain. Two strings of up to 8 bytes never collide here (an odd multiply and an
// xorshift are bijections).
template <bool Padded>
uint64_t bytes_hash(const char* p, size_t n) {
  constexpr uint64_t kFirst = 0x9e3779b97f4a7c15ULL, kSecond = 0xc2b2ae3d27d4eb4fULL;
  if (n == 0) return 0;  // (an empty writer may be a null view: nothing is read)
  const char* const end = p + n;
  uint64_t a, b;
  if constexpr (Padded) {  // no branch on the length, which varies line by line
    a = load8(p) & low_bytes(n);
    b = load8(p + 8) & low_bytes(n > 8 ? n - 8 : 0);
  } else {
    a = load_upto8<false>(p, end);
    b = n > 8 ? load_upto8<false>(p + 8, end) : 0;
  }
  uint64_t h = (static_cast<uint64_t>(n) * kPrime) ^ (a * kFirst) ^ (b * kSecond);
  for (const char* w = p + 16; w < end; w += 8) h = mix(h, load_upto8<Padded>(w, end));
  return h ^ (h >> 29);
}

// A token: its length (to the first blank or `end`) and whether it is data (a digit, '/', '@' or
// '=' in it).
struct Token {
  size_t length = 0;
  bool data = false;
};

// Eight bytes a step, reading nothing at or past `end`.
Token scan_token(const char* p, const char* end) {
  Token t;
  uint64_t flagged = 0;
  for (; end - p >= 8; p += 8, t.length += 8) {
    const uint64_t w = load8(p);
    if (const uint64_t sep = separators(w)) {
      const int k = __builtin_ctzll(sep) >> 3;
      flagged |= data_bytes(w) & ((uint64_t{1} << (8 * k)) - 1);
      t.length += static_cast<size_t>(k);
      t.data = flagged != 0;
      return t;
    }
    flagged |= data_bytes(w);
  }
  for (; p < end && !is_separator(*p); ++p, ++t.length) flagged |= is_data(*p);
  t.data = flagged != 0;
  return t;
}

#ifdef __SSE2__
// Sixteen bytes a step from byte compares; 16 readable bytes must follow `end`.
Token scan_token_padded(const char* p, const char* end) {
  const __m128i space = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t'), zero = _mm_set1_epi8('0');
  const __m128i nine = _mm_set1_epi8(9), slash = _mm_set1_epi8('/'), at = _mm_set1_epi8('@');
  const __m128i equals = _mm_set1_epi8('=');
  Token t;
  uint32_t flagged = 0;
  for (;; p += 16, t.length += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i d = _mm_sub_epi8(v, zero);
    const __m128i data = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(d, nine), d), _mm_cmpeq_epi8(v, slash)),
                                      _mm_or_si128(_mm_cmpeq_epi8(v, at), _mm_cmpeq_epi8(v, equals)));
    uint32_t stop = static_cast<uint32_t>(_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, space), _mm_cmpeq_epi8(v, tab))));
    const std::ptrdiff_t rem = end - p;
    if (rem < 16) stop |= ~uint32_t{0} << rem;
    const auto bits = static_cast<uint32_t>(_mm_movemask_epi8(data));
    if (stop) {
      const int k = __builtin_ctz(stop);
      t.length += static_cast<size_t>(k);
      t.data = (flagged | (bits & ((uint32_t{1} << k) - 1))) != 0;
      return t;
    }
    flagged |= bits;
  }
}
#else
Token scan_token_padded(const char* p, const char* end) { return scan_token(p, end); }
#endif

// The writer's part of a signature.
template <bool Padded>
uint64_t writer_hash(std::string_view writer) {
  return (bytes_hash<Padded>(writer.data(), writer.size()) ^ 0x1f) * kPrime;
}
// One more token: a token that is data hashes as the wildcard, so the signature agrees with
// mask_token()'s masking.
template <bool Padded>
uint64_t add_token(uint64_t h, const char* p, size_t length, bool data) {
  data = data || (length >= 2 && opens_data(*p));
  const uint64_t token = bytes_hash<Padded>(p, length);  // then chosen without a branch
  return (h ^ (data ? kWildcardHash : token)) * kPrime;
}
uint32_t finish(uint64_t h) {
  const auto s = static_cast<uint32_t>(h ^ (h >> 32));
  return s ? s : 1;
}

template <bool Padded>
uint32_t signature(std::string_view writer, std::string_view message) {
  uint64_t h = writer_hash<Padded>(writer);
  const char* p = message.data();
  const char* const end = p + message.size();
  for (int n = 0; n < kSignatureTokens; ++n) {
    while (p < end && is_separator(*p)) ++p;
    if (p == end) break;
    const Token t = Padded ? scan_token_padded(p, end) : scan_token(p, end);
    h = add_token<Padded>(h, p, t.length, t.data);
    p += t.length;
  }
  return finish(h);
}

}  // namespace

// Called for every message line by the parsers: no allocation, eight bytes per step.
uint32_t message_signature(std::string_view writer, std::string_view message) {
  return signature<false>(writer, message);
}
uint32_t message_signature_padded(std::string_view writer, std::string_view message) {
  return signature<true>(writer, message);
}
uint32_t signature_of_tokens(std::string_view writer, const SignatureToken* tokens, int count) {
  uint64_t h = writer_hash<true>(writer);
  for (int i = 0; i < count && i < kSignatureTokens; ++i) h = add_token<true>(h, tokens[i].text.data(), tokens[i].text.size(), tokens[i].data);
  return finish(h);
}

}  // namespace hindcast
