#include "engine/store/schema.h"

#include <array>
#include <cstdio>
#include <map>

#include "engine/core/event.h"
#include "parsers/parser.h"

namespace hindcast::store {
namespace {

// The enums are the Event's own numbering, so a row's byte is the event's value.
static_assert(static_cast<int>(EventKind::kHttpRequest) == 0 && static_cast<int>(EventKind::kOther) == 6);
static_assert(static_cast<int>(Severity::kDebug) == 0 && static_cast<int>(Severity::kCritical) == 5);

constexpr std::array<Column, 19> kEventColumns{{
    {"host", "String"},
    {"path", "String"},
    {"line", "UInt32"},
    {"offset", "UInt64"},
    {"time_ns", "Int64"},
    {"format", "String"},
    {"kind", "Enum8('http_request' = 0, 'message' = 1, 'syscall' = 2, 'signal' = 3, 'process_exit' = 4, "
             "'change' = 5, 'other' = 6)"},
    {"severity", "Enum8('debug' = 0, 'info' = 1, 'notice' = 2, 'warning' = 3, 'error' = 4, 'critical' = 5)"},
    {"pid", "UInt32"},
    {"code", "UInt16"},
    {"aux", "UInt32"},
    {"utc_offset_minutes", "Int16"},
    {"basis", "UInt16"},
    {"shape", "UInt8"},
    {"precision", "UInt8"},
    {"flags", "UInt8"},
    {"program", "String"},
    {"text", "String"},
    {"export_ns", "UInt64"},
}};

constexpr std::array<Column, 32> kSourceColumns{{
    {"host", "String"},
    {"path", "String"},
    {"export_ns", "UInt64"},
    {"run_index", "UInt32"},
    {"format", "String"},
    {"access_format", "String"},
    {"format_score", "Float64"},
    {"runner_up", "String"},
    {"runner_up_score", "Float64"},
    {"compressed", "UInt8"},
    {"compression", "String"},
    {"strace_pid", "UInt32"},
    {"lines", "UInt64"},
    {"events", "UInt64"},
    {"continuation_lines", "UInt64"},
    {"skipped", "UInt64"},
    {"skip_reasons", "Array(String)"},
    {"skip_counts", "Array(UInt64)"},
    {"skip_first_lines", "Array(UInt32)"},
    {"skip_texts", "Array(String)"},
    {"shape", "UInt8"},
    {"time_basis", "String"},
    {"warnings", "Array(String)"},
    {"first_ns", "Int64"},
    {"last_ns", "Int64"},
    {"run_inputs", "Array(String)"},
    {"run_problems", "Array(String)"},
    {"run_notes", "Array(String)"},
    {"clock", "String"},
    {"clock_zone", "String"},
    {"clock_starts", "Array(Int64)"},
    {"clock_offsets", "Array(Int32)"},
}};

bool identifier(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

std::string create_table(std::string_view table, std::span<const Column> columns, std::string_view engine) {
  std::string sql = "CREATE TABLE IF NOT EXISTS " + std::string(table) + " (";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i) sql += ", ";
    sql += std::string(columns[i].name) + " " + std::string(columns[i].type);
  }
  return sql + ") ENGINE = " + std::string(engine);
}

// A TabSeparated value as written (backslash escapes undone), without its spaces: a type as
// DESCRIBE prints it compared with one as written here.
std::string type_text(std::string_view tsv_value) {
  std::string out;
  for (size_t i = 0; i < tsv_value.size(); ++i) {
    char c = tsv_value[i];
    if (c == '\\' && i + 1 < tsv_value.size()) {
      c = tsv_value[++i];
      c = c == 't' ? '\t' : c == 'n' ? '\n' : c;
    }
    if (c != ' ') out += c;
  }
  return out;
}

}  // namespace

std::span<const Column> event_columns() { return kEventColumns; }
std::span<const Column> source_columns() { return kSourceColumns; }

bool valid_table_name(std::string_view name) {
  const size_t dot = name.find('.');
  if (dot == std::string_view::npos) return identifier(name);
  return identifier(name.substr(0, dot)) && identifier(name.substr(dot + 1));
}

std::string sources_table_of(std::string_view events_table) { return std::string(events_table) + "_sources"; }

std::string create_events_table(std::string_view table) {
  // time_ns second: a window of a few hosts reads only its own granules (the primary index
  // narrows host, then time). path and offset make the key an event's identity, so an event
  // exported again replaces itself (framed records share a line, never an offset).
  return create_table(table, kEventColumns, "ReplacingMergeTree(export_ns) ORDER BY (host, time_ns, path, offset)");
}

std::string create_sources_table(std::string_view table) {
  return create_table(table, kSourceColumns, "ReplacingMergeTree(export_ns) ORDER BY (host, path)");
}

std::string create_distributed_table(std::string_view table, std::string_view cluster, std::string_view database,
                                     std::string_view local_table, std::span<const Column> columns) {
  // Sharded by host: every version of a row is on one shard, where the ReplacingMergeTree merges
  // them (and FINAL, run on each shard, sees them all); a window of a few hosts asks few shards.
  return create_table(table, columns,
                      "Distributed(" + std::string(cluster) + ", " + std::string(database) + ", " +
                          std::string(local_table) + ", cityHash64(host))");
}

std::string column_list(std::span<const Column> columns) {
  std::string s;
  for (const Column& c : columns) {
    if (!s.empty()) s += ", ";
    s += c.name;
  }
  return s;
}

Result<void> check_described_columns(std::string_view table, std::string_view describe_tsv,
                                     std::span<const Column> expected) {
  std::map<std::string, std::string, std::less<>> found;  // name -> type
  for_each_line(describe_tsv, [&](uint32_t, size_t, std::string_view row) {
    const size_t tab = row.find('\t');
    if (tab == std::string_view::npos) return;
    const size_t tab2 = row.find('\t', tab + 1);
    found.emplace(std::string(row.substr(0, tab)),
                  type_text(row.substr(tab + 1, tab2 == std::string_view::npos ? std::string_view::npos : tab2 - tab - 1)));
  });
  for (const Column& c : expected) {
    const auto it = found.find(c.name);
    if (it == found.end())
      return make_error(ErrorCode::kInvalidValue, "table " + std::string(table) + " has no column " + std::string(c.name) +
                                                      ": it was not made by hindcast export (see docs/fleet.md for the schema)");
    if (it->second != type_text(c.type))
      return make_error(ErrorCode::kInvalidValue, "table " + std::string(table) + ": column " + std::string(c.name) +
                                                      " is " + it->second + ", hindcast writes " + std::string(c.type) +
                                                      " (see docs/fleet.md for the schema)");
  }
  return {};
}

std::string sql_string(std::string_view s) {
  std::string out = "'";
  for (unsigned char c : s) {
    if (c == '\'' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char b[8];
      std::snprintf(b, sizeof b, "\\x%02x", c);
      out += b;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "'";
}

}  // namespace hindcast::store
