// Message templates: groups messages that differ only in their variable parts, Drain-style.
//
//   TemplateMiner miner;
//   uint32_t id = miner.add("postfix/smtpd", "connect from mail.example.org[192.0.2.7]");
//   miner.text(id);   // "connect from <*>"
//
// Each message is split into tokens at spaces; numbers, hex, addresses, paths, quoted strings
// and ids are masked before anything is compared (`mask_token`, engine/core/signature.h).
// Messages go down a fixed-depth tree (the writer, the token count, the first two unmasked
// tokens) to a short list of templates; the message joins the most similar template of that list
// when at least half of its tokens agree with the template's fixed tokens (a wildcard is not
// counted as agreement: a template that has become all wildcards must not swallow everything),
// else it founds a new one. One pass, no regular expression and no allocation per message, and
// deterministic for a given input order (the timeline's).
//
// Bounded: a leaf holds at most kMaxTemplatesPerLeaf templates; a message that fits none of a full
// leaf joins its most similar one (Drain3's max_children and max_clusters serve the same end), so a
// million distinct messages of one shape cost a bounded tree, not a quadratic search.
//
// This is Drain's design (He et al., ICWS 2017; logpai/logparser, drain3): good at grouping,
// cheap, and with "template created" as the signal an incident analysis wants: a template first
// seen at the onset is what a person would look at first.
//
// Not thread-safe: one miner per analysis.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace hindcast {

class TemplateMiner {
 public:
  // A cost bound (drain3's max_children, 100 by default): each message is compared with every
  // template of its leaf; a full leaf's newcomer joins its most similar template.
  static constexpr size_t kMaxTemplatesPerLeaf = 64;

  // The template id of `message` written by `writer` (a program, a module, a source: messages
  // of different writers never share a template).
  uint32_t add(std::string_view writer, std::string_view message);
  // The template's text, variable parts as <*>.
  std::string text(uint32_t id) const;
  const std::string& writer(uint32_t id) const { return templates_[id].writer; }
  size_t size() const { return templates_.size(); }

 private:
  struct Template {
    std::string writer;
    std::vector<std::string> tokens;  // "<*>" where the members differ
    uint64_t leaf = 0;
  };
  std::vector<Template> templates_;
  std::unordered_map<uint64_t, std::vector<uint32_t>> leaves_;  // hash of the tree path -> templates
  std::vector<std::string_view> scratch_;
};

}  // namespace hindcast
