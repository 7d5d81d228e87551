// One parser (HINDCAST_FUZZ_FORMAT, a format name of parsers/registry.cpp) on arbitrary bytes:
// parsed as one chunk and again in small chunks placed as ingest places them (the parallel path),
// which must agree; every event decoded back into its Record. "apache-access-custom" fuzzes
// --access-format: the first line is the LogFormat, the rest the log.
#include <cstring>

#include "fuzz/fuzz_support.h"
#include "parsers/access_log_format.h"
#include "parsers/registry.h"

using namespace hindcast;

namespace {

void parse_in_chunks(const Parser& p, Source& s, size_t chunk_bytes) {
  const auto ranges = split_chunks(s.text.view(), chunk_bytes);
  std::vector<ParsedChunk> chunks(ranges.size());
  std::vector<uint32_t> lines;
  for (const auto& [begin, end] : ranges) lines.push_back(count_lines(s.text.view(), begin, end));
  if (chunks.size() > 1) place_chunks(s, chunks, lines);  // as ingest does
  for (size_t c = 0; c < ranges.size(); ++c) p.parse_chunk(s, ranges[c].first, ranges[c].second, chunks[c]);
  assemble_chunks(p, s, std::move(chunks));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const Parser* parser = nullptr;
  std::unique_ptr<CustomAccessParser> custom;
  std::shared_ptr<const AccessLogPlan> plan;
  const std::string_view format = HINDCAST_FUZZ_FORMAT;
  if (format == "apache-access-custom") {
    const size_t nl = text.find('\n');
    if (nl == std::string_view::npos) return 0;
    auto compiled = AccessLogPlan::compile(text.substr(0, nl));
    text.remove_prefix(nl + 1);
    if (!compiled) return 0;
    plan = std::make_shared<const AccessLogPlan>(std::move(*compiled));
    custom = std::make_unique<CustomAccessParser>(plan);
    parser = custom.get();
  } else {
    parser = parser_for_format(format);
  }
  if (!parser) __builtin_trap();

  Source whole = fuzz::source_of(text);
  whole.parser = parser;
  whole.access_plan = plan;
  whole.strace_pid = 4242;
  parser->parse(whole);
  fuzz::check_parsed(whole);
  for (const Event& e : whole.events) {
    Record r;
    decode_record(whole, e, &r);
    (void)parser->matches(whole.line_text(e));
  }

  // The same text in chunks of a few bytes: the parallel path must give the same events.
  Source pieces = fuzz::source_of(text);
  pieces.parser = parser;
  pieces.access_plan = plan;
  pieces.strace_pid = 4242;
  parse_in_chunks(*parser, pieces, size > 0 ? 1 + data[0] % 64 : 1);
  fuzz::check_parsed(pieces);
  HINDCAST_FUZZ_CHECK(pieces.lines == whole.lines);
  HINDCAST_FUZZ_CHECK(pieces.skipped == whole.skipped);
  HINDCAST_FUZZ_CHECK(pieces.continuation_lines == whole.continuation_lines);
  HINDCAST_FUZZ_CHECK(pieces.events.size() == whole.events.size());
  for (size_t i = 0; i < whole.events.size(); ++i) {
    const Event& a = whole.events[i];
    const Event& b = pieces.events[i];
    HINDCAST_FUZZ_CHECK(a.offset == b.offset && a.length == b.length && whole.line_of(a) == pieces.line_of(b));
    HINDCAST_FUZZ_CHECK(a.time_ns == b.time_ns && a.shape == b.shape && a.kind == b.kind);
    HINDCAST_FUZZ_CHECK(a.aux == b.aux && a.code == b.code && a.pid == b.pid);
  }
  return 0;
}
