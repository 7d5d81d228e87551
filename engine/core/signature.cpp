#include "engine/core/signature.h"

namespace hindcast {
namespace {

constexpr std::string_view kWildcard = "<*>";
constexpr int kSignatureTokens = 3;

uint64_t fnv1a(uint64_t h, std::string_view s) {
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace

std::string_view mask_token(std::string_view t) {
  for (const char c : t)
    if ((c >= '0' && c <= '9') || c == '/' || c == '@' || c == '=') return kWildcard;
  if (t.size() >= 2 && (t.front() == '\'' || t.front() == '"' || t.front() == '[' || t.front() == '<' ||
                        t.front() == '{'))
    return kWildcard;
  return t;
}

uint32_t message_signature(std::string_view writer, std::string_view message) {
  uint64_t h = fnv1a(14695981039346656037ULL, writer);
  h = fnv1a(h, "\x1f");
  size_t i = 0;
  for (int n = 0; n < kSignatureTokens && i < message.size(); ++n) {
    while (i < message.size() && (message[i] == ' ' || message[i] == '\t')) ++i;
    const size_t start = i;
    while (i < message.size() && message[i] != ' ' && message[i] != '\t') ++i;
    if (i == start) break;
    h = fnv1a(h, mask_token(message.substr(start, i - start)));
    h = fnv1a(h, "\x1f");
  }
  const auto s = static_cast<uint32_t>(h ^ (h >> 32));
  return s ? s : 1;
}

}  // namespace hindcast
