// Helpers shared by the libFuzzer harnesses (fuzz/README in docs/robustness.md): a Source made
// from the fuzzer's bytes, the checks every parse must pass, and a splitter that turns one input
// into several files.
#pragma once
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/source.h"
#include "parsers/parser.h"

namespace hindcast::fuzz {

// Aborts with a message (libFuzzer reports the input): the harnesses' assertion.
#define HINDCAST_FUZZ_CHECK(cond)                                                     \
  do {                                                                                \
    if (!(cond)) {                                                                    \
      __builtin_fprintf(stderr, "fuzz check failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                                   \
    }                                                                                 \
  } while (0)

inline Source source_of(std::string_view text, uint16_t id = 0, std::string path = "fuzz.log") {
  Source s;
  s.id = id;
  s.path = std::move(path);
  s.text = SourceText::copy_of(text);
  s.mtime_ns = 1'700'000'000LL * 1'000'000'000LL;
  return s;
}

// What every parse of `s` must satisfy: each line is an event, a continuation or a counted
// skip; every record lies inside the text; every skip has a reason.
inline void check_parsed(const Source& s) {
  uint64_t counted = 0;
  for (const SkipRecord& k : s.skips) {
    HINDCAST_FUZZ_CHECK(!k.reason.empty());
    counted += k.count;
  }
  HINDCAST_FUZZ_CHECK(counted == s.skipped);
  HINDCAST_FUZZ_CHECK(s.events.size() + s.continuation_lines + s.skipped >= s.lines);
  for (const Event& e : s.events) {
    HINDCAST_FUZZ_CHECK(e.offset + e.length <= s.text.size);
    const uint32_t line = s.line_of(e);
    HINDCAST_FUZZ_CHECK(line >= 1 && line <= s.lines);
  }
}

// Splits the input into up to `max_parts` files at "\n====\n" separators.
inline std::vector<std::string_view> split_files(std::string_view data, size_t max_parts) {
  std::vector<std::string_view> parts;
  constexpr std::string_view kSeparator = "\n====\n";
  while (parts.size() + 1 < max_parts) {
    const size_t k = data.find(kSeparator);
    if (k == std::string_view::npos) break;
    parts.push_back(data.substr(0, k + 1));
    data.remove_prefix(k + kSeparator.size());
  }
  parts.push_back(data);
  return parts;
}

}  // namespace hindcast::fuzz
