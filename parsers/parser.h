// The parser interface: bytes of one source in, fixed-size Events out.
//
// A parser sees one line at a time and answers with a LineVerdict; parse_lines() below is the
// one driver that splits text into lines, numbers them, attaches continuation lines to the
// record above and counts every skipped line with its reason. Parsers never allocate per line
// and never resolve time: they store what the line carries (see TimeShape) and the resolver
// completes it with the evidence of the other sources.
//
// Large files are parsed in chunks, in parallel: parse_chunk() handles a byte range cut at line
// boundaries, assemble_chunks() concatenates the chunks in order and lets the parser stitch what
// crosses a border (a continuation line, a year or day rollover, an strace call resumed in the
// next chunk). One chunk is the single-threaded path, so both give the same events.
//
//   Source s = ...;                  // text read, format sniffed
//   parser.parse(s);                 // all of it, one chunk
//
// Thread-safety: a Parser object is immutable after construction and may be shared; the state of
// one parse lives in the LineParser each parse_chunk() creates.
#pragma once
#include <cstring>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/core/memory.h"
#include "engine/core/record.h"
#include "engine/core/source.h"
#include "engine/core/timestamps.h"
#include "parsers/text_windows.h"

namespace hindcast {

enum class LineVerdict {
  kEvent,         // `event` was filled
  kContinuation,  // the line belongs to the record above (indented or unstamped continuation)
  kSkip,          // not a record: `reason` says why
};

// State that crosses chunk borders, left by a chunk's parse for its format's stitch(). A format
// with any derives its own in its .cpp (syslog's year rollovers, strace's midnights and unfinished
// calls), and only its own parser reads it: no format's fields are anyone else's business.
struct ChunkCarry {
  virtual ~ChunkCarry() = default;
};

// Where a chunk's parse writes its events: straight into its slot of the source's final array
// (parse into final positions: no copy when the chunks are put together), or, when it has no slot
// or outgrows it (records framed several to a line), into a vector of its own.
class EventSink {
 public:
  EventSink() = default;
  EventSink(Event* slot, size_t capacity) : slot_(slot), capacity_(capacity) {}
  EventSink(EventSink&&) = default;
  EventSink& operator=(EventSink&&) = default;

  void reserve(size_t n) {
    if (!slot_) own_.reserve(n);
  }
  void push_back(const Event& e) {
    if (slot_ && size_ < capacity_) {
      write_fresh(slot_ + size_++, e);  // the slot is fresh memory: see engine/core/memory.h
      return;
    }
    if (slot_) spill();
    own_.push_back(e);
  }
  size_t size() const { return slot_ ? size_ : own_.size(); }
  bool empty() const { return size() == 0; }
  Event* data() { return slot_ ? slot_ : own_.data(); }
  const Event* data() const { return slot_ ? slot_ : own_.data(); }
  Event& operator[](size_t i) { return data()[i]; }
  Event& back() { return data()[size() - 1]; }
  Event* begin() { return data(); }
  Event* end() { return data() + size(); }
  // Maps the slot's pages before the parse writes them (see populate_for_write).
  void populate() {
    if (slot_) populate_for_write(slot_, capacity_ * sizeof(Event));
  }
  // Written in place (into the slot it was given)?
  bool in_slot() const { return slot_ != nullptr; }
  EventArray& own() { return own_; }

