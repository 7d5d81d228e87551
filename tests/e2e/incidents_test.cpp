// The real binary on the recorded incidents (shared/incidents), checked against truth.env.
// No --tz, no --year: zones, years and dates must come from the logs themselves.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <tuple>

#include <unistd.h>

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

// The root-cause kind truth.env names, or (first recorded cases) the one it implies.
std::string truth_kind(std::map<std::string, std::string>& t) {
  if (!t["root_cause_kind"].empty()) return t["root_cause_kind"];
  if (t["errno"] == "ENOENT") return "missing_file";
  if (t["errno"] == "EACCES" || t["errno"] == "EPERM") return "permission_denied";
  if (!t["root_cause_file"].empty()) return "php_parse_error";
  return "";
}

// Every check the acceptance asks of one case, against its truth.env.
void check_against_truth(const simdjson::dom::element& rep, const std::string& dir, std::map<std::string, std::string> t) {
  ASSERT_EQ(str(rep["schema"]), "hindcast.report/1");
  const std::string kind = truth_kind(t);
  if (kind.empty()) {  // quiet-day, noisy-day: no incident, nothing error-level
    EXPECT_TRUE(is_null(rep["incident"]));
    EXPECT_TRUE(is_null(rep["root_cause"]));
    EXPECT_TRUE(is_null(rep["trigger"]));
    const simdjson::dom::array anomalies = rep["anomalies"].get_array().value();
    for (simdjson::dom::element a : anomalies) {
      const std::string sev = str(a["severity"]);
      EXPECT_TRUE(sev == "warning" || sev == "info") << str(a["kind"]) << " " << sev << ": " << str(a["summary"]);
    }
    return;
  }
  // The window: the truth's explicit one, else the first and last request with the failing status.
  ASSERT_FALSE(is_null(rep["incident"]));
  int64_t start = 0, end = 0;
  if (!t["incident_start_utc"].empty()) {
    start = parse_time_ns(t["incident_start_utc"]);
    end = parse_time_ns(t["incident_end_utc"]);
  } else {
    std::tie(start, end) = failing_window(dir, t["expected_status"]);
  }
  expect_near(time_of(rep["incident"]["start"]), start, 2 * kSecond, "incident start");
  ASSERT_FALSE(is_null(rep["incident"]["end"]));
  expect_near(time_of(rep["incident"]["end"]), end, 2 * kSecond, "incident end");

  // The root cause: kind, object, errno, the URL.
  ASSERT_FALSE(is_null(rep["root_cause"]));
  const auto rc = rep["root_cause"];
  EXPECT_EQ(str(rc["kind"]), kind);
  std::string object;
  if (!t["dependency"].empty()) object = t["dependency"];
  else if (!t["limit"].empty()) object = t["limit"];
  else if (!t["bad_path"].empty()) object = t["bad_path"];
  else object = t["root_cause_file"];
  ASSERT_FALSE(is_null(rc["object"]));
  EXPECT_EQ(str(rc["object"]), object);
  if (!t["bad_path"].empty()) {
    EXPECT_EQ(str(rc["path"]), t["bad_path"]);
  }
  if (!t["errno"].empty()) {
    EXPECT_EQ(str(rc["errno"]), t["errno"]);
  }
  if (!t["signal"].empty()) {
    EXPECT_EQ(str(rc["signal"]), t["signal"]);
  }
  if (!t["bad_url"].empty()) {
    EXPECT_EQ(str(rc["url"]), t["bad_url"]);
  }
  if (!t["root_cause_line"].empty() && kind != "crash") {
    ASSERT_FALSE(is_null(rc["referenced_from"]));
    EXPECT_EQ(str(rc["referenced_from"]["file"]), t["root_cause_file"]);
    EXPECT_EQ(int64_t(rc["referenced_from"]["line"].get_int64().value()), std::stoll(t["root_cause_line"]));
  }
  EXPECT_GE(double(rc["confidence"].get_double().value()), 0.5);
  EXPECT_GE(simdjson::dom::array(rc["evidence"].get_array().value()).size(), 2u);

  // The trigger within 1 s; the resolution within 2 s of the restart, else of the fix.
  ASSERT_FALSE(is_null(rep["trigger"]));
  expect_near(time_of(rep["trigger"]["time"]), parse_time_ns(t["trigger_utc"]), kSecond, "trigger");
  const std::string fixed = !t["restart_utc"].empty() ? t["restart_utc"] : t["fix_utc"];
  if (fixed.empty()) {
    EXPECT_TRUE(is_null(rep["resolution"]));
  } else {
    ASSERT_FALSE(is_null(rep["resolution"]));
    expect_near(time_of(rep["resolution"]["time"]), parse_time_ns(fixed), 2 * kSecond, "resolution");
    if (!t["restart_utc"].empty()) {
      EXPECT_EQ(str(rep["resolution"]["kind"]), "restart");
    }
  }
}

