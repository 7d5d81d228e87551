// The command line: subcommands, formats, and bad input (a clear one-line message naming the
// file, the other inputs still processed, exit 2 only when nothing at all could be read).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "engine/input/read_file.h"
#include "parsers/registry.h"
#include "tests/support/support.h"

namespace hindcast::test {
namespace {
namespace fs = std::filesystem;

std::string sample() { return repo_dir() + "/sample_logs/seed-classic"; }

fs::path temp_dir(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("hindcast-test-" + name + "-" + std::to_string(getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

TEST(Cli, HelpForEachCommandWithExample) {
  for (const char* cmd : {"analyze", "timeline", "sniff"}) {
    const CommandResult r = run_hindcast({cmd, "--help"});
    EXPECT_EQ(r.exit_code, 0) << cmd;
    EXPECT_NE(r.out.find("examples:\n  hindcast " + std::string(cmd)), std::string::npos) << cmd;
    EXPECT_NE(r.out.find("--tz"), std::string::npos) << cmd;
    EXPECT_NE(r.out.find("exit codes"), std::string::npos) << cmd;
  }
  EXPECT_EQ(run_hindcast({}).exit_code, 1);
  EXPECT_EQ(run_hindcast({"frobnicate", "x"}).exit_code, 1);
  EXPECT_EQ(run_hindcast({"analyze", sample(), "--format", "yaml"}).exit_code, 1);
  EXPECT_EQ(run_hindcast({"analyze", sample(), "--since", "yesterday"}).exit_code, 1);
  EXPECT_EQ(run_hindcast({"analyze", sample(), "--tz", "Mars/Olympus_Mons"}).exit_code, 1);
}

TEST(Cli, NonexistentPathIsNamedAndOthersStillRead) {
  const CommandResult r = run_hindcast({"timeline", "/nonexistent/hindcast-logs", sample(), "--format", "count"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.err.find("/nonexistent/hindcast-logs: no such file or directory"), std::string::npos) << r.err;
  EXPECT_GT(std::stoll(r.out), 40000);
}

TEST(Cli, NothingReadableExitsTwo) {
  const CommandResult missing = run_hindcast({"analyze", "/nonexistent/hindcast-logs"});
  EXPECT_EQ(missing.exit_code, 2);
  const fs::path empty = temp_dir("empty");
  const CommandResult r = run_hindcast({"analyze", empty.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("directory holds no files"), std::string::npos) << r.err;
  fs::remove_all(empty);
}

// A directory of nothing but non-logs: the warning sends the user to `sniff`, so `sniff` must
// list them (and still exit 2: nothing was read), not stop at "nothing readable".
TEST(Cli, SniffListsNonLogsWhenNothingIsReadable) {
  const fs::path d = temp_dir("only-non-logs");
  std::ofstream(d / "btmp").close();
  std::ofstream(d / "README") << "This directory holds the web server's logs.\n";
  const CommandResult r = run_hindcast({"sniff", d.string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.out.find("not logs (2 files, not read):"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("btmp"), std::string::npos);
  EXPECT_NE(r.out.find("README"), std::string::npos);
  EXPECT_NE(r.err.find("nothing readable"), std::string::npos);
  fs::remove_all(d);
}

TEST(Cli, UnknownFormatIsListedNotAnError) {
  const fs::path d = temp_dir("unknown");
  // Times, but in no format hindcast knows: a log it cannot read, reported.
  std::ofstream(d / "notes.txt") << "at 10:00:01 the scenario was seeded\nat 10:00:02 nothing else\n";
  // No time at all (a README, a cache report): not a log, listed once by sniff, never an error.
  std::ofstream(d / "README") << "scenario=seed\nthis is not a log\n";
  fs::copy_file(sample() + "/syslog", d / "syslog");
  const CommandResult r = run_hindcast({"analyze", d.string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.err.find("notes.txt: format not recognised"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("\"format\": \"unknown\""), std::string::npos);
  EXPECT_NE(r.out.find("\"skipped\": 2"), std::string::npos);
  EXPECT_EQ(r.err.find("README"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("README"), std::string::npos);
  const CommandResult sniff = run_hindcast({"sniff", d.string()});
  EXPECT_NE(sniff.out.find("README  (text without any time of day (not a log))"), std::string::npos) << sniff.out;
  fs::remove_all(d);
}

TEST(Cli, UnreadableFileIsNamed) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads any file; permissions cannot be tested as root";
  const fs::path d = temp_dir("unreadable");
  fs::copy_file(sample() + "/syslog", d / "syslog");
  fs::permissions(d / "syslog", fs::perms::none);
  const CommandResult r = run_hindcast({"analyze", (d / "syslog").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("Permission denied"), std::string::npos) << r.err;
  fs::remove_all(d);
}

TEST(Cli, GzipAndRotatedFilesReadTransparently) {
  const fs::path d = temp_dir("gzip");
  // access.log.1 (plain, older half) + access.log.2.gz would be the usual rotation; here the
  // same file compressed must give the same events as plain.
  fs::copy_file(sample() + "/access.log", d / "access.log.1");
  ASSERT_EQ(std::system(("gzip -c " + sample() + "/access.log > " + (d / "access.log.2.gz").string()).c_str()), 0);
  const CommandResult plain = run_hindcast({"timeline", (d / "access.log.1").string(), "--format", "count"});
  const CommandResult gz = run_hindcast({"timeline", (d / "access.log.2.gz").string(), "--format", "count"});
  EXPECT_EQ(plain.exit_code, 0);
  EXPECT_EQ(gz.exit_code, 0);
  EXPECT_EQ(plain.out, gz.out);
  EXPECT_EQ(plain.out, "1674\n");
  // A corrupt .gz: what was decompressed is kept, the damage reported.
  std::string bytes = read_file((d / "access.log.2.gz").string());
  std::ofstream((d / "broken.gz").string(), std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  const CommandResult broken = run_hindcast({"timeline", (d / "broken.gz").string(), "--format", "count"});
  EXPECT_EQ(broken.exit_code, 0);
  EXPECT_GT(std::stoll(broken.out), 100);
  EXPECT_NE(broken.err.find("broken.gz"), std::string::npos) << broken.err;
  // The family is read oldest first and sniff says so.
  fs::remove(d / "broken.gz");
  const CommandResult sniff = run_hindcast({"sniff", d.string()});
  EXPECT_LT(sniff.out.find("access.log.2.gz"), sniff.out.find("access.log.1"));
  EXPECT_NE(sniff.out.find("rotation:   2 of"), std::string::npos) << sniff.out;
  EXPECT_NE(sniff.out.find("compressed: gzip"), std::string::npos) << sniff.out;
  fs::remove_all(d);
}

// A small file is copied from its mapping, a large one (its descriptor kept) by pread: either way
// the copy reads short, the parse falls back to the mapping, and the lost pages read as zeros.
TEST(ReadFile, FileTruncatedWhileMappedDoesNotCrash) {
  std::string one;
  {
    std::ifstream in(sample() + "/access.log", std::ios::binary);
    one.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  ASSERT_FALSE(one.empty());
  for (const size_t copies : {size_t{1}, (size_t{2} << 20) / one.size() + 1}) {
    SCOPED_TRACE(std::to_string(copies) + " copies of the sample access log");
    const fs::path d = temp_dir("truncate");
    const fs::path f = d / "access.log";
    {
      std::ofstream out(f, std::ios::binary);
      for (size_t i = 0; i < copies; ++i) out << one;
    }
    auto contents = read_log_file(f.string());
    ASSERT_TRUE(contents.has_value());
    EXPECT_EQ(contents->text.fd >= 0, copies > 1);
    const size_t full = contents->text.size;
    fs::resize_file(f, 4096);  // another process cuts the file while we hold it
    Source s;
    s.text = std::move(contents->text);
    s.format = "apache-access";
    parser_for_format("apache-access")->parse(s);  // reads every page: the lost ones read as zeros
    EXPECT_GT(s.events.size(), 10u);
    EXPECT_LT(s.events.size(), 1674u);
    const std::string w = truncation_warning(f.string(), contents->mapping_slot, contents->mapped_size);
    EXPECT_NE(w.find("shrank from " + std::to_string(full) + " to 4096 bytes"), std::string::npos) << w;
    EXPECT_NE(w.find(std::to_string(full - 4096) + " bytes that vanished"), std::string::npos) << w;
    fs::remove_all(d);
  }
}

TEST(Cli, TimelineFormatsAndWindow) {
  const CommandResult csv = run_hindcast({"timeline", sample() + "/syslog", "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0);
  // The first seven columns as before; the decoded fields follow (docs/formats.md).
  EXPECT_EQ(csv.out.substr(0, csv.out.find('\n')).substr(0, 47), "time,source,line,kind,severity,time_basis,text,");
  const CommandResult text = run_hindcast({"timeline", sample(), "--since", "2023-11-03T13:00:43Z", "--until",
                                           "2023-11-03T13:00:43.999Z"});
  ASSERT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("2023-11-03T13:00:43Z  " + sample() + "/syslog:8  Nov  3 09:00:43 www1 deploy[7805]"),
            std::string::npos)
      << text.out;
  for (size_t p = 0; p < text.out.size(); p = text.out.find('\n', p) + 1)
    EXPECT_EQ(text.out.compare(p, 19, "2023-11-03T13:00:43"), 0);
}

TEST(Cli, SniffExplainsFormatAndTimeBasis) {
  const CommandResult r = run_hindcast({"sniff", sample()});
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("format:     strace (score 1.00"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("date anchored on embedded error-log lines"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("): 2023-11-03; offset inferred from access.log: -04:00"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("year inferred from access.log: 2023"), std::string::npos) << r.out;
}

TEST(Cli, OutputFile) {
  const fs::path d = temp_dir("out");
  const CommandResult r = run_hindcast({"analyze", sample(), "-o", (d / "draft.md").string()});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(r.out.empty());
  EXPECT_EQ(read_file((d / "draft.md").string()).rfind("# Postmortem (draft): missing file on 2023-11-03", 0), 0u);
  fs::remove_all(d);
}

}  // namespace
}  // namespace hindcast::test
