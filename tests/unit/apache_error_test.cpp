// Apache error log: real lines from shared/incidents and shared/corpus.
#include <gtest/gtest.h>

#include "parsers/apache_error.h"
#include "tests/unit/parse_helpers.h"

namespace hindcast {
namespace {

TEST(ApacheError, Php24LineFromSeedIncident) {
  ErrorRecord r;
  ASSERT_TRUE(decode_error_line(
      "[Fri Nov 03 09:00:45.274165 2023] [php:warn] [pid 7087:tid 7087] [client 172.51.147.116:0] PHP Warning:  "
      "require(/srv/devgen-site/wp-includes/class-wp-locale.phpp): Failed to open stream: No such file or directory "
      "in /srv/devgen-site/wp-settings.php on line 134, referer: http://127.0.0.1:8088/",
      &r));
  EXPECT_EQ(r.module, "php");
  EXPECT_EQ(r.level, "warn");
  EXPECT_EQ(r.pid, 7087u);
  EXPECT_EQ(r.tid, 7087u);
  EXPECT_EQ(r.client, "172.51.147.116:0");
  EXPECT_EQ(client_address(r.client), "172.51.147.116");
  EXPECT_TRUE(r.message.starts_with("PHP Warning:  require("));
  EXPECT_EQ(r.stamp.precision, 6);
  EXPECT_EQ(r.stamp.value_ns, civil_to_ns(2023, 11, 3, 9, 0, 45, 274165000));
  EXPECT_EQ(severity_from_apache_level(r.level), Severity::kWarning);
}

TEST(ApacheError, Ipv6ClientPortAfterLastColon) {
  // htaccess-eacces error.log: [client IPv6:0], APR (13) prefix.
  ErrorRecord r;
  ASSERT_TRUE(decode_error_line(
      "[Thu Apr 02 18:30:43.214481 2026] [core:crit] [pid 23528:tid 23528] (13)Permission denied: [client 2"
      "001:db8:e49d::3cb9:0] AH00529: /srv/devgen-site/.htaccess pcfg_openfile: unable to check htaccess fi"
      "le, ensure it is readable and that '/srv/devgen-site/' is executable, referer: http://127.0.0.1:8088"
      "/",
      &r));
  EXPECT_EQ(r.level, "crit");
  // The client comes after the APR prefix here, so it stays in the message.
  EXPECT_TRUE(r.message.starts_with("(13)Permission denied: [client 2001:db8:e49d::3cb9:0]"));
  EXPECT_EQ(client_address("2001:db8:e49d::3cb9:0"), "2001:db8:e49d::3cb9");
  EXPECT_EQ(client_address("::1:58619"), "::1");
  EXPECT_EQ(severity_from_apache_level(r.level), Severity::kCritical);
}

TEST(ApacheError, Apache22WithoutModuleOrMicroseconds) {
  // elastic-beats ubuntu-2.2.22.log, with the ", referer:" suffix kept in the message.
  ErrorRecord r;
  ASSERT_TRUE(decode_error_line(
      "[Mon Dec 26 16:22:00 2016] [error] [client 192.168.33.1] File does not exist: /var/www/favicon.ico, referer: "
      "http://192.168.33.72/",
      &r));
  EXPECT_EQ(r.module, "");
  EXPECT_EQ(r.level, "error");
  EXPECT_EQ(r.client, "192.168.33.1");
  EXPECT_EQ(r.stamp.precision, 0);
  EXPECT_EQ(r.message, "File does not exist: /var/www/favicon.ico, referer: http://192.168.33.72/");
}

TEST(ApacheError, TraceSubLevelWithFileLineBeforeClient) {
  // elastic-beats sublevel.log.
  ErrorRecord r;
  ASSERT_TRUE(decode_error_line(
      "[Wed Oct 20 19:20:59.121211 2021] [rewrite:trace3] [pid 121591:tid 140413273032448] mod_rewrite.c(470): "
      "[client 10.121.192.8:38350] 10.121.192.8 - - [dev.elastic.co/sid#55a374e851c8][rid#7fb438083ac0/initial] "
      "applying pattern '^/import/?(.*)$' to uri '/'",
      &r));
  EXPECT_EQ(r.module, "rewrite");
  EXPECT_EQ(r.level, "trace3");
  EXPECT_EQ(r.pid, 121591u);
  EXPECT_TRUE(r.message.starts_with("mod_rewrite.c(470): [client"));
  EXPECT_EQ(severity_from_apache_level(r.level), Severity::kDebug);
}

TEST(ApacheError, EmptyModulePidWithoutTid) {
  // logstash-patterns-core httpd_spec.
  ErrorRecord r;
  ASSERT_TRUE(decode_error_line(
      "[Tue Apr 14 14:27:52.605084 2020] [:error] [pid 5688] [client 192.168.10.110:8196] script "
      "'/login/wp-login.php' not found or unable to stat",
      &r));
  EXPECT_EQ(r.module, "");
  EXPECT_EQ(r.level, "error");
  EXPECT_EQ(r.pid, 5688u);
  EXPECT_EQ(r.client, "192.168.10.110:8196");
}

TEST(ApacheError, AprPrefixStaysInMessage) {
  ErrorRecord r;
  ASSERT_TRUE(decode_error_line(
      "[Mon Aug 31 09:30:48.958285 2015] [proxy_fcgi:error] [pid 28787:tid 140169587934976] (70008)Partial results are "
      "valid but processing is incomplete: [client 58.13.45.166:59307] AH01075: Error dispatching request to : (reading "
      "input brigade), referer: http://example.com/index.php?id_product=11&controller=product",
      &r));
  EXPECT_EQ(r.module, "proxy_fcgi");
  EXPECT_TRUE(r.message.starts_with("(70008)Partial results"));
}

TEST(ApacheError, IsoStampFromCustomErrorLogFormat) {
  // ErrorLogFormat "[%{cu}t] [%-m:%l] [pid %P] %M" and the same with an offset appended.
  ErrorRecord r;
  ASSERT_TRUE(decode_error_line("[2023-11-03 09:01:53.377148] [mpm_prefork:notice] [pid 7084] AH00173: SIGHUP received.  Attempting to restart", &r));
  EXPECT_FALSE(r.stamp.has_offset);
  EXPECT_EQ(r.stamp.value_ns, civil_to_ns(2023, 11, 3, 9, 1, 53, 377148000));
  EXPECT_EQ(r.pid, 7084u);
  ASSERT_TRUE(decode_error_line("[2023-11-03T09:01:53.377148-04:00] [mpm_prefork:notice] [pid 7084] AH00173: SIGHUP received.  Attempting to restart", &r));
  EXPECT_TRUE(r.stamp.has_offset);
  EXPECT_EQ(r.stamp.offset_seconds, -4 * 3600);
  EXPECT_EQ(r.level, "notice");
}

TEST(ApacheError, CupsLineSharesTheFormat) {
  // lnav error_log.json samples.
  ErrorRecord r;
  ASSERT_TRUE(decode_error_line("E [08/Jun/2013:11:28:58 -0700] Unknown directive BrowseOrder on line 22 of /private/etc/cups/cupsd.conf.", &r));
  EXPECT_EQ(r.level, "error");
  EXPECT_TRUE(r.stamp.has_offset);
  EXPECT_EQ(r.stamp.offset_seconds, -7 * 3600);
  EXPECT_TRUE(r.message.starts_with("Unknown directive"));
}

TEST(ApacheError, UnstampedLineContinuesTheRecordAbove) {
  // A module message with a raw newline: the tail has no timestamp and belongs to the record.
  ApacheErrorParser p;
  const std::string text =
      "[Mon Aug 31 07:15:38.664897 2015] [proxy_fcgi:error] [pid 28786:tid 140169629898496] [client 81.139.1.34:52042] "
      "AH01071: Got error 'PHP message: PHP Warning:  something\n"
      "continued on the next line'\n"
      "[Mon Aug 31 16:27:04 2015] [error] [client 10.17.42.3] Premature end of script headers: example.com\n";
  const Source s = test::parse_text(p, text);
  EXPECT_EQ(s.lines, 3u);
  ASSERT_EQ(s.events.size(), 2u);
  EXPECT_EQ(s.continuation_lines, 1u);
  EXPECT_EQ(s.skipped, 0u);
  EXPECT_TRUE(s.events[0].flags & kFlagMultiLine);
  EXPECT_TRUE(s.record_text(s.events[0]).ends_with("continued on the next line'"));
  EXPECT_EQ(s.line_of(s.events[1]), 3u);
  EXPECT_EQ(s.events[0].shape, TimeShape::kLocalDateTime);
}

}  // namespace
}  // namespace hindcast
