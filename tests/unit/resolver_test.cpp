// The resolver on real lines: zone, year and date inferred from the other sources.
#include <gtest/gtest.h>

#include <cstdio>
#include <limits>
#include <algorithm>
#include <fstream>

#include "engine/resolve/clock_model.h"
#include "engine/resolve/embedded_clues.h"
#include "engine/resolve/resolver.h"
#include "parsers/apache_access.h"
#include "parsers/apache_error.h"
#include "parsers/strace.h"
#include "parsers/syslog_rfc3164.h"
#include "tests/support/support.h"
#include "tests/unit/parse_helpers.h"

namespace hindcast {
namespace {

int64_t utc(const char* s) { return test::parse_time_ns(s); }

Source named(Source s, const char* path, uint16_t id) {
  s.path = path;
  s.id = id;
  return s;
}

// parse-error-dst: Sydney's clocks jump from 02:00 AEST (+10) to 03:00 AEDT (+11) at 16:00Z,
// inside the failure. Only the access log carries offsets.
std::vector<Source> dst_sources() {
  std::vector<Source> v;
  v.push_back(named(test::parse_text(ApacheAccessParser{},
      "66.168.16.95 - - [04/Oct/2026:01:59:59 +1000] \"GET /?p=12 HTTP/1.1\" 500 185 \"-\" \"Mozilla/5.0\"\n"
      "172.232.114.43 - - [04/Oct/2026:03:00:00 +1100] \"GET /robots.txt HTTP/1.1\" 200 271 \"https://www.google.com/\" \"UptimeRobot/2.0\"\n"),
      "access.log", 0));
  v.push_back(named(test::parse_text(ApacheErrorParser{},
      "[Sun Oct 04 01:59:59.969831 2026] [php:error] [pid 30329:tid 30329] [client 66.168.16.95:0] PHP Parse error:  Unmatched '}' in /srv/devgen-site/wp-includes/formatting.php on line 8\n"
      "[Sun Oct 04 03:00:00.032820 2026] [php:error] [pid 30328:tid 30328] [client 185.94.61.194:0] PHP Parse error:  Unmatched '}' in /srv/devgen-site/wp-includes/formatting.php on line 8\n"),
      "error.log", 1));
  v.push_back(named(test::parse_text(SyslogRfc3164Parser{},
      "Oct  4 01:59:53 www1 check_http[550]: HTTP CRITICAL: HTTP/1.1 500 - www.example.org/ returned 500\n"
      "Oct  4 03:00:02 www1 CRON[865]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)\n"),
      "syslog", 2));
  v.push_back(named(test::parse_text(StraceParser{},
      "01:59:59.953724 accept4(5, {sa_family=AF_INET, sin_port=htons(35158), sin_addr=inet_addr(\"127.0.0.1\")}, [128 => 16], SOCK_CLOEXEC) = 12\n"
      "03:00:00.014813 fcntl(12, F_GETFL)      = 0x2 (flags O_RDWR)\n", 30327),
      "strace.out.30327", 3));
  return v;
}

TEST(Resolver, DstSpringForwardInferredFromAccessLogOffsets) {
  auto sources = dst_sources();
  auto out = resolve_times(sources, {});
  ASSERT_TRUE(out.has_value());
  EXPECT_TRUE(out->clock_is_inferred);
  // error.log: no zone; 01:59:59.97 is +10, 03:00:00.03 is +11: 62 ms apart, not 1 hour.
  EXPECT_EQ(sources[1].events[0].time_ns, utc("2026-10-03T15:59:59.969831Z"));
  EXPECT_EQ(sources[1].events[1].time_ns, utc("2026-10-03T16:00:00.032820Z"));
  EXPECT_TRUE(sources[1].events[0].basis & kBasisOffsetInferred);
  // syslog: no year, no zone.
  EXPECT_EQ(sources[2].events[0].time_ns, utc("2026-10-03T15:59:53Z"));
  EXPECT_EQ(sources[2].events[1].time_ns, utc("2026-10-03T16:00:02Z"));
  EXPECT_TRUE(sources[2].events[0].basis & kBasisYearInferred);
  EXPECT_EQ(sources[2].time_basis.rfind("year inferred from access.log: 2026", 0), 0u) << sources[2].time_basis;
  // strace -tt: no date, no zone.
  EXPECT_EQ(sources[3].events[0].time_ns, utc("2026-10-03T15:59:59.953724Z"));
  EXPECT_EQ(sources[3].events[1].time_ns, utc("2026-10-03T16:00:00.014813Z"));
  EXPECT_TRUE(sources[3].events[0].basis & kBasisDateAnchored);
  EXPECT_EQ(sources[0].time_basis, "explicit offset");
}

// The parse records which timestamp shapes each source has; the resolver reads a source for a
// step only where it may have that step's lines. Sources whose shapes nobody recorded (events
// put in by hand) are read whole, and resolve the same.
TEST(Resolver, TheParseSaysWhichShapesASourceHasAndSkippingByThemChangesNothing) {
  auto sources = dst_sources();
  EXPECT_EQ(sources[0].shapes, shape_bit(TimeShape::kAbsolute));
  EXPECT_EQ(sources[1].shapes, shape_bit(TimeShape::kLocalDateTime));
  EXPECT_EQ(sources[2].shapes, shape_bit(TimeShape::kLocalNoYear));
  EXPECT_EQ(sources[3].shapes, shape_bit(TimeShape::kLocalTimeOfDay));
  auto unknown = dst_sources();
  for (Source& s : unknown) s.shapes = ~uint32_t{0};
  ASSERT_TRUE(resolve_times(sources, {}).has_value());
  ASSERT_TRUE(resolve_times(unknown, {}).has_value());
  for (size_t i = 0; i < sources.size(); ++i) {
    ASSERT_EQ(sources[i].events.size(), unknown[i].events.size());
    EXPECT_EQ(sources[i].time_basis, unknown[i].time_basis);
    for (size_t k = 0; k < sources[i].events.size(); ++k) {
      EXPECT_EQ(sources[i].events[k].time_ns, unknown[i].events[k].time_ns) << sources[i].path << " line " << k + 1;
      EXPECT_EQ(sources[i].events[k].basis, unknown[i].events[k].basis) << sources[i].path << " line " << k + 1;
    }
  }
}

TEST(Resolver, TraceDateComesFromTheLinesItWrote) {
  // parse-error-dst strace.out.30327 with no other dated source than what PHP wrote through it:
  // the embedded error-log line carries the date; the skew is the write's delay (20 us).
  std::vector<Source> v;
  v.push_back(named(test::parse_text(StraceParser{},
      "01:59:28.827199 write(2, \"[Sun Oct 04 01:59:28.827179 2026] [php:error] [pid 30327:tid 30327] [client 185.114.138.137:0] PHP Parse error:  Unmatched '}' in /srv/devgen-site/wp-includes/formatting.php on line 8, referer: http://127.0.0.1:8088/\\n\", 217) = 217\n", 30327),
      "strace.out.30327", 0));
  ASSERT_TRUE(resolve_times(v, {.tz = "Australia/Sydney", .year = std::nullopt}).has_value());
  EXPECT_EQ(v[0].events[0].time_ns, utc("2026-10-03T15:59:28.827199Z"));
  EXPECT_NE(v[0].time_basis.find("embedded error-log lines (1, median skew +0.000020 s): 2026-10-04"), std::string::npos)
      << v[0].time_basis;
}

TEST(Resolver, YearEndAcrossSyslogStraceAndErrorLog) {
  // Real lines of the incidents, re-dated to New Year's Eve in New York (-05:00): syslog goes
  // Dec 31 -> Jan 1 with no year, strace -tt crosses midnight with no date, the error log has no
  // zone. Only the access log says the year and the offset.
  std::vector<Source> v;
  v.push_back(named(test::parse_text(ApacheAccessParser{},
      "66.168.16.95 - - [31/Dec/2026:23:59:58 -0500] \"GET /?p=12 HTTP/1.1\" 500 185 \"-\" \"Mozilla/5.0\"\n"
      "172.232.114.43 - - [01/Jan/2027:00:00:02 -0500] \"GET /robots.txt HTTP/1.1\" 200 271 \"https://www.google.com/\" \"UptimeRobot/2.0\"\n"),
      "access.log", 0));
  v.push_back(named(test::parse_text(SyslogRfc3164Parser{},
      "Dec 31 23:59:53 www1 check_http[550]: HTTP CRITICAL: HTTP/1.1 500 - www.example.org/ returned 500\n"
      "Jan  1 00:00:03 www1 check_http[551]: HTTP CRITICAL: HTTP/1.1 500 - www.example.org/ returned 500\n"),
      "syslog", 1));
  v.push_back(named(test::parse_text(StraceParser{},
      "7086  23:59:18.667470 write(2, \"[Thu Dec 31 23:59:18.667448 2026] [php:warn] [pid 7086:tid 7086] [client 81.68.166.74:0] PHP Warning:  require(/srv/devgen-site/wp-includes/class-wp-locale.phpp): Failed to open stream: No such file or directory in /srv/devgen-site/wp-settings.php on line \"..., 294) = 294 <0.000014>\n"
      "7086  23:59:59.953724 accept4(5, {sa_family=AF_INET, sin_port=htons(35158), sin_addr=inet_addr(\"127.0.0.1\")}, [128 => 16], SOCK_CLOEXEC) = 12 <0.000010>\n"
      "7086  00:00:00.014813 fcntl(12, F_GETFL) = 0x2 (flags O_RDWR) <0.000003>\n"),
      "strace.log", 2));
  v.push_back(named(test::parse_text(ApacheErrorParser{},
      "[Thu Dec 31 23:59:59.969831 2026] [php:error] [pid 30329:tid 30329] [client 66.168.16.95:0] PHP Parse error:  Unmatched '}' in /srv/devgen-site/wp-includes/formatting.php on line 8\n"
      "[Fri Jan 01 00:00:00.032820 2027] [php:error] [pid 30328:tid 30328] [client 185.94.61.194:0] PHP Parse error:  Unmatched '}' in /srv/devgen-site/wp-includes/formatting.php on line 8\n"),
      "error.log", 3));
  ASSERT_TRUE(resolve_times(v, {}).has_value());
  EXPECT_EQ(v[1].events[0].time_ns, utc("2027-01-01T04:59:53Z"));
  EXPECT_EQ(v[1].events[1].time_ns, utc("2027-01-01T05:00:03Z"));  // Jan 1 is the next year
  EXPECT_EQ(v[2].events[0].time_ns, utc("2027-01-01T04:59:18.667470Z"));
  EXPECT_EQ(v[2].events[2].time_ns, utc("2027-01-01T05:00:00.014813Z"));  // past midnight: next day
  EXPECT_EQ(v[3].events[1].time_ns, utc("2027-01-01T05:00:00.032820Z"));
  EXPECT_NE(v[2].time_basis.find("2026-12-31"), std::string::npos) << v[2].time_basis;
}

TEST(Resolver, StraceFilesOfOneRunShareTheDate) {
  // parse-error-dst: the parent's file (30325) has no line that embeds a date; its child's file
  // (30327) does. The parent takes the run's date, not a guess.
  std::vector<Source> v;
  v.push_back(named(test::parse_text(StraceParser{},
      "01:59:28.827199 write(2, \"[Sun Oct 04 01:59:28.827179 2026] [php:error] [pid 30327:tid 30327] [client 185.114.138.137:0] PHP Parse error:  Unmatched '}' in /srv/devgen-site/wp-includes/formatting.php on line 8, referer: http://127.0.0.1:8088/\\n\", 217) = 217\n",
      30327), "run/strace.out.30327", 0));
  v.push_back(named(test::parse_text(StraceParser{},
      "01:59:29.000000 wait4(-1, 0x7ffdb3d7d1dc, WNOHANG|WSTOPPED, NULL) = 0\n", 30325), "run/strace.out.30325", 1));
  ASSERT_TRUE(resolve_times(v, {.tz = "Australia/Sydney", .year = std::nullopt}).has_value());
  EXPECT_EQ(v[1].events[0].time_ns, utc("2026-10-03T15:59:29Z"));
  EXPECT_EQ(v[1].time_basis.rfind("date anchored on its run's strace.out.30327: 2026-10-04", 0), 0u) << v[1].time_basis;
}

TEST(Resolver, SeveralHostsKeepTheirOwnOffsets) {
  // One collected syslog file from two hosts (the incidents' check_http and CRON lines): each
  // host's high-precision lines carry its offset, and its traditional lines are read with it.
  // The Source keeps a pointer to its parser and the resolver decodes host names through it:
  // the parser must outlive the call (a temporary here was a stack-use-after-scope under ASan).
  static const SyslogRfc3164Parser syslog;
  std::vector<Source> v;
  v.push_back(named(test::parse_text(syslog,
      "2026-04-02T18:30:33.000000+09:00 www1 check_http[24852]: HTTP OK: HTTP/1.1 200 OK - www.example.org/\n"
      "2023-11-03T09:00:33.000000-04:00 db1 check_http[7670]: HTTP OK: HTTP/1.1 200 OK - www.example.org/\n"
      "Apr  2 18:30:43 www1 CRON[25085]: (root) CMD (/usr/local/sbin/harden-perms.sh --lock-dotfiles /srv/devgen-site)\n"
      "Nov  3 09:00:43 db1 deploy[7805]: release wp-2023.11.03-1 rolled out to www1: 1 file changed (/srv/devgen-site/wp-settings.php)\n"),
      "syslog", 0));
  v[0].mtime_ns = utc("2026-11-01T00:00:00Z");
  ASSERT_TRUE(resolve_times(v, {.tz = std::nullopt, .year = 2026}).has_value());
  EXPECT_EQ(v[0].events[2].offset_minutes, 9 * 60);
  EXPECT_EQ(v[0].events[3].offset_minutes, -4 * 60);
  EXPECT_NE(v[0].time_basis.find("hosts with their own clocks: db1"), std::string::npos) << v[0].time_basis;
}

TEST(Resolver, EachHostTreeIsDatedByItsOwnClock) {
  // Two host trees (hosts/web-1/, hosts/db-1/, as ingest names them): the web host logs local time
  // at +05:30, the database host keeps UTC. Each host's zone-less lines take their own host's
  // offset; the database's +00:00 writer is its clock, not a UTC-writing program to be ignored
  // because another host shows a local offset.
  static const SyslogRfc3164Parser syslog;
  std::vector<Source> v;
  v.push_back(named(test::parse_text(ApacheAccessParser{},
      "10.0.0.9 - - [07/Mar/2026:10:00:00 +0530] \"GET / HTTP/1.1\" 200 512 \"-\" \"check_http/v2.3.3\"\n"
      "10.0.0.9 - - [07/Mar/2026:10:00:10 +0530] \"GET / HTTP/1.1\" 500 512 \"-\" \"check_http/v2.3.3\"\n"),
      "hosts/web-1/var/log/apache2/access.log", 0));
  v.push_back(named(test::parse_text(syslog,
      "Mar  7 10:00:05 web-1 CRON[881]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)\n"),
      "hosts/web-1/var/log/syslog", 1));
  v.push_back(named(test::parse_text(syslog,
      "2026-03-07T04:30:03.000000+00:00 db-1 systemd[1]: Started mariadb.service - MariaDB 10.11.6 database server.\n"),
      "hosts/db-1/var/log/daemon.log", 2));
  v.push_back(named(test::parse_text(syslog,
      "Mar  7 04:30:06 db-1 kernel: [ 8812.112233] Out of memory: Killed process 913 (mariadbd)\n"),
      "hosts/db-1/var/log/kern.log", 3));
  for (Source& s : v) s.mtime_ns = utc("2026-03-07T06:00:00Z");
  v[0].host = v[1].host = "web-1";
  v[2].host = v[3].host = "db-1";
  ASSERT_TRUE(resolve_times(v, {.tz = std::nullopt, .year = 2026}).has_value());
  EXPECT_EQ(v[1].events[0].time_ns, utc("2026-03-07T04:30:05Z"));
  EXPECT_EQ(v[3].events[0].time_ns, utc("2026-03-07T04:30:06Z"));
  for (const std::string& w : v[2].warnings) EXPECT_EQ(w.find("read as a UTC writer"), std::string::npos) << w;
}

TEST(Resolver, ExplicitZoneOverridesInference) {
  auto sources = dst_sources();
  auto out = resolve_times(sources, {.tz = "UTC", .year = std::nullopt});
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(sources[1].events[0].time_ns, utc("2026-10-04T01:59:59.969831Z"));
  EXPECT_TRUE(sources[1].events[0].basis & kBasisZoneOption);
  EXPECT_FALSE(resolve_times(sources, {.tz = "Mars/Olympus_Mons", .year = std::nullopt}).has_value());
}

TEST(Resolver, RepeatedHourKeepsFileOrder) {
  // lnav logfile_dst.0: a Mac's syslog across the US fall-back (Nov 3 2013): 01:59:14 is
  // followed by 01:24:56, the second 01:xx hour. With --tz and --year the repeated hour is read
  // in file order, never clamped, never an hour backwards.
  std::vector<Source> v;
  v.push_back(named(test::parse_text(SyslogRfc3164Parser{},
      "Nov  3 01:41:30 Tims-MacBook-Air syslogd[634]: ASL Sender Statistics\n"
      "Nov  3 01:59:14 Tims-MacBook-Air syslogd[634]: ASL Sender Statistics\n"
      "Nov  3 01:24:56 Tims-MacBook-Air syslogd[634]: ASL Sender Statistics\n"
      "Nov  3 01:38:13 Tims-MacBook-Air syslogd[634]: ASL Sender Statistics\n"
      "Nov  3 02:08:19 Tims-MacBook-Air syslogd[634]: ASL Sender Statistics\n"),
      "logfile_dst.0", 0));
  auto out = resolve_times(v, {.tz = "America/Los_Angeles", .year = 2013});
  ASSERT_TRUE(out.has_value());
  const auto& e = v[0].events;
  EXPECT_EQ(e[0].time_ns, utc("2013-11-03T08:41:30Z"));  // PDT
  EXPECT_EQ(e[1].time_ns, utc("2013-11-03T08:59:14Z"));  // PDT
  EXPECT_EQ(e[2].time_ns, utc("2013-11-03T09:24:56Z"));  // PST: the hour repeats
  EXPECT_EQ(e[3].time_ns, utc("2013-11-03T09:38:13Z"));
  EXPECT_EQ(e[4].time_ns, utc("2013-11-03T10:08:19Z"));
  EXPECT_TRUE(e[0].basis & kBasisYearOption);
}

TEST(Resolver, NoEvidenceFallsBackToUtcAndMtimeWithWarnings) {
  std::vector<Source> v;
  v.push_back(named(test::parse_text(SyslogRfc3164Parser{},
      "Nov  3 01:41:30 Tims-MacBook-Air syslogd[634]: ASL Sender Statistics\n"), "logfile_dst.0", 0));
  v[0].mtime_ns = utc("2014-02-01T00:00:00Z");
  auto out = resolve_times(v, {});
  ASSERT_TRUE(out.has_value());
  EXPECT_TRUE(out->clock_is_assumed_utc);
  // The last line (Nov 3) is after the mtime's Feb 1, so it belongs to the year before.
  EXPECT_EQ(v[0].events[0].time_ns, utc("2013-11-03T01:41:30Z"));
  EXPECT_TRUE(v[0].events[0].basis & kBasisYearFromMtime);
  EXPECT_TRUE(v[0].events[0].basis & kBasisAssumedUtc);
  EXPECT_EQ(out->warnings.size(), 2u);
}

TEST(Resolver, LeapDayForcesALeapYear) {
  // auth.log shape (elastic-examples): Feb 29 in a year-less file, mtime in 2021.
  std::vector<Source> v;
  v.push_back(named(test::parse_text(SyslogRfc3164Parser{},
      "Feb 29 03:04:05 ip-172-31-27-153 sshd[1]: Connection closed by 1.2.3.4 port 22 [preauth]\n"), "auth.log", 0));
  v[0].mtime_ns = utc("2021-06-01T00:00:00Z");
  ASSERT_TRUE(resolve_times(v, {}).has_value());
  EXPECT_EQ(v[0].events[0].time_ns, utc("2020-02-29T03:04:05Z"));
}


// A Feb 29 after a Dec -> Jan rollover: the year after the first must be the leap year.
TEST(Resolver, LeapDayAfterARolloverForcesTheNextYearToBeALeapYear) {
  std::vector<Source> v;
  v.push_back(named(test::parse_text(SyslogRfc3164Parser{},
      "Dec 30 23:00:00 ip-172-31-27-153 sshd[1]: Connection closed by 1.2.3.4 port 22 [preauth]\n"
      "Feb 29 03:04:05 ip-172-31-27-153 sshd[1]: Connection closed by 1.2.3.4 port 22 [preauth]\n"), "auth.log", 0));
  v[0].mtime_ns = utc("2021-06-01T00:00:00Z");
  ASSERT_TRUE(resolve_times(v, {}).has_value());
  EXPECT_EQ(v[0].events[0].time_ns, utc("2019-12-30T23:00:00Z"));
  EXPECT_EQ(v[0].events[1].time_ns, utc("2020-02-29T03:04:05Z"));
}

// A large file is resolved in blocks on several threads. Here the lines at both block boundaries
// (every 262144 lines) fall inside New York's repeated hour, the first in its first pass (EDT)
// and the second in its second (EST), where only the line before tells the two readings apart:
// every line must come out at the instant it was written, on one thread or two.
TEST(Resolver, BlocksStartingInARepeatedHourResolveAsInOrder) {
  const int64_t start = utc("2023-11-05T04:40:00Z");  // 00:40 EDT
  constexpr size_t kLines = 600000, kPerSecond = 100;
  std::string text;
  std::vector<int64_t> written;
  for (size_t i = 0; i < kLines; ++i) {
    const int64_t u = start + static_cast<int64_t>(i / kPerSecond) * kNanosPerSecond;
    const int64_t local = u + (u < utc("2023-11-05T06:00:00Z") ? -4 : -5) * 3600 * kNanosPerSecond;
    const int64_t tod = (local % kNanosPerDay) / kNanosPerSecond;
    char line[96];
    std::snprintf(line, sizeof line, "Nov  5 %02d:%02d:%02d www1 app[1]: line %zu\n", static_cast<int>(tod / 3600),
                  static_cast<int>(tod / 60 % 60), static_cast<int>(tod % 60), i);
    text += line;
    written.push_back(u);
  }
  auto zone = ZoneClock::create("America/New_York");
  ASSERT_TRUE(zone.has_value());
  for (const size_t boundary : {size_t{1} << 18, size_t{2} << 18}) {
    int offsets[2], gap;
    const int64_t u = written[boundary];
    const int64_t local = u + int64_t{(*zone)->offset_at(u)} * kNanosPerSecond;
    ASSERT_EQ((*zone)->candidates(local, offsets, &gap), 2) << "line " << boundary << " is not in the repeated hour";
  }
  for (const unsigned threads : {1u, 2u}) {
    std::vector<Source> v;
    v.push_back(named(test::parse_text(SyslogRfc3164Parser{}, text), "syslog", 0));
    ResolveOptions o;
    o.tz = "America/New_York";
    o.year = 2023;
    ASSERT_TRUE(resolve_times(v, o, Executor(threads)).has_value());
    ASSERT_EQ(v[0].events.size(), kLines);
    for (size_t i = 0; i < kLines; ++i) ASSERT_EQ(v[0].events[i].time_ns, written[i]) << "line " << i << ", " << threads << " threads";
  }
}

// Issue 28, item 14: a wall clock inside a DST gap (Paris, 2024-03-31 02:00-03:00 never happened)
// is read with the offset before the jump and said once for the source, with the count; the lines
// around it are not.
TEST(Resolver, TimesInsideADstGapAreReadWithTheOffsetBeforeAndSaid) {
  std::vector<Source> v;
  v.push_back(named(test::parse_text(SyslogRfc3164Parser{},
      "Mar 31 01:59:59 www1 app[1]: before the jump\n"
      "Mar 31 02:30:00 www1 app[1]: a time that never happened\n"
      "Mar 31 02:45:00 www1 app[1]: another\n"
      "Mar 31 03:00:00 www1 app[1]: after the jump\n"), "syslog", 0));
  ResolveOptions o;
  o.tz = "Europe/Paris";
  o.year = 2024;
  ASSERT_TRUE(resolve_times(v, o).has_value());
  EXPECT_EQ(v[0].events[0].time_ns, utc("2024-03-31T00:59:59Z"));
  EXPECT_EQ(v[0].events[1].time_ns, utc("2024-03-31T01:30:00Z"));  // +01:00, the offset before
  EXPECT_EQ(v[0].events[3].time_ns, utc("2024-03-31T01:00:00Z"));
  size_t said = 0;
  for (const std::string& w : v[0].warnings)
    if (w.find("DST gap") != std::string::npos) {
      ++said;
      EXPECT_EQ(w.rfind("2 lines have", 0), 0u) << w;
    }
  EXPECT_EQ(said, 1u);
  // The same hour a day later is no gap: nothing said.
  std::vector<Source> w;
  w.push_back(named(test::parse_text(SyslogRfc3164Parser{}, "Apr  1 02:30:00 www1 app[1]: an ordinary night\n"), "syslog", 0));
  ASSERT_TRUE(resolve_times(w, o).has_value());
  for (const std::string& x : w[0].warnings) EXPECT_EQ(x.find("DST gap"), std::string::npos) << x;
}

// The per-minute memo gives what resolve_local gives, line by line, through both DST changes of a
// real zone (a gap and a repeated hour) and a step of an inferred clock at an odd minute.
TEST(LocalResolver, AgreesWithResolveLocalAcrossDstChanges) {
  auto zone = ZoneClock::create("America/New_York");
  ASSERT_TRUE(zone.has_value());
  const InferredOffsets inferred({{days_from_civil(2024, 3, 10) * kNanosPerDay + 7 * 3600 * kNanosPerSecond + 17 * 60 * kNanosPerSecond, -5 * 3600},
                                  {days_from_civil(2024, 3, 10) * kNanosPerDay + 9 * 3600 * kNanosPerSecond, -4 * 3600}},
                                 "test");
  const std::pair<int, int> days[] = {{3, 10}, {11, 3}};  // 2024's spring gap and autumn fold
  for (const ClockModel* clock : {static_cast<const ClockModel*>(zone->get()), static_cast<const ClockModel*>(&inferred)}) {
    for (const auto& [month, day] : days) {
      LocalResolver memo;
      int64_t previous_plain = std::numeric_limits<int64_t>::min(), previous_memo = previous_plain;
      const int64_t from = days_from_civil(2024, static_cast<unsigned>(month), static_cast<unsigned>(day)) * kNanosPerDay;
      size_t checked = 0;
      for (int64_t local = from; local < from + 5 * 3600 * kNanosPerSecond; local += 7 * kNanosPerSecond + 123) {
        int plain_offset = 0, memo_offset = 0;
        const int64_t plain = resolve_local(*clock, local, previous_plain, &plain_offset);
        const int64_t memoed = memo(*clock, local, previous_memo, &memo_offset);
        ASSERT_EQ(memoed, plain) << clock->describe() << " local " << local;
        ASSERT_EQ(memo_offset, plain_offset);
        previous_plain = plain;
        previous_memo = memoed;
        ++checked;
      }
      EXPECT_GT(checked, 2000u);
    }
  }
}


// The clue scan on two threads (halves, then the first `limit` in file order) finds what one pass
// finds: seed-classic's real trace, repeated to a size that is split.
TEST(EmbeddedClues, TwoThreadsFindWhatOnePassFinds) {
  std::ifstream in(test::shared_dir() + "/incidents/seed-classic/strace.log", std::ios::binary);
  const std::string once((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(once.empty());
  std::string text;
  while (text.size() < (size_t{24} << 20)) text += once;
  const Source s = test::parse_text(StraceParser{}, text);
  ASSERT_GT(s.events.size(), size_t{1} << 17);
  for (const size_t limit : {size_t{512}, size_t{1} << 20}) {
    const std::vector<EmbeddedClue> one = find_embedded_clues(s, limit, Executor(1)),
                                     two = find_embedded_clues(s, limit, Executor(2));
    ASSERT_EQ(one.size(), two.size()) << limit;
    EXPECT_GE(one.size(), std::min<size_t>(limit, 1000));  // the limit, or clues from both halves
    for (size_t i = 0; i < one.size(); ++i) {
      ASSERT_EQ(one[i].event_index, two[i].event_index);
      ASSERT_EQ(one[i].instant_ns, two[i].instant_ns);
      ASSERT_STREQ(one[i].kind, two[i].kind);
    }
  }
}

}  // namespace
}  // namespace hindcast
