// RFC 3164 syslog files: real lines from shared/incidents and shared/corpus.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>

#include "engine/core/signature.h"
#include "parsers/syslog_rfc3164.h"
#include "tests/support/support.h"
#include "tests/unit/parse_helpers.h"

namespace hindcast {
namespace {

TEST(Syslog, RsyslogTraditionalLineFromSeedIncident) {
  SyslogRecord r;
  ASSERT_TRUE(decode_syslog_line(
      "Nov  3 09:00:43 www1 deploy[7805]: release wp-2023.11.03-1 rolled out to www1: 1 file changed "
      "(/srv/devgen-site/wp-settings.php)",
      &r));
  EXPECT_EQ(r.host, "www1");
  EXPECT_EQ(r.program, "deploy");
  EXPECT_EQ(r.pid, 7805u);
  EXPECT_TRUE(r.message.starts_with("release wp-2023.11.03-1 rolled out"));
  EXPECT_EQ(r.stamp.shape, TimeShape::kLocalNoYear);
  EXPECT_EQ(r.stamp.month, 11u);
  EXPECT_EQ(r.stamp.day, 3u);
  EXPECT_EQ(r.priority, -1);
}

TEST(Syslog, PriorityAndIpHostTagWithoutPid) {
  // dynatrace-otel-collector testdata/RFC3164.
  SyslogRecord r;
  ASSERT_TRUE(decode_syslog_line("<34>Feb  4 11:14:27 1.2.3.4 apache_server: test message", &r));
  EXPECT_EQ(r.priority, 34);
  EXPECT_EQ(r.host, "1.2.3.4");
  EXPECT_EQ(r.program, "apache_server");
  EXPECT_EQ(r.message, "test message");
  EXPECT_EQ(r.pid, 0u);
  EXPECT_EQ(severity_from_priority(r.priority), Severity::kCritical);
}

TEST(Syslog, HostlessRepeatedMessageLine) {
  // lnav logfile_syslog_with_access_log.0.
  SyslogRecord r;
  ASSERT_TRUE(decode_syslog_line("Mar 24 14:26:01 --- last message repeated 2 times ---", &r));
  EXPECT_EQ(r.host, "");
  EXPECT_EQ(r.program, "");
  EXPECT_EQ(r.message, "--- last message repeated 2 times ---");
}

TEST(Syslog, ColonAfterTimeAndRfc3339Stamp) {
  // plaso syslog_rsyslog_traditional and syslog_rsyslog (high precision, explicit offset).
  SyslogRecord r;
  ASSERT_TRUE(decode_syslog_line("Mar 11 09:39:39: --- last message repeated 5 times ---", &r));
  EXPECT_EQ(r.message, "--- last message repeated 5 times ---");
  ASSERT_TRUE(decode_syslog_line(
      "2020-05-31T00:00:45.698885+00:00 localhost rsyslogd:  [origin software=\"rsyslogd\" swVersion=\"8.33.1\" "
      "x-pid=\"1138\" x-info=\"http://www.rsyslog.com\"] rsyslogd was HUPed", &r));
  EXPECT_EQ(r.stamp.shape, TimeShape::kAbsolute);
  EXPECT_EQ(r.stamp.precision, 6);
  EXPECT_EQ(r.stamp.value_ns, civil_to_ns(2020, 5, 31, 0, 0, 45, 698885000));
  EXPECT_EQ(r.host, "localhost");
  EXPECT_EQ(r.program, "rsyslogd");
  EXPECT_TRUE(r.message.starts_with("[origin software="));
}

TEST(Syslog, SudoTagWithoutPid) {
  // lnav logfile_syslog.0.
  SyslogRecord r;
  ASSERT_TRUE(decode_syslog_line(
      "Jan  3 09:47:02 veridian sudo: timstack : TTY=pts/6 ; PWD=/auto/wstimstack/rpms/lbuild/test ; USER=root ; "
      "COMMAND=/usr/bin/tail /var/log/messages",
      &r));
  EXPECT_EQ(r.program, "sudo");
  EXPECT_TRUE(r.message.starts_with("timstack : TTY=pts/6"));
}

TEST(Syslog, YearRolloverInsideFile) {
  // lnav logfile_syslog.1: Dec -> Jan without a year; the January line is one year later.
  SyslogRfc3164Parser p;
  const Source s = test::parse_text(p,
      "Dec  3 09:23:38 veridian automount[7998]: lookup(file): lookup for foobar failed\n"
      "Dec  3 09:23:38 veridian automount[16442]: attempting to mount entry /auto/opt\n"
      "Dec  3 09:23:38 veridian automount[7999]: lookup(file): lookup for opt failed\n"
      "Jan  3 09:47:02 veridian sudo: timstack : TTY=pts/6 ; PWD=/auto/wstimstack/rpms/lbuild/test ; USER=root ; COMMAND=/usr/bin/tail /var/log/messages\n");
  ASSERT_EQ(s.events.size(), 4u);
  EXPECT_EQ(s.events[0].time_ns, civil_to_ns(kPlaceholderYear, 12, 3, 9, 23, 38, 0));
  EXPECT_EQ(s.events[3].time_ns, civil_to_ns(kPlaceholderYear + 4, 1, 3, 9, 47, 2, 0));
  EXPECT_GT(s.events[3].time_ns, s.events[2].time_ns);
}

TEST(Syslog, ContinuationLinesIndentedAndNot) {
  // plaso syslog_rsyslog_traditional: an unindented and an indented continuation.
  SyslogRfc3164Parser p;
  const Source s = test::parse_text(p,
      "Mar 11 22:55:30 ubuntu2015 AptDaemon: INFO: CommitPackages() was called: dbus.Array([dbus.String('')],\n"
      "signature=dbus.Signature('s')), dbus.Array([dbus.String('')], signature=dbus.Signature('s')), dbus.Ar\n"
      "Nov 18 01:15:20 myhostname.myhost.com aprocess[101001]: This is a multi-line message that screws up\n"
      "\tmany syslog parsers.\n");
  EXPECT_EQ(s.lines, 4u);
  ASSERT_EQ(s.events.size(), 2u);
  EXPECT_EQ(s.continuation_lines, 2u);
  EXPECT_EQ(s.skipped, 0u);
  EXPECT_TRUE(s.record_text(s.events[1]).ends_with("many syslog parsers."));
}

TEST(Syslog, HeaderLinesBeforeFirstRecordAreSkippedWithReason) {
  // lnav logfile_syslog_with_header.0 starts with two non-log lines.
  SyslogRfc3164Parser p;
  const Source s = test::parse_text(p,
      "Header1: abc\n"
      "Header2: def\n"
      "Nov  3 09:23:38 veridian automount[7998]: lookup(file): lookup for foobar failed\n");
  EXPECT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.skipped, 2u);
  ASSERT_EQ(s.skips.size(), 1u);
  EXPECT_EQ(s.skips[0].reason, "no syslog timestamp");
  EXPECT_EQ(s.skips[0].count, 2u);
  EXPECT_EQ(s.skips[0].first_line, 1u);
}

TEST(Syslog, InvalidMonthIsNotARecord) {
  SyslogRecord r;
  EXPECT_FALSE(decode_syslog_line("Foo  3 09:23:38 veridian automount[7998]: x", &r));
  EXPECT_FALSE(decode_syslog_line("Nov 32 09:23:38 veridian automount[7998]: x", &r));
}


// The parse's fast path for the common shape must give what the general decoder gives, for
// every line it accepts, and must leave every other line to it. Every line of every file of the
// corpus and the incidents (of any format: a fast path must also refuse what is not its shape),
// and lines made to sit on each of its edges.
// Every field but the signature (which only the fast path computes).
void expect_same_record(const SyslogRecord& a, const SyslogRecord& b, std::string_view line) {
  EXPECT_EQ(a.host, b.host) << line;
  EXPECT_EQ(a.program, b.program) << line;
  EXPECT_EQ(a.message, b.message) << line;
  EXPECT_EQ(a.pid, b.pid) << line;
  EXPECT_EQ(a.priority, b.priority) << line;
  EXPECT_EQ(a.has_tag, b.has_tag) << line;
  EXPECT_EQ(a.rfc5424, b.rfc5424) << line;
  EXPECT_EQ(a.msgid, b.msgid) << line;
  EXPECT_EQ(a.structured_data, b.structured_data) << line;
  EXPECT_EQ(a.stamp.shape, b.stamp.shape) << line;
  EXPECT_EQ(a.stamp.value_ns, b.stamp.value_ns) << line;
  EXPECT_EQ(a.stamp.month, b.stamp.month) << line;
  EXPECT_EQ(a.stamp.day, b.stamp.day) << line;
  EXPECT_EQ(a.stamp.precision, b.stamp.precision) << line;
  EXPECT_EQ(a.stamp.offset_seconds, b.stamp.offset_seconds) << line;
}

void expect_common_agrees_followed_by(std::string_view line, std::string_view after, size_t* taken) {
  std::string padded(line);
  padded.append(after);
  padded.append(SourceText::kPadding, '\0');  // the parse window's padding
  const std::string_view l(padded.data(), line.size());
  SyslogRecord fast, general;
  const bool general_ok = decode_syslog_line(l, &general);
  if (!decode_syslog_common(l, &fast)) return;
  ++*taken;
  ASSERT_TRUE(general_ok) << line;
  expect_same_record(fast, general, line);
  EXPECT_FALSE(fast.rfc5424) << line;
  // The signature it reads from its masks, where it does, is the message's.
  if (fast.signature) {
    EXPECT_EQ(fast.signature, message_signature(general.program, general.message)) << line;
  }
  // The parse reuses one record line after line: a record another line filled decodes the same.
  SyslogRecord reused;
  ASSERT_TRUE(decode_syslog_line("<13>1 2024-01-05T10:00:00Z h app 77 ID1 [x y=\"1\"] m", &reused));
  ASSERT_TRUE(decode_syslog_common(l, &reused)) << line;
  expect_same_record(reused, fast, line);
  EXPECT_EQ(reused.signature, fast.signature) << line;
}

// At the end of a file only padding follows a line; inside a window, the next line does.
void expect_common_agrees(std::string_view line, size_t* taken) {
  size_t ignored = 0;
  expect_common_agrees_followed_by(line, "", taken);
  expect_common_agrees_followed_by(line, "\nNov 13 09:00:43 www1 next[1]: line 42 x=1", &ignored);
}

size_t common_agrees_on_file(const std::string& path, size_t* lines) {
  const std::string text = test::read_file(path);
  size_t taken = 0;
  for_each_line(text, [&](uint32_t, size_t, std::string_view line) {
    ++*lines;
    expect_common_agrees(line, &taken);
  });
  return taken;
}

// The fast path reads the signature from its masks where the first two tokens lie in them, and
// leaves it (0) to message_signature_padded where they may not.
TEST(Syslog, CommonShapeReadsTheSignatureFromItsMasks) {
  auto fast = [](std::string_view line) {
    std::string padded(line);
    padded.append("\nNov  3 09:00:44 www1 next[2]: another line");
    padded.append(SourceText::kPadding, '\0');
    SyslogRecord r;
    EXPECT_TRUE(decode_syslog_common(std::string_view(padded.data(), line.size()), &r)) << line;
    return r.signature;
  };
  EXPECT_EQ(fast("Nov  3 09:00:43 www1 deploy[7805]: release wp-1 rolled out"), message_signature("deploy", "release wp-1"));
  EXPECT_EQ(fast("Nov  3 09:00:43 www1 deploy[7805]: release"), message_signature("deploy", "release"));
  EXPECT_EQ(fast("Nov  3 09:00:43 www1 deploy: "), message_signature("deploy", ""));
  EXPECT_EQ(fast("Nov  3 09:00:43 www1 deploy[7805]: release a-second-token-that-runs-past-the-masks x"), 0u);
}

TEST(Syslog, CommonShapeFastPathAgreesWithTheGeneralDecoder) {
  size_t lines = 0, taken = 0;
  for (const auto& dir : {test::shared_dir() + "/corpus", test::shared_dir() + "/incidents"})
    for (const auto& f : std::filesystem::recursive_directory_iterator(dir))
      if (f.is_regular_file() && f.path().extension() != ".gz" && f.path().extension() != ".journal")
        taken += common_agrees_on_file(f.path().string(), &lines);
  EXPECT_GT(lines, 50000u);
  // It is the path nearly every line of a traditional rsyslog file takes.
  size_t seed_lines = 0;
  const size_t seed_taken = common_agrees_on_file(test::shared_dir() + "/incidents/seed-classic/syslog", &seed_lines);
  EXPECT_GT(seed_taken, seed_lines * 95 / 100);
  EXPECT_GT(taken, seed_taken);
  // Its edges: each of these is taken or refused, and agrees either way.
  size_t edges = 0;
  for (const char* line : {
           "Nov  3 09:00:43 www1 deploy[7805]: release rolled out",
           "Nov 13 09:00:43 www1 deploy[]: empty pid",
           "Nov 13 09:00:43 www1 deploy[12345678]: an eight-digit pid",
           "Nov 13 09:00:43 www1 deploy[123456789]: a nine-digit pid",
           "Nov 13 09:00:43 www1 deploy[0001]: leading zeros",
           "Nov 13 09:00:43 www1 deploy[12a4]: not a pid",
           "Nov 13 09:00:43 www1 deploy[1 2]: a blank in the pid",
           "Nov 13 09:00:43 www1 de[ploy[77]: two brackets",
           "Nov 13 09:00:43 www1 deploy[[77]: two brackets together",
           "Nov 13 09:00:43 www1 deploy]77]: no opening bracket",
           "Nov 13 09:00:43 www1 tag: 'quoted' first token",
           "Nov 13 09:00:43 www1 tag: one",
           "Nov 13 09:00:43 www1 tag: x",
           "Nov 13 09:00:43 www1 tag: ",
           "Nov 13 09:00:43 www1 tag: a-first-token-that-runs-past-the-masks-of-sixty-four-bytes x",
           "Nov 13 09:00:43 www1 tag: word a-second-token-that-runs-past-the-masks-of-sixty-four x",
           "Nov 13 09:00:43 www1 tag: word2 /path@host=value 9",
           "Nov 13 09:00:43 www1 deploy[12345678901]: an eleven-digit pid",
           "Nov 13 09:00:43 www1 deploy[4294967296]: a ten-digit pid past 32 bits",
           "Nov 13 09:00:43 www1 a[1]: x",
           "Nov 13 09:00:43 www1 [1]: bracket only",
           "Nov 13 09:00:43 www1 sshd(pam_unix)[123]: odd tag",
           "Nov 13 09:00:43 www1 kernel:",
           "Nov 13 09:00:43 www1 kernel:x not a tag",
           "Nov 13 09:00:43 www1 :leading colon",
           "Nov 13 09:00:43 www1 key=value: not a tag",
           "Nov 13 09:00:43 www1 \"quoted: not a tag\"",
           "Nov 13 09:00:43 www1 no tag at all",
           "Nov 13 09:00:43 www1  two spaces: before the tag",
           "Nov 13 09:00:43  www1 two spaces: before the host",
           "Nov 13 09:00:43\twww1 tab: after the stamp",
           "Nov 13 09:00:43 www1\ttab: after the host",
           "Nov 13 09:00:43 www1 tag:\ttab after the colon",
           "Nov 13 09:00:43 www1 tag:    many spaces after the colon",
           "Nov 13 09:00:43 --- last message repeated 2 times ---",
           "Nov 13 09:00:43 sudo: hostless tag",
           "Nov 13 09:00:43 cron[12]: hostless tag with pid",
           "Nov 13 09:00:43: www1 tag: colon after the time",
           "Nov 13 09:00:43.123456 www1 tag: fraction",
           "Nov 13 23:59:60 www1 tag: leap second",
           "Feb 29 10:00:00 www1 tag: leap day",
           "Feb 30 10:00:00 www1 tag: no such day",
           "Nov 3 09:00:43 www1 tag: single-space day",
           "2020-05-31T00:00:45.698463+00:00 host tag[1]: rfc 3339",
           "2020-05-31T00:00:45+02:00 host tag: rfc 3339 without a fraction",
           "<34>Feb  4 11:14:27 1.2.3.4 apache_server: test message",
           "215 <86>1 2024-01-05T10:00:00Z host app - - - rfc 5424",
           "Nov 13 09:00:43 www1 tag: framed by a NUL\0",
           "Nov 13 09:00:43 a-host-name-long-enough-to-reach-the-end-of-the-window tag: x",
           "Nov 13 09:00:43 www1 a-tag-whose-colon-lies-past-the-first-sixty-four-bytes-of-the-line: x",
           "Nov 13 09:00:43 www1 a-tag-with-no-colon-that-runs-past-the-first-sixty-four-bytes-of-the-line",
           "Nov 13 09:00:43 www1 t",
           "Nov 13 09:00:43 www1 ",
       })
    expect_common_agrees(std::string_view(line, std::strlen(line) + (std::string_view(line).ends_with("NUL") ? 1 : 0)), &edges);
  EXPECT_GT(edges, 10u);
}

}  // namespace
}  // namespace hindcast
