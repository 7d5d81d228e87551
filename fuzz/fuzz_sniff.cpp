// Format detection on arbitrary bytes, then the detected parser on the whole text.
#include "fuzz/fuzz_support.h"
#include "parsers/registry.h"

using namespace hindcast;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // Detection reads the text as a run gives it, padded (a JSON line is handed to simdjson with
  // the padding after it): the fuzzer's own buffer has none.
  Source s = fuzz::source_of(text);
  const SniffResult r = sniff_format(s.text.view());
  HINDCAST_FUZZ_CHECK(r.score >= 0 && r.score <= 1);
  HINDCAST_FUZZ_CHECK(r.runner_up_score >= 0 && r.runner_up_score <= 1);
  HINDCAST_FUZZ_CHECK(!r.parser || r.score > 0);
  HINDCAST_FUZZ_CHECK(!r.parser || r.runner_up != r.parser);
  if (!r.parser) return 0;
  s.parser = r.parser;
  r.parser->parse(s);
  fuzz::check_parsed(s);
  return 0;
}
