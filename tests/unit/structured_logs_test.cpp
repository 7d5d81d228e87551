// RFC 5424 syslog, journald JSON and JSON lines: real lines from shared/corpus.
#include <gtest/gtest.h>

#include "parsers/json_lines.h"
#include "parsers/syslog_rfc5424.h"
#include "tests/support/support.h"
#include "tests/unit/parse_helpers.h"

namespace hindcast {
namespace {

int64_t utc(const char* s) { return test::parse_time_ns(s); }

TEST(Rfc5424, HeaderStructuredDataAndMessage) {
  // dynatrace-otel-collector testdata/RFC5424 (a SecureAuth appliance).
  SyslogRecord r;
  ASSERT_TRUE(decode_syslog_line(
      R"L(<86>1 2015-08-05T21:58:59.693Z 192.168.2.132 SecureAuth0 23108 ID52020 [SecureAuth@27389 UserHostAddress="192.168.2.132" Realm="SecureAuth0" UserID="Tester2" PEN="27389"] Found the user for retrieving user's profile)L",
      &r));
  EXPECT_TRUE(r.rfc5424);
  EXPECT_EQ(r.priority, 86);
  EXPECT_EQ(r.stamp.shape, TimeShape::kAbsolute);
  EXPECT_EQ(r.stamp.value_ns, utc("2015-08-05T21:58:59.693Z"));
  EXPECT_EQ(r.stamp.precision, 3);
  EXPECT_EQ(r.host, "192.168.2.132");
  EXPECT_EQ(r.program, "SecureAuth0");
  EXPECT_EQ(r.pid, 23108u);
  EXPECT_EQ(r.msgid, "ID52020");
  EXPECT_TRUE(r.structured_data.starts_with("[SecureAuth@27389 "));
  EXPECT_EQ(r.message, "Found the user for retrieving user's profile");
}

TEST(Rfc5424, OctetCountingAndNulFraming) {
  // rfc6587-octet-counting and rfc6587-non-transparent-framing.
  SyslogRecord r;
  ASSERT_TRUE(decode_syslog_line(
      R"L(215 <86>1 2015-08-05T21:58:59.693Z 192.168.2.132 SecureAuth0 23108 ID52020 [SecureAuth@27389 UserHostAddress="192.168.2.132" Realm="SecureAuth0" UserID="Tester2" PEN="27389"] Found the user for retrieving user's profile)L",
      &r));
  EXPECT_EQ(r.program, "SecureAuth0");
  const std::string nul_framed =
      std::string(R"L(<86>1 2015-08-05T21:58:59.693Z 192.168.2.132 SecureAuth0 23108 ID52020 - Found the user)L") + '\0';
  ASSERT_TRUE(decode_syslog_line(nul_framed, &r));
  EXPECT_EQ(r.message, "Found the user");
}

TEST(Rfc5424, NilValuesEscapesAndContinuation) {
  // plaso syslog_rsyslog_SyslogProtocol23Format and vrl parse_syslog inputs.
  SyslogRfc5424Parser p;
  const Source s = test::parse_text(p,
      "<14>1 2021-03-06T04:07:38.251280+00:00 hostname log_tag - - -  this is info\n"
      "with another line\n"
      "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 key=\"hello [bye\\]\"] An application event log entry...\n"
      "<133>Jun 13 16:33:35 haproxy[73411]: Proxy sticky-servers started.\n");
  ASSERT_EQ(s.events.size(), 3u);
  EXPECT_EQ(s.continuation_lines, 1u);
  SyslogRecord r;
  ASSERT_TRUE(decode_syslog_line(s.line_text(s.events[1]), &r));
  EXPECT_EQ(r.structured_data, R"L([exampleSDID@32473 key="hello [bye\]"])L");
  EXPECT_EQ(r.message, "An application event log entry...");
  EXPECT_EQ(r.pid, 0u);  // "-"
  // A 3164 line in a 5424 file is still a record.
  ASSERT_TRUE(decode_syslog_line(s.line_text(s.events[2]), &r));
  EXPECT_FALSE(r.rfc5424);
  EXPECT_EQ(r.program, "haproxy");
  EXPECT_EQ(r.host, "");
  EXPECT_TRUE(p.matches("<13>1 2019-02-13T19:48:34+00:00 74794bfb6795 root 8449 - [empty] qwerty"));
  EXPECT_FALSE(p.matches("<133>Jun 13 16:33:35 haproxy[73411]: Proxy sticky-servers started."));
}

TEST(Journald, SourceTimestampPreferredAndFields) {
  // otel-contrib fakeJournaldCmd: both stamps present, 238 us apart; escaped newline in a value.
  const std::string line =
      R"L({ "_BOOT_ID": "c4fa36de06824d21835c05ff80c54468", "_SELINUX_CONTEXT": "unconfined\n", "MESSAGE": "run-docker-netns-4f76d707d45f.mount: Succeeded.", "_PID": "13894", "SYSLOG_IDENTIFIER": "systemd", "_HOSTNAME": "myhostname", "_SOURCE_REALTIME_TIMESTAMP": "1587047866229317", "PRIORITY": "6", "__REALTIME_TIMESTAMP": "1587047866229555", "__CURSOR": "s=b1e7" })L";
  const std::string padded = line + std::string(64, '\0');
  JsonRecord r;
  ASSERT_TRUE(decode_json_line(std::string_view(padded.data(), line.size()), JsonFlavor::kJournald, &r));
  EXPECT_TRUE(r.journald);
  EXPECT_EQ(r.stamp.value_ns, 1587047866229317000);
  EXPECT_EQ(r.stamp.precision, 6);
  EXPECT_EQ(r.pid, 13894u);
  EXPECT_EQ(r.program, "systemd");
  EXPECT_EQ(r.host, "myhostname");
  EXPECT_EQ(r.message, "run-docker-netns-4f76d707d45f.mount: Succeeded.");
  EXPECT_EQ(r.severity, Severity::kInfo);
}

TEST(Journald, OldSpacingPriorityAndByteArrayMessage) {
  // lnav logfile_journald.json uses the old "KEY" : "value" spacing; MESSAGE as bytes is how
  // journald exports non-UTF-8 text.
  JournaldJsonParser p;
  const Source s = test::parse_text(p,
      R"L({ "__CURSOR" : "s=e991dd5775894620914f2f7126aae6c1;i=372a", "__REALTIME_TIMESTAMP" : "1534860261221373", "PRIORITY" : "1", "_HOSTNAME" : "imx6ul-medusa", "SYSLOG_IDENTIFIER" : "python", "_PID" : "184", "MESSAGE" : [ 104, 105, 255 ] })L"
      "\n");
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.events[0].time_ns, utc("2018-08-21T14:04:21.221373Z"));
  EXPECT_EQ(s.events[0].severity, Severity::kCritical);
  EXPECT_EQ(s.events[0].pid, 184u);
  JsonRecord r;
  ASSERT_TRUE(decode_json_line(s.line_text(s.events[0]), JsonFlavor::kJournald, &r));
  EXPECT_EQ(r.message, std::string("hi\xff"));
}

TEST(JsonLines, TimeFieldsEpochUnitsAndRfc3339) {
  JsonLinesParser p;
  const Source s = test::parse_text(p,
      "{\"ts\": 1587047866.229317, \"level\": \"error\", \"msg\": \"upstream timed out\"}\n"
      "{\"@timestamp\": \"2023-11-03T09:00:43.5-04:00\", \"message\": \"deploy done\", \"logger\": \"deploy\"}\n"
      "{\"time\": 1587047866229, \"msg\": \"ms\"}\n"
      "{\"time\": \"1587047866229317123\", \"msg\": \"ns as a string\"}\n"
      "{\"msg\": \"no time at all\"}\n");
  ASSERT_EQ(s.events.size(), 4u);
  EXPECT_EQ(s.events[0].time_ns, 1587047866229317000);
  EXPECT_EQ(s.events[0].severity, Severity::kError);
  EXPECT_EQ(s.events[1].time_ns, utc("2023-11-03T13:00:43.5Z"));
  EXPECT_EQ(s.events[1].offset_minutes, -240);
  EXPECT_EQ(s.events[2].time_ns, 1587047866229000000);
  EXPECT_EQ(s.events[3].time_ns, 1587047866229317123);
  EXPECT_EQ(s.skipped, 1u);
  EXPECT_EQ(s.skips[0].reason, "not a JSON object with a time field");
  EXPECT_FALSE(JournaldJsonParser{}.matches("{\"ts\": 1587047866.229317, \"msg\": \"x\"}"));
}

}  // namespace
}  // namespace hindcast
