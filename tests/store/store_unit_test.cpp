// The store's pieces that need no server: RowBinary both ways, the schema's checks, literals.
#include <gtest/gtest.h>

#include <string>

#include "engine/store/row_binary.h"
#include "engine/store/schema.h"

namespace hindcast::store {
namespace {

TEST(RowBinary, EveryByteValueAndLengthRoundTrips) {
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  std::string row;
  RowBinaryWriter w(row);
  // Lengths on each side of a LEB128 byte boundary.
  const size_t lengths[] = {0, 1, 127, 128, 16383, 16384, 70000};
  for (size_t n : lengths) {
    std::string s;
    for (size_t i = 0; i < n; ++i) s.push_back(all[i % 256]);
    w.str(s);
  }
  w.i64(-1);
  w.u16(65535);
  w.i16(-32768);
  w.f64(0.25);
  RowBinaryReader r(row);
  for (size_t n : lengths) {
    std::string_view s;
    ASSERT_TRUE(r.str(&s));
    ASSERT_EQ(s.size(), n);
    for (size_t i = 0; i < n; ++i) ASSERT_EQ(s[i], all[i % 256]) << n << " " << i;
  }
  int64_t i64 = 0;
  uint16_t u16 = 0;
  int16_t i16 = 0;
  double f = 0;
  ASSERT_TRUE(r.i64(&i64) && r.u16(&u16) && r.i16(&i16) && r.f64(&f));
  EXPECT_EQ(i64, -1);
  EXPECT_EQ(u16, 65535);
  EXPECT_EQ(i16, -32768);
  EXPECT_EQ(f, 0.25);
  EXPECT_TRUE(r.at_end());
}

TEST(RowBinary, ClickHousesOwnBytes) {
  // SELECT 'x\ty', toInt64(5), toUInt16(500) FORMAT RowBinary, as ClickHouse 18.16 answers it.
  const std::string answer("\x03x\ty\x05\x00\x00\x00\x00\x00\x00\x00\xf4\x01", 14);
  RowBinaryReader r(answer);
  std::string_view s;
  int64_t n = 0;
  uint16_t u = 0;
  ASSERT_TRUE(r.str(&s) && r.i64(&n) && r.u16(&u));
  EXPECT_EQ(s, "x\ty");
  EXPECT_EQ(n, 5);
  EXPECT_EQ(u, 500);
}

TEST(RowBinary, AShortRowLeavesThePositionForTheNextPiece) {
  std::string row;
  RowBinaryWriter w(row);
  w.str("hello");
  w.u32(7);
  for (size_t cut = 0; cut < row.size(); ++cut) {
    RowBinaryReader r(std::string_view(row).substr(0, cut));
    std::string_view s;
    uint32_t v = 0;
    const char* start = r.at();
    const bool whole = r.str(&s) && r.u32(&v);
    EXPECT_FALSE(whole) << cut;
    if (cut < 6) {
      EXPECT_EQ(r.at(), start) << "a string cut short is not taken: " << cut;
    }
  }
  const std::string eleven_continuations(11, '\xff');  // no LEB128 length is that long
  RowBinaryReader bad(eleven_continuations);
  std::string_view s;
  EXPECT_FALSE(bad.str(&s));
  EXPECT_TRUE(bad.malformed());
}

TEST(Schema, TableNamesAreIdentifiers) {
  EXPECT_TRUE(valid_table_name("hindcast_events"));
  EXPECT_TRUE(valid_table_name("fleet.events_2"));
  for (const char* bad : {"", "1x", "a.b.c", "x; DROP TABLE y", "a-b", "a.", ".a", "t`"}) EXPECT_FALSE(valid_table_name(bad)) << bad;
  EXPECT_EQ(sources_table_of("fleet.events"), "fleet.events_sources");
}

TEST(Schema, StringLiteralsCannotEndEarly) {
  EXPECT_EQ(sql_string("web-07"), "'web-07'");
  EXPECT_EQ(sql_string("a'b\\c"), "'a\\'b\\\\c'");
  EXPECT_EQ(sql_string(std::string("x\ny\0", 4)), "'x\\x0ay\\x00'");
}

TEST(Schema, DescribedColumnsAreCheckedByNameAndType) {
  // DESCRIBE TABLE ... FORMAT TabSeparated, as 18.16 prints it: quotes escaped, no spaces.
  std::string describe;
  for (const Column& c : event_columns()) {
    std::string type;
    for (char ch : c.type) {
      if (ch == ' ') continue;
      if (ch == '\'') type += '\\';
      type += ch;
    }
    describe += std::string(c.name) + "\t" + type + "\t\t\n";
  }
  EXPECT_TRUE(check_described_columns("t", describe, event_columns()));
  std::string changed = describe;
  changed.replace(changed.find("time_ns\tInt64"), 13, "time_ns\tDateTime");
  auto wrong = check_described_columns("t", changed, event_columns());
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("column time_ns is DateTime, hindcast writes Int64"), std::string::npos);
  auto missing = check_described_columns("t", "host\tString\t\t\n", event_columns());
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("has no column path"), std::string::npos);
}

TEST(Schema, TheEventsTableIsKeyedOnAnEventsIdentity) {
  const std::string ddl = create_events_table("t");
  EXPECT_NE(ddl.find("ENGINE = ReplacingMergeTree(export_ns) ORDER BY (host, time_ns, path, offset)"), std::string::npos);
  EXPECT_NE(create_sources_table("t_sources").find("ORDER BY (host, path)"), std::string::npos);
  EXPECT_NE(create_distributed_table("d", "c", "default", "t", event_columns()).find("Distributed(c, default, t, cityHash64(host))"),
            std::string::npos);
}

}  // namespace
}  // namespace hindcast::store
