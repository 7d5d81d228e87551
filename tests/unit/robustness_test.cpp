// Robustness of the parsing and time layers (docs/robustness.md): records written without a
// newline between them, shapes that must not be taken for syslog, times that cannot be held,
// counters fed by hostile input, and parallel_for's failure path. Regression tests for what
// the fuzzers found are at the end.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "engine/core/timestamps.h"
#include "engine/ingest.h"
#include "engine/parallel.h"
#include "engine/resolve/resolver.h"
#include "parsers/apache_access.h"
#include "parsers/json_lines.h"
#include "parsers/registry.h"
#include "parsers/strace.h"
#include "parsers/syslog_rfc3164.h"
#include "parsers/syslog_rfc5424.h"
#include "tests/support/support.h"
#include "tests/unit/parse_helpers.h"

namespace hindcast {
namespace {

using test::parse_text;
using test::sniff_text;

std::string corpus_file(const std::string& rel) { return test::read_file(test::shared_dir() + "/corpus/" + rel); }

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  for (std::string l; std::getline(ss, l);)
    if (!l.empty()) out.push_back(l);
  return out;
}

uint64_t skipped_for(const Source& s, std::string_view reason) {
  for (const SkipRecord& k : s.skips)
    if (k.reason == reason) return k.count;
  return 0;
}

// --- Framing: records that follow each other without a newline ----------------------------

// rsyslog's ForwardFormat written to a file: "<PRI>" + the high-precision file format, records
// back to back. Made from the corpus's rsyslog high-precision file (plaso) the way rsyslog
// frames it, with one record whose message holds a raw newline, as in plaso's ForwardFormat.
TEST(Framing, ForwardFormatRecordsInOneLineAreEachAnEvent) {
  const auto records = lines_of(corpus_file("plaso/test_data/syslog/syslog_rsyslog"));
  ASSERT_EQ(records.size(), 5u);
  std::string text;
  for (size_t i = 0; i < records.size(); ++i) {
    text += "<" + std::to_string(10 + i) + ">" + records[i];
    if (i == 1) text += "\nwith another line";
  }
  const SniffResult sniff = sniff_text(text);
  ASSERT_NE(sniff.parser, nullptr);
  EXPECT_EQ(sniff.parser->format(), "syslog-rfc3164");
  const Source s = parse_text(*sniff.parser, text);
  EXPECT_EQ(s.lines, 2u);
  ASSERT_EQ(s.events.size(), 5u) << "every record is an event";
  EXPECT_EQ(s.continuation_lines, 1u);
  EXPECT_EQ(s.skipped, 0u);
  for (size_t i = 0; i < s.events.size(); ++i) {
    Record r;
    ASSERT_TRUE(decode_record(s, s.events[i], &r));
    EXPECT_EQ(s.events[i].shape, TimeShape::kAbsolute);
    EXPECT_TRUE(s.record_text(s.events[i]).starts_with("<" + std::to_string(10 + i) + ">"));
  }
  EXPECT_TRUE(s.record_text(s.events[1]).ends_with("with another line"));
  EXPECT_EQ(s.line_of(s.events[4]), 2u);
}

// The same with BSD stamps (RSYSLOG_TraditionalForwardFormat): tagless records after a <PRI>.
TEST(Framing, TraditionalForwardFormat) {
  const std::string text =
      "<15>Mar  6 04:07:23 hostname log_tag this is debug<14>Mar  6 04:07:23 hostname log_tag this is info\n"
      "with another line<14>Mar  6 04:07:23 hostname log_tag !@#$%^&*()-_=+[]{}\\|;:'\",./<>?<10>Mar  6 04:07:23 "
      "hostname log_tag this is critical<30>Mar  6 04:07:23 hostname systemd[1]: Stopping Regular background "
      "program processing daemon...<78>Mar  6 04:07:23 hostname cron[18786]: (CRON) INFO (pidfile fd = 3)";
  const SniffResult sniff = sniff_text(text);
  ASSERT_NE(sniff.parser, nullptr);
  const Source s = parse_text(*sniff.parser, text);
  ASSERT_EQ(s.events.size(), 6u);
  Record r;
  ASSERT_TRUE(decode_record(s, s.events[3], &r));
  EXPECT_EQ(r.host, "hostname");
  EXPECT_EQ(r.message, "log_tag this is critical");
  ASSERT_TRUE(decode_record(s, s.events[5], &r));
  EXPECT_EQ(r.program, "cron");
  EXPECT_EQ(r.pid, 18786u);
}

// RFC 6587: octet counting and NUL framing, the corpus's records back to back.
TEST(Framing, OctetCountingAndNulFramingFromTheCorpus) {
  const std::string dir = "dynatrace-otel-collector/internal/data-ingest-cli/commands/syslog/testdata/";
  const std::string counted = corpus_file(dir + "rfc6587-octet-counting");
  const std::string nul = corpus_file(dir + "rfc6587-non-transparent-framing");
  ASSERT_TRUE(counted.starts_with("215 <86>1 "));
  ASSERT_EQ(counted.size(), 4u + 215u) << "the count is the record's length";
  for (const std::string& text : {counted + counted + counted, nul + nul + nul}) {
    const SniffResult sniff = sniff_text(text);
    ASSERT_NE(sniff.parser, nullptr);
    EXPECT_EQ(sniff.parser->format(), "syslog-rfc5424");
    const Source s = parse_text(*sniff.parser, text);
    ASSERT_EQ(s.events.size(), 3u);
    for (const Event& e : s.events) {
      Record r;
      ASSERT_TRUE(decode_record(s, e, &r));
      EXPECT_EQ(r.message, "Found the user for retrieving user's profile");
    }
  }
}

TEST(Framing, AngleBracketsInsideAMessageDoNotSplitIt) {
  const SyslogRfc3164Parser p;
  const Source s = parse_text(p, "Nov  3 09:00:43 www1 app[1]: a <b> and <14> and <14>x and <999>Mar  6 04:07:23 h t\n");
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.events[0].length, s.text.size - 1);
}

