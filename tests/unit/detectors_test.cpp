// Each detector on real input: the recorded incidents' own files, read through the real ingest.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/findings/analysis.h"
#include "engine/findings/consequence.h"
#include "engine/findings/incident.h"
#include "engine/ingest.h"
#include "engine/findings/pipeline.h"
#include "tests/support/support.h"

namespace hindcast {
namespace {

Ingest load_case(const std::string& name, const std::vector<std::string>& files) {
  IngestOptions o;
  for (const auto& f : files) o.inputs.push_back(test::shared_dir() + "/incidents/" + name + "/" + f);
  auto in = ingest(o, Executor());
  EXPECT_TRUE(in.has_value());
  return std::move(*in);
}

std::vector<Candidate> run_detector(const Analysis& a, std::string_view name) {
  std::vector<Candidate> out;
  const Detector* d = find_detector(name);
  EXPECT_NE(d, nullptr) << name;
  if (d) d->run(a, out);
  return out;
}

const Candidate* find_kind(const std::vector<Candidate>& v, std::string_view kind, Role role) {
  for (const Candidate& c : v)
    if (c.kind == kind && c.role == role) return &c;
  return nullptr;
}

TEST(HttpFailures, TheBurstAndNotTheBaseline404s) {
  const Ingest in = load_case("seed-classic", {"access.log"});
  Analysis a(in.timeline);
  const auto found = run_detector(a, "http_failures");
  const Candidate* burst = find_kind(found, "http_5xx_burst", Role::kSymptom);
  ASSERT_NE(burst, nullptr);
  EXPECT_EQ(burst->object, "500");
  EXPECT_EQ(burst->count, 484u);
  EXPECT_TRUE(burst->primary);
  EXPECT_FALSE(burst->open_ended);
  for (const Candidate& c : found) EXPECT_NE(c.object, "404");  // ordinary 404s all day are no burst
}

TEST(HttpFailures, AScannersFourOhFoursAreNoise) {
  // noisy-day: one address asks for /.env, /.git/config, ...: 58% 404s in its 20 s, others as usual.
  const Ingest in = load_case("noisy-day", {"access.log.1", "access.log"});
  Analysis a(in.timeline);
  const auto found = run_detector(a, "http_failures");
  const Candidate* scan = find_kind(found, "http_4xx_burst", Role::kNoise);
  ASSERT_NE(scan, nullptr);
  ASSERT_TRUE(scan->client.has_value());
  EXPECT_NE(scan->client->find("45.148.10.62"), std::string::npos);
  EXPECT_EQ(find_kind(found, "http_4xx_burst", Role::kSymptom), nullptr);
}

TEST(HttpFailures, ForbiddenForEveryoneIsAnOutage) {
  // htaccess-eacces: every client gets 403.
  const Ingest in = load_case("htaccess-eacces", {"access.log"});
  Analysis a(in.timeline);
  const auto found_burst = run_detector(a, "http_failures");
  const Candidate* burst = find_kind(found_burst, "http_4xx_burst", Role::kSymptom);
  ASSERT_NE(burst, nullptr);
  EXPECT_EQ(burst->object, "403");
  EXPECT_FALSE(burst->client.has_value());
}

// The request-gap detector's "typical gap" is the exact median, found from a histogram of the
// gaps' magnitudes: checked against sorting, on second-stamped, microsecond and bursty series.
TEST(RequestGaps, TheMedianGapIsExact) {
  const auto sorted_median = [](const std::vector<Request>& q) {
    std::vector<int64_t> gaps;
    for (size_t i = 1; i < q.size(); ++i) gaps.push_back(q[i].time_ns - q[i - 1].time_ns);
    std::sort(gaps.begin(), gaps.end());
    return gaps[gaps.size() / 2];
  };
  uint64_t x = 88172645463325252ull;  // xorshift: the same series every run
  const auto next = [&x] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  for (int shape = 0; shape < 5; ++shape) {
    for (size_t n : {2, 3, 100, 1001, 50000}) {
      std::vector<Request> q;
      int64_t t = 1'700'000'000 * kNanosPerSecond;
      for (size_t i = 0; i < n; ++i) {
        const uint64_t r = next();
        switch (shape) {
          case 0: t += static_cast<int64_t>(r % 3 == 0) * kNanosPerSecond; break;     // stamped to the second, busy
          case 1: t += static_cast<int64_t>(r % 5) * kNanosPerSecond; break;          // stamped to the second, quiet
          case 2: t += static_cast<int64_t>(r % 2'000'000) * 1000; break;             // microseconds
          case 3: t += static_cast<int64_t>(r % 97); break;                           // nanoseconds, below a bucket
          default: t += static_cast<int64_t>(r % 4 == 0 ? r % (3600 * kNanosPerSecond) : r % 1000); break;  // bursts
        }
        q.push_back(Request{t, 0, 0, 200});
      }
      EXPECT_EQ(median_gap(q), sorted_median(q)) << "shape " << shape << ", " << n << " requests";
    }
  }
  EXPECT_EQ(median_gap({}), 0);
}

TEST(MonitorChecks, ARunOfFailuresAndALoneLostCheck) {
  const Ingest cap = load_case("capacity-spike", {"syslog"});
  Analysis a(cap.timeline);
  const auto found = run_detector(a, "monitor_checks");
  const Candidate* run = find_kind(found, "health_check_failing", Role::kSymptom);
  ASSERT_NE(run, nullptr);
  EXPECT_EQ(run->count, 6u);  // six "CRITICAL - Socket timeout after 10 seconds"
  EXPECT_EQ(run->evidence.size(), 2u);  // the first failure and the first pass after it

  const Ingest noisy = load_case("noisy-day", {"syslog"});
  Analysis b(noisy.timeline);
  const auto lone = run_detector(b, "monitor_checks");
  EXPECT_EQ(find_kind(lone, "health_check_failing", Role::kSymptom), nullptr);
  EXPECT_NE(find_kind(lone, "health_check_failing", Role::kNoise), nullptr);
}

// Two monitors in one analysis: a second host's check_http passing throughout, 5 s after each of
// capacity-spike's checks. The failing run is www1's, and what ends it is www1's next pass, not
// the other monitor's passes in between.
TEST(MonitorChecks, ARunIsEndedByItsOwnMonitorsPass) {
  const std::string src = test::shared_dir() + "/incidents/capacity-spike/syslog";
  std::istringstream in(test::read_file(src));
  std::string other;
  for (std::string line; std::getline(in, line);) {
    if (line.find(" www1 check_http ") == std::string::npos) continue;
    // "<13>1 2026-05-14T10:21:03.190610-07:00 www1 ..." -> db1, 5 s later, passing.
    const size_t sec = line.find(':', line.find(':') + 1) + 1;
    const int s = std::stoi(line.substr(sec, 2)) + 5;
    line.replace(sec, 2, (s < 10 ? "0" : "") + std::to_string(s));
    line.replace(line.find(" www1 "), 6, " db1 ");
    line = line.substr(0, line.find(" - -  ") + 6) + "HTTP OK: HTTP/1.1 200 OK - 203 bytes in 0.001 second response time";
    other += line + "\n";
  }
  const std::string path = ::testing::TempDir() + "/db1-syslog";
  std::ofstream(path) << other;
  IngestOptions o;
  o.inputs = {src, path};
  const auto both = ingest(o, Executor());
  ASSERT_TRUE(both.has_value());
  Analysis a(both->timeline);
  const auto found = run_detector(a, "monitor_checks");
  const Candidate* run = find_kind(found, "health_check_failing", Role::kSymptom);
  ASSERT_NE(run, nullptr);
  EXPECT_EQ(run->count, 6u);
  ASSERT_EQ(run->evidence.size(), 2u);
  Record pass;
  ASSERT_TRUE(decode_record(both->timeline.source(run->evidence[1]), both->timeline.event(run->evidence[1]), &pass));
  EXPECT_EQ(pass.host, "www1");
  EXPECT_TRUE(pass.message.starts_with("HTTP OK")) << pass.message;
  EXPECT_EQ(find_kind(found, "health_check_failing", Role::kNoise), nullptr);
}

TEST(Crashes, OneCrashToldByTwoLogsIsCountedOnce) {
  std::vector<std::string> files{"error.log"};
  for (const auto& e : std::filesystem::directory_iterator(test::shared_dir() + "/incidents/segfault-recursion"))
    if (e.path().filename().string().starts_with("strace.out.")) files.push_back(e.path().filename().string());
  const Ingest in = load_case("segfault-recursion", files);
  Analysis a(in.timeline);
  const auto found_burst = run_detector(a, "process_crashes");
  const Candidate* burst = find_kind(found_burst, "process_crashes", Role::kSymptom);
  ASSERT_NE(burst, nullptr);
  EXPECT_EQ(burst->count, 43u);  // the error log's 43 AH00052, not 43 + strace's 32
  EXPECT_EQ(burst->signal, "SIGSEGV");
}

TEST(Latency, TheCrawlersSlowPagesStandOut) {
  const Ingest in = load_case("capacity-spike", {"access.log"});
  Analysis a(in.timeline);
  const auto found_slow = run_detector(a, "latency");
  const Candidate* slow = find_kind(found_slow, "latency_high", Role::kSymptom);
  ASSERT_NE(slow, nullptr);
  EXPECT_GE(slow->count, 250u);
  EXPECT_FALSE(slow->primary);  // slow pages alone are not an outage
}

TEST(SyscallFailures, TheMisspelledIncludeAndNotTheProbes) {
  const Ingest in = load_case("seed-classic", {"access.log", "error.log", "strace.log"});
  Analysis a(in.timeline);
  run_analysis(a);
  const auto found = run_detector(a, "syscall_failures");
  ASSERT_FALSE(found.empty());
  const Candidate* missing = find_kind(found, "missing_file", Role::kCause);
  ASSERT_NE(missing, nullptr);
  EXPECT_EQ(missing->object, "/srv/devgen-site/wp-includes/class-wp-locale.phpp");
  EXPECT_EQ(missing->intended_path, "/srv/devgen-site/wp-includes/class-wp-locale.php");
  for (const Candidate& c : found) {
    EXPECT_FALSE(c.object.ends_with("/.htaccess")) << c.object;        // looked up in every directory
    EXPECT_FALSE(c.object.ends_with("missing-page.html")) << c.object;  // behind ordinary 404s
  }
}

TEST(SyscallFailures, ANonBlockingConnectsRefusalIsReadFromGetsockopt) {
  // cache-down-after-upgrade: connect() = EINPROGRESS, then getsockopt(SO_ERROR) = [ECONNREFUSED].
  const Ingest in = load_case("cache-down-after-upgrade", {"access.log", "strace.log"});
  Analysis a(in.timeline);
  run_analysis(a);
  const auto found_dep = run_detector(a, "syscall_failures");
  const Candidate* dep = find_kind(found_dep, "dependency_down", Role::kCause);
  ASSERT_NE(dep, nullptr);
  EXPECT_EQ(dep->object, "127.0.0.1:11211");
  EXPECT_EQ(dep->errno_name, "ECONNREFUSED");
  EXPECT_GE(dep->count, 300u);
}

TEST(MessageCauses, NewAtTheOnsetAndGroupedByObject) {
  const Ingest in = load_case("parse-error-dst", {"access.log", "error.log", "syslog"});
  Analysis a(in.timeline);
  run_analysis(a);
  const auto found_parse = run_detector(a, "message_causes");
  const Candidate* parse = find_kind(found_parse, "php_parse_error", Role::kCause);
  ASSERT_NE(parse, nullptr);
  EXPECT_EQ(parse->object, "/srv/devgen-site/wp-includes/formatting.php");
  ASSERT_TRUE(parse->referenced_from.has_value());
  EXPECT_EQ(parse->referenced_from->line, 8u);
  EXPECT_EQ(parse->count, 492u);
}

TEST(Changes, RoutineCronIsNotAChangeButAHardeningJobIs) {
  // htaccess-eacces: the CRON tag writes routine debian-sa1 lines every 17 s and, once, the
  // job that locked .htaccess.
  const Ingest in = load_case("htaccess-eacces", {"syslog", "access.log", "error.log"});
  Analysis a(in.timeline);
  run_analysis(a);
  ASSERT_FALSE(a.changes.empty());
  Record r;
  const EventRef ref = a.changes.front().evidence.front();
  ASSERT_TRUE(decode_record(in.timeline.source(ref), in.timeline.event(ref), &r));
  EXPECT_EQ(r.program, "CRON");
  EXPECT_NE(r.message.find("/srv/devgen-site"), std::string_view::npos);
  for (const Candidate& c : a.changes) {
    Record x;
    decode_record(in.timeline.source(c.evidence.front()), in.timeline.event(c.evidence.front()), &x);
    EXPECT_EQ(x.message.find("debian-sa1"), std::string_view::npos) << x.message;
  }
}

TEST(Changes, APackageUpgradeOfTheFailedDependency) {
  const Ingest in = load_case("cache-down-after-upgrade", {"syslog", "access.log", "error.log", "dpkg.log"});
  Analysis a(in.timeline);
  run_analysis(a);
  ASSERT_FALSE(a.changes.empty());
  EXPECT_EQ(a.changes.front().kind, "package_change");
  EXPECT_EQ(a.changes.front().object, "memcached:amd64");
}

TEST(NewClient, TheCrawlerIsTheTrigger) {
  const Ingest in = load_case("capacity-spike", {"syslog", "access.log", "error.log"});
  Analysis a(in.timeline);
  run_analysis(a);
  ASSERT_FALSE(a.changes.empty());
  const Candidate& c = a.changes.front();
  EXPECT_EQ(c.kind, "new_client");
  EXPECT_NE(c.object.find("MJ12bot"), std::string::npos);
  EXPECT_EQ(c.url, "/?m=");
}

TEST(Resolution, TheDependencyStartedAgain) {
  const Ingest in = load_case("cache-down-after-upgrade", {"syslog", "access.log", "error.log", "dpkg.log"});
  Analysis a(in.timeline);
  run_analysis(a);
  ASSERT_FALSE(a.resolutions.empty());
  EXPECT_EQ(a.resolutions.front().kind, "dependency_restored");
}

TEST(Resolution, NoRestartMeansRecovered) {
  const Ingest in = load_case("htaccess-eacces", {"syslog", "access.log", "error.log"});
  Analysis a(in.timeline);
  run_analysis(a);
  ASSERT_FALSE(a.resolutions.empty());
  EXPECT_EQ(a.resolutions.front().kind, "recovered");
}

}  // namespace
}  // namespace hindcast

