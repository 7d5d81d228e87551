#include "engine/store/tables.h"

#include "engine/store/schema.h"

namespace hindcast::store {
namespace {

Result<bool> exists(ClickHouseHttp& ch, std::string_view table) {
  auto answer = ch.query("EXISTS TABLE " + std::string(table));
  if (!answer) return std::unexpected(answer.error());
  return answer->starts_with("1");
}

Result<void> check_one(ClickHouseHttp& ch, std::string_view table, std::span<const Column> columns) {
  auto described = ch.query("DESCRIBE TABLE " + std::string(table) + " FORMAT TabSeparated");
  if (!described) return std::unexpected(described.error());
  return check_described_columns(table, *described, columns);
}

}  // namespace

Result<void> ensure_tables(ClickHouseHttp& ch, std::string_view table) {
  const std::string sources = sources_table_of(table);
  for (const auto& [name, create] : {std::pair{std::string(table), create_events_table(table)},
                                     std::pair{sources, create_sources_table(sources)}}) {
    auto there = exists(ch, name);
    if (!there) return std::unexpected(there.error());
    if (!*there)
      if (auto made = ch.query(create); !made) return std::unexpected(made.error());
  }
  return check_tables(ch, table);
}

Result<void> check_tables(ClickHouseHttp& ch, std::string_view table) {
  const std::string sources = sources_table_of(table);
  for (const auto& [name, columns] : {std::pair{std::string(table), event_columns()}, std::pair{sources, source_columns()}}) {
    auto there = exists(ch, name);
    if (!there) return std::unexpected(there.error());
    if (!*there)
      return make_error(ErrorCode::kNotFound, "ClickHouse at " + ch.printable_url() + " has no table " + name +
                                                  ": export to it first (hindcast export --clickhouse URL --table " +
                                                  std::string(table) + " PATH...)");
    if (auto ok = check_one(ch, name, columns); !ok) return ok;
  }
  return {};
}

}  // namespace hindcast::store