// --- Detection: shapes that look like syslog and are not ----------------------------------

TEST(Detection, PostgresqlIsNotSyslogFromHostEdt) {
  const std::string text =
      "2024-01-05 10:00:00.123 EDT [1234] LOG:  database system was shut down at 2024-01-05 09:59:58 EDT\n"
      "2024-01-05 10:00:00.125 EDT [1232] LOG:  database system is ready to accept connections\n"
      "2024-01-05 10:00:01.000 EDT [1240] ERROR:  relation \"users\" does not exist at character 15\n"
      "2024-01-05 10:00:01.000 EDT [1240] STATEMENT:  SELECT * FROM users;\n";
  const SniffResult r = sniff_text(text);
  // PostgreSQL's own parser (its zone abbreviation through the tz database), never syslog from host "EDT".
  ASSERT_NE(r.parser, nullptr);
  EXPECT_EQ(r.parser->format(), "postgresql");
  EXPECT_FALSE(SyslogRfc3164Parser().matches(lines_of(text)[0]));
}

TEST(Detection, CriContainerLogIsNotSyslogFromHostStdout) {
  const std::string text =
      "2024-01-05T10:00:00.123456789Z stdout F Server listening on :8080\n"
      "2024-01-05T10:00:01.000000001Z stderr P partial line of a long \n"
      "2024-01-05T10:00:01.000000002Z stderr F message that ends here\n";
  const SniffResult r = sniff_text(text);
  ASSERT_NE(r.parser, nullptr);
  EXPECT_EQ(r.parser->format(), "cri-container");
  for (const std::string& line : lines_of(text)) EXPECT_FALSE(SyslogRfc3164Parser().matches(line)) << line;
  // Without the CRI parser the file is not recognised, rather than parsed as syslog.
  std::vector<const Parser*> others;
  for (const Parser* p : all_parsers())
    if (p->format() != "cri-container") others.push_back(p);
  EXPECT_EQ(sniff_text(text, others).parser, nullptr);
}