namespace hindcast {
namespace {

// What came of a failing call: the worker that could not find the include answered 500.
TEST(Consequence, TheMissingIncludeIsFollowedByTheFailingResponse) {
  const Ingest in = load_case("seed-classic", {"access.log", "error.log", "strace.log"});
  Analysis a(in.timeline);
  run_analysis(a);
  const Candidate* missing = nullptr;
  for (const Candidate& c : a.causes)
    if (c.is(CauseKind::kMissingFile)) missing = &c;
  ASSERT_NE(missing, nullptr);
  EXPECT_GE(missing->followed_by_failure, 8u);
  EXPECT_EQ(missing->followed_by_success, 0u);
}

// The .htaccess look-ups of a healthy server fail with ENOENT and the request is served: a probe
// (the requests that fail after them are the ordinary 404s, about one in seven).
TEST(Consequence, LookupsAServerSurvivesAreFollowedBySuccess) {
  const Ingest in = load_case("quiet-day", {"access.log", "strace.log"});
  Analysis a(in.timeline);
  size_t succeeded = 0, failed = 0;
  for (const Source& s : in.timeline.sources()) {
    for (size_t i = 0; i < s.events.size() && succeeded + failed < 40; ++i) {
      const Event& e = s.events[i];
      if (e.kind != EventKind::kSyscall || !e.code || s.line_text(e).find("/.htaccess\"") == std::string_view::npos) continue;
      const Outcome o = outcome_after(a, EventRef{static_cast<uint32_t>(i), s.id});
      succeeded += o == Outcome::kSucceeded;
      failed += o == Outcome::kFailed;
    }
  }
  EXPECT_GE(succeeded, 20u);
  EXPECT_LE(failed * 4, succeeded) << failed << " followed by failure";
}

}  // namespace
}  // namespace hindcast
