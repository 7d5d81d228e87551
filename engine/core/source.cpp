#include "engine/core/source.h"

namespace hindcast {

void Source::skip_line(std::string_view reason, uint32_t line, std::string_view text) {
  ++skipped;
  for (auto& s : skips) {
    if (s.reason == reason) {
      ++s.count;
      return;
    }
  }
  constexpr size_t kMaxExample = 200;
  skips.push_back({std::string(reason), 1, line, std::string(text.substr(0, kMaxExample))});
}

}  // namespace hindcast
