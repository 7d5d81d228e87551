#include "engine/findings/templates.h"

#include "engine/core/signature.h"

#include <algorithm>
#include <cstring>

#include "parsers/parser.h"

namespace hindcast {
namespace {

// Where a template's members differ. Not "<*>", which is what masking makes of a data token in
// the message itself: two masked tokens in one place agree; a place the members disagree on agrees
// with nothing (else a template of wildcards would swallow every message of its length).
constexpr std::string_view kWildcard = "\x1f*";
// Tree depth below writer and length: drain3's default tree (depth 4: root, length, two tokens).
constexpr size_t kPrefixTokens = 2;
// Chosen, not derived: a message joins a template when at least half its tokens agree (drain3's
// default is 0.4; the Drain paper tunes it per data set): lower merges messages that mean
// different things, higher splits one message's variants.
constexpr double kJoinSimilarity = 0.5;
// A cost bound: longer messages are compared on their first tokens only.
constexpr size_t kMaxTokens = 64;

// The blanks (' ', '\t') among p[0, n), n <= 64, as bits; the bits from n on are set (the end of
// the message is a blank).
uint64_t blank_mask(const char* p, size_t n) {
  char tail[64];
  if (n < 64) {
    std::memset(tail, ' ', sizeof tail);
    std::memcpy(tail, p, n);
    p = tail;
  }
  return byte_mask64(p, ' ') | byte_mask64(p, '\t');
}

// The tokens of s: its runs of characters other than blanks, the first kMaxTokens of them. Read
// 64 bytes a step, from where the blank mask changes (a token begins or ends), not byte by byte.
void split(std::string_view s, std::vector<std::string_view>& out) {
  out.clear();
  const char* p = s.data();
  const size_t n = s.size();
  bool in_token = false;
  size_t start = 0;
  for (size_t base = 0; base < n; base += 64) {
    const uint64_t blank = blank_mask(p + base, std::min<size_t>(64, n - base));
    const uint64_t blank_before = blank << 1 | (in_token ? 0 : 1);  // whether the byte before each is blank
    uint64_t edges = blank ^ blank_before;  // a token begins, or one ends
    while (edges) {
      const size_t at = base + static_cast<size_t>(__builtin_ctzll(edges));
      edges &= edges - 1;
      if (!in_token) {
        start = at;
        in_token = true;
        continue;
      }
      out.push_back(s.substr(start, at - start));
      in_token = false;
      if (out.size() == kMaxTokens) return;
    }
  }
  if (in_token) out.push_back(s.substr(start));
}

// FNV-1a over the tree path: writer, token count, the first tokens (masked).
uint64_t leaf_key(std::string_view writer, const std::vector<std::string_view>& tokens) {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&](std::string_view s) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    h = (h ^ 0x1f) * 1099511628211ull;
  };
  mix(writer);
  const size_t n = tokens.size();
  h = (h ^ n) * 1099511628211ull;
  for (size_t k = 0; k < kPrefixTokens && k < n; ++k) mix(tokens[k]);
  return h;
}

}  // namespace

uint32_t TemplateMiner::add(std::string_view writer, std::string_view message) {
  split(message, scratch_);
  for (auto& tok : scratch_) tok = mask_token(tok);
  const uint64_t key = leaf_key(writer, scratch_);
  std::vector<uint32_t>& leaf = leaves_[key];
  // The most similar template of the leaf (ties: the oldest). A leaf's templates share the
  // writer, the length and the first tokens unless two paths hash alike: those are skipped.
  uint32_t best = UINT32_MAX;
  double best_sim = -1;
  for (uint32_t id : leaf) {
    const Template& t = templates_[id];
    if (t.tokens.size() != scratch_.size() || t.writer != writer) continue;
    size_t same = 0;
    for (size_t k = 0; k < scratch_.size(); ++k) same += t.tokens[k] == scratch_[k];
    const double sim = scratch_.empty() ? 1.0 : static_cast<double>(same) / static_cast<double>(scratch_.size());
    if (sim > best_sim) {
      best_sim = sim;
      best = id;
    }
  }
  if (best != UINT32_MAX && (best_sim >= kJoinSimilarity || leaf.size() >= kMaxTemplatesPerLeaf)) {
    Template& t = templates_[best];
    for (size_t k = 0; k < scratch_.size(); ++k)
      if (t.tokens[k] != scratch_[k] && t.tokens[k] != kWildcard) t.tokens[k] = std::string(kWildcard);
    return best;
  }
  Template t;
  t.writer = std::string(writer);
  t.tokens.assign(scratch_.begin(), scratch_.end());
  t.leaf = key;
  templates_.push_back(std::move(t));
  const auto id = static_cast<uint32_t>(templates_.size() - 1);
  leaf.push_back(id);
  return id;
}

std::string TemplateMiner::text(uint32_t id) const {
  std::string out;
  for (const std::string& tok : templates_[id].tokens) {
    if (!out.empty()) out += ' ';
    out += tok == kWildcard ? std::string_view("<*>") : std::string_view(tok);
  }
  return out;
}

}  // namespace hindcast
