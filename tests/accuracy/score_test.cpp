// The scorer itself on small hand-made report/truth pairs: each criterion passes on a right
// answer and fails on a wrong one, and is n/a where the truth has no key for it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "tests/accuracy/score.h"

namespace hindcast::accuracy {
namespace {

// A truth in the shape of ../shared/incidents/*/truth.env (a missing include, restarted).
const char* kTruth =
    "scenario=unit-missing-include\n"
    "zone=Europe/Berlin\n"
    "root_cause_kind=missing_file\n"
    "root_cause_file=/srv/site/settings.php\n"
    "root_cause_line=134\n"
    "bad_path=/srv/site/inc/locale.phpp\n"
    "errno=ENOENT\n"
    "trigger_utc=2026-01-10T10:00:43.260863183Z\n"
    "fix_utc=2026-01-10T10:01:53.278975627Z\n"
    "restart_utc=2026-01-10T10:01:53.304363694Z\n"
    "end_utc=2026-01-10T10:02:29.321819394Z\n"
    "expected_status=500\n"
    "incident_start_utc=2026-01-10T10:00:45Z\n"
    "incident_end_utc=2026-01-10T10:01:53Z\n";

// The report's fields a right answer to kTruth has; each test changes one of them.
struct Report {
  std::string incident = R"({"kind":"errors","start":"2026-01-10T10:00:45Z","end":"2026-01-10T10:01:53Z"})";
  std::string root_cause_kind = "\"missing_file\"";
  std::string object = "\"/srv/site/inc/locale.phpp\"";
  std::string errno_name = "\"ENOENT\"";
  std::string referenced_from = R"({"file":"/srv/site/settings.php","line":134})";
  std::string evidence = R"([{"time":"2026-01-10T10:00:45Z","source":"error.log","line":3,"text":"PHP Warning: require x"}])";
  std::string trigger = R"({"time":"2026-01-10T10:00:43Z","program":"deploy","message":"release rolled out"})";
  std::string resolution = R"({"time":"2026-01-10T10:01:53Z","kind":"restart","action":"restart"})";
  std::string anomalies = R"([{"kind":"http_5xx_burst","severity":"critical"}])";
  bool root_cause = true;

