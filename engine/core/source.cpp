#include "engine/core/source.h"

#include <algorithm>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace hindcast {

SourceText SourceText::copy_of(std::string_view text) {
  char* p = new char[text.size() + kPadding]();
  if (!text.empty()) std::memcpy(p, text.data(), text.size());
  return SourceText{std::shared_ptr<const char>(p, std::default_delete<const char[]>()), text.size()};
}

std::pair<const Event*, const Event*> Source::anchored_ends() const {
  const auto anchored = [](const Event& e) { return !(e.basis & kBasisUnanchored); };
  const auto first = std::find_if(events.begin(), events.end(), anchored);
  if (first == events.end()) return {nullptr, nullptr};
  const auto last = std::find_if(events.rbegin(), events.rend(), anchored);
  return {&*first, &*last};
}

uint64_t count_newlines(const char* p, size_t n) {
  uint64_t newlines = 0;
  size_t i = 0;
#ifdef __SSE2__
  // 16 bytes a step: compare with '\n', subtract the all-ones result into byte counters (up to
  // 255 steps before they could wrap), then sum them with SAD. A few instructions per 16 bytes:
  // the first pass over a file's pages runs at memory speed.
  const __m128i nl = _mm_set1_epi8('\n');
  while (i + 16 <= n) {
    __m128i counts = _mm_setzero_si128();
    const size_t steps = std::min<size_t>(255, (n - i) / 16);
    for (size_t k = 0; k < steps; ++k, i += 16) {
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      counts = _mm_sub_epi8(counts, _mm_cmpeq_epi8(bytes, nl));
    }
    const __m128i sums = _mm_sad_epu8(counts, _mm_setzero_si128());
    newlines += static_cast<uint64_t>(_mm_cvtsi128_si64(sums)) + static_cast<uint64_t>(_mm_extract_epi16(sums, 4));
  }
#endif
  for (; i < n; ++i) newlines += p[i] == '\n';
  return newlines;
}

uint32_t Source::line_at(uint64_t offset) const {
  offset = std::min<uint64_t>(offset, text.size);
  LineMark from{0, 1};  // no mark before it: count from the start
  const auto after = std::upper_bound(line_marks.begin(), line_marks.end(), offset,
                                      [](uint64_t o, const LineMark& m) { return o < m.offset; });
  if (after != line_marks.begin()) from = *(after - 1);
  return from.line + static_cast<uint32_t>(count_newlines(text.view().data() + from.offset, offset - from.offset));
}

uint32_t LineCursor::line_of(const Event& e) {
  // Forward and near: count on from the last one. Anything else: from the nearest mark.
  constexpr uint64_t kNear = uint64_t{1} << 16;  // beyond that, a mark is nearer (on average)
  if (line_ != 0 && e.offset >= offset_ && e.offset - offset_ <= kNear) {
    line_ += static_cast<uint32_t>(count_newlines(source_->text.view().data() + offset_, e.offset - offset_));
  } else {
    line_ = source_->line_at(e.offset);
  }
  offset_ = e.offset;
  return line_;
}

}  // namespace hindcast