void check_incident_case(const std::string& name) {
  SCOPED_TRACE(name);
  auto c = analyze_case(name);
  check_against_truth(c->report, c->dir, c->truth);
}

TEST(Incidents, SeedClassicMissingInclude) {
  check_incident_case("seed-classic");
  auto c = analyze_case("seed-classic");
  EXPECT_EQ(str(c->report["root_cause"]["intended_path"]), "/srv/devgen-site/wp-includes/class-wp-locale.php");
}
TEST(Incidents, HtaccessPermissionDeniedWithoutRestart) { check_incident_case("htaccess-eacces"); }
TEST(Incidents, ParseErrorAcrossDstJump) {
  check_incident_case("parse-error-dst");
  auto c = analyze_case("parse-error-dst");
  EXPECT_TRUE(is_null(c->report["root_cause"]["errno"]));
  const double d = c->report["incident"]["duration_s"].get_double().value();  // about 70 s, not 1 h 10 min
  EXPECT_GT(d, 60);
  EXPECT_LT(d, 80);
}
TEST(Incidents, CapacitySpikeNoErrorStatusAtAll) {
  check_incident_case("capacity-spike");
  auto c = analyze_case("capacity-spike");
  EXPECT_NE(str(c->report["trigger"]["message"]).find("MJ12bot"), std::string::npos);  // the new client
}
TEST(Incidents, CacheDownAfterUpgrade) {
  check_incident_case("cache-down-after-upgrade");
  auto c = analyze_case("cache-down-after-upgrade");
  EXPECT_EQ(str(c->report["root_cause"]["service"]), c->truth["dependency_service"]);
  EXPECT_EQ(str(c->report["resolution"]["kind"]), "dependency_restored");
  EXPECT_NE(str(c->report["trigger"]["message"]).find("upgrade memcached"), std::string::npos);
}
TEST(Incidents, SegfaultRecursionAcrossMidnight) { check_incident_case("segfault-recursion"); }
TEST(Incidents, QuietDayHasNoIncident) { check_incident_case("quiet-day"); }
TEST(Incidents, NoisyDayHasNoIncident) { check_incident_case("noisy-day"); }

// The same case under other names (site root, host, program names): the same analysis. Nothing
// in the engine may know the recorded cases' paths or wording.
void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
}

