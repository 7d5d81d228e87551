// The fleet store end to end: real ClickHouse servers started by the test (tests/clickhouse/
// server.sh), the real binary exporting hosts built from recorded incidents, and the report read
// back from the store compared with the report from the files, byte for byte.
//
// The hosts: three recorded incidents of ../shared/incidents, each copied under hosts/<name>/ with
// the recording's host name renamed (as the incidents test's renamed runs do), so that each
// directory is a host of its own with its own syslog HOSTNAME.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "engine/core/time.h"
#include "engine/ingest.h"
#include "engine/report/analyze.h"
#include "engine/report/json_report.h"
#include "engine/report/markdown_report.h"
#include "engine/store/batch_writer.h"
#include "engine/store/schema.h"
#include "engine/store/window_reader.h"
#include "tests/support/clickhouse_server.h"
#include "tests/support/support.h"

namespace hindcast::test {
namespace {

namespace fs = std::filesystem;

struct HostCase {
  const char* recording;  // a case of ../shared/incidents
  const char* host;       // its name here
};
// Three time zones and dates, an strace -tt trace dated from its embedded lines, a journal-less
// dpkg log: each host resolves its own clock.
constexpr HostCase kHosts[] = {{"seed-classic", "web-1"}, {"htaccess-eacces", "web-2"}, {"cache-down-after-upgrade", "cache-1"}};

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
}

// <tmp>/hosts/<name>/..., made once per test process; the tests run hindcast in <tmp> and name
// the inputs "hosts/...", so the reports' paths are the same from the files and from the store.
// Removed when the test process ends.
struct FixtureDir {
  std::string path;
  ~FixtureDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

const std::string& fixture_dir() {
  static const FixtureDir dir{[] {
    const fs::path root = fs::temp_directory_path() / ("hindcast-fleet-" + std::to_string(getpid()));
    fs::remove_all(root);
    for (const HostCase& h : kHosts) {
      const fs::path to = root / "hosts" / h.host;
      fs::create_directories(to);
      for (const auto& f : fs::directory_iterator(fs::path(shared_dir()) / "incidents" / h.recording)) {
        if (f.path().filename() == "truth.env") continue;  // not a log; the engine never reads it
        std::string text = read_file(f.path().string());
        replace_all(text, "www1", h.host);
        std::ofstream(to / f.path().filename(), std::ios::binary) << text;
      }
    }
    return root.string();
  }()};
  return dir.path;
}

CommandResult hindcast_in_fixture(std::vector<std::string> args) { return run_hindcast(args, fixture_dir(), 300); }

// A request path with bytes that are no UTF-8, a C0 control, an escape sequence and a C1 byte.
const std::string kOddPath("/wp-\xff\xfe\x01\x1b[31m\x80\xc3(login.php", 24);

const std::vector<std::string> kWholeSpan = {"--since", "2000-01-01T00:00:00Z", "--until", "2100-01-01T00:00:00Z"};

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

void export_ok(const std::string& url, const std::vector<std::string>& paths, const std::string& table = "hindcast_events") {
  const CommandResult r = hindcast_in_fixture(with({"export", "--clickhouse", url, "--table", table}, paths));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("exported "), std::string::npos) << r.err;
}

std::string report_from_store(const std::string& url, const std::string& format, const std::vector<std::string>& extra,
                              const std::string& table = "hindcast_events") {
  const CommandResult r =
      hindcast_in_fixture(with({"analyze", "--clickhouse", url, "--table", table, "--format", format, "--summary", "never"}, extra));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

std::string report_from_files(const std::vector<std::string>& paths, const std::string& format) {
  const CommandResult r = hindcast_in_fixture(with({"analyze", "--format", format, "--summary", "never"}, paths));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

// The files' report for a window read back from the store: the ingest of the files with each
// source's events cut to the window's anchored ones (what the store sends back), analysed.
std::string files_cut_to_window(const std::vector<std::string>& paths, Instant since, Instant until, bool markdown = false,
                                const std::string& in_dir = fixture_dir()) {
  const fs::path cwd = fs::current_path();
  fs::current_path(in_dir);
  IngestOptions o;
  o.inputs = paths;
  auto in = ingest(o, Executor());
  fs::current_path(cwd);
  if (!in) return "ingest failed: " + in.error().message;
  for (Source& s : in->sources) {
    size_t kept = 0;
    for (const Event& e : s.events)
      if (!(e.basis & kBasisUnanchored) && e.time_ns >= since.ns && e.time_ns <= until.ns) s.events[kept++] = e;
    s.events.resize(kept);
  }
  TimeWindow w;
  w.since = since;
  w.until = until;
  const Executor executor;
  in->timeline = Timeline::build(in->sources, w, executor);
  const Report r = analyze(*in, executor);
  return markdown ? render_markdown(r) : render_json(r);
}

Instant at(const std::string& rfc3339) { return Instant{parse_time_ns(rfc3339)}; }

uint64_t count(ClickHouseServer& ch, const std::string& from) { return std::stoull(ch.query("SELECT count() FROM " + from)); }

uint64_t events_in_files(const std::vector<std::string>& paths) {
  const CommandResult r = hindcast_in_fixture(with({"timeline", "--format", "count"}, paths));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return std::stoull(r.out);
}

// A window around web-2's incident (htaccess-eacces: the trigger at 09:30:43Z), ten minutes.
const std::string kSince = "2026-04-02T09:25:00Z", kUntil = "2026-04-02T09:35:00Z";

void expect_reports_equal(const std::string& url, const std::string& table) {
  const std::string files_json = report_from_files({"hosts"}, "json");
  // Not two empty reports agreeing: every host's files, an incident with a root cause.
  ASSERT_NE(files_json.find("\"path\": \"hosts/web-2/syslog\""), std::string::npos);
  ASSERT_NE(files_json.find("\"root_cause\": {"), std::string::npos);
  EXPECT_EQ(report_from_store(url, "json", kWholeSpan, table), files_json);
  EXPECT_EQ(report_from_store(url, "md", kWholeSpan, table), report_from_files({"hosts"}, "md"));
  const std::string window = report_from_store(url, "json", {"--since", kSince, "--until", kUntil}, table);
  ASSERT_NE(window.find("\"incident\": {"), std::string::npos) << window.substr(0, 2000);
  EXPECT_EQ(window, files_cut_to_window({"hosts"}, at(kSince), at(kUntil)));
}

TEST(Fleet, ReportFromClickHouseEqualsReportFromFiles) {
  ClickHouseServer ch("single");
  export_ok(ch.url(), {"hosts"});
  EXPECT_EQ(count(ch, "hindcast_events FINAL"), events_in_files({"hosts"}));
  expect_reports_equal(ch.url(), "hindcast_events");
  // --hosts: only that host's files come back (its report is its directory's only where it was
  // exported on its own, as below: here its times were resolved with the others').
  const std::string one = report_from_store(ch.url(), "json", with({"--hosts", "web-2"}, kWholeSpan));
  EXPECT_NE(one.find("hosts/web-2/access.log"), std::string::npos);
  EXPECT_EQ(one.find("hosts/web-1/"), std::string::npos);
}

TEST(Fleet, ReexportAddsNoRows) {
  ClickHouseServer ch("reexport");
  export_ok(ch.url(), {"hosts"});
  const uint64_t rows = count(ch, "hindcast_events FINAL"), files = count(ch, "hindcast_events_sources FINAL");
  ASSERT_EQ(rows, events_in_files({"hosts"}));
  export_ok(ch.url(), {"hosts"});
  EXPECT_EQ(count(ch, "hindcast_events FINAL"), rows);
  EXPECT_EQ(count(ch, "hindcast_events_sources FINAL"), files);
  // And once merged, nothing twice on disk either.
  ch.query("OPTIMIZE TABLE hindcast_events FINAL");
  ch.query("OPTIMIZE TABLE hindcast_events_sources FINAL");
  EXPECT_EQ(count(ch, "hindcast_events"), rows);
  EXPECT_EQ(count(ch, "hindcast_events_sources"), files);
  EXPECT_EQ(report_from_store(ch.url(), "json", kWholeSpan), report_from_files({"hosts"}, "json"));
}

TEST(Fleet, EachHostExportedOnItsOwnComesBackAsItsDirectory) {
  ClickHouseServer ch("per-host");
  for (const HostCase& h : kHosts) export_ok(ch.url(), {std::string("hosts/") + h.host});
  for (const HostCase& h : kHosts) {
    SCOPED_TRACE(h.host);
    const std::string files = report_from_files({std::string("hosts/") + h.host}, "json");
    ASSERT_NE(files.find("\"root_cause\": {"), std::string::npos);
    EXPECT_EQ(report_from_store(ch.url(), "json", with({"--hosts", h.host}, kWholeSpan)), files);
  }
  // Two hosts' runs read together: both runs' files, each resolved with its own host's clock.
  const std::string two = report_from_store(ch.url(), "json", with({"--hosts", "web-1,web-2"}, kWholeSpan));
  EXPECT_NE(two.find("\"path\": \"hosts/web-1/syslog\""), std::string::npos);
  EXPECT_NE(two.find("\"path\": \"hosts/web-2/syslog\""), std::string::npos);
  EXPECT_NE(two.find("web-1: offset inferred from access.log: -04:00; web-2: offset inferred from access.log: +09:00"),
            std::string::npos);
}

TEST(Fleet, DistributedOverTwoShardsGivesTheFilesReport) {
  ClickHouseServer shard_a("shard-a"), shard_b("shard-b");
  ClickHouseServer coordinator("coordinator", {shard_a.tcp_port(), shard_b.tcp_port()});  // declared last: stopped first
  for (ClickHouseServer* shard : {&shard_a, &shard_b}) {
    shard->query(store::create_events_table("hindcast_local"));
    shard->query(store::create_sources_table("hindcast_local_sources"));
  }
  coordinator.query(store::create_distributed_table("hindcast_events", "hindcast_shards", "default", "hindcast_local",
                                                    store::event_columns()));
  coordinator.query(store::create_distributed_table("hindcast_events_sources", "hindcast_shards", "default",
                                                    "hindcast_local_sources", store::source_columns()));
  export_ok(coordinator.url(), {"hosts"});
  // Sharded by host: both shards hold rows, every host's rows on one shard.
  const uint64_t total = events_in_files({"hosts"});
  const uint64_t a = count(shard_a, "hindcast_local"), b = count(shard_b, "hindcast_local");
  EXPECT_GT(a, 0u);
  EXPECT_GT(b, 0u);
  EXPECT_EQ(a + b, total);
  const std::string hosts_a = shard_a.query("SELECT DISTINCT host FROM hindcast_local ORDER BY host");
  const std::string hosts_b = shard_b.query("SELECT DISTINCT host FROM hindcast_local ORDER BY host");
  for (const HostCase& h : kHosts)
    EXPECT_NE(hosts_a.find(h.host) == std::string::npos, hosts_b.find(h.host) == std::string::npos) << h.host;
  expect_reports_equal(coordinator.url(), "hindcast_events");
  export_ok(coordinator.url(), {"hosts"});
  EXPECT_EQ(count(coordinator, "hindcast_events FINAL"), total);
  coordinator.stop();
}

// The lab's recorded cases (lab/cases/*.tar.zst, extracted here; the multi-host ones have one
// directory per host under hosts/, given as one input each, as scripts/accuracy.sh gives them):
// each exported in one run and read back, whole and ten minutes around its incident, gives the
// report its files give. Equal means byte for byte, JSON and Markdown, with no field left out: the
// fields that name where the input was (inputs[], sources[].path, every evidence's, timeline
// entry's, trigger's and resolution's source) are the paths as given to export, and both runs
// are made in the case's directory with the same paths. (Exported from elsewhere, those fields
// are what would differ, and only they.)
TEST(Fleet, LabCasesFromClickHouseEqualTheirFiles) {
  std::vector<fs::path> cases;
  for (const auto& f : fs::directory_iterator(fs::path(repo_dir()) / "lab" / "cases"))
    if (f.path().string().ends_with(".tar.zst")) cases.push_back(f.path());
  std::sort(cases.begin(), cases.end());
  ASSERT_FALSE(cases.empty()) << "no lab/cases/*.tar.zst";
  ClickHouseServer ch("lab");
  size_t multi_host = 0;
  for (const fs::path& archive : cases) {
    const std::string name = archive.filename().string().substr(0, archive.filename().string().size() - 8);
    SCOPED_TRACE(name);
    const fs::path dir = fs::path(fixture_dir()) / "lab" / name;
    fs::create_directories(dir);
    ASSERT_EQ(std::system(("zstd -q -dc '" + archive.string() + "' | tar -x -C '" + dir.string() + "'").c_str()), 0);
    const std::map<std::string, std::string> truth = read_truth(dir.string());
    fs::remove(dir / "truth.env");  // not a log; the engine never reads it
    std::vector<std::string> inputs, hosts;
    if (fs::is_directory(dir / "hosts")) {
      for (const auto& h : fs::directory_iterator(dir / "hosts")) hosts.push_back(h.path().filename().string());
      std::sort(hosts.begin(), hosts.end());
      for (const std::string& h : hosts) inputs.push_back("hosts/" + h + "/");
    } else {
      inputs = {"var"};
    }
    std::string table = "lab_" + name;
    std::replace(table.begin(), table.end(), '-', '_');
    const auto run = [&](const std::vector<std::string>& args) {
      const CommandResult r = run_hindcast(args, dir.string(), 300);
      EXPECT_EQ(r.exit_code, 0) << r.err;
      return r.out;
    };
    run(with({"export", "--clickhouse", ch.url(), "--table", table, "--quiet"}, inputs));
    const std::vector<std::string> store = {"analyze", "--clickhouse", ch.url(), "--table", table, "--summary", "never"};
    const std::string files_json = run(with({"analyze", "--format", "json", "--summary", "never"}, inputs));
    // Not two empty reports agreeing: sources read, and for a recorded incident, one found.
    ASSERT_NE(files_json.find("\"events\": "), std::string::npos) << files_json.substr(0, 2000);
    const bool incident = truth.contains("incident_start_utc");
    if (incident) {
      ASSERT_NE(files_json.find("\"incident\": {"), std::string::npos) << files_json.substr(0, 2000);
    }
    const std::string whole = run(with(with(store, {"--format", "json"}), kWholeSpan));
    EXPECT_EQ(whole, files_json);
    EXPECT_EQ(run(with(with(store, {"--format", "md"}), kWholeSpan)), run(with({"analyze", "--summary", "never"}, inputs)));
    if (hosts.size() > 1) {  // every host's name on its sources, read back from the store
      ++multi_host;
      for (const std::string& h : hosts) EXPECT_NE(whole.find("\"host\": \"" + h + "\""), std::string::npos) << h;
    }
    if (!incident) continue;
    // Ten minutes around the incident's start (the test reads the truth; the engine never does).
    // Whole seconds: the window goes to --since/--until as RFC 3339 without a fraction.
    const int64_t start_s = at(truth.at("incident_start_utc")).ns / kNanosPerSecond * kNanosPerSecond;
    const Instant since{start_s - 5 * 60 * kNanosPerSecond}, until{start_s + 5 * 60 * kNanosPerSecond};
    const std::string window =
        run(with(store, {"--format", "json", "--since", format_rfc3339_utc(since, 0), "--until", format_rfc3339_utc(until, 0)}));
    ASSERT_NE(window.find("\"incident\": {"), std::string::npos) << window.substr(0, 2000);
    EXPECT_EQ(window, files_cut_to_window(inputs, since, until, false, dir.string()));
  }
  EXPECT_GE(multi_host, 2u) << "the lab's multi-host cases (lab/cases/*multihost*)";
}

// Every event read back is the event of the files: its text byte for byte (bytes that are not
// UTF-8 and control bytes included), its time, line and fields.
TEST(Fleet, EveryEventComesBackByteForByte) {
  ClickHouseServer ch("bytes");
  // web-1 once more as a host of its own whose access log has requests for URLs with bytes that
  // are no UTF-8 (the recording's own lines, one path rewritten).
  const fs::path odd = fs::path(fixture_dir()) / "odd-bytes" / "web-9";
  fs::create_directories(odd);
  std::string access = read_file(fixture_dir() + "/hosts/web-1/access.log");
  replace_all(access, "/wp-login.php", kOddPath);
  std::ofstream(odd / "access.log", std::ios::binary) << access;
  std::ofstream(odd / "syslog", std::ios::binary) << read_file(fixture_dir() + "/hosts/web-1/syslog");
  for (const std::string& input : {std::string("hosts"), std::string("odd-bytes")}) {
    SCOPED_TRACE(input);
    export_ok(ch.url(), {input}, "t_" + std::string(input == "hosts" ? "hosts" : "odd"));
    store::WindowQuery q;
    q.url = ch.url();
    q.table = "t_" + std::string(input == "hosts" ? "hosts" : "odd");
    q.since = at("2000-01-01T00:00:00Z");
    q.until = at("2100-01-01T00:00:00Z");
    auto back = store::read_window(q, Executor());
    ASSERT_TRUE(back) << back.error().message;
    const fs::path cwd = fs::current_path();
    fs::current_path(fixture_dir());
    IngestOptions o;
    o.inputs = {input};
    auto files = ingest(o, Executor());
    fs::current_path(cwd);
    ASSERT_TRUE(files);
    ASSERT_EQ(back->sources.size(), files->sources.size());
    size_t compared = 0;
    for (size_t i = 0; i < files->sources.size(); ++i) {
      const Source& f = files->sources[i];
      const Source& s = back->sources[i];
      ASSERT_EQ(s.path, f.path);
      EXPECT_EQ(s.host, f.host);
      ASSERT_EQ(s.events.size(), f.events.size()) << f.path;
      for (size_t k = 0; k < f.events.size(); ++k) {
        const Event& a = f.events[k];
        const Event& b = s.events[k];
        ASSERT_EQ(s.record_text(b), f.record_text(a)) << f.path << " event " << k;
        ASSERT_EQ(s.line_of(b), f.line_of(a)) << f.path << " event " << k;
        ASSERT_TRUE(a.time_ns == b.time_ns && a.kind == b.kind && a.severity == b.severity && a.pid == b.pid &&
                    a.code == b.code && a.aux == b.aux && a.basis == b.basis && a.flags == b.flags &&
                    a.offset_minutes == b.offset_minutes && a.shape == b.shape && a.precision == b.precision)
            << f.path << " event " << k;
        ++compared;
      }
    }
    EXPECT_EQ(compared, files->total_events());
    if (input == "odd-bytes") {
      const std::string text = ch.query("SELECT text FROM t_odd WHERE position(text, 'login.php') > 0 LIMIT 1 FORMAT RowBinary");
      EXPECT_NE(text.find(kOddPath), std::string::npos);
    }
  }
}

TEST(Fleet, ABatchTheServerRefusesIsNamed) {
  ClickHouseServer ch("refuses");
  // The table as export makes it, plus a column that refuses one row of web-1's access log.
  std::string create = store::create_events_table("hindcast_events");
  create.insert(create.find(") ENGINE"), ", refused UInt8 MATERIALIZED throwIf(line = 1000 AND like(path, '%web-1/access.log'))");
  ch.query(create);
  const CommandResult r = hindcast_in_fixture({"export", "--clickhouse", ch.url(), "hosts/web-1"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("batch 1 of "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("hosts/web-1/access.log, events 1.."), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("HTTP 500: Code: 395"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("attempts"), std::string::npos) << "a refusal is not tried again: " << r.err;
  // Its files were not committed: the reader finds none of them.
  EXPECT_EQ(count(ch, "hindcast_events_sources"), 0u);
}

// An export that stops half-way (a batch refused after others went in) leaves the file's last
// complete export in force: the report reads as before, each event once, and says what it saw.
TEST(Fleet, AnExportThatStoppedHalfWayLeavesTheLastOneInForce) {
  ClickHouseServer ch("half-way");
  export_ok(ch.url(), {"hosts/web-1"});
  const std::string before = report_from_store(ch.url(), "json", kWholeSpan);
  ASSERT_EQ(before, report_from_files({"hosts/web-1"}, "json"));
  ch.query("ALTER TABLE hindcast_events ADD COLUMN refused UInt8 MATERIALIZED throwIf(line = 30000 AND like(path, '%strace.log'))");
  const fs::path cwd = fs::current_path();
  fs::current_path(fixture_dir());
  IngestOptions io;
  io.inputs = {"hosts/web-1"};
  auto in = ingest(io, Executor());
  fs::current_path(cwd);
  ASSERT_TRUE(in);
  store::ExportOptions eo;
  eo.url = ch.url();
  eo.batch_rows = 5000;  // the access and error logs and the trace's first lines go in before the refusal
  auto done = store::export_ingest(*in, eo);
  ASSERT_FALSE(done);
  EXPECT_NE(done.error().message.find("hosts/web-1/strace.log"), std::string::npos) << done.error().message;
  EXPECT_GT(count(ch, "hindcast_events"), in->total_events());  // rows of both exports are in the table
  const std::string after = report_from_store(ch.url(), "json", kWholeSpan);
  EXPECT_NE(after.find("events are from an export that did not finish; export the file again"), std::string::npos);
  // Apart from those notes, one for each file the stopped export had sent rows of (the access
  // and error logs, the trace's first lines) and all of data_quality, the complete export's report.
  const size_t from = after.find("\"data_quality\": [");
  ASSERT_NE(from, std::string::npos);
  const size_t to = after.find("\n  ]", from);
  ASSERT_NE(to, std::string::npos);
  const std::string notes = after.substr(from, to - from);
  EXPECT_EQ(std::count(notes.begin(), notes.end(), '\n'), 3) << notes;
  for (const char* file : {"access.log: 1674 events", "error.log: 974 events", "strace.log: "})
    EXPECT_NE(notes.find(std::string("hosts/web-1/") + file), std::string::npos) << notes;
  EXPECT_EQ(after.substr(0, from) + "\"data_quality\": []" + after.substr(to + 4), before);
}

TEST(Fleet, AServerThatIsGoneIsAClearError) {
  std::string url;
  {
    ClickHouseServer ch("gone");
    url = ch.url();
  }
  const CommandResult r = hindcast_in_fixture({"export", "--clickhouse", url, "hosts/web-1"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("ClickHouse at " + url), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(3 attempts)"), std::string::npos) << r.err;
  const CommandResult a = hindcast_in_fixture(with({"analyze", "--clickhouse", url}, kWholeSpan));
  EXPECT_EQ(a.exit_code, 3) << a.err;
}

TEST(Fleet, WhatIsNotThereSaysSo) {
  ClickHouseServer ch("empty");
  const CommandResult none = hindcast_in_fixture(with({"analyze", "--clickhouse", ch.url()}, kWholeSpan));
  EXPECT_EQ(none.exit_code, 2) << none.err;
  EXPECT_NE(none.err.find("has no table hindcast_events: export to it first"), std::string::npos) << none.err;
  ch.query("CREATE TABLE other (host String) ENGINE = MergeTree ORDER BY host");
  const CommandResult foreign = hindcast_in_fixture({"export", "--clickhouse", ch.url(), "--table", "other", "hosts/web-1"});
  EXPECT_EQ(foreign.exit_code, 3) << foreign.err;
  EXPECT_NE(foreign.err.find("table other has no column path"), std::string::npos) << foreign.err;
  export_ok(ch.url(), {"hosts/web-1"});
  const CommandResult empty =
      hindcast_in_fixture({"analyze", "--clickhouse", ch.url(), "--since", "2001-01-01T00:00:00Z", "--until", "2001-01-01T00:10:00Z"});
  EXPECT_EQ(empty.exit_code, 2) << empty.err;
  EXPECT_NE(empty.err.find("nothing in the window"), std::string::npos) << empty.err;
  const CommandResult nobody = hindcast_in_fixture(with({"analyze", "--clickhouse", ch.url(), "--hosts", "db-9"}, kWholeSpan));
  EXPECT_EQ(nobody.exit_code, 2) << nobody.err;
}

TEST(Fleet, OptionsThatDoNotGoTogether) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"export", "hosts"},                                                      // no server
           {"export", "--clickhouse", "http://127.0.0.1:1/"},                         // no PATH
           {"export", "--clickhouse", "http://127.0.0.1:1/", "--since", "2023-01-01T00:00:00Z", "hosts"},
           {"analyze", "--clickhouse", "http://127.0.0.1:1/", "--since", "2023-01-01T00:00:00Z"},  // no --until
           {"analyze", "--clickhouse", "http://127.0.0.1:1/", "hosts", "--since", "2023-01-01T00:00:00Z", "--until",
            "2023-01-02T00:00:00Z"},                                                  // a PATH too
           {"analyze", "--hosts", "web-1", "hosts"},                                  // --hosts without a store
           {"analyze", "--clickhouse", "http://127.0.0.1:1/", "--tz", "UTC", "--since", "2023-01-01T00:00:00Z", "--until",
            "2023-01-02T00:00:00Z"},
           {"analyze", "--clickhouse", "ftp://127.0.0.1:1/", "--since", "2023-01-01T00:00:00Z", "--until",
            "2023-01-02T00:00:00Z"},
           {"export", "--clickhouse", "http://127.0.0.1:1/", "--table", "x; DROP TABLE y", "hosts"},
       }) {
    const CommandResult r = hindcast_in_fixture(args);
    EXPECT_EQ(r.exit_code, 1) << args[0] << " " << args[1] << " " << args[2] << ": " << r.err;
    EXPECT_FALSE(r.err.empty());
  }
}

}  // namespace
}  // namespace hindcast::test