  std::string json() const {
    const std::string rc = root_cause ? R"({"kind":)" + root_cause_kind + R"(,"object":)" + object + R"(,"errno":)" +
                                            errno_name + R"(,"referenced_from":)" + referenced_from +
                                            R"(,"evidence":)" + evidence + R"(,"chain":[]})"
                                      : "null";
    return R"({"schema":"hindcast.report/1","incident":)" + incident + R"(,"root_cause":)" + rc + R"(,"trigger":)" +
           trigger + R"(,"resolution":)" + resolution + R"(,"anomalies":)" + anomalies + "}";
  }
};

Result result_of(const CaseScore& s, const std::string& name) {
  for (const auto& c : s.criteria)
    if (c.name == name) return c.result;
  ADD_FAILURE() << "no criterion " << name;
  return Result::not_applicable;
}

Result score_one(const Report& r, const std::string& criterion, const std::string& truth = kTruth) {
  return result_of(score_report(r.json(), parse_truth(truth)), criterion);
}

std::string with(std::string truth, const std::string& key, const std::string& value) {
  const size_t p = truth.find(key + "=");
  if (p == std::string::npos) return truth + key + "=" + value + "\n";
  const size_t nl = truth.find('\n', p);
  return truth.replace(p, nl - p, key + "=" + value);
}

TEST(Time, Rfc3339AndAccessStamps) {
  EXPECT_EQ(parse_rfc3339_ns("1970-01-01T00:00:01Z"), kSecond);
  EXPECT_EQ(parse_rfc3339_ns("2023-11-03T13:00:43.260863183Z"), int64_t{1699016443} * kSecond + 260863183);
  EXPECT_EQ(parse_rfc3339_ns("2023-11-03T09:00:43-04:00"), parse_rfc3339_ns("2023-11-03T13:00:43Z"));
  EXPECT_EQ(parse_rfc3339_ns("2026-03-12T06:24:47.5+01:00"), parse_rfc3339_ns("2026-03-12T05:24:47.500Z"));
  EXPECT_FALSE(parse_rfc3339_ns("2023-11-03 13:00:43"));
  EXPECT_FALSE(parse_rfc3339_ns("2023-13-03T13:00:43Z"));
  EXPECT_FALSE(parse_rfc3339_ns("2023-11-03T13:00:43Zjunk"));
  EXPECT_EQ(parse_access_stamp_ns("03/Nov/2023:09:00:45 -0400] \"GET"), parse_rfc3339_ns("2023-11-03T13:00:45Z"));
  EXPECT_EQ(parse_access_stamp_ns("04/Oct/2026:03:00:00 +1100"), parse_rfc3339_ns("2026-10-03T16:00:00Z"));
  EXPECT_FALSE(parse_access_stamp_ns("04/Okt/2026:03:00:00 +1100"));
}

TEST(Truth, EmptyValueIsAbsentAndOldCasesImplyTheirKind) {
  const Truth t = parse_truth("errno=ENOENT\nroot_cause_file=\n# comment\nbad_path=/x\r\n");
  EXPECT_EQ(t.get("bad_path"), "/x");
  EXPECT_FALSE(t.has("root_cause_file"));
  EXPECT_EQ(truth_kind(t), "missing_file");
  EXPECT_EQ(truth_kind(parse_truth("errno=EACCES\n")), "permission_denied");
  EXPECT_EQ(truth_kind(parse_truth("root_cause_file=/a.php\nroot_cause_line=8\n")), "php_parse_error");
  EXPECT_EQ(truth_kind(parse_truth("errno=\n")), "");
  // An explicit root_cause_kind wins, even empty (noisy-day: a quiet day).
  EXPECT_EQ(truth_kind(parse_truth("root_cause_kind=\nerrno=ENOENT\n")), "");
  EXPECT_EQ(truth_kind(parse_truth("root_cause_kind=crash\nroot_cause_file=/a.php\n")), "crash");
}

TEST(Score, RightAnswerPassesEveryCriterion) {
  const CaseScore s = score_report(Report{}.json(), parse_truth(kTruth));
  EXPECT_EQ(s.kind, "missing_file");
  EXPECT_FALSE(s.quiet);
  ASSERT_EQ(s.criteria.size(), 9u);
  for (const auto& c : s.criteria) EXPECT_EQ(c.result, Result::pass) << c.name << ": " << c.got << " / " << c.note;
  EXPECT_EQ(s.passed(), 9);
  EXPECT_EQ(s.applicable(), 9);
}

TEST(Score, UnreadableReportFailsEveryApplicableCriterion) {
  for (const std::string report : {"", "{not json", "[]"}) {
    const CaseScore s = score_report(report, parse_truth(kTruth));
    EXPECT_EQ(s.passed(), 0) << report;
    EXPECT_EQ(s.applicable(), 9) << report;
  }
}

TEST(Score, IncidentFoundOrNot) {
  Report r;
  r.incident = "null";
  EXPECT_EQ(score_one(r, "incident"), Result::fail);
  EXPECT_EQ(score_one(r, "window"), Result::fail);
  EXPECT_EQ(score_one(Report{}, "incident"), Result::pass);
}

TEST(Score, QuietDayNeedsNoIncidentAndNothingErrorLevel) {
  const std::string quiet = "scenario=q\nroot_cause_kind=\ntrigger_utc=\nend_utc=2026-01-10T10:02:29Z\n";
  Report r;
  r.incident = "null";
  r.root_cause = false;
  r.trigger = "null";
  r.resolution = "null";
  r.anomalies = R"([{"kind":"http_4xx_burst","severity":"warning"},{"kind":"no_requests","severity":"info"}])";
  CaseScore s = score_report(r.json(), parse_truth(quiet));
  EXPECT_TRUE(s.quiet);
  EXPECT_EQ(s.kind, "quiet");
  EXPECT_EQ(result_of(s, "incident"), Result::pass);
  EXPECT_EQ(s.applicable(), 1);  // everything else is n/a on a quiet day
  r.anomalies = R"([{"kind":"health_check_failing","severity":"error"}])";
  EXPECT_EQ(score_one(r, "incident", quiet), Result::fail);
  r.anomalies = "[]";
  r.incident = R"({"kind":"errors","start":"2026-01-10T10:00:45Z","end":null})";
  EXPECT_EQ(score_one(r, "incident", quiet), Result::fail);
}

TEST(Score, WindowWithinFiveSecondsOrTenPercent) {
  EXPECT_EQ(window_tolerance_ns(30 * kSecond), 5 * kSecond);
  EXPECT_EQ(window_tolerance_ns(68 * kSecond), 6800 * kSecond / 1000);
  EXPECT_EQ(window_tolerance_ns(1200 * kSecond), 120 * kSecond);
  Report r;
  r.incident = R"({"kind":"errors","start":"2026-01-10T10:00:51.7Z","end":"2026-01-10T10:01:46.3Z"})";
  EXPECT_EQ(score_one(r, "window"), Result::pass);  // 6.7 s either side of a 68 s incident
  r.incident = R"({"kind":"errors","start":"2026-01-10T10:00:51.9Z","end":"2026-01-10T10:01:53Z"})";
  EXPECT_EQ(score_one(r, "window"), Result::fail);
  r.incident = R"({"kind":"errors","start":"2026-01-10T10:00:45Z","end":"2026-01-10T10:01:59.9Z"})";
  EXPECT_EQ(score_one(r, "window"), Result::fail);
  r.incident = R"({"kind":"errors","start":"2026-01-10T10:00:45Z","end":null})";
  EXPECT_EQ(score_one(r, "window"), Result::fail);  // it ended: null says it did not
  // A 20-minute incident: 2 minutes either side.
  const std::string long_truth = with(kTruth, "incident_end_utc", "2026-01-10T10:20:45Z");
  r.incident = R"({"kind":"errors","start":"2026-01-10T10:02:40Z","end":"2026-01-10T10:19:00Z"})";
  EXPECT_EQ(score_one(r, "window", long_truth), Result::pass);
  r.incident = R"({"kind":"errors","start":"2026-01-10T10:02:50Z","end":"2026-01-10T10:19:00Z"})";
  EXPECT_EQ(score_one(r, "window", long_truth), Result::fail);
}

TEST(Score, OngoingIncidentEndsNullOrAtTheLogsEnd) {
  std::string t = with(with(with(kTruth, "incident_end_utc", ""), "fix_utc", ""), "restart_utc", "");
  Report r;
  r.incident = R"({"kind":"errors","start":"2026-01-10T10:00:45Z","end":null})";
  r.resolution = "null";
  EXPECT_EQ(score_one(r, "window", t), Result::pass);
  EXPECT_EQ(score_one(r, "resolution", t), Result::pass);  // never fixed: no resolution claimed
  EXPECT_EQ(score_one(r, "resolution_kind", t), Result::not_applicable);
  r.incident = R"({"kind":"errors","start":"2026-01-10T10:00:45Z","end":"2026-01-10T10:02:28Z"})";
  EXPECT_EQ(score_one(r, "window", t), Result::pass);
  r.incident = R"({"kind":"errors","start":"2026-01-10T10:00:45Z","end":"2026-01-10T10:01:53Z"})";
  EXPECT_EQ(score_one(r, "window", t), Result::fail);
  r.resolution = R"({"time":"2026-01-10T10:01:53Z","kind":"recovered","action":"none logged"})";
  EXPECT_EQ(score_one(r, "resolution", t), Result::fail);
  // The lab says so in words, with its incident_end_utc empty.
  const std::string lab = with(with(t, "resolution_kind", "never_fixed"), "fix_utc", "2026-01-10T10:01:53Z");
  EXPECT_EQ(score_one(r, "resolution", lab), Result::fail);
  r.resolution = "null";
  EXPECT_EQ(score_one(r, "resolution", lab), Result::pass);
  EXPECT_EQ(score_one(r, "resolution_kind", lab), Result::not_applicable);
}

TEST(Score, WindowFromTheAccessLogWhenTruthHasNone) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("score-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "sub");
  std::ofstream(dir / "sub" / "access.log")
      << "1.2.3.4 - - [10/Jan/2026:11:00:40 +0100] \"GET / HTTP/1.1\" 200 5 \"-\" \"x\"\n"
         "1.2.3.4 - - [10/Jan/2026:11:00:45 +0100] \"GET / HTTP/1.1\" 500 5 \"-\" \"x\"\n"
         "1.2.3.4 - - [10/Jan/2026:11:01:53 +0100] \"GET /p HTTP/1.1\" 500 5 \"-\" \"x\"\n"
         "1.2.3.4 - - [10/Jan/2026:11:02:50 +0100] \"GET / HTTP/1.1\" 5000 5 \"-\" \"x\"\n";
  const auto w = failing_window_from_access_logs(dir.string(), "500");
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->first, parse_rfc3339_ns("2026-01-10T10:00:45Z"));
  EXPECT_EQ(w->second, parse_rfc3339_ns("2026-01-10T10:01:53Z"));