 private:
  void spill() {
    own_.assign(slot_, slot_ + size_);
    slot_ = nullptr;
    size_ = 0;
  }
  Event* slot_ = nullptr;
  size_t capacity_ = 0;
  size_t size_ = 0;
  EventArray own_;
};

struct ParsedChunk {
  uint32_t line_base = 0;       // lines before the chunk in its file: its line n is line_base + n
  bool placed = false;          // given a slot of source.events by place_chunks
  EventSink events;
  std::vector<SkipRecord> skips;  // first_line as in the file
  uint64_t lines = 0, continuation_lines = 0, skipped = 0;
  uint64_t nul_bytes = 0;  // NULs skipped at the start of lines (Source::nul_bytes_skipped)
  uint32_t kinds = 0;   // the kinds of the events parsed, as bits (see Source::kinds)
  uint32_t shapes = 0;  // and their timestamps' shapes (Source::shapes)
  uint32_t flags = 0;   // and their flags, OR-ed (Source::event_flags)
  std::vector<LineMark> marks;  // Source::line_marks of the chunk: its first record's, then every
  uint32_t next_mark = 0;       // kLineMarkSpacing lines or so
  // Continuation lines before the chunk's first record: they belong to the record the previous
  // chunk ended with (in the first chunk: skipped, with the reason and first example below).
  uint32_t leading = 0;
  uint64_t leading_end = 0;  // byte offset where the last of them ends
  uint32_t leading_first_line = 0;
  std::string leading_first_text;
  std::string leading_reason;
  std::unique_ptr<ChunkCarry> carry;  // null: the format carries nothing across chunks
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
  // Whether a line that is no record of this format can be the next line of the record above
  // (a stack trace, a message with a raw newline): detection then does not count such lines
  // against the format once one of its records came first (parsers/registry.h).
  virtual bool takes_continuations() const { return false; }
  // Files of this format that carry their writer's pid in the name (strace -ff: PREFIX.<pid>).
  virtual bool pid_in_file_name() const { return false; }
  // Parses source.text[begin, end) (cut at line boundaries) into `out`.
  virtual void parse_chunk(const Source& source, size_t begin, size_t end, ParsedChunk& out) const = 0;
  // Fixes what crosses chunk borders once the chunks' events are concatenated in source.events
  // (chunk k's events start at first_event[k]). Default: nothing crosses.
  virtual void stitch(Source&, const std::vector<ParsedChunk>&, const std::vector<size_t>&) const {}
  // Decodes one record's text (its first line; for embedded text, the text itself) into the
  // fields this format has. Where and when (source, line, time, host) are filled by
  // decode_record(). False when the text is not a record of this format.
  virtual bool decode(const Source& source, std::string_view text, Record& out) const = 0;
  // All of source.text, as one chunk: the single-threaded path.
  void parse(Source& source) const;
};

// The record behind `event` of `source`, decoded by the source's own parser.
bool decode_record(const Source& source, const Event& event, Record* out);
// The same from the record's first line as already read (see RecordReader): `line` is
// source.line_text(event), with SourceText::kPadding readable bytes after it.
bool decode_record(const Source& source, const Event& event, std::string_view line, Record* out);

// Event fields from a stamp: shape, value, precision, and the offset when it was written as
// local time (a UTC designator is flagged instead: it says nothing about the writer's zone).
inline void apply_stamp(const Stamp& st, Event& e) {
  e.shape = st.shape;
  e.time_ns = st.value_ns;
  e.precision = st.precision;
  if (st.has_offset) {
    if (st.utc_designator) e.flags |= kFlagUtcStamp;
    else e.offset_minutes = static_cast<int16_t>(st.offset_seconds / 60);
  }
}

// The skip reason of a line whose stamp has the notation but impossible fields.
inline constexpr const char* kImpossibleTime = "impossible time (out of range or invalid date)";
// The skip reason of a line of NUL bytes only.
inline constexpr const char* kNulBytesOnly = "NUL bytes only";

// Byte ranges of about `chunk_bytes` each, cut just after a '\n'.
std::vector<std::pair<size_t, size_t>> split_chunks(std::string_view text, size_t chunk_bytes);
// Lines in text[begin, end): the final '\n'-less line counts.
uint32_t count_lines(std::string_view text, size_t begin, size_t end);
// Parse into final positions: gives each chunk of one file (in file order, `lines[k]` = count_lines
// of chunk k's range) its slot of source.events, sized to its line count, and its first line
// number. Call before parse_chunk; assemble_chunks then closes up the slots' unused room.
void place_chunks(Source& source, std::vector<ParsedChunk>& chunks, const std::vector<uint32_t>& lines);
// Puts parsed chunks (in file order) together into source.events / lines / skips and stitches.
// Chunks that parsed into their slots of source.events (sized beforehand: see ingest) are closed
// up in place; others are appended (unplaced chunks number their lines from 1: several of them
// are for tests of one chunk's parse, not for a file).
void assemble_chunks(const Parser& parser, Source& source, std::vector<ParsedChunk>&& chunks);

// Bit i set where p[i] == c, for the 64 bytes at p (SSE2: four compares, four movemasks).
inline uint64_t byte_mask64(const char* p, char c) {
#ifdef __SSE2__
  const __m128i v = _mm_set1_epi8(c);
  uint64_t m = 0;
  for (int k = 0; k < 4; ++k) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    m |= static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, v)))) << (16 * k);
  }
  return m;