TEST(Detection, CriContainerLogIsParsed) {
  const std::string text =
      "2024-01-05T10:00:00.123456789Z stdout F Server listening on :8080\n"
      "2024-01-05T05:00:01.000000001-05:00 stderr P partial line of a long \n"
      "2024-01-05T10:00:01.000000002Z stderr F message that ends here\n"
      "2024-01-05T10:00:01.000000003Z stdout F\n"
      "2024-02-30T10:00:01.000000003Z stdout F impossible\n";
  const Source s = parse_text(*parser_for_format("cri-container"), text);
  ASSERT_EQ(s.events.size(), 4u);
  EXPECT_EQ(skipped_for(s, kImpossibleTime), 1u);
  EXPECT_EQ(format_rfc3339_utc(Instant{s.events[1].time_ns}, 9), "2024-01-05T10:00:01.000000001Z");
  EXPECT_EQ(s.events[0].flags & kFlagUtcStamp, kFlagUtcStamp) << "written as UTC: no evidence of a zone";
  EXPECT_EQ(s.events[1].offset_minutes, -300);
  Record r;
  ASSERT_TRUE(decode_record(s, s.events[1], &r));
  EXPECT_EQ(r.level, "stderr");
  EXPECT_EQ(r.message, "partial line of a long ");
  ASSERT_TRUE(decode_record(s, s.events[3], &r));
  EXPECT_EQ(r.message, "");
}

// --- Times that cannot be held, and the ones that can -------------------------------------

TEST(Times, YearsOutsideTheRangeAreSkippedWithTheReason) {
  const SyslogRfc3164Parser syslog;
  const Source s = parse_text(syslog,
                              "0001-01-01T00:00:00Z host app: year one\n"
                              "2300-01-01T00:00:00Z host app: year 2300\n"
                              "9999-12-31T23:59:59Z host app: year 9999\n"
                              "2261-12-31T23:59:59Z host app: the last year held\n");
  EXPECT_EQ(skipped_for(s, kImpossibleTime), 3u);
  ASSERT_EQ(s.events.size(), 1u);
  const ApacheAccessParser access;
  const Source a = parse_text(access,
                              "1.2.3.4 - - [01/Jan/0001:00:00:00 +0000] \"GET / HTTP/1.1\" 200 1\n"
                              "1.2.3.4 - - [31/Dec/9999:23:59:59 +0000] \"GET / HTTP/1.1\" 200 1\n"
                              "1.2.3.4 - - [01/Jan/2300:00:00:00 +0000] \"GET / HTTP/1.1\" 200 1\n");
  EXPECT_EQ(skipped_for(a, kImpossibleTime), 3u);
  const JsonLinesParser json;
  const Source j = parse_text(json, "{\"time\":\"9999-12-31T23:59:59Z\",\"msg\":\"x\"}\n{\"ts\":253402300799,\"msg\":\"y\"}\n");
  EXPECT_EQ(j.events.size(), 1u) << "253402300799 is a 12-digit epoch: milliseconds, 1978";
  EXPECT_EQ(skipped_for(j, kImpossibleTime), 1u);
}

TEST(Times, TwelveDigitEpochs) {
  Stamp st;
  ASSERT_EQ(read_epoch("100000000000", &st), StampStatus::kOk);  // 12 digits: ms
  EXPECT_EQ(format_rfc3339_utc(Instant{st.value_ns}, 0), "1973-03-03T09:46:40Z");
  ASSERT_EQ(read_epoch("999999999999.5", &st), StampStatus::kOk);
  EXPECT_EQ(format_rfc3339_utc(Instant{st.value_ns}, 4), "2001-09-09T01:46:39.9995Z");
  EXPECT_EQ(read_epoch_in("100000000000", kNanosPerSecond, &st), StampStatus::kInvalid) << "year 5138";
  // strace -ttt with a 12-digit seconds field: impossible, skipped with the reason.
  const StraceParser strace;
  const Source s = parse_text(strace, "100000000000.000001 close(3) = 0\n1699016443.000001 close(3) = 0\n");
  EXPECT_EQ(s.events.size(), 1u);
  EXPECT_EQ(skipped_for(s, kImpossibleTime), 1u);
}