  Truth t = parse_truth(with(with(kTruth, "incident_start_utc", ""), "incident_end_utc", ""));
  EXPECT_EQ(result_of(score_report(Report{}.json(), t), "window"), Result::not_applicable);
  t.failing_window = w;
  EXPECT_EQ(result_of(score_report(Report{}.json(), t), "window"), Result::pass);
}

TEST(Score, RootCauseKind) {
  Report r;
  r.root_cause_kind = "\"permission_denied\"";
  EXPECT_EQ(score_one(r, "kind"), Result::fail);
  r.root_cause = false;
  EXPECT_EQ(score_one(r, "kind"), Result::fail);
}

TEST(Score, ObjectFromTheKeyOfItsKind) {
  Report r;
  r.object = "\"/srv/site/settings.php\"";  // the file that required it is not what failed
  EXPECT_EQ(score_one(r, "object"), Result::fail);
  r.object = "null";
  EXPECT_EQ(score_one(r, "object"), Result::fail);
  // dependency_down: the endpoint.
  std::string dep = with(with(kTruth, "root_cause_kind", "dependency_down"), "dependency", "127.0.0.1:11211");
  r.object = "\"127.0.0.1:11211\"";
  EXPECT_EQ(score_one(r, "object", dep), Result::pass);
  r.object = "\"127.0.0.1:3306\"";
  EXPECT_EQ(score_one(r, "object", dep), Result::fail);
  // disk_full: the mount point, or a directory on it; not a sibling that shares a prefix.
  std::string disk = with(with(kTruth, "root_cause_kind", "disk_full"), "filesystem", "/srv/data");
  r.root_cause_kind = "\"disk_full\"";
  r.object = "\"/srv/data/\"";
  EXPECT_EQ(score_one(r, "object", disk), Result::pass);
  r.object = "\"/srv/data/cache\"";
  EXPECT_EQ(score_one(r, "object", disk), Result::pass);
  r.object = "\"/srv/database\"";
  EXPECT_EQ(score_one(r, "object", disk), Result::fail);
  // The lab's explicit root_cause_object wins over the kind's own key.
  r.object = "\"/srv/data/sessions\"";
  EXPECT_EQ(score_one(r, "object", with(disk, "root_cause_object", "/srv/data/sessions")), Result::pass);
  EXPECT_EQ(score_one(r, "object", with(disk, "root_cause_object", "/srv/data/cache")), Result::fail);
  // No object key at all: n/a.
  const std::string none = with(with(kTruth, "bad_path", ""), "root_cause_file", "");
  EXPECT_EQ(score_one(r, "object", none), Result::not_applicable);
}

TEST(Score, Errno) {
  Report r;
  r.errno_name = "\"EACCES\"";
  EXPECT_EQ(score_one(r, "errno"), Result::fail);
  r.errno_name = "null";
  EXPECT_EQ(score_one(r, "errno"), Result::fail);
  EXPECT_EQ(score_one(r, "errno", with(kTruth, "errno", "")), Result::not_applicable);
}

TEST(Score, FileLineFromReferencedFromOrCitedByEvidence) {
  Report r;
  r.referenced_from = R"({"file":"/srv/site/settings.php","line":135})";
  EXPECT_EQ(score_one(r, "file_line"), Result::fail);
  r.referenced_from = "null";
  EXPECT_EQ(score_one(r, "file_line"), Result::fail);
  r.evidence = R"([{"text":"PHP Parse error: x in /srv/site/settings.php on line 1345"}])";
  EXPECT_EQ(score_one(r, "file_line"), Result::fail);  // line 1345 is not line 134
  r.evidence = R"([{"text":"PHP Warning: require(): failed in /srv/site/settings.php on line 134"}])";
  EXPECT_EQ(score_one(r, "file_line"), Result::pass);
  r.evidence = R"j([{"text":"#0 /srv/site/settings.php(134): wp_cache_init()"}])j";
  EXPECT_EQ(score_one(r, "file_line"), Result::pass);
  r.evidence = R"([{"text":"AH00526: Syntax error on line 134 of /srv/site/settings.php:"}])";
  EXPECT_EQ(score_one(r, "file_line"), Result::pass);  // Apache's wording: line before file
  r.evidence = R"([{"text":"AH00526: Syntax error on line 1134 of /srv/site/settings.php:"}])";
  EXPECT_EQ(score_one(r, "file_line"), Result::fail);
  r.evidence = R"([{"text":"syntax error in file \"/srv/site/settings.php\" line 134, near token \"=\""}])";
  EXPECT_EQ(score_one(r, "file_line"), Result::pass);  // PostgreSQL
  r.evidence = R"([{"text":"Found option without preceding group in config file /srv/site/settings.php at line 134."}])";
  EXPECT_EQ(score_one(r, "file_line"), Result::pass);  // MariaDB
  r.evidence = R"([{"text":"PHP Warning: x in /srv/site/other.php on line 134"}])";
  EXPECT_EQ(score_one(r, "file_line"), Result::fail);  // another file
  EXPECT_EQ(score_one(r, "file_line", with(kTruth, "root_cause_line", "")), Result::not_applicable);
}

