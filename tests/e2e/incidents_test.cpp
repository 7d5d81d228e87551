// The real binary on the recorded incidents (shared/incidents), checked against truth.env.
// No --tz, no --year: zones, years and dates must come from the logs themselves.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "tests/support/support.h"

namespace hindcast::test {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

struct Case {
  std::string dir;
  std::map<std::string, std::string> truth;
  simdjson::dom::parser parser;
  simdjson::dom::element report;
};

std::unique_ptr<Case> analyze_case(const std::string& name) {
  auto c = std::make_unique<Case>();
  c->dir = shared_dir() + "/incidents/" + name;
  c->truth = read_truth(c->dir);
  const CommandResult r = run_hindcast({"analyze", c->dir, "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  c->report = c->parser.parse(simdjson::padded_string(r.out)).value();
  return c;
}

std::string str(simdjson::dom::element e) { return std::string(std::string_view(e.get_string().value())); }
int64_t time_of(simdjson::dom::element e) { return parse_time_ns(str(e)); }
bool is_null(simdjson::dom::element e) { return e.is_null(); }

// First and last request with the expected status, read straight from access.log (explicit
// offsets: an independent reading, not the engine's).
std::pair<int64_t, int64_t> failing_window(const std::string& dir, const std::string& status) {
  std::string text = read_file(dir + "/access.log");
  int64_t first = 0, last = 0;
  size_t pos = 0;
  static const char* kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    const std::string line = text.substr(pos, nl - pos);
    pos = nl + 1;
    const size_t q = line.find("\" ");
    if (q == std::string::npos || line.compare(q + 2, status.size(), status) != 0) continue;
    const size_t lb = line.find('[');
    // [04/Oct/2026:01:59:59 +1000]
    const std::string ts = line.substr(lb + 1, 26);
    const int mon = static_cast<int>(std::string(kMonths).find(ts.substr(3, 3)) / 3 + 1);
    char iso[64];
    std::snprintf(iso, sizeof iso, "%s-%02d-%sT%s%s:%s", ts.substr(7, 4).c_str(), mon, ts.substr(0, 2).c_str(),
                  ts.substr(12, 8).c_str(), ts.substr(21, 3).c_str(), ts.substr(24, 2).c_str());
    const int64_t t = parse_time_ns(iso);
    if (!first || t < first) first = t;
    if (t > last) last = t;
  }
  return {first, last};
}

void expect_near(int64_t actual, int64_t expected, int64_t tolerance, const std::string& what) {
  EXPECT_LE(std::llabs(actual - expected), tolerance)
      << what << ": off by " << static_cast<double>(actual - expected) / kSecond << " s";
}

void check_incident_case(const std::string& name) {
  auto c = analyze_case(name);
  auto& t = c->truth;
  auto rep = c->report;
  SCOPED_TRACE(name);
  ASSERT_EQ(str(rep["schema"]), "hindcast.report/1");

  // Incident window: first/last request with the expected status, within 2 s.
  ASSERT_FALSE(is_null(rep["incident"]));
  const auto [first_fail, last_fail] = failing_window(c->dir, t["expected_status"]);
  expect_near(time_of(rep["incident"]["start"]), first_fail, 2 * kSecond, "incident start");
  expect_near(time_of(rep["incident"]["end"]), last_fail, 2 * kSecond, "incident end");
  const auto counts = rep["incident"]["impact"]["status_counts"];
  EXPECT_GT(uint64_t(counts[t["expected_status"]].get_uint64().value()), 100u);

  // Root cause.
  ASSERT_FALSE(is_null(rep["root_cause"]));
  const auto rc = rep["root_cause"];
  if (!t["bad_path"].empty()) {
    EXPECT_EQ(str(rc["path"]), t["bad_path"]);
  }
  if (!t["errno"].empty()) {
    EXPECT_EQ(str(rc["errno"]), t["errno"]);
  }
  if (!t["root_cause_line"].empty()) {
    ASSERT_FALSE(is_null(rc["referenced_from"]));
    EXPECT_EQ(str(rc["referenced_from"]["file"]), t["root_cause_file"]);
    EXPECT_EQ(int64_t(rc["referenced_from"]["line"].get_int64().value()), std::stoll(t["root_cause_line"]));
  }
  EXPECT_GT(double(rc["confidence"].get_double().value()), 0.5);
  EXPECT_GE(simdjson::dom::array(rc["evidence"].get_array().value()).size(), 2u);

  // Trigger within 1 s; resolution within 2 s of the restart (or the fix when none).
  ASSERT_FALSE(is_null(rep["trigger"]));
  expect_near(time_of(rep["trigger"]["time"]), parse_time_ns(t["trigger_utc"]), kSecond, "trigger");
  ASSERT_FALSE(is_null(rep["resolution"]));
  if (!t["restart_utc"].empty()) {
    EXPECT_EQ(str(rep["resolution"]["kind"]), "restart");
    // Issue 4 asks the restart's own line to sit within 1 s of its true instant (issue 5: 2 s).
    expect_near(time_of(rep["resolution"]["time"]), parse_time_ns(t["restart_utc"]), kSecond, "restart");
  } else {
    EXPECT_EQ(str(rep["resolution"]["kind"]), "recovered");
    expect_near(time_of(rep["resolution"]["time"]), parse_time_ns(t["fix_utc"]), 2 * kSecond, "recovery");
  }
  // Detected by the monitor after the trigger.
  ASSERT_FALSE(is_null(rep["incident"]["detected"]));
  EXPECT_GE(time_of(rep["incident"]["detected"]), parse_time_ns(t["trigger_utc"]) - kSecond);
}

TEST(Incidents, SeedClassicMissingInclude) {
  check_incident_case("seed-classic");
  auto c = analyze_case("seed-classic");
  const auto rc = c->report["root_cause"];
  EXPECT_EQ(str(rc["kind"]), "missing_file");
  EXPECT_EQ(str(rc["intended_path"]), "/srv/devgen-site/wp-includes/class-wp-locale.php");
  EXPECT_EQ(str(c->report["trigger"]["program"]), "deploy");
}

TEST(Incidents, HtaccessPermissionDeniedWithoutRestart) {
  check_incident_case("htaccess-eacces");
  auto c = analyze_case("htaccess-eacces");
  EXPECT_EQ(str(c->report["root_cause"]["kind"]), "permission_denied");
  EXPECT_EQ(str(c->report["trigger"]["program"]), "CRON");
  EXPECT_NE(str(c->report["trigger"]["message"]).find("harden-perms"), std::string::npos);
}

TEST(Incidents, ParseErrorAcrossDstJump) {
  check_incident_case("parse-error-dst");
  auto c = analyze_case("parse-error-dst");
  const auto rc = c->report["root_cause"];
  EXPECT_EQ(str(rc["kind"]), "php_parse_error");
  EXPECT_TRUE(is_null(rc["errno"]));
  EXPECT_TRUE(is_null(rc["path"]));  // blames no missing file
  EXPECT_EQ(str(c->report["trigger"]["program"]), "ansible-playbook");
  // About 70 s, not 1 h 10 min.
  const double d = c->report["incident"]["duration_s"].get_double().value();
  EXPECT_GT(d, 60);
  EXPECT_LT(d, 80);
}

TEST(Incidents, QuietDayHasNoIncident) {
  auto c = analyze_case("quiet-day");
  EXPECT_TRUE(is_null(c->report["incident"]));
  EXPECT_TRUE(is_null(c->report["root_cause"]));
  EXPECT_TRUE(is_null(c->report["trigger"]));
  const simdjson::dom::array anomalies = c->report["anomalies"].get_array().value();
  for (simdjson::dom::element a : anomalies) {
    const std::string sev = str(a["severity"]);
    EXPECT_TRUE(sev == "warning" || sev == "info") << str(a["kind"]) << " " << sev;
  }
}

// PHP error logging off (no error.log): strace alone must name the cause.
TEST(Incidents, StraceAloneIsEnoughWithoutErrorLog) {
  for (const std::string name : {"seed-classic", "htaccess-eacces", "parse-error-dst"}) {
    SCOPED_TRACE(name);
    const std::string dir = shared_dir() + "/incidents/" + name;
    auto truth = read_truth(dir);
    std::vector<std::string> args = {"analyze", "--format", "json", dir + "/access.log", dir + "/syslog"};
    for (const auto& f : std::filesystem::directory_iterator(dir))
      if (f.path().filename().string().starts_with("strace")) args.push_back(f.path().string());
    const CommandResult r = run_hindcast(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    simdjson::dom::parser p;
    const simdjson::dom::element rep = p.parse(simdjson::padded_string(r.out)).value();
    ASSERT_FALSE(is_null(rep["root_cause"]));
    if (!truth["bad_path"].empty()) {
      EXPECT_EQ(str(rep["root_cause"]["path"]), truth["bad_path"]);
      EXPECT_EQ(str(rep["root_cause"]["errno"]), truth["errno"]);
    } else {
      EXPECT_EQ(str(rep["root_cause"]["kind"]), "php_parse_error");
      EXPECT_EQ(str(rep["root_cause"]["referenced_from"]["file"]), truth["root_cause_file"]);
    }
  }
}

// Timeline acceptance: the events whose true instants truth.env records sit within 1 s of them.
void check_timeline(const std::string& name) {
  SCOPED_TRACE(name);
  const std::string dir = shared_dir() + "/incidents/" + name;
  auto truth = read_truth(dir);
  const CommandResult r = run_hindcast({"timeline", dir, "--format", "jsonl"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::parser p;
  int64_t first_strace = 0, previous = 0, max_gap = 0;
  size_t pos = 0, n = 0;
  while (pos < r.out.size()) {
    const size_t nl = r.out.find('\n', pos);
    const std::string line = r.out.substr(pos, nl - pos);
    pos = nl + 1;
    auto doc = p.parse(simdjson::padded_string(line)).value();
    const int64_t t = parse_time_ns(std::string(std::string_view(doc["time"].get_string().value())));
    const std::string src(std::string_view(doc["source"].get_string().value()));
    if (src.find("strace") != std::string::npos && (!first_strace || t < first_strace)) first_strace = t;
    if (n++ && t - previous > max_gap) max_gap = t - previous;
    EXPECT_GE(t, previous) << "timeline out of order at " << line;
    previous = t;
  }
  expect_near(first_strace, parse_time_ns(truth["strace_attached_utc"]), kSecond, "first strace line");
  // Continuous traffic: no hole left by a DST jump misread.
  EXPECT_LT(max_gap, 30 * kSecond);
  expect_near(previous, parse_time_ns(truth["end_utc"]), 10 * kSecond, "last event");
}

TEST(Timeline, SeedClassic) { check_timeline("seed-classic"); }
TEST(Timeline, HtaccessEacces) { check_timeline("htaccess-eacces"); }
TEST(Timeline, ParseErrorDst) { check_timeline("parse-error-dst"); }
TEST(Timeline, QuietDayAcrossUkDstHasNoHole) { check_timeline("quiet-day"); }

}  // namespace
}  // namespace hindcast::test
