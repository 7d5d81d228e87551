#include "parsers/parser.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "engine/core/memory.h"


namespace hindcast {

void note_skip(std::vector<SkipRecord>& skips, std::string_view reason, uint32_t line, std::string_view text) {
  for (SkipRecord& s : skips) {
    if (s.reason == reason) {
      ++s.count;
      return;
    }
  }
  constexpr size_t kMaxExample = 200;
  skips.push_back({std::string(reason), 1, line, std::string(text.substr(0, kMaxExample))});
}

std::vector<std::pair<size_t, size_t>> split_chunks(std::string_view text, size_t chunk_bytes) {
  std::vector<std::pair<size_t, size_t>> out;
  size_t begin = 0;
  while (begin < text.size()) {
    size_t end = text.size();
    if (chunk_bytes < text.size() - begin) {
      const void* nl = std::memchr(text.data() + begin + chunk_bytes, '\n', text.size() - begin - chunk_bytes);
      end = nl ? static_cast<size_t>(static_cast<const char*>(nl) - text.data()) + 1 : text.size();
    }
    out.emplace_back(begin, end);
    begin = end;
  }
  if (out.empty()) out.emplace_back(0, 0);
  return out;
}

uint32_t count_lines(std::string_view text, size_t begin, size_t end) {
  const char* const p = text.data() + begin;
  const size_t n = end - begin;
  return static_cast<uint32_t>(count_newlines(p, n) + (n > 0 && p[n - 1] != '\n'));
}

namespace {

// Lines that continue the previous chunk's last record: that record is the one just before the
// chunk's first event (none: the lines open the file, and are skipped with their reason).
void attach_leading(Source& s, const ParsedChunk& c, size_t first) {
  if (!c.leading) return;
  if (first == 0) {
    s.skipped += c.leading;
    for (uint32_t k = 0; k < c.leading; ++k) note_skip(s.skips, c.leading_reason, c.leading_first_line, c.leading_first_text);
    return;
  }
  Event& prev = s.events[first - 1];
  const uint64_t len = c.leading_end - prev.offset;
  prev.length = len < kMaxRecordLength ? len : kMaxRecordLength;
  prev.flags |= kFlagMultiLine;
  s.event_flags |= kFlagMultiLine;
  s.continuation_lines += c.leading;
}

void add_counts(Source& s, const ParsedChunk& c) {
  for (const SkipRecord& k : c.skips) {
    bool merged = false;
    for (SkipRecord& t : s.skips) {
      if (t.reason == k.reason) {
        t.count += k.count;
        merged = true;
        break;
      }
    }
    if (!merged) s.skips.push_back(k);
  }
  s.skipped += c.skipped;
  s.nul_bytes_skipped += c.nul_bytes;
  s.lines += c.lines;
  s.continuation_lines += c.continuation_lines;
}

// Chunks that parsed into their slots of s.events: each slot's events moved left to follow the
// previous chunk's (memmove; the holes are the slots' unused room: continuation and skipped
// lines). If a chunk outgrew its slot (records framed several to a line), the events are
// rebuilt in file order instead: rare.
void close_up_slots(Source& s, std::vector<ParsedChunk>& chunks, std::vector<size_t>& first_event) {
  bool spilled = false;
  for (const ParsedChunk& c : chunks) spilled |= !c.events.in_slot();
  size_t end = 0;
  if (!spilled) {
    for (ParsedChunk& c : chunks) {
      first_event.push_back(end);
      if (c.events.data() != s.events.data() + end)
        std::memmove(s.events.data() + end, c.events.data(), c.events.size() * sizeof(Event));
      end += c.events.size();
    }
    s.events.resize(end);
    return;
  }
  EventArray rebuilt;
  for (ParsedChunk& c : chunks) {
    first_event.push_back(rebuilt.size());
    rebuilt.insert(rebuilt.end(), c.events.begin(), c.events.end());
  }
  s.events = std::move(rebuilt);
}

// Chunks that parsed into vectors of their own: the first is moved in, the others appended.
void append_chunks(Source& s, std::vector<ParsedChunk>& chunks, std::vector<size_t>& first_event) {
  size_t total = 0;
  for (ParsedChunk& c : chunks) total += c.events.size();
  for (ParsedChunk& c : chunks) {
    first_event.push_back(s.events.size());
    if (s.events.empty()) {
      s.events = std::move(c.events.own());  // the first chunk (often the only one): no copy
      s.events.reserve(total);
  advise_huge_pages_if_large(s.events.data(), total * sizeof(Event));
    } else {
      s.events.insert(s.events.end(), c.events.begin(), c.events.end());
      EventArray().swap(c.events.own());  // give the memory back as we go
    }
  }
}

}  // namespace

void place_chunks(Source& s, std::vector<ParsedChunk>& chunks, const std::vector<uint32_t>& lines) {
  size_t total = 0;
  for (uint32_t n : lines) total += n;
  s.events.reserve(total);
  s.events.resize(total);  // unwritten: each chunk's parse first-touches the slot it writes
  size_t base = 0;
  for (size_t k = 0; k < chunks.size() && k < lines.size(); ++k) {
    chunks[k].line_base = static_cast<uint32_t>(base);
    chunks[k].events = EventSink(s.events.data() + base, lines[k]);
    chunks[k].placed = true;
    base += lines[k];
  }
}

void assemble_chunks(const Parser& parser, Source& s, std::vector<ParsedChunk>&& chunks) {
  std::vector<size_t> first_event;
  // Placed chunks close up in place, even where the first one spilled out of its slot (the
  // others still point into source.events).
  if (!chunks.empty() && chunks.front().placed) {
    close_up_slots(s, chunks, first_event);
  } else {
    s.events.clear();
    append_chunks(s, chunks, first_event);
  }
  s.kinds = 0;
  s.shapes = 0;
  s.event_flags = 0;
  s.line_marks.clear();
  for (ParsedChunk& c : chunks) {
    if (s.line_marks.empty()) s.line_marks = std::move(c.marks);
    else s.line_marks.insert(s.line_marks.end(), c.marks.begin(), c.marks.end());
  }
  for (size_t k = 0; k < chunks.size(); ++k) {
    attach_leading(s, chunks[k], first_event[k]);
    add_counts(s, chunks[k]);
    s.kinds |= chunks[k].kinds;
    s.shapes |= chunks[k].shapes;
    s.event_flags |= chunks[k].flags;
  }
  parser.stitch(s, chunks, first_event);
}

bool decode_record(const Source& source, const Event& event, Record* out) {
  return decode_record(source, event, source.line_text(event), out);
}

bool decode_record(const Source& source, const Event& event, std::string_view text, Record* out) {
  if (!source.parser) return false;
  // A record that goes on over more lines is decoded where it lies, so that its decode can read
  // them (the context nginx writes after a backend's stack trace): a copy holds its first line only.
  if ((event.flags & kFlagMultiLine) && !text.empty() && source.text.size > 0 &&
      (text.data() < source.text.data.get() || text.data() >= source.text.data.get() + source.text.size))
    text = source.line_text(event);
  *out = Record{};
  if (!source.parser->decode(source, text, *out)) return false;
  out->source = source.id;
  out->time_ns = event.time_ns;
  out->text = text;
  if (out->host.empty()) out->host = source.host;
  if (out->pid == 0) out->pid = event.pid;
  return true;
}

void Parser::parse(Source& source) const {
  std::vector<ParsedChunk> chunks(1);
  parse_chunk(source, 0, source.text.size, chunks[0]);
  assemble_chunks(*this, source, std::move(chunks));
}

}  // namespace hindcast