TEST(Score, TriggerWithinOneSecondOrNoneClaimed) {
  Report r;
  r.trigger = R"({"time":"2026-01-10T10:00:44.2Z"})";
  EXPECT_EQ(score_one(r, "trigger"), Result::pass);  // 0.94 s
  r.trigger = R"({"time":"2026-01-10T10:00:44.3Z"})";
  EXPECT_EQ(score_one(r, "trigger"), Result::fail);
  r.trigger = "null";
  EXPECT_EQ(score_one(r, "trigger"), Result::fail);
  EXPECT_EQ(score_one(r, "trigger", with(kTruth, "trigger_utc", "")), Result::not_applicable);
  // The cause was already there: truth says none, a claimed trigger is wrong.
  const std::string none = with(kTruth, "trigger_utc", "none");
  EXPECT_EQ(score_one(r, "trigger", none), Result::pass);
  EXPECT_EQ(score_one(Report{}, "trigger", none), Result::fail);
  EXPECT_EQ(score_one(r, "trigger", with(with(kTruth, "trigger_utc", ""), "trigger_kind", "none")), Result::pass);
}

TEST(Score, ResolutionTimeAndKind) {
  Report r;
  r.resolution = R"({"time":"2026-01-10T10:01:55.2Z","kind":"restart"})";
  EXPECT_EQ(score_one(r, "resolution"), Result::pass);  // restart_utc + 1.9 s
  r.resolution = R"({"time":"2026-01-10T10:01:55.4Z","kind":"restart"})";
  EXPECT_EQ(score_one(r, "resolution"), Result::fail);
  r.resolution = R"({"time":"2026-01-10T10:01:53Z","kind":"recovered","action":"none logged"})";
  EXPECT_EQ(score_one(r, "resolution"), Result::pass);
  EXPECT_EQ(score_one(r, "resolution_kind"), Result::fail);
  r.resolution = "null";
  EXPECT_EQ(score_one(r, "resolution"), Result::fail);
  EXPECT_EQ(score_one(r, "resolution_kind"), Result::fail);

  // No restart: a dependency_down's fix is the dependency restored; another kind's says nothing.
  const std::string no_restart = with(kTruth, "restart_utc", "");
  const std::string dep = with(no_restart, "root_cause_kind", "dependency_down");
  r.resolution = R"({"time":"2026-01-10T10:01:53.5Z","kind":"dependency_restored","action":"start"})";
  EXPECT_EQ(score_one(r, "resolution_kind", dep), Result::pass);
  EXPECT_EQ(score_one(r, "resolution_kind", no_restart), Result::not_applicable);
  EXPECT_EQ(score_one(r, "resolution", no_restart), Result::pass);

  // The lab's explicit resolution_kind: a rollback is a recovery by a revert.
  const std::string rollback = with(no_restart, "resolution_kind", "rollback");
  r.resolution = R"({"time":"2026-01-10T10:01:53Z","kind":"recovered","action":"revert"})";
  EXPECT_EQ(score_one(r, "resolution_kind", rollback), Result::pass);
  EXPECT_EQ(score_one(r, "resolution_kind", with(no_restart, "resolution_kind", "recovered")), Result::fail);
  r.resolution = R"({"time":"2026-01-10T10:01:53Z","kind":"recovered","action":"none logged"})";
  EXPECT_EQ(score_one(r, "resolution_kind", rollback), Result::fail);
  EXPECT_EQ(score_one(r, "resolution_kind", with(no_restart, "resolution_kind", "recovered")), Result::pass);
}