TEST(Times, LeapSecondReadsAsTheNextMinutesFirst) {
  Instant t;
  ASSERT_TRUE(parse_rfc3339("2016-12-31T23:59:60Z", &t));
  EXPECT_EQ(format_rfc3339_utc(t, 0), "2017-01-01T00:00:00Z");
  const SyslogRfc3164Parser syslog;
  const Source s = parse_text(syslog, "Dec 31 23:59:60 host ntpd[1]: leap second\nDec 31 23:59:61 host ntpd[1]: no\n");
  EXPECT_EQ(s.events.size(), 1u);
  EXPECT_EQ(skipped_for(s, kImpossibleTime), 1u);
}

TEST(Times, ImpossibleCivilFields) {
  for (const char* text : {"2023-02-29T00:00:00", "2023-04-31T00:00:00", "2023-11-03T24:00:00",
                           "2023-11-03T23:60:00", "2023-11-03T23:59:61", "2023-00-10T00:00:00"}) {
    scan::Cursor c{text};
    Stamp st;
    EXPECT_EQ(read_iso8601(c, &st), StampStatus::kInvalid) << text;
  }
}

// Dated stamps remember the thread's last valid date (the day count is computed once per date):
// a line after it, valid or not, on the same date or another, reads as the calendar says.
TEST(Times, DatedStampsAfterEachOtherReadAsTheCalendarSays) {
  struct Case {
    const char* text;
    int64_t y;
    unsigned mo, d, h, mi, s;  // y 0: impossible
  };
  const Case cases[] = {
      {"2023-11-03T09:00:00", 2023, 11, 3, 9, 0, 0},  {"2023-11-03T23:59:59", 2023, 11, 3, 23, 59, 59},
      {"2023-11-03T24:00:00", 0, 0, 0, 0, 0, 0},      {"2023-11-03T23:60:00", 0, 0, 0, 0, 0, 0},
      {"2023-11-03T23:59:60", 2023, 11, 3, 23, 59, 60}, {"2023-11-04T00:00:00", 2023, 11, 4, 0, 0, 0},
      {"2024-11-04T00:00:00", 2024, 11, 4, 0, 0, 0},  {"2023-02-29T00:00:00", 0, 0, 0, 0, 0, 0},
      {"2024-02-29T12:00:00", 2024, 2, 29, 12, 0, 0}, {"2024-02-30T12:00:00", 0, 0, 0, 0, 0, 0},
      {"2024-02-29T13:00:00", 2024, 2, 29, 13, 0, 0}, {"2024-03-29T13:00:00", 2024, 3, 29, 13, 0, 0},
      {"1677-12-31T00:00:00", 0, 0, 0, 0, 0, 0},      {"2024-03-29T13:00:01", 2024, 3, 29, 13, 0, 1},
  };
  for (int pass = 0; pass < 2; ++pass) {  // the second pass starts from the last date of the first
    for (const Case& k : cases) {
      scan::Cursor c{k.text};
      Stamp st;
      const StampStatus status = read_iso8601(c, &st);
      if (k.y == 0) {
        EXPECT_EQ(status, StampStatus::kInvalid) << k.text;
        continue;
      }
      ASSERT_EQ(status, StampStatus::kOk) << k.text;
      EXPECT_EQ(st.value_ns, civil_to_ns(k.y, k.mo, k.d, k.h, k.mi, k.s, 0)) << k.text;
    }
  }
}

// --- Counters fed by the input -------------------------------------------------------------

