// Parallel chunked ingest gives the same result as the single-threaded path, event for event:
// tiny chunks force every border case (a continuation line, a syslog year rollover, an strace
// call resumed in the next chunk, a midnight) onto chunk borders many times over.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <limits>

#include "bench/log_generator.h"
#include "engine/ingest.h"
#include "engine/report/analyze.h"
#include "engine/report/json_report.h"
#include "tests/support/support.h"

namespace hindcast {
namespace {

Ingest run(const std::vector<std::string>& inputs, unsigned threads, size_t chunk) {
  IngestOptions o;
  o.inputs = inputs;
  o.chunk_bytes = chunk;
  auto in = ingest(o, Executor(threads));
  EXPECT_TRUE(in.has_value());
  return std::move(*in);
}

void expect_same(const Ingest& a, const Ingest& b) {
  ASSERT_EQ(a.sources.size(), b.sources.size());
  for (size_t i = 0; i < a.sources.size(); ++i) {
    const Source& x = a.sources[i];
    const Source& y = b.sources[i];
    SCOPED_TRACE(x.path);
    EXPECT_EQ(x.lines, y.lines);
    EXPECT_EQ(x.skipped, y.skipped);
    EXPECT_EQ(x.continuation_lines, y.continuation_lines);
    EXPECT_EQ(x.time_basis, y.time_basis);
    ASSERT_EQ(x.skips.size(), y.skips.size());
    for (size_t k = 0; k < x.skips.size(); ++k) {
      EXPECT_EQ(x.skips[k].reason, y.skips[k].reason);
      EXPECT_EQ(x.skips[k].count, y.skips[k].count);
      EXPECT_EQ(x.skips[k].first_line, y.skips[k].first_line);
    }
    ASSERT_EQ(x.events.size(), y.events.size());
    if (!x.events.empty()) {
      EXPECT_EQ(std::memcmp(x.events.data(), y.events.data(), x.events.size() * sizeof(Event)), 0)
          << "events differ";
    }
  }
  ASSERT_EQ(a.timeline.size(), b.timeline.size());
  for (size_t k = 0; k < a.timeline.size(); ++k) {
    ASSERT_EQ(a.timeline.order()[k].source, b.timeline.order()[k].source) << k;
    ASSERT_EQ(a.timeline.order()[k].index, b.timeline.order()[k].index) << k;
  }
  EXPECT_EQ(render_json(analyze(a, Executor(1))), render_json(analyze(b, Executor(4))));
}

TEST(Parallel, IncidentsSameAsSingleThreaded) {
  for (const char* name : {"seed-classic", "htaccess-eacces", "parse-error-dst", "quiet-day"}) {
    SCOPED_TRACE(name);
    const std::string dir = test::shared_dir() + "/incidents/" + name;
    expect_same(run({dir}, 1, std::numeric_limits<size_t>::max()), run({dir}, 4, 4096));
  }
}

TEST(Parallel, CorpusSameAsSingleThreaded) {
  // Continuations (macOS syslog), Dec -> Jan rollovers, -r traces, unmatched resumes: chunks of
  // 64 bytes put a border after nearly every line.
  for (const char* sub : {"lnav/test", "plaso/test_data/syslog", "visual-strace", "elastic-beats",
                          "arastoob-strace-parser"}) {
    SCOPED_TRACE(sub);
    const std::string dir = test::shared_dir() + "/corpus/" + sub;
    expect_same(run({dir}, 1, std::numeric_limits<size_t>::max()), run({dir}, 3, 64));
  }
}

TEST(Parallel, GeneratedMixedSetSameAsSingleThreaded) {
  const auto dir = std::filesystem::temp_directory_path() / ("hindcast-parallel-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  using bench::LogKind;
  bench::generate_log(LogKind::kAccess, (dir / "access.log").string(), 3 << 20, 1, 7);
  bench::generate_log(LogKind::kError, (dir / "error.log").string(), 2 << 20, 1, 7);
  bench::generate_log(LogKind::kSyslog, (dir / "syslog").string(), 2 << 20, 1, 7);
  bench::generate_log(LogKind::kStrace, (dir / "strace.log").string(), 3 << 20, 1, 7);
  expect_same(run({dir.string()}, 1, std::numeric_limits<size_t>::max()), run({dir.string()}, 4, 100'000));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace hindcast
