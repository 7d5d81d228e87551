// The store's tables on a live server: made when missing (export), checked before use (both).
#pragma once
#include <string_view>

#include "engine/core/error.h"
#include "engine/store/clickhouse_http.h"

namespace hindcast::store {

// Creates the events table `table` and its sources table when they do not exist, then checks that
// both have the columns this store writes (a table of the same name made by something else is an
// error that names the first column that differs).
Result<void> ensure_tables(ClickHouseHttp& ch, std::string_view table);
// Only the check: a missing table is an error that says to export first.
Result<void> check_tables(ClickHouseHttp& ch, std::string_view table);

}  // namespace hindcast::store