// Lines alternating between December and January (merged files) count a rollover per pair:
// capped, so the placeholder year stays representable and resolution stays in range.
TEST(Counters, AlternatingDecemberJanuaryLinesStayInRange) {
  std::string text;
  for (int i = 0; i < 400; ++i) text += i % 2 ? "Jan  1 00:00:01 h a: x\n" : "Dec 31 23:59:59 h a: x\n";
  const SyslogRfc3164Parser syslog;
  std::vector<Source> sources;
  sources.push_back(parse_text(syslog, text));
  ASSERT_EQ(sources[0].events.size(), 400u);
  ResolveOptions o;
  o.year = 2023;
  ASSERT_TRUE(resolve_times(sources, o).has_value());
  for (const Event& e : sources[0].events) EXPECT_TRUE(in_time_range(e.time_ns) || (e.basis & kBasisUnanchored));
}

TEST(Counters, RelativeSumsSaturateAndStayUnanchored) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += "99999999.999999 close(3) = 0\n";  // -r: seconds since the last line
  const StraceParser strace;
  std::vector<Source> sources;
  sources.push_back(parse_text(strace, text));
  ASSERT_EQ(sources[0].events.size(), 200u);
  EXPECT_EQ(sources[0].events.back().time_ns, INT64_MAX);
  ASSERT_TRUE(resolve_times(sources, ResolveOptions{}).has_value());
  for (const Event& e : sources[0].events) EXPECT_EQ(e.basis, kBasisUnanchored);
}

TEST(Counters, TimeOfDayTraceAlternatingAcrossMidnightIsCapped) {
  std::string text;
  for (int i = 0; i < 9000; ++i) text += i % 2 ? "00:00:01.000001 close(3) = 0\n" : "23:59:59.000001 close(3) = 0\n";
  const StraceParser strace;
  std::vector<Source> sources;
  sources.push_back(parse_text(strace, text));
  ResolveOptions o;
  o.date_day = days_from_civil(2261, 12, 1);  // near the end of the range: later days overflow
  ASSERT_TRUE(resolve_times(sources, o).has_value());
  for (const Event& e : sources[0].events) EXPECT_TRUE(in_time_range(e.time_ns) || (e.basis & kBasisUnanchored));
}

// --- Resolution of date-less traces with nothing dated beside them -------------------------

TEST(Resolution, TimeOfDayTraceWithNothingDatedTakesTheMtimeDate) {
  const StraceParser strace;
  std::vector<Source> sources;
  sources.push_back(parse_text(strace, "09:01:08.279127 close(3) = 0\n09:02:28.000001 close(4) = 0\n"));
  sources[0].path = "strace.log";
  sources[0].mtime_ns = civil_to_ns(2023, 11, 3, 9, 5, 0, 0);
  auto o = resolve_times(sources, ResolveOptions{});
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(format_rfc3339_utc(Instant{sources[0].events[0].time_ns}, 6), "2023-11-03T09:01:08.279127Z");
  EXPECT_NE(sources[0].events[0].basis & kBasisDateAnchored, 0);
  EXPECT_NE(sources[0].time_basis.find("2023-11-03 from the file's modification time"), std::string::npos)
      << sources[0].time_basis;
  ASSERT_FALSE(o->warnings.empty());
  // Written a minute after midnight: the lines are from the day before.
  sources[0].events.clear();
  sources[0] = parse_text(strace, "23:59:08.279127 close(3) = 0\n");
  sources[0].mtime_ns = civil_to_ns(2023, 11, 4, 0, 1, 0, 0);
  ASSERT_TRUE(resolve_times(sources, ResolveOptions{}).has_value());
  EXPECT_EQ(format_rfc3339_utc(Instant{sources[0].events[0].time_ns}, 0), "2023-11-03T23:59:08Z");
  // --date wins over the mtime.
  sources[0] = parse_text(strace, "23:59:08.279127 close(3) = 0\n");
  ResolveOptions with_date;
  with_date.date_day = days_from_civil(2024, 2, 29);
  ASSERT_TRUE(resolve_times(sources, with_date).has_value());
  EXPECT_EQ(format_rfc3339_utc(Instant{sources[0].events[0].time_ns}, 0), "2024-02-29T23:59:08Z");
  EXPECT_NE(sources[0].time_basis.find("(--date)"), std::string::npos);
}

