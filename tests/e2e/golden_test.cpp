// Golden files: the JSON report and the Markdown draft of sample_logs/seed-classic, compared
// byte for byte. They change only on purpose: tests/golden/update.sh rewrites them, and the diff
// is reviewed in the commit.
#include <gtest/gtest.h>

#include "tests/support/support.h"

namespace hindcast::test {
namespace {

void check_golden(const std::string& format, const std::string& golden) {
  const CommandResult r = run_hindcast({"analyze", "sample_logs/seed-classic", "--format", format}, repo_dir());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string expected = read_file(repo_dir() + "/tests/golden/" + golden);
  ASSERT_FALSE(expected.empty()) << "missing tests/golden/" << golden << " (run tests/golden/update.sh)";
  EXPECT_EQ(normalize_report(r.out), expected) << "output differs from tests/golden/" << golden
                                               << "; if the change is intended, run tests/golden/update.sh";
}

TEST(Golden, SeedClassicJson) { check_golden("json", "seed-classic.json"); }
TEST(Golden, SeedClassicMarkdown) { check_golden("md", "seed-classic.md"); }

}  // namespace
}  // namespace hindcast::test
