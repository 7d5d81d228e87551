// strace output: real lines from shared/incidents and shared/corpus.
#include <gtest/gtest.h>

#include "engine/resolve/embedded_clues.h"
#include "parsers/registry.h"
#include "parsers/strace.h"
#include "tests/unit/parse_helpers.h"

namespace hindcast {
namespace {

TEST(Strace, PidPrefixedTtLineWithErrno) {
  // seed-classic strace.log (-f -tt -T; pid padded to 5 columns).
  StraceRecord r;
  ASSERT_TRUE(decode_strace_line(
      R"L(7086  09:01:08.671256 newfstatat(AT_FDCWD, "/srv/devgen-site/wp-includes/class-wp-locale.phpp", 0x7ffdb3d783e0, AT_SYMLINK_NOFOLLOW) = -1 ENOENT (No such file or directory) <0.000004>)L",
      &r));
  EXPECT_EQ(r.pid, 7086u);
  EXPECT_EQ(r.stamp.shape, TimeShape::kLocalTimeOfDay);
  EXPECT_EQ(r.stamp.value_ns, ((9 * 3600 + 1 * 60 + 8) * kNanosPerSecond) + 671256000);
  EXPECT_EQ(r.stamp.precision, 6);
  EXPECT_EQ(r.type, StraceLineType::kCall);
  EXPECT_EQ(r.syscall, "newfstatat");
  EXPECT_EQ(r.errno_name, "ENOENT");
  EXPECT_EQ(first_string_argument(r.args), "/srv/devgen-site/wp-includes/class-wp-locale.phpp");
  EXPECT_EQ(errno_from_name("ENOENT"), 2);
  EXPECT_EQ(errno_name(13), "EACCES");
}

TEST(Strace, UnfinishedAndResumedArePairedAndShareTheResult) {
  // seed-classic strace.log: pid 7088 accept4 unfinished, then resumed; another pid between.
  StraceParser p;
  const Source s = test::parse_text(p,
      "7088  09:01:08.279127 accept4(5,  <unfinished ...>\n"
      "7087  09:01:08.279168 accept4(5,  <unfinished ...>\n"
      "7088  09:01:08.353698 <... accept4 resumed>{sa_family=AF_INET, sin_port=htons(60932), sin_addr=inet_addr(\"127.0.0.1\")}, [128 => 16], SOCK_CLOEXEC) = 12 <0.074524>\n");
  ASSERT_EQ(s.events.size(), 3u);
  EXPECT_TRUE(s.events[0].flags & kFlagUnfinished);
  EXPECT_EQ(s.events[0].partner(), 3u);
  EXPECT_TRUE(s.events[2].flags & kFlagResumed);
  EXPECT_EQ(s.events[2].partner(), 1u);
  EXPECT_EQ(s.events[1].partner(), 0u);  // 7087's call never resumes in this excerpt
  EXPECT_EQ(s.events[2].pid, 7088u);
}

TEST(Strace, ResumedErrnoIsCopiedToTheCall) {
  // seed-classic strace.log: an .htaccess look-up interrupted by another pid's line. The call's
  // own record gets the errno, so a detector sees path and error on one event.
  StraceParser p;
  const Source s = test::parse_text(p,
      "7088  09:01:14.051533 openat(AT_FDCWD, \"/srv/devgen-site/wp-content/uploads/.htaccess\", O_RDONLY|O_CLOEXEC <unfinished ...>\n"
      "7088  09:01:14.051546 <... openat resumed>) = -1 ENOENT (No such file or directory) <0.000008>\n");
  ASSERT_EQ(s.events.size(), 2u);
  EXPECT_EQ(s.events[0].code, errno_from_name("ENOENT"));
  EXPECT_EQ(s.events[1].code, errno_from_name("ENOENT"));
  EXPECT_EQ(s.events[0].partner(), 2u);
}

TEST(Strace, EpochSignalRestartAndExit) {
  // lnav strace_log.json samples (-ttt).
  StraceRecord r;
  ASSERT_TRUE(decode_strace_line(
      "1743339613.560493 poll([{fd=11, events=POLLIN}], 1, 49) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)", &r));
  EXPECT_EQ(r.stamp.shape, TimeShape::kAbsolute);
  EXPECT_EQ(r.errno_name, "ERESTART_RESTARTBLOCK");
  EXPECT_EQ(errno_from_name(r.errno_name), 516);
  ASSERT_TRUE(decode_strace_line("1743339613.601613 --- SIGALRM {si_signo=SIGALRM, si_code=SI_KERNEL} ---", &r));
  EXPECT_EQ(r.type, StraceLineType::kSignal);
  EXPECT_EQ(r.syscall, "SIGALRM");
  ASSERT_TRUE(decode_strace_line("1743339626.018554 +++ exited with 0 +++", &r));
  EXPECT_EQ(r.type, StraceLineType::kExit);
}

TEST(Strace, PerPidFileWithoutPrefixTakesPidFromFileName) {
  // parse-error-dst strace.out.30327 (-ff -tt, no -T, alignment padding before '=').
  StraceParser p;
  const Source s = test::parse_text(p,
      "01:59:28.124470 accept4(5, {sa_family=AF_INET, sin_port=htons(42448), sin_addr=inet_addr(\"127.0.0.1\")}, [128 => 16], SOCK_CLOEXEC) = 12\n"
      "01:59:28.396719 fcntl(12, F_GETFL)      = 0x2 (flags O_RDWR)\n",
      30327);
  ASSERT_EQ(s.events.size(), 2u);
  EXPECT_EQ(s.events[0].pid, 30327u);
  EXPECT_EQ(s.events[1].code, 0);
  StraceRecord r;
  ASSERT_TRUE(decode_strace_line("01:59:28.396719 fcntl(12, F_GETFL)      = 0x2 (flags O_RDWR)", &r));
  EXPECT_EQ(r.args, "12, F_GETFL");
  EXPECT_EQ(r.result, "0x2 (flags O_RDWR)");
}

TEST(Strace, RelativeAndUntimedLines) {
  // visual-strace (-r) and arastoob multithread_strace1.log (no timestamps).
  StraceParser p;
  const Source rel = test::parse_text(p,
      "23066      0.000032 <... execve resumed>) = 0\n"
      "23067      0.000115 <... execve resumed>) = 0\n");
  ASSERT_EQ(rel.events.size(), 2u);
  EXPECT_EQ(rel.events[0].shape, TimeShape::kRelative);
  EXPECT_EQ(rel.events[1].time_ns, 147000);  // running sum of the deltas
  const Source none = test::parse_text(p,
      "909190 execve(\"/home/arastoo/.cargo/bin/cargo\", [\"cargo\", \"run\", \"--release\"], 0x7ffcd1fe9138 /* 53 vars */) = 0\n"
      "909190 brk(NULL)                        = 0x562f59fea000\n"
      "909190 arch_prctl(0x3001 /* ARCH_??? */, 0x7ffef79f01f0) = -1 EINVAL (Invalid argument)\n");
  ASSERT_EQ(none.events.size(), 3u);
  EXPECT_EQ(none.events[0].shape, TimeShape::kNone);
  EXPECT_EQ(none.events[0].pid, 909190u);
  EXPECT_EQ(none.events[2].code, errno_from_name("EINVAL"));
}

TEST(Strace, StringArgumentsAreUnescaped) {
  // tracecode basic.trace style truncation and seed-classic escapes.
  EXPECT_EQ(first_string_argument(R"L(8, "66.201.45.45 - - [03/Nov/2023:09:01:08 -0400] \"GET /feed/ HTTP/1.1\"\n", 151)L"),
            "66.201.45.45 - - [03/Nov/2023:09:01:08 -0400] \"GET /feed/ HTTP/1.1\"\n");
  EXPECT_EQ(first_string_argument(R"L(3, "\177ELF\2\1\1\0\0\0"..., 832)L"), std::string("\177ELF\2\1\1\0\0\0", 10));
  EXPECT_EQ(nth_raw_string(R"L(AT_FDCWD, "/a", "/b")L", 1), "/b");
}

TEST(Strace, WrittenTextDropsTheWordStraceCut) {
  // seed-classic strace.log: PHP's warning cut by strace's -s limit ("on line "...).
  const auto text = written_text(
      R"L(7086  09:01:08.671340 write(2, "[Fri Nov 03 09:01:08.671320 2023] [php:warn] [pid 7086:tid 7086] [client 81.68.166.74:0] PHP Warning:  require(/srv/devgen-site/wp-includes/class-wp-locale.phpp): Failed to open stream: No such file or directory in /srv/devgen-site/wp-settings.php on line "..., 294) = 294 <0.000014>)L");
  ASSERT_TRUE(text.has_value());
  EXPECT_TRUE(text->ends_with("wp-settings.php on line")) << *text;
  // parse-error-dst strace.out.30327: a whole line, newline removed.
  const auto whole = written_text(
      R"L(01:59:28.827199 write(2, "[Sun Oct 04 01:59:28.827179 2026] [php:error] [pid 30327:tid 30327] [client 185.114.138.137:0] PHP Parse error:  Unmatched '}' in /srv/devgen-site/wp-includes/formatting.php on line 8, referer: http://127.0.0.1:8088/\n", 217) = 217)L");
  ASSERT_TRUE(whole.has_value());
  EXPECT_TRUE(whole->ends_with("referer: http://127.0.0.1:8088/")) << *whole;
  EXPECT_FALSE(written_text(R"L(7088  09:01:08.353779 fcntl(12, F_GETFL) = 0x2 (flags O_RDWR) <0.000003>)L").has_value());
}

// The parse flags the calls that write text out (kFlagWritesText): the clue scan and the
// analysis read no other strace line, so the flag must mark exactly the lines written_text()
// can read something from (an unfinished write too, its resumption not).
TEST(Strace, CallsThatWriteTextAreFlaggedByTheParse) {
  StraceParser p;
  // The first two lines from seed-classic's strace.log (the write's string shortened); the others
  // in the shapes of its calls, with names chosen to catch a search for "write"/"send" anywhere.
  const std::string lines[] = {
      R"L(7086  09:01:08.671340 write(2, "[Fri Nov 03 09:01:08.671320 2023] [php:warn] [pid 7086:tid 7086] [client 81.68.166.74:0] PHP Warning:  require(/srv/x.phpp): Failed to open stream", 150) = 150 <0.000014>)L",
      R"L(7088  09:01:08.353779 fcntl(12, F_GETFL) = 0x2 (flags O_RDWR) <0.000003>)L",
      R"L(7088  09:01:08.353800 read(12, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 8000) = 35 <0.000004>)L",
      R"L(7089  09:01:08.353900 writev(12, [{iov_base="HTTP/1.1 200 OK\r\nDate: Fri, 03 Nov 2023 13:01:08 GMT\r\n", iov_len=54}], 1 <unfinished ...>)L",
      R"L(7088  09:01:08.354000 sendto(3, "stats\r\n", 7, MSG_NOSIGNAL, NULL, 0) = 7 <0.000010>)L",
      R"L(7089  09:01:08.354100 <... writev resumed>) = 54 <0.000200>)L",
      R"L(7088  09:01:08.354200 newfstatat(AT_FDCWD, "/srv/writes/send.php", 0x7ffdb3d783e0, 0) = -1 ENOENT (No such file or directory) <0.000004>)L",
  };
  std::string text;
  for (const std::string& l : lines) text += l + "\n";
  const Source s = test::parse_text(p, text);
  ASSERT_EQ(s.events.size(), std::size(lines));
  for (size_t i = 0; i < std::size(lines); ++i) {
    StraceRecord r;
    ASSERT_TRUE(decode_strace_line(lines[i], &r)) << i;
    const bool flagged = (s.events[i].flags & kFlagWritesText) != 0;
    EXPECT_EQ(flagged, writes_text(r)) << i;
    EXPECT_EQ(flagged, i == 0 || i == 3 || i == 4) << i;  // write, the unfinished writev, sendto
    if (!flagged) {
      EXPECT_FALSE(written_text(lines[i]).has_value()) << i;
    }
  }
  // The source says whether any call wrote text: a trace without such calls is not searched
  // for embedded log lines (the resolver's clue scan returns at once).
  EXPECT_TRUE(s.may_have_flag(kFlagWritesText));
  const Source quiet = test::parse_text(p, lines[1] + "\n" + lines[2] + "\n" + lines[6] + "\n");
  ASSERT_EQ(quiet.events.size(), 3u);
  EXPECT_FALSE(quiet.may_have_flag(kFlagWritesText));
  EXPECT_TRUE(find_embedded_clues(quiet, 10).empty());
  EXPECT_FALSE(find_embedded_clues(s, 10).empty()) << "the write of a dated log line is a clue";
}

// What a traced program wrote is read by the parser that recognises it, whatever its format (it
// used to be only lines starting with '['): written_text() and parser_for_line() together.
TEST(Strace, WrittenLinesAreReadByTheParserThatRecognisesThem) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {R"L(10:00:01.000200 write(4, "2026/12/07 10:00:01 [crit] 100#100: *5 open() \"/srv/www/index.php\" failed (13: Permission denied), client: 10.0.0.1\n", 110) = 110)L",
       "nginx-error"},
      {R"L(10:00:01.000300 write(2, "[07-Dec-2026 10:00:01] WARNING: [pool www] child 1240 said into stderr: \"x\"\n", 80) = 80)L", "php-fpm"},
      {R"L(10:00:01.000400 write(2, "[Mon Dec 07 10:00:01.123456 2026] [core:error] [pid 100] [client 10.0.0.1:5000] AH00037: Symbolic link not allowed\n", 110) = 110)L",
       "apache-error"},
      {R"L(10:00:01.000500 sendto(3, "<27>Dec  7 10:00:01 app[77]: cannot open /var/lib/app/db: Permission denied", 75, MSG_NOSIGNAL, NULL, 0) = 75)L",
       "syslog-rfc3164"}};
  for (const auto& [line, format] : cases) {
    std::optional<std::string> text = written_text(line);
    ASSERT_TRUE(text) << line;
    const size_t n = text->size();
    text->append(SourceText::kPadding, '\0');
    const Parser* p = parser_for_line(std::string_view(*text).substr(0, n));
    ASSERT_NE(p, nullptr) << *text;
    EXPECT_EQ(p->format(), format) << *text;
  }
  // Text that is no log line is read by none.
  std::string body = "<html><body>hello</body></html>";
  body.append(SourceText::kPadding, '\0');
  EXPECT_EQ(parser_for_line(std::string_view(body).substr(0, 31)), nullptr);
}

}  // namespace
}  // namespace hindcast