// Issue 28, item 3: the kernel stamps mtime from its coarse clock, a tick behind the clock strace
// reads, so an `strace -tt` trace's last line is often a few ms *after* the file's mtime; "the last
// line precedes mtime" then chose the day before, every time. The same for a year-less syslog
// written at midnight on New Year's Eve.
TEST(Resolution, ALastLineAFewMillisecondsAfterTheMtimeIsOfTheMtimesDay) {
  const StraceParser strace;
  std::vector<Source> sources;
  sources.push_back(parse_text(strace, "02:29:14.900000 close(3) = 0\n02:29:15.032638 +++ exited with 0 +++\n"));
  sources[0].mtime_ns = civil_to_ns(2026, 12, 7, 2, 29, 15, 30'835'743);  // 1.8 ms before the last line
  ASSERT_TRUE(resolve_times(sources, ResolveOptions{}).has_value());
  EXPECT_EQ(format_rfc3339_utc(Instant{sources[0].events[1].time_ns}, 6), "2026-12-07T02:29:15.032638Z");
  // Just after midnight, the trace's last line a few ms after an mtime of 23:59:59.998.
  sources[0] = parse_text(strace, "23:59:59.990000 close(3) = 0\n00:00:00.001000 close(4) = 0\n");
  sources[0].mtime_ns = civil_to_ns(2026, 12, 6, 23, 59, 59, 998'000'000);
  ASSERT_TRUE(resolve_times(sources, ResolveOptions{}).has_value());
  EXPECT_EQ(format_rfc3339_utc(Instant{sources[0].events[1].time_ns}, 3), "2026-12-07T00:00:00.001Z");
  const SyslogRfc3164Parser syslog;
  sources[0] = parse_text(syslog, "Dec 31 23:59:59.997 www1 app[1]: the year's last line\nJan  1 00:00:00.002 www1 app[1]: and the next's first\n");
  sources[0].mtime_ns = civil_to_ns(2025, 12, 31, 23, 59, 59, 999'000'000);
  ASSERT_TRUE(resolve_times(sources, ResolveOptions{}).has_value());
  EXPECT_EQ(format_rfc3339_utc(Instant{sources[0].events[1].time_ns}, 3), "2026-01-01T00:00:00.002Z");
}

TEST(Resolution, RelativeTraceWithNothingToAnchorItStaysRelative) {
  const StraceParser strace;
  std::vector<Source> sources;
  sources.push_back(parse_text(strace, "     0.000000 close(3) = 0\n     0.000115 close(4) = 0\n"));
  ASSERT_TRUE(resolve_times(sources, ResolveOptions{}).has_value());
  for (const Event& e : sources[0].events) EXPECT_EQ(e.basis, kBasisUnanchored);
}

TEST(Resolution, YearOptionOutsideTheRangeIsAnError) {
  std::vector<Source> sources;
  for (int y : {1, 1677, 2262, 9999}) {
    ResolveOptions o;
    o.year = y;
    const auto r = resolve_times(sources, o);
    ASSERT_FALSE(r.has_value()) << y;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidValue);
  }
}

// --- parallel_for ------------------------------------------------------------------------

TEST(Parallel, AWorkersExceptionReachesTheCaller) {
  for (unsigned threads : {1u, 2u, 4u}) {
    std::atomic<int> ran{0};
    // The other tasks take a millisecond each: without it one worker could run all of them while
    // the one holding task 7 waited to be scheduled (it flaked so on a loaded VM), and the check
    // below would say nothing about the hand-out stopping.
    EXPECT_THROW(Executor(threads).parallel_for(1000,
                              [&](size_t i) {
                                ++ran;
                                if (i == 7) throw std::runtime_error("task 7 failed");
                                std::this_thread::sleep_for(std::chrono::milliseconds(1));
                              }),
                 std::runtime_error);
    EXPECT_LT(ran.load(), 1000) << "no more work is handed out after a failure";
  }
  std::atomic<int> sum{0};
  Executor(4).parallel_for(100, [&](size_t i) { sum += static_cast<int>(i); });
  EXPECT_EQ(sum.load(), 4950);
}


