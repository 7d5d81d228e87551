// Detectors, each on real input.
#include <gtest/gtest.h>

#include "engine/findings/http_burst.h"
#include "engine/findings/path_failures.h"
#include "engine/findings/path_similarity.h"
#include "engine/findings/server_messages.h"
#include "engine/findings/service_events.h"
#include "engine/findings/php_errors.h"
#include "engine/ingest.h"
#include "tests/support/support.h"

namespace hindcast {
namespace {

TEST(PathSimilarity, EditDistance) {
  EXPECT_EQ(edit_distance("class-wp-locale.phpp", "class-wp-locale.php"), 1);  // doubled letter
  EXPECT_EQ(edit_distance("formating.php", "formatting.php"), 1);            // dropped letter
  EXPECT_EQ(edit_distance("wp-settigns.php", "wp-settings.php"), 1);         // swapped pair
  EXPECT_EQ(edit_distance("index.php", "index.php"), 0);
  EXPECT_EQ(edit_distance("", "abc"), 3);
}

TEST(PathSimilarity, IntendedPathSameDirectoryOnly) {
  const std::unordered_set<std::string> existing = {
      "/srv/devgen-site/wp-includes/class-wp-locale.php", "/srv/devgen-site/wp-includes/class-wp.php",
      "/srv/other/class-wp-locale.phpp2", "/srv/devgen-site/wp-includes/l10n.php"};
  EXPECT_EQ(find_intended_path("/srv/devgen-site/wp-includes/class-wp-locale.phpp", existing),
            "/srv/devgen-site/wp-includes/class-wp-locale.php");
  EXPECT_FALSE(find_intended_path("/srv/devgen-site/missing-page.html", existing).has_value());
  // Short names need an exact one-letter difference.
  EXPECT_FALSE(find_intended_path("/srv/devgen-site/wp-includes/l1.php", existing).has_value());
}

TEST(ServerMessages, PhpWarningNamesPathErrnoAndReference) {
  // seed-classic error.log.
  const auto f = read_server_message(
      "PHP Warning:  require(/srv/devgen-site/wp-includes/class-wp-locale.phpp): Failed to open stream: No such file or "
      "directory in /srv/devgen-site/wp-settings.php on line 134, referer: http://127.0.0.1:8088/");
  EXPECT_EQ(f.kind, ServerMessageKind::kPhpWarning);
  EXPECT_EQ(f.path, "/srv/devgen-site/wp-includes/class-wp-locale.phpp");
  EXPECT_EQ(f.errno_name, "ENOENT");
  EXPECT_EQ(f.ref_file, "/srv/devgen-site/wp-settings.php");
  EXPECT_EQ(f.ref_line, 134u);
}

TEST(ServerMessages, ParseErrorAndHtaccessDenied) {
  // parse-error-dst and htaccess-eacces error.log messages.
  auto f = read_server_message(
      "PHP Parse error:  Unmatched '}' in /srv/devgen-site/wp-includes/formatting.php on line 8");
  EXPECT_EQ(f.kind, ServerMessageKind::kPhpParseError);
  EXPECT_EQ(f.detail, "Unmatched '}'");
  EXPECT_FALSE(f.path.has_value());
  EXPECT_EQ(f.ref_file, "/srv/devgen-site/wp-includes/formatting.php");
  EXPECT_EQ(f.ref_line, 8u);
  f = read_server_message(
      "(13)Permission denied: [client 2001:db8:e49d::3cb9:0] AH00529: /srv/devgen-site/.htaccess pcfg_openfile: unable "
      "to check htaccess file, ensure it is readable and that '/srv/devgen-site/' is executable");
  EXPECT_EQ(f.kind, ServerMessageKind::kServerError);
  EXPECT_EQ(f.errno_name, "EACCES");
  EXPECT_EQ(f.path, "/srv/devgen-site/.htaccess");
}

Ingest load_case(const std::string& name, const std::vector<std::string>& files) {
  IngestOptions o;
  for (const auto& f : files) o.inputs.push_back(test::shared_dir() + "/incidents/" + name + "/" + f);
  auto in = ingest(o);
  EXPECT_TRUE(in.has_value());
  return std::move(*in);
}

TEST(HttpBurst, FindsTheFailureAndIgnoresBaseline404s) {
  const Ingest seed = load_case("seed-classic", {"access.log"});
  const auto burst = find_http_burst(seed.timeline);
  ASSERT_TRUE(burst.has_value());
  ASSERT_FALSE(burst->statuses.empty());
  EXPECT_EQ(burst->statuses.front(), 500);
  EXPECT_EQ(std::count(burst->statuses.begin(), burst->statuses.end(), 404), 0);
  EXPECT_FALSE(burst->still_failing);
  EXPECT_EQ(burst->failures, 484u);

  const Ingest quiet = load_case("quiet-day", {"access.log"});
  EXPECT_FALSE(find_http_burst(quiet.timeline).has_value());  // 404s all day are not a burst
}

TEST(PathFailures, ProbesAnd404FilesAreNoise) {
  const Ingest in = load_case("seed-classic", {"access.log", "error.log", "strace.log"});
  const auto burst = find_http_burst(in.timeline);
  ASSERT_TRUE(burst.has_value());
  const Window w = incident_window(in.timeline, *burst);
  const auto failures = find_path_failures(in.timeline, w);
  ASSERT_FALSE(failures.empty());
  EXPECT_EQ(failures.front().path, "/srv/devgen-site/wp-includes/class-wp-locale.phpp");
  EXPECT_GT(failures.front().confidence, 0.9);
  for (const auto& f : failures) {
    if (f.path.ends_with("/.htaccess")) {
      EXPECT_TRUE(f.probe) << f.path;
      EXPECT_EQ(f.confidence, 0) << f.path;
    }
    if (f.path.ends_with("missing-page.html")) {
      EXPECT_TRUE(f.behind_404) << f.path;
      EXPECT_EQ(f.confidence, 0) << f.path;
    }
  }
}

TEST(HealthChecks, CriticalThenOkFromCheckHttp) {
  const Ingest in = load_case("seed-classic", {"syslog"});
  const auto checks = find_health_checks(in.timeline, scope_span(in.timeline, std::nullopt));
  size_t failing = 0;
  for (const auto& c : checks) failing += c.failing;
  EXPECT_EQ(failing, 6u);
  EXPECT_GT(checks.size(), failing);  // HTTP OK lines too
  const auto& first_fail = *std::find_if(checks.begin(), checks.end(), [](const HealthCheck& c) { return c.failing; });
  EXPECT_EQ(in.timeline.event(first_fail.ref).line, 10u);
}

TEST(ServiceEvents, RestartRecordsInEveryLog) {
  const Ingest in = load_case("seed-classic", {"syslog", "error.log"});
  const auto events = find_service_events(in.timeline, scope_span(in.timeline, std::nullopt));
  size_t restarts = 0, starts = 0, stops = 0;
  for (const auto& e : events) {
    restarts += std::string_view(e.what) == "restart";
    starts += std::string_view(e.what) == "start";
    stops += std::string_view(e.what) == "stop";
  }
  EXPECT_EQ(restarts, 2u);  // systemd "Reloading", Apache "SIGHUP received"
  EXPECT_GE(starts, 2u);    // "Started apache2.service", "resuming normal operations"
  EXPECT_EQ(stops, 1u);     // "caught SIGTERM"
}

TEST(Changes, RoutineCronIsNotAChangeButAHardeningJobIs) {
  // htaccess-eacces: the same CRON tag writes routine debian-sa1 lines every 17 s and, once,
  // the job that locked .htaccess.
  const Ingest in = load_case("htaccess-eacces", {"syslog", "access.log"});
  const auto burst = find_http_burst(in.timeline);
  ASSERT_TRUE(burst.has_value());
  const auto changes = find_changes(in.timeline, in.timeline.event(burst->first).time_ns, 15 * 60 * kNanosPerSecond,
                                    {"/srv/devgen-site/.htaccess", "/srv/devgen-site"});
  ASSERT_FALSE(changes.empty());
  EXPECT_EQ(changes.front().program, "CRON");
  EXPECT_NE(changes.front().message.find("harden-perms.sh"), std::string::npos);
  for (const auto& c : changes) EXPECT_EQ(c.message.find("debian-sa1"), std::string::npos) << c.message;
}

TEST(PhpErrors, ParseErrorInTheWindowIsACause) {
  const Ingest in = load_case("parse-error-dst", {"access.log", "error.log"});
  const auto burst = find_http_burst(in.timeline);
  ASSERT_TRUE(burst.has_value());
  const auto groups = find_php_errors(in.timeline, incident_window(in.timeline, *burst));
  ASSERT_FALSE(groups.empty());
  EXPECT_EQ(groups.front().kind, "php_parse_error");
  EXPECT_EQ(groups.front().detail, "Unmatched '}'");
  ASSERT_TRUE(groups.front().location.has_value());
  EXPECT_EQ(groups.front().location->line, 8u);
  EXPECT_EQ(groups.front().inside, 492u);
  EXPECT_GT(groups.front().confidence, 0.8);
}

}  // namespace
}  // namespace hindcast