TEST(Lines, TsvRoundTripsAndTableCounts) {
  const CaseScore a = score_report(Report{}.json(), parse_truth(kTruth));
  Report wrong;
  wrong.errno_name = "\"EIO\"";
  const CaseScore b = score_report(wrong.json(), parse_truth(kTruth));
  std::string tsv;
  for (const auto& c : a.criteria) tsv += tsv_line("a", a, c) + "\n";
  for (const auto& c : b.criteria) tsv += tsv_line("b\tx", b, c) + "\n";  // a tab in a value is cleaned
  const auto lines = parse_score_lines(tsv);
  ASSERT_EQ(lines.size(), 18u);
  EXPECT_EQ(lines[13].case_name, "b x");
  EXPECT_EQ(lines[13].criterion, "errno");
  EXPECT_EQ(lines[13].result, "fail");
  EXPECT_EQ(lines[13].got, "EIO");
  const std::string table = accuracy_table(lines);
  EXPECT_NE(table.find("missing_file"), std::string::npos) << table;
  EXPECT_NE(table.find("17/18"), std::string::npos) << table;
  EXPECT_NE(table.find("94.4"), std::string::npos) << table;
  EXPECT_EQ(summary_json("a", b), "{\"case\":\"a\",\"kind\":\"missing_file\",\"quiet\":false,\"passed\":8,\"applicable\":9,"
                                  "\"criteria\":{\"incident\":\"pass\",\"window\":\"pass\",\"kind\":\"pass\",\"object\":\"pass\","
                                  "\"errno\":\"fail\",\"file_line\":\"pass\",\"trigger\":\"pass\",\"resolution\":\"pass\","
                                  "\"resolution_kind\":\"pass\"}}");
}