// The 64-byte block split against a plain byte-by-byte split: the same lines at the same offsets
// (CR stripped), and `marked` never false for a line with the mark (false for one without, once
// the line lies in whole blocks: the tail may say true).
TEST(Chunks, BlockLineSplitAgreesWithAByteScan) {
  std::string text;
  uint32_t seed = 7;
  const auto next = [&] { return (seed = seed * 1103515245u + 12345u) >> 16; };
  for (int i = 0; i < 4000; ++i) {
    const size_t len = next() % (i % 50 == 0 ? 300 : 70);
    for (size_t k = 0; k < len; ++k) {
      const unsigned r = next() % 40;
      text += r == 0 ? '<' : r == 1 ? '\r' : static_cast<char>('a' + r % 26);
    }
    text += i % 97 == 0 ? "\r\n" : "\n";
  }
  text += "tail<";
  struct Line {
    size_t offset;
    std::string_view text;
    bool has_mark;
  };
  std::vector<Line> want;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    want.push_back({pos, line, line.find('<') != std::string_view::npos});
    pos = end + 1;
  }
  size_t k = 0;
  const size_t whole_blocks = text.size() / 64 * 64;
  for_each_line_marked<'<'>(text, [&](uint32_t number, size_t offset, std::string_view line, bool marked) {
    ASSERT_LT(k, want.size());
    EXPECT_EQ(number, k + 1);
    EXPECT_EQ(offset, want[k].offset);
    EXPECT_EQ(line, want[k].text);
    if (want[k].has_mark) {
      EXPECT_TRUE(marked) << "line " << number;
    } else if (offset + line.size() + 1 <= whole_blocks) {
      EXPECT_FALSE(marked) << "line " << number;
    }
    ++k;
  });
  EXPECT_EQ(k, want.size());
}


// A syslog file of `lines` short records (a continuation line after every `continued`-th), one
// record of 700 KB and a last line without a newline.
std::string windowed_test_log(int lines, int continued) {
  std::string text;
  for (int i = 0; i < lines; ++i) {
    text += "Mar  7 10:" + std::to_string(10 + i % 50) + ":00 web1 app[" + std::to_string(100 + i % 7) + "]: request " + std::to_string(i) + " done\n";
    if (continued && i % continued == 0) text += "  a continuation line of request " + std::to_string(i) + "\n";
  }
  text += "Mar  7 10:59:59 web1 app[9]: " + std::string(700 << 10, 'x') + "\n";
  text += "Mar  7 11:00:00 web1 app[9]: last line, no newline";
  return text;
}

// `text` written to a file of the test's and loaded (mapped) and parsed.
std::optional<Source> load_written(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  auto s = load_source(path, 0, /*parse=*/true, nullptr);
  EXPECT_TRUE(s.has_value());
  if (!s) return std::nullopt;
  return std::move(*s);
}

// The same events, on the same lines (each source's line numbers come from its own parse's marks).
void expect_same_events(const Source& got, const Source& want) {
  ASSERT_EQ(got.events.size(), want.events.size());
  for (size_t i = 0; i < want.events.size(); ++i) {
    const Event &a = got.events[i], &b = want.events[i];
    ASSERT_TRUE(got.line_of(a) == want.line_of(b) && a.offset == b.offset && a.length == b.length &&
                a.time_ns == b.time_ns && a.aux == b.aux && a.pid == b.pid)
        << "event " << i;
  }
}