#else
  uint64_t m = 0;
  for (int k = 0; k < 64; ++k) m |= static_cast<uint64_t>(p[k] == c) << k;
  return m;
#endif
}

// Calls `fn(line_number, offset, line, marked)` for every line of `text` (without the '\n' or a
// trailing '\r'), including a last line with no final newline. `marked` is false only when the
// line has no byte `Mark` (with Mark 0: always true): a parser that must search a line for a byte
// (syslog's next "<PRI>") learns from the split's own scan whether there is one.
// Lines are found 64 bytes a step from bit masks, not with a memchr call per line: log lines are
// short, and the call and its set-up cost more than the scan.
template <char Mark, class Fn>
void for_each_line_marked(std::string_view text, Fn&& fn) {
  const char* const p = text.data();
  const size_t n = text.size();
  size_t pos = 0;
  uint32_t number = 0;
  auto emit = [&](size_t end, bool marked) {
    size_t len = end - pos;
    if (len > 0 && p[end - 1] == '\r') --len;
    fn(++number, pos, text.substr(pos, len), marked);
    pos = end + 1;
  };
  size_t block = 0;
  bool pending = false;  // Mark seen in the current line's part in earlier blocks
  for (; block + 64 <= n; block += 64) {
    uint64_t marks = Mark ? byte_mask64(p + block, Mark) : 0;
    for (uint64_t m = byte_mask64(p + block, '\n'); m; m &= m - 1) {
      const int bit = __builtin_ctzll(m);
      const uint64_t below = (uint64_t{1} << bit) - 1;
      emit(block + static_cast<size_t>(bit), !Mark || pending || (marks & below) != 0);
      marks &= ~below & ~(uint64_t{1} << bit);
      pending = false;
    }
    pending = pending || marks != 0;
  }
  // The tail (under 64 bytes, and no padding is assumed after `text`): memchr; `marked` stays
  // true, which only costs the parser its own search.
  size_t from = block;  // no newline between pos and block
  while (pos < n) {       // (emit moves pos past the line)
    const void* nl = std::memchr(p + from, '\n', n - from);
    emit(nl ? static_cast<size_t>(static_cast<const char*>(nl) - p) : n, true);
    from = pos;
  }
}

// Calls `fn(line_number, offset, line)` for every line of `text` (see for_each_line_marked).
template <class Fn>
void for_each_line(std::string_view text, Fn&& fn) {
  for_each_line_marked<'\0'>(text, [&](uint32_t number, size_t offset, std::string_view line, bool) {
    fn(number, offset, line);
  });
}

void note_skip(std::vector<SkipRecord>& skips, std::string_view reason, uint32_t line, std::string_view text);

