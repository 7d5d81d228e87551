// The parser interface: bytes of one source in, fixed-size Events out.
//
// A parser sees one line at a time and answers with a LineVerdict; parse_lines() below is the
// one driver that splits the text into lines, numbers them, attaches continuation lines to the
// record above and counts every skipped line with its reason. Parsers never allocate per line
// and never resolve time: they store what the line carries (see TimeShape) and the resolver
// completes it with the evidence of the other sources.
//
// Thread-safety: a Parser object is immutable after construction and may be shared; the
// per-file state lives in the LineParser each parse() creates.
#pragma once
#include <cstring>
#include <string_view>

#include "engine/core/source.h"

namespace hindcast {

enum class LineVerdict {
  kEvent,         // `event` was filled
  kContinuation,  // the line belongs to the record above (indented or unstamped continuation)
  kSkip,          // not a record: `reason` says why
};

class Parser {
 public:
  virtual ~Parser() = default;
  // The format name used in reports: "apache-access", "strace", ...
  virtual std::string_view format() const = 0;
  // Whether one line looks like a record of this format (format detection).
  virtual bool matches(std::string_view line) const = 0;
  // Higher = more specific; breaks ties in detection so specific formats beat generic ones.
  virtual int specificity() const = 0;
  // Parses all of source.text into source.events / source.skips, in file order.
  virtual void parse(Source& source) const = 0;
};

// Calls `fn(line_number, offset, line)` for every line of `text` (without the '\n' or a
// trailing '\r'), including a last line with no final newline.
template <class Fn>
void for_each_line(std::string_view text, Fn&& fn) {
  size_t pos = 0;
  uint32_t number = 0;
  while (pos < text.size()) {
    const void* nl = std::memchr(text.data() + pos, '\n', text.size() - pos);
    const size_t end = nl ? static_cast<size_t>(static_cast<const char*>(nl) - text.data()) : text.size();
    size_t len = end - pos;
    if (len > 0 && text[pos + len - 1] == '\r') --len;
    fn(++number, pos, text.substr(pos, len));
    pos = end + 1;
  }
}

// The one driver. `LineParser` has:
//   LineVerdict parse(std::string_view line, Event& event, const char** reason);
// `event` arrives with source, line, offset and length set.
template <class LineParser>
void parse_lines(Source& src, LineParser& lp) {
  src.events.reserve(src.text.size / 128 + 16);
  for_each_line(src.text.view(), [&](uint32_t number, size_t offset, std::string_view line) {
    ++src.lines;
    if (line.empty()) {
      src.skip_line("blank line", number, line);
      return;
    }
    Event e;
    e.source = src.id;
    e.line = number;
    e.offset = offset;
    e.length = line.size() < kMaxRecordLength ? line.size() : kMaxRecordLength;
    const char* reason = "unrecognised line";  // the parser names a better one
    switch (lp.parse(line, e, &reason)) {
      case LineVerdict::kEvent:
        src.events.push_back(e);
        break;
      case LineVerdict::kContinuation:
        if (src.events.empty()) {
          src.skip_line(reason, number, line);
        } else {
          Event& prev = src.events.back();
          const uint64_t end = offset + line.size();
          const uint64_t len = end - prev.offset;
          prev.length = len < kMaxRecordLength ? len : kMaxRecordLength;
          prev.flags |= kFlagMultiLine;
          ++src.continuation_lines;
        }
        break;
      case LineVerdict::kSkip:
        src.skip_line(reason, number, line);
        break;
    }
  });
}

}  // namespace hindcast