TEST(Check, ExpectedFailuresStayHonest) {
  const auto lines = parse_score_lines(
      "c1\tcrash\tfile_line\tfail\tx\ty\t\n"
      "c1\tcrash\ttrigger\tpass\tx\tx\t\n"
      "c1\tcrash\terrno\tn/a\t\t\t\n"
      "c2\tquiet\tincident\tfail\tno incident\tincident\t\n");
  const auto expected = parse_expected_failures(
      "# case\tcriterion\treason\n"
      "case\tcriterion\treason\n"
      "c1\tfile_line\tthe logs never name the line\n");
  CheckOutcome o = check_expected(lines, expected, "c1");
  EXPECT_TRUE(o.ok());
  ASSERT_EQ(o.expected.size(), 1u);
  EXPECT_NE(o.expected[0].find("the logs never name the line"), std::string::npos);

  o = check_expected(lines, expected);  // c2's failure is not listed
  ASSERT_EQ(o.problems.size(), 1u);
  EXPECT_NE(o.problems[0].find("c2 incident: FAILED"), std::string::npos);

  o = check_expected(lines, parse_expected_failures("c1\ttrigger\twas wrong once\nc1\terrno\tx\nc9\tkind\ty\n"), "");
  ASSERT_EQ(o.problems.size(), 5u);  // c1 file_line and c2 unlisted; trigger passed; errno n/a; c9 absent
  auto has = [&](const std::string& s) {
    for (const auto& p : o.problems)
      if (p.find(s) != std::string::npos) return true;
    return false;
  };
  EXPECT_TRUE(has("c1 trigger: unexpectedly passed, remove it from expected-failures.tsv"));
  EXPECT_TRUE(has("c1 errno: listed in expected-failures.tsv but n/a"));
  EXPECT_TRUE(has("c9 kind: listed in expected-failures.tsv but not scored"));
  // Checking one case ignores the other cases' entries.
  EXPECT_TRUE(check_expected(lines, parse_expected_failures("c1\tfile_line\tr\nc9\tkind\ty\n"), "c1").ok());
}

}  // namespace
}  // namespace hindcast::accuracy