// One record of parse_lines() below: `line` (not empty) starts at byte `offset` of the source.
template <class LineParser>
void parse_record(LineParser& lp, ParsedChunk& out, uint32_t number, size_t offset,
                  std::string_view line) {
  number += out.line_base;
  if (number >= out.next_mark) {
    out.marks.push_back({offset, number});
    out.next_mark = number + kLineMarkSpacing;
  }
  if constexpr (requires { lp.at_line(number); }) lp.at_line(number);
  Event e;
  e.offset = offset;
  e.length = line.size() < kMaxRecordLength ? line.size() : kMaxRecordLength;
  const char* reason = "unrecognised line";  // the parser names a better one
  switch (lp.parse(line, e, &reason)) {
    case LineVerdict::kEvent:
      out.events.push_back(e);
      out.kinds |= kind_bit(e.kind);
      out.shapes |= shape_bit(e.shape);
      out.flags |= e.flags;
      break;
    case LineVerdict::kContinuation:
      if (out.events.empty()) {
        if (out.leading++ == 0) {
          out.leading_first_line = number;
          out.leading_first_text = std::string(line.substr(0, 200));
          out.leading_reason = reason;
        }
        out.leading_end = offset + line.size();
      } else {
        Event& prev = out.events.back();
        const uint64_t len = offset + line.size() - prev.offset;
        prev.length = len < kMaxRecordLength ? len : kMaxRecordLength;
        prev.flags |= kFlagMultiLine;
        out.flags |= kFlagMultiLine;
        ++out.continuation_lines;
      }
      break;
    case LineVerdict::kSkip:
      ++out.skipped;
      note_skip(out.skips, reason, number, line);
      break;
  }
}

// The one driver. `LineParser` has:
//   LineVerdict parse(std::string_view line, Event& event, const char** reason);
// `event` arrives with offset and length set. A LineParser that needs the line's number (to
// cite one record from another) has `void at_line(uint32_t number)`, called before parse. A LineParser may also have
//   size_t next_record(std::string_view line, size_t from) const;
// for formats whose records can follow each other without a newline (syslog forwarded with
// octet counting or NUL framing, rsyslog's ForwardFormat written to a file): where the record
// after the one starting at `from` begins (npos: none). Each record of such a line is then an
// event of its own (all with the line's number); a line's text before its first record is a
// continuation as usual. With `static constexpr char kRecordMark`, a byte every next record
// needs (syslog: '<'), next_record is not called for lines the split found without one.
template <class LineParser>
void parse_lines(const Source& src, size_t begin, size_t end, LineParser& lp, ParsedChunk& out) {
  // Not placed (a parse of one chunk on its own): room for an event per line, counted in one
  // vectorised pass, so the array never grows (short lines made it reallocate: half the time of
  // a syslog parse went to copying events).
  if (!out.events.in_slot()) out.events.reserve(count_lines(src.text, begin, end));
  constexpr char kMark = [] {
    if constexpr (requires { LineParser::kRecordMark; }) return LineParser::kRecordMark;
    else return '\0';
  }();
  // Read in windows (parsers/text_windows.h), each followed by SourceText::kPadding readable bytes.
  uint32_t lines_before = 0;  // in the chunk, before the window
  WindowReader windows(src.text, begin, end);
  for (TextWindow w; windows.next(&w);) {
    uint32_t last = 0;
    for_each_line_marked<kMark>(w.text, [&](uint32_t n, size_t rel, std::string_view line, bool marked) {
      last = n;
      const uint32_t number = lines_before + n;
      size_t offset = w.begin + rel;
      ++out.lines;
      if (line.empty()) {
        ++out.skipped;
        note_skip(out.skips, "blank line", out.line_base + number, line);
        return;
      }
      if (line[0] == '\0') {  // NULs before the line: a hole a truncation left, a writer's padding
        const size_t k = std::min(line.find_first_not_of('\0'), line.size());
        out.nul_bytes += k;
        offset += k;
        line.remove_prefix(k);
        if (line.empty()) {
          ++out.skipped;
          note_skip(out.skips, kNulBytesOnly, out.line_base + number, line);
          return;
        }
      }
      if constexpr (requires { lp.next_record(line, size_t{0}); }) {
        size_t from = 0;
        for (size_t next = marked ? lp.next_record(line, 0) : std::string_view::npos;
             next != std::string_view::npos && next > from; next = lp.next_record(line, from)) {
          parse_record(lp, out, number, offset + from, line.substr(from, next - from));
          from = next;
        }
        parse_record(lp, out, number, offset + from, line.substr(from));
      } else {
        parse_record(lp, out, number, offset, line);
      }
    });
    lines_before += last;
  }
}

}  // namespace hindcast