// A mapped file is read in windows (parsers/text_windows.h), in chunks (several threads' worth,
// whose borders fall inside lines and inside the record longer than a window): the line count
// and every event are those of the same text parsed in memory as one chunk.
TEST(Chunks, AMappedFileParsesAsTheTextInMemory) {
  const std::string text = windowed_test_log(30000, 0);
  auto mapped = load_written("windowed.log", text);
  ASSERT_TRUE(mapped.has_value());
  ASSERT_TRUE(mapped->text.mapped);  // read through windows, not in place
  ASSERT_GE(mapped->text.fd, 0);     // copied by pread from the file (over 1 MiB: its descriptor is kept)
  ASSERT_GT(text.size(), 4 * WindowReader::kWindow);
  EXPECT_EQ(count_lines(mapped->text, 0, mapped->text.size), count_lines(text, 0, text.size()));
  EXPECT_EQ(count_lines(mapped->text, 5, mapped->text.size - 3), count_lines(text, 5, text.size() - 3));
  // The run's path: chunks counted, placed, parsed in place and assembled.
  auto chunked = load_source(::testing::TempDir() + "/windowed.log", 0, /*parse=*/false, nullptr);
  ASSERT_TRUE(chunked.has_value());
  const auto ranges = split_chunks(chunked->text.view(), 64 << 10);
  ASSERT_GT(ranges.size(), 10u);
  std::vector<ParsedChunk> chunks(ranges.size());
  std::vector<uint32_t> lines;
  for (const auto& [begin, end] : ranges) lines.push_back(count_lines(chunked->text, begin, end));
  place_chunks(*chunked, chunks, lines);
  for (size_t k = 0; k < ranges.size(); ++k) chunked->parser->parse_chunk(*chunked, ranges[k].first, ranges[k].second, chunks[k]);
  assemble_chunks(*chunked->parser, *chunked, std::move(chunks));
  expect_same_events(*chunked, *mapped);
  const Source in_memory = test::parse_text(SyslogRfc3164Parser{}, text);
  EXPECT_EQ(mapped->events.size(), 30002u);
  expect_same_events(*mapped, in_memory);
  // The analysis' reader gives every record's first line as the mapping does, the 700 KB one too,
  // in file order and out of it.
  RecordReader reader(*mapped);
  for (const Event& e : mapped->events) ASSERT_EQ(reader.line(e), mapped->line_text(e)) << e.offset;
  for (size_t i = mapped->events.size(); i-- > 0;)
    ASSERT_EQ(reader.line(mapped->events[i]), mapped->line_text(mapped->events[i])) << i;
}

// Text in memory (not a mapping) is handed out in place, one window for the whole range.
TEST(Chunks, TextInMemoryIsOneWindowInPlace) {
  const SourceText text = SourceText::copy_of("one\ntwo\nthree");
  EXPECT_FALSE(text.mapped);
  WindowReader windows(text, 4, text.size);
  TextWindow w;
  ASSERT_TRUE(windows.next(&w));
  EXPECT_EQ(w.text.data(), text.data.get() + 4);
  EXPECT_EQ(w.text, "two\nthree");
  EXPECT_EQ(w.begin, 4u);
  EXPECT_FALSE(windows.next(&w));
  EXPECT_EQ(count_lines(text, 0, text.size), 3u);
}


}  // namespace
}  // namespace hindcast

namespace hindcast {
namespace {

// count_lines sizes every file's events array: it must agree with the line splitter on every
// range, whatever the alignment, the line lengths (runs past the vector loop's 255-step counter
// window) and a last line without '\n'.
TEST(Chunks, CountLinesAgreesWithTheLineSplitter) {
  std::string text;
  for (int i = 0; i < 3000; ++i) text += std::string(static_cast<size_t>((i * 37) % 90), 'x') + (i % 500 ? "\n" : "\n\n\n");
  text += "last line without a newline";
  const auto lines_of = [](std::string_view t) {
    uint32_t n = 0;
    for_each_line(t, [&](uint32_t, size_t, std::string_view) { ++n; });
    return n;
  };
  for (size_t begin : {size_t{0}, size_t{1}, size_t{15}, size_t{4097}}) {
    for (size_t end : {text.size(), text.size() - 1, text.size() / 2, begin + 16, begin + 17, begin}) {
      SCOPED_TRACE(std::to_string(begin) + ".." + std::to_string(end));
      EXPECT_EQ(count_lines(text, begin, end), lines_of(std::string_view(text).substr(begin, end - begin)));
    }
  }
  EXPECT_EQ(count_lines(std::string(100000, '\n'), 0, 100000), 100000u);  // 6250 vector steps
}

}  // namespace
}  // namespace hindcast
