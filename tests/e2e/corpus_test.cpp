// Every file of shared/corpus in a format hindcast parses (SPLIT.tsv): detected as its format,
// every line accounted for (an event, a continuation of one, or skipped with a reason), and at
// least 95% of the lines used, except the files listed in docs/formats.md.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "engine/ingest.h"
#include "tests/support/support.h"

namespace hindcast::test {
namespace {

struct CorpusFile {
  std::string format;
  std::string path;
};

std::vector<CorpusFile> corpus_files() {
  const std::map<std::string, std::string> ours = {{"apache-access", "apache-access"},
                                                   {"apache-error", "apache-error"},
                                                   {"syslog-3164", "syslog-rfc3164"},
                                                   {"syslog-5424", "syslog-rfc5424"},
                                                   {"journald-json", "journald-json"},
                                                   {"strace", "strace"}};
  std::vector<CorpusFile> out;
  std::ifstream f(shared_dir() + "/corpus/SPLIT.tsv");
  std::string line;
  std::getline(f, line);  // header
  while (std::getline(f, line)) {
    std::stringstream ss(line);
    std::string set, format, lines, path;
    std::getline(ss, set, '\t');
    std::getline(ss, format, '\t');
    std::getline(ss, lines, '\t');
    std::getline(ss, path, '\t');
    if (ours.count(format)) out.push_back({ours.at(format), shared_dir() + "/corpus/" + path});
  }
  return out;
}

// Files below 95% for a reason documented in docs/formats.md ("Corpus exceptions").
const std::set<std::string> kDocumentedExceptions = {
    "elastic-beats/filebeat/module/apache/error/test/sublevel.log",  // 1 of 2 lines is blank
    "lnav/test/logfile_syslog_with_header.0",                        // 2 header lines, not records
};

TEST(Corpus, EveryFileDetectedAndEveryLineAccountedFor) {
  const auto files = corpus_files();
  ASSERT_GT(files.size(), 60u) << "corpus not found under " << shared_dir();
  for (const CorpusFile& f : files) {
    SCOPED_TRACE(f.path);
    SniffResult sniff;
    auto s = load_source(f.path, 0, true, &sniff);
    ASSERT_TRUE(s.has_value()) << s.error().message;
    EXPECT_EQ(s->format, f.format);
    // One line may hold several records (syslog framing: RFC 6587, rsyslog ForwardFormat).
    EXPECT_LE(s->lines, s->events.size() + s->continuation_lines + s->skipped) << "a line went missing";
    uint64_t counted = 0;
    for (const SkipRecord& k : s->skips) {
      EXPECT_FALSE(k.reason.empty());
      counted += k.count;
    }
    EXPECT_EQ(counted, s->skipped);
    const double used = static_cast<double>(s->events.size() + s->continuation_lines) / static_cast<double>(s->lines);
    const std::string rel = f.path.substr(shared_dir().size() + 8);
    if (!kDocumentedExceptions.count(rel)) {
      EXPECT_GE(used, 0.95) << rel;
    }
  }
}

}  // namespace
}  // namespace hindcast::test