void check_renamed(const std::string& name, const std::vector<std::pair<std::string, std::string>>& renames) {
  SCOPED_TRACE("renamed " + name);
  const std::string src = shared_dir() + "/incidents/" + name;
  const std::filesystem::path dst = std::filesystem::temp_directory_path() / ("hindcast-renamed-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dst);
  std::filesystem::create_directories(dst);
  for (const auto& f : std::filesystem::directory_iterator(src)) {
    std::string text = read_file(f.path().string());
    for (const auto& [from, to] : renames) replace_all(text, from, to);
    std::ofstream(dst / f.path().filename(), std::ios::binary) << text;
  }
  const CommandResult r = run_hindcast({"analyze", dst.string(), "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::parser p;
  const simdjson::dom::element rep = p.parse(simdjson::padded_string(r.out)).value();
  check_against_truth(rep, dst.string(), read_truth(dst.string()));
  std::filesystem::remove_all(dst);
}

TEST(Renamed, OtherRootHostAndProgramsSameAnalysis) {
  check_renamed("seed-classic", {{"/srv/devgen-site", "/home/shop/public_html"}, {"www1", "web-07"},
                                 {"deploy[", "release-agent["}, {"class-wp-locale", "i18n-core"}});
  check_renamed("htaccess-eacces", {{"/srv/devgen-site", "/var/lib/portal/htdocs"}, {"www1", "edge3"},
                                    {"harden-perms.sh --lock-dotfiles", "secure-tree --strict"}, {"CRON[", "cron["}});
  check_renamed("cache-down-after-upgrade", {{"/var/www/blog.example.com", "/srv/app"}, {"www1", "db-front"},
                                             {"object-cache.php", "cache-layer.php"}});
  check_renamed("segfault-recursion", {{"/var/www/blog.example.com", "/srv/magazine"}, {"www1", "node9"},
                                       {"deploy[", "shipit["}, {"shortcodes.php", "filters.php"}});
  check_renamed("capacity-spike", {{"/var/www/blog.example.com", "/srv/catalog"}, {"www1", "app2"},
                                   {"MJ12bot/v1.4.8; http://mj12bot.com/", "AcmeSpider/2.1; +https://acme.test/bot"}});
}

// Another kind on the same recorded traffic: seed-classic with its missing include replaced by a
// full disk. The page cache's writes fail with ENOSPC (in PHP's words in the error log, as the
// syscall in strace), a cron job that dumps a database into the site's volume is the change, and
// an admin removing the dump ends it. Nothing of the original cause is left.
std::string as_full_disk(const std::string& file, const std::string& text) {
  const std::string site = "/srv/devgen-site";
  const std::string cache = site + "/wp-content/cache/page-index.html";
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.find("class-wp-locale.phpp") != std::string::npos) {
      if (file == "error.log") {
        const size_t php = line.find("PHP ");
        const size_t referer = line.find(", referer:");
        const std::string tail = referer == std::string::npos ? "" : line.substr(referer);
        if (line.find("PHP Warning") != std::string::npos)
          line = line.substr(0, php) + "PHP Warning:  file_put_contents(" + cache +
                 "): Failed to open stream: No space left on device in " + site +
                 "/wp-content/plugins/page-cache/cache.php on line 41" + tail;
        else
          line = line.substr(0, php) + "PHP Fatal error:  Uncaught RuntimeException: page cache write failed in " + site +
                 "/wp-content/plugins/page-cache/cache.php:43" + tail;
      } else if (file == "strace.log" && line.find(" openat(") != std::string::npos) {
        line = line.substr(0, line.find(" openat(")) + " openat(AT_FDCWD, \"" + cache +
               "\", O_WRONLY|O_CREAT|O_TRUNC, 0666) = -1 ENOSPC (No space left on device) <0.000021>";
      } else {
        continue;  // the other probes of the missing file
      }
    }
    if (file == "syslog" && line.find(" deploy[") != std::string::npos)
      line = line.substr(0, line.find(" deploy[")) + " CRON[7805]: (root) CMD (/usr/local/sbin/db-dump --all > " + site +
             "/wp-content/backup/all.sql)";
    if (file == "syslog" && line.find("Reloading apache2") != std::string::npos)
      line = line.substr(0, line.find(" systemd[")) +
             " sudo[9774]:    admin : TTY=pts/0 ; PWD=/root ; USER=root ; COMMAND=/usr/bin/rm " + site +
             "/wp-content/backup/all.sql";
    if (file == "syslog" && line.find("apache2.service") != std::string::npos && line.find("Started") == std::string::npos)
      continue;
    out += line + "\n";
  }
  return out;
}

TEST(Transformed, SeedClassicAsAFullDisk) {
  const std::string src = shared_dir() + "/incidents/seed-classic";
  auto truth = read_truth(src);
  const std::filesystem::path dst = std::filesystem::temp_directory_path() / ("hindcast-full-disk-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dst);
  std::filesystem::create_directories(dst);
  for (const std::string f : {"access.log", "error.log", "strace.log", "syslog"})
    std::ofstream(dst / f, std::ios::binary) << as_full_disk(f, read_file(src + "/" + f));
  ASSERT_EQ(read_file((dst / "strace.log").string()).find("phpp"), std::string::npos);
  const CommandResult r = run_hindcast({"analyze", dst.string(), "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::parser p;
  const simdjson::dom::element rep = p.parse(simdjson::padded_string(r.out)).value();
  ASSERT_FALSE(is_null(rep["root_cause"]));
  EXPECT_EQ(str(rep["root_cause"]["kind"]), "disk_full");
  EXPECT_EQ(str(rep["root_cause"]["errno"]), "ENOSPC");
  EXPECT_EQ(str(rep["root_cause"]["path"]), "/srv/devgen-site/wp-content/cache/page-index.html");
  ASSERT_FALSE(is_null(rep["trigger"]));
  expect_near(time_of(rep["trigger"]["time"]), parse_time_ns(truth["trigger_utc"]), kSecond, "trigger");
  EXPECT_NE(str(rep["trigger"]["message"]).find("db-dump"), std::string::npos);
  ASSERT_FALSE(is_null(rep["resolution"]));
  expect_near(time_of(rep["resolution"]["time"]), parse_time_ns(truth["fix_utc"]), 2 * kSecond, "resolution");
  std::filesystem::remove_all(dst);
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
    EXPECT_EQ(str(rep["root_cause"]["kind"]), truth_kind(truth));
    if (!truth["bad_path"].empty()) {
      EXPECT_EQ(str(rep["root_cause"]["path"]), truth["bad_path"]);
      EXPECT_EQ(str(rep["root_cause"]["errno"]), truth["errno"]);
    } else {
      EXPECT_EQ(str(rep["root_cause"]["referenced_from"]["file"]), truth["root_cause_file"]);
    }
  }
}

// No access log (only the error log, syslog and traces): the errors themselves are the symptom
// (error_burst), the incident is found and the cause named; a quiet day stays quiet.
TEST(Incidents, WithoutAccessLogTheErrorsAreTheSymptom) {
  for (const std::string name : {"cache-down-after-upgrade", "seed-classic", "quiet-day", "noisy-day"}) {
    SCOPED_TRACE(name);
    const std::string dir = shared_dir() + "/incidents/" + name;
    auto truth = read_truth(dir);
    std::vector<std::string> args = {"analyze", "--format", "json"};
    for (const auto& f : std::filesystem::directory_iterator(dir)) {
      const std::string file = f.path().filename().string();
      if (!file.starts_with("access") && file != "truth.env") args.push_back(f.path().string());
    }
    const CommandResult r = run_hindcast(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    simdjson::dom::parser p;
    const simdjson::dom::element rep = p.parse(simdjson::padded_string(r.out)).value();
    if (truth_kind(truth).empty()) {
      EXPECT_TRUE(is_null(rep["incident"]));
      for (const auto a : rep["anomalies"].get_array()) EXPECT_NE(str(a["severity"]), "error") << str(a["kind"]);
      continue;
    }
    ASSERT_FALSE(is_null(rep["incident"]));
    if (!truth["incident_start_utc"].empty())
      expect_near(parse_time_ns(str(rep["incident"]["start"])), parse_time_ns(truth["incident_start_utc"]), 10 * kSecond,
                  "incident start");
    EXPECT_EQ(str(rep["root_cause"]["kind"]), truth_kind(truth));
    bool burst = false;
    for (const auto a : rep["anomalies"].get_array()) burst |= str(a["kind"]) == "error_burst";
    EXPECT_TRUE(burst);
  }
}

TEST(Timeline, SeedClassic) { check_timeline("seed-classic"); }
TEST(Timeline, HtaccessEacces) { check_timeline("htaccess-eacces"); }
TEST(Timeline, ParseErrorDst) { check_timeline("parse-error-dst"); }
TEST(Timeline, QuietDayAcrossUkDstHasNoHole) { check_timeline("quiet-day"); }
// strace -ff children that start after local midnight count their days from their own first
// line: each gets its run's date or the next, whichever its times fall in.
TEST(Timeline, SegfaultRecursionAcrossMidnight) { check_timeline("segfault-recursion"); }
TEST(Timeline, CapacitySpike) { check_timeline("capacity-spike"); }
TEST(Timeline, CacheDownAfterUpgrade) { check_timeline("cache-down-after-upgrade"); }
TEST(Timeline, NoisyDayAcrossMidnightAndRotation) { check_timeline("noisy-day"); }

}  // namespace
}  // namespace hindcast::test
