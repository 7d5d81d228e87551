// The fleet store's two tables, as ClickHouse 18.16 takes them (docs/fleet.md explains each
// column and why it is there):
//
//   NAME          one row per event: where it is (host, file, line, byte offset), its resolved
//                 UTC time in ns, the fixed-size Event fields the analysis reads without decoding
//                 (kind, severity, pid, code, aux, ...), the program that wrote it, and the
//                 record's text, from which its own parser decodes it again on the way back.
//                 ReplacingMergeTree keyed on (host, time_ns, path, offset), versioned by
//                 export_ns: the same file exported again replaces its rows (the server merges
//                 the versions away in time; a read takes each row's latest version meanwhile).
//   NAME_sources  one row per file of an export: what `sniff` and the report say about it (its
//                 format, line counts, skipped lines, how its times were resolved) and what the
//                 export run concluded (its inputs, problems, clock). Keyed on (host, path).
//
// A Distributed table over shards is used the same way, under the same names: the shards hold
// these tables, the coordinator a Distributed table of each (sharded by host, see docs/fleet.md).
#pragma once
#include <span>
#include <string>
#include <string_view>

#include "engine/core/error.h"

namespace hindcast::store {

inline constexpr std::string_view kDefaultTable = "hindcast_events";

struct Column {
  std::string_view name;
  std::string_view type;
};

// The columns in the order rows are written and read (RowBinary has no names).
std::span<const Column> event_columns();
std::span<const Column> source_columns();

// A table name the store accepts: [database.]name, each an identifier ([A-Za-z_][A-Za-z0-9_]*),
// so that it can be written into a query as it is.
bool valid_table_name(std::string_view name);
std::string sources_table_of(std::string_view events_table);

// CREATE TABLE IF NOT EXISTS for each table, with its engine.
std::string create_events_table(std::string_view table);
std::string create_sources_table(std::string_view table);
// A Distributed table over `cluster`'s shards of `local_table`, sharded by host (the test and the
// docs use it; the store itself only writes to and reads from whatever table it is given).
std::string create_distributed_table(std::string_view table, std::string_view cluster, std::string_view database,
                                     std::string_view local_table, std::span<const Column> columns);

// "a, b, c": the column list of an INSERT or a SELECT.
std::string column_list(std::span<const Column> columns);

// Checks the output of `DESCRIBE TABLE t FORMAT TabSeparated` against the columns this store
// writes: each present, of the same type (spaces ignored), in any order. The error names the
// first difference.
Result<void> check_described_columns(std::string_view table, std::string_view describe_tsv,
                                     std::span<const Column> expected);

// A string literal for a query: quoted, with quotes, backslashes and control bytes escaped.
std::string sql_string(std::string_view s);

}  // namespace hindcast::store
