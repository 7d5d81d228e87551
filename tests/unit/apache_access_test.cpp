// Apache access log: real lines from shared/incidents and shared/corpus.
#include <gtest/gtest.h>

#include "engine/core/time.h"
#include "parsers/access_log_format.h"
#include "parsers/apache_access.h"
#include "tests/support/support.h"
#include "tests/unit/parse_helpers.h"

namespace hindcast {
namespace {

int64_t utc(const char* s) { return test::parse_time_ns(s); }

TEST(ApacheAccess, CombinedLineFromSeedIncident) {
  AccessRecord r;
  ASSERT_TRUE(decode_access_line(
      R"L(172.51.147.116 - - [03/Nov/2023:09:00:45 -0400] "GET /?p=12 HTTP/1.1" 500 185 "http://127.0.0.1:8088/" "curl/7.88.1")L", &r));
  EXPECT_EQ(r.client, "172.51.147.116");
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, "/?p=12");
  EXPECT_EQ(r.protocol, "HTTP/1.1");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.bytes, "185");
  EXPECT_EQ(r.referer, "http://127.0.0.1:8088/");
  EXPECT_EQ(r.user_agent, "curl/7.88.1");
  EXPECT_EQ(r.stamp.offset_seconds, -4 * 3600);
  EXPECT_EQ(r.stamp.value_ns, utc("2023-11-03T13:00:45Z"));
}

TEST(ApacheAccess, Ipv6ClientAndDashRequest) {
  // elastic-beats darwin-2.4.23.log: IPv6 ::1, request "-" with 408 and bytes -.
  AccessRecord r;
  ASSERT_TRUE(decode_access_line(R"L(::1 - - [26/Dec/2016:16:16:48 +0200] "-" 408 -)L", &r));
  EXPECT_EQ(r.client, "::1");
  EXPECT_EQ(r.request, "-");
  EXPECT_TRUE(r.method.empty());
  EXPECT_EQ(r.status, 408);
  EXPECT_EQ(r.bytes, "-");
  EXPECT_EQ(r.stamp.value_ns, utc("2016-12-26T14:16:48Z"));
}

TEST(ApacheAccess, NonWholeHourOffset) {
  // lnav logfile_shop_access_log.0: +0330 and an extra trailing field.
  AccessRecord r;
  ASSERT_TRUE(decode_access_line(
      R"L(54.36.149.41 - - [22/Jan/2019:03:56:14 +0330] "GET /filter/27|13%20%D9%85%DA%AF%D8%A7%D9%BE%DB%8C%DA%A9%D8%B3%D9%84,27|%DA%A9%D9%85%D8%AA%D8%B1%20%D8%A7%D8%B2%205%20%D9%85%DA%AF%D8%A7%D9%BE%DB%8C%DA%A9%D8%B3%D9%84,p53 HTTP/1.1" 200 30577 "-" "Mozilla/5.0 (compatible; AhrefsBot/6.1; +http://ahrefs.com/robot/)" "-")L",
      &r));
  EXPECT_EQ(r.stamp.offset_seconds, 3 * 3600 + 30 * 60);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.stamp.value_ns, utc("2019-01-22T00:26:14Z"));
}

TEST(ApacheAccess, StatusDashAndEmailUser) {
  // logstash-patterns-core httpd_spec: status "-"; and a user as e-mail with an empty referer.
  AccessRecord r;
  ASSERT_TRUE(decode_access_line(
      R"L(83.149.9.216 - a.user [11/Jan/2020:23:05:27 +0100] "OPTIONS /remote.php/ HTTP/1.1" - 7908 "-" "monitoring-client (v2.2)")L",
      &r));
  EXPECT_EQ(r.user, "a.user");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.method, "OPTIONS");
  ASSERT_TRUE(decode_access_line(
      R"L(10.0.0.1 - username@example.com [07/Apr/2016:18:42:24 +0000] "GET /bar/foo/users/1/username%40example.com/authenticate?token=blargh&client_id=15 HTTP/1.1" 400 75 "" "Mozilla/5.0 (iPad; CPU OS 9_3_1 like Mac OS X) AppleWebKit/601.1.46 (KHTML, like Gecko) Version/9.0 Mobile/13E238 Safari/601.1")L",
      &r));
  EXPECT_EQ(r.user, "username@example.com");
  EXPECT_EQ(r.referer, "");
  EXPECT_EQ(r.status, 400);
}

TEST(ApacheAccess, VhostCombined) {
  // elastic-beats test.log: vhost prefix; and a host name as client.
  AccessRecord r;
  ASSERT_TRUE(decode_access_line(
      R"L(vhost1.domaine.fr 123.123.123.123 - - [04/Jul/2019:09:20:46 +0200] "GET / HTTP/1.1" 200 32953 "-" "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/75.0.3770.100 Safari/537.36")L", &r));
  EXPECT_EQ(r.vhost, "vhost1.domaine.fr");
  EXPECT_EQ(r.client, "123.123.123.123");
  EXPECT_EQ(r.status, 200);
  ASSERT_TRUE(decode_access_line(
      R"L(monitoring-server - - [29/May/2017:19:02:48 +0000] "GET /status HTTP/1.1" 200 612 "-" "Mozilla/5.0 (Windows NT 6.1; rv:15.0) Gecko/20120716 Firefox/15.0a2" "-")L", &r));
  EXPECT_EQ(r.client, "monitoring-server");
}

TEST(ApacheAccess, RejectsSyslogLineQuotingAnAccessRecord) {
  // strace.log of the seed incident: Apache writing its own access record is an strace line.
  ApacheAccessParser p;
  EXPECT_FALSE(p.matches(
      R"L(7088  09:01:08.354328 write(8, "66.201.45.45 - - [03/Nov/2023:09:01:08 -0400] \"GET /feed/ HTTP/1.1\" 404 416 \"http://127.0.0.1:8088/\" \"Googlebot/2.1 (+http://www.google.com/bot.html)\"\n", 151) = 151 <0.000010>)L"));
}

TEST(ApacheAccess, RecordWithoutIdentAndUserIsKept) {
  // lnav logfile_bad_access_log.0: line 2 lacks the ident and user fields.
  AccessRecord r;
  ASSERT_TRUE(decode_access_line(
      R"L(192.168.202.254 [20/Jul/2009:22:59:29 +0000] "GET /vmw/vSphere/default/vmkboot.gz HTTP/1.0" 404 46210 "-" "gPXE/0.9.7")L", &r));
  EXPECT_EQ(r.client, "192.168.202.254");
  EXPECT_EQ(r.status, 404);
}

TEST(ApacheAccess, ForeignLineIsSkippedWithReasonAndCounted) {
  // Two real access records around a real error-log record (a mixed file).
  ApacheAccessParser p;
  const std::string text =
      "192.168.202.254 - - [20/Jul/2009:22:59:26 +0000] \"GET /vmw/cgi/tramp HTTP/1.0\" 200 134 \"-\" \"gPXE/0.9.7\"\n"
      "[Fri Nov 03 09:00:01.261520 2023] [mpm_prefork:notice] [pid 7084:tid 7084] AH00163: Apache/2.4.71 (Debian) configured -- resuming normal operations\n"
      "192.168.202.254 - - [20/Jul/2009:22:59:29 +0000] \"GET /vmw/vSphere/default/vmkernel.gz HTTP/1.0\" 200 78929 \"-\" \"gPXE/0.9.7\"\n";
  const Source s = test::parse_text(p, text);
  EXPECT_EQ(s.lines, 3u);
  ASSERT_EQ(s.events.size(), 2u);
  EXPECT_EQ(s.skipped, 1u);
  ASSERT_EQ(s.skips.size(), 1u);
  EXPECT_EQ(s.skips[0].first_line, 2u);
  EXPECT_EQ(s.skips[0].reason, "not an access-log record");
  EXPECT_EQ(s.line_of(s.events[1]), 3u);
  EXPECT_EQ(s.events[1].code, 200);
  EXPECT_EQ(s.events[1].kind, EventKind::kHttpRequest);
  EXPECT_EQ(s.events[1].shape, TimeShape::kAbsolute);
  EXPECT_EQ(s.events[1].offset_minutes, 0);
  // Events point into the text: offset and length give back the line.
  EXPECT_EQ(s.record_text(s.events[1]).substr(0, 15), "192.168.202.254");
}

TEST(AccessLogFormat, CustomLogFormatCompiledIntoAPlan) {
  // lnav logfile_regexp_access_log.0: vhost:port, session id, trailing response time (%D).
  auto plan = AccessLogPlan::compile(R"L(%v:%p %h %{X-Session}i %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %D)L");
  ASSERT_TRUE(plan.has_value());
  AccessRecord r;
  ASSERT_TRUE(plan->decode(
      R"L(localhost:443 154.57.4.229 cger1e khenry [26/Jul/2023:00:02:12 -0700] "GET /secure/RapidBoard.jspa?rapidView=1839&view=planning.nodetail&issueLimit=100 HTTP/2.0" 200 16517 "https://localhost/secure/RapidBoard.jspa?rapidView=1843&view=planning.nodetail&issueLimit=100" "Mozilla/5.0" 156302)L",
      &r));
  EXPECT_EQ(r.vhost, "localhost");
  EXPECT_EQ(r.client, "154.57.4.229");
  EXPECT_EQ(r.user, "khenry");
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.protocol, "HTTP/2.0");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.referer, "https://localhost/secure/RapidBoard.jspa?rapidView=1843&view=planning.nodetail&issueLimit=100");
  EXPECT_EQ(r.user_agent, "Mozilla/5.0");
  EXPECT_EQ(r.stamp.value_ns, utc("2023-07-26T07:02:12Z"));
  // A line of another layout does not fit the plan.
  EXPECT_FALSE(plan->decode(
      R"L(172.51.147.116 - - [03/Nov/2023:09:00:45 -0400] "GET /?p=12 HTTP/1.1" 500 185 "http://127.0.0.1:8088/" "curl/7.88.1")L", &r));
  EXPECT_FALSE(AccessLogPlan::compile("%h %l %u \"%r\" %>s").has_value());  // no time
}

TEST(AccessLogFormat, SslRequestLog) {
  // mod_ssl's ssl_request_log layout ("%t %h %{SSL_PROTOCOL}x %{SSL_CIPHER}x \"%r\" %b").
  AccessRecord r;
  ASSERT_TRUE(decode_access_line(
      R"L([03/Nov/2023:09:00:45 -0400] 172.51.147.116 TLSv1.3 TLS_AES_256_GCM_SHA384 "GET /?p=12 HTTP/1.1" 185)L", &r));
  EXPECT_EQ(r.client, "172.51.147.116");
  EXPECT_EQ(r.target, "/?p=12");
  EXPECT_EQ(r.status, 0);  // ssl_request_log has no status
  EXPECT_EQ(r.stamp.value_ns, utc("2023-11-03T13:00:45Z"));
}

}  // namespace
}  // namespace hindcast
