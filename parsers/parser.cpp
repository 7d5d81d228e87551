#include "parsers/parser.h"

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

void assemble_chunks(const Parser& parser, Source& s, std::vector<ParsedChunk>&& chunks) {
  size_t total = 0;
  for (const ParsedChunk& c : chunks) total += c.events.size();
  std::vector<size_t> first_event;
  uint32_t line_base = 0;
  for (ParsedChunk& c : chunks) {
    first_event.push_back(s.events.size());
    if (first_event.size() == 2) s.events.reserve(total);  // after the first chunk was moved in
    // Lines that continue the previous chunk's last record.
    if (c.leading) {
      if (s.events.empty()) {
        s.skipped += c.leading;
        for (uint32_t k = 0; k < c.leading; ++k)
          note_skip(s.skips, c.leading_reason, line_base + c.leading_first_line, c.leading_first_text);
      } else {
        Event& prev = s.events.back();
        const uint64_t len = c.leading_end - prev.offset;
        prev.length = len < kMaxRecordLength ? len : kMaxRecordLength;
        prev.flags |= kFlagMultiLine;
        s.continuation_lines += c.leading;
      }
    }
    if (line_base == 0 && s.events.empty()) {
      s.events = std::move(c.events);  // the first chunk (often the only one): no copy
    } else {
      for (Event& e : c.events) {
        e.line += line_base;
        if (e.kind == EventKind::kSyscall && e.aux) e.aux += line_base;
        s.events.push_back(e);
      }
    }
    for (const SkipRecord& k : c.skips) {
      bool merged = false;
      for (SkipRecord& t : s.skips) {
        if (t.reason == k.reason) {
          t.count += k.count;
          merged = true;
          break;
        }
      }
      if (!merged) s.skips.push_back({k.reason, k.count, k.first_line + line_base, k.first_text});
    }
    s.skipped += c.skipped;
    s.lines += c.lines;
    s.continuation_lines += c.continuation_lines;
    line_base += static_cast<uint32_t>(c.lines);
    std::vector<Event>().swap(c.events);  // give the memory back as we go
  }
  parser.stitch(s, chunks, first_event);
}

bool decode_record(const Source& source, const Event& event, Record* out) {
  if (!source.parser) return false;
  *out = Record{};
  const std::string_view text = source.line_text(event);
  if (!source.parser->decode(source, text, *out)) return false;
  out->source = source.id;
  out->line = event.line;
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
