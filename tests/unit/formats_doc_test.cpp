// docs/formats.md's sample blocks run as tests (lnav's format samples): every block
// ```sample FORMAT is detected as FORMAT, every line of it becomes an event or continues one (no
// line skipped), every event has a time and decodes into a Record; and every format hindcast
// registers has at least one sample there, so the documentation cannot fall behind the parsers.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

#include "parsers/registry.h"
#include "tests/support/support.h"
#include "tests/unit/parse_helpers.h"

namespace hindcast {
namespace {

struct Sample {
  std::string format;
  std::string text;
  int line = 0;  // of the opening fence in docs/formats.md
};

std::vector<Sample> doc_samples() {
  std::vector<Sample> out;
  std::istringstream in(test::read_file(test::repo_dir() + "/docs/formats.md"));
  std::string line;
  int number = 0;
  Sample* open = nullptr;
  while (std::getline(in, line)) {
    ++number;
    if (open) {
      if (line == "```") {
        open = nullptr;
      } else {
        open->text += line + "\n";
      }
    } else if (line.starts_with("```sample ")) {
      out.push_back({line.substr(10), "", number});
      open = &out.back();
    }
  }
  return out;
}

TEST(FormatsDoc, EverySampleIsDetectedAndEveryLineRead) {
  const std::vector<Sample> samples = doc_samples();
  ASSERT_GT(samples.size(), 15u);
  for (const Sample& s : samples) {
    SCOPED_TRACE("docs/formats.md:" + std::to_string(s.line) + " (" + s.format + ")");
    const SourceText text = SourceText::copy_of(s.text);
    const SniffResult sniff = sniff_format(text.view());
    ASSERT_NE(sniff.parser, nullptr) << "not recognised";
    EXPECT_EQ(sniff.parser->format(), s.format) << "runner-up " << (sniff.runner_up ? sniff.runner_up->format() : "");
    const Source src = test::parse_text(*sniff.parser, s.text);
    EXPECT_EQ(src.skipped, 0u) << (src.skips.empty() ? "" : src.skips[0].reason + ": " + src.skips[0].first_text);
    EXPECT_EQ(src.lines, src.events.size() + src.continuation_lines);
    for (const Event& e : src.events) {
      EXPECT_NE(e.shape, TimeShape::kNone) << "line " << src.line_of(e);
      Record r;
      EXPECT_TRUE(decode_record(src, e, &r)) << "line " << src.line_of(e) << " does not decode";
    }
  }
}

TEST(FormatsDoc, EveryRegisteredFormatHasASample) {
  std::set<std::string> documented;
  for (const Sample& s : doc_samples()) documented.insert(s.format);
  for (const Parser* p : all_parsers()) EXPECT_TRUE(documented.count(std::string(p->format()))) << p->format();
}

}  // namespace
}  // namespace hindcast
