#include "engine/findings/templates.h"

#include "engine/core/signature.h"

#include <algorithm>

namespace hindcast {
namespace {

constexpr std::string_view kWildcard = "<*>";
constexpr size_t kPrefixTokens = 2;   // tree depth below writer and length
constexpr double kJoinSimilarity = 0.5;
constexpr size_t kMaxTokens = 64;     // longer messages are compared on their first tokens

void split(std::string_view s, std::vector<std::string_view>& out) {
  out.clear();
  size_t i = 0;
  while (i < s.size() && out.size() < kMaxTokens) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    const size_t start = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
}

}  // namespace

uint32_t TemplateMiner::add(std::string_view writer, std::string_view message) {
  split(message, scratch_);
  for (auto& tok : scratch_) tok = mask_token(tok);
  std::string key(writer);
  key += '\x1f';
  key += std::to_string(scratch_.size());
  for (size_t k = 0; k < kPrefixTokens && k < scratch_.size(); ++k) {
    key += '\x1f';
    key += scratch_[k];
  }
  std::vector<uint32_t>& leaf = leaves_[key];
  // The most similar template of the leaf (ties: the oldest).
  uint32_t best = UINT32_MAX;
  double best_sim = -1;
  for (uint32_t id : leaf) {
    const Template& t = templates_[id];
    size_t same = 0;
    for (size_t k = 0; k < scratch_.size(); ++k) same += t.tokens[k] == scratch_[k] || t.tokens[k] == kWildcard;
    const double sim = scratch_.empty() ? 1.0 : static_cast<double>(same) / static_cast<double>(scratch_.size());
    if (sim > best_sim) {
      best_sim = sim;
      best = id;
    }
  }
  if (best != UINT32_MAX && best_sim >= kJoinSimilarity) {
    Template& t = templates_[best];
    for (size_t k = 0; k < scratch_.size(); ++k)
      if (t.tokens[k] != scratch_[k]) t.tokens[k] = std::string(kWildcard);
    return best;
  }
  Template t;
  t.writer = std::string(writer);
  t.tokens.assign(scratch_.begin(), scratch_.end());
  templates_.push_back(std::move(t));
  const auto id = static_cast<uint32_t>(templates_.size() - 1);
  leaf.push_back(id);
  return id;
}

std::string TemplateMiner::text(uint32_t id) const {
  std::string out;
  for (const std::string& tok : templates_[id].tokens) {
    if (!out.empty()) out += ' ';
    out += tok;
  }
  return out;
}

}  // namespace hindcast
