// Database servers' own logs.
//
// mysql-error (MariaDB and MySQL error log):
//   2024-01-05 10:00:00 0 [ERROR] InnoDB: Unable to lock ./ibdata1 error: 11        (MariaDB 10.1.4+)
//   2024-01-05 10:00:03 12 [Warning] Aborted connection 12 to db: 'wp' user: 'wp' host: 'localhost' (Got an error reading communication packets)
//   2024-01-05T10:00:00.123456Z 0 [ERROR] [MY-012574] [InnoDB] Unable to lock ./ibdata1 error: 11   (MySQL 8)
//   2024-01-05T10:00:00.123456Z 0 [Note] InnoDB: Buffer pool(s) load completed      (MySQL 5.7)
//   240105 10:00:00 [ERROR] mysqld: Table './wp/wp_options' is marked as crashed     (MySQL 5.5/5.6, MariaDB 10.0)
//   240105  9:00:00 mysqld_safe Starting mysqld daemon with databases from /var/lib/mysql
// Local time, or UTC with 'Z' (MySQL 5.7+ log_timestamps=UTC); the thread id; the level in
// brackets (Note, Warning, ERROR, System); MySQL 8's [MY-nnnnnn] code and [subsystem]; "InnoDB: "
// as module. Unstamped lines (InnoDB banners, stack traces) continue the record above.
//
// postgresql (stderr/syslog-free log_destination = stderr with any log_line_prefix that starts
// with %m or %t; Debian's default is '%m [%p] %q%u@%d '):
//   2024-01-05 10:00:00.123 EDT [1234] LOG:  database system is ready to accept connections
//   2024-01-05 10:00:02.456 UTC [1240] wp@wordpress FATAL:  remaining connection slots are reserved for non-replication superuser connections
// The zone is log_timezone's *abbreviation* (EDT, CET, UTC; "+03" where the tz database has
// none), resolved through the tz database; DETAIL, HINT, CONTEXT, STATEMENT, QUERY and LOCATION
// lines and tab-indented lines continue their message.
//
// postgresql-csv (log_destination = csvlog): log_time, user, database, pid, connection from,
// session id, line, command tag, session start, vxid, txid, severity, SQLSTATE, message, detail,
// hint, internal query, its position, context, query, its position, location, application name,
// backend type, ...; quoted fields may span lines (those lines continue the record).
//
// postgresql-json (log_destination = jsonlog, PostgreSQL 15+): one object per line with
// "timestamp", "pid", "error_severity", "message", "user", "dbname", "backend_type", ...
#pragma once
#include <string_view>

#include "parsers/parser.h"

namespace hindcast {

class MysqlErrorLogParser final : public Parser {
 public:
  std::string_view format() const override { return "mysql-error"; }
  bool matches(std::string_view line) const override;
  int specificity() const override { return 25; }
  void parse_chunk(const Source& source, size_t begin, size_t end, ParsedChunk& out) const override;
  bool decode(const Source& source, std::string_view text, Record& out) const override;
};

class PostgresLogParser final : public Parser {
 public:
  std::string_view format() const override { return "postgresql"; }
  bool matches(std::string_view line) const override;
  int specificity() const override { return 25; }
  void parse_chunk(const Source& source, size_t begin, size_t end, ParsedChunk& out) const override;
  bool decode(const Source& source, std::string_view text, Record& out) const override;
};

class PostgresCsvLogParser final : public Parser {
 public:
  std::string_view format() const override { return "postgresql-csv"; }
  bool matches(std::string_view line) const override;
  int specificity() const override { return 25; }
  void parse_chunk(const Source& source, size_t begin, size_t end, ParsedChunk& out) const override;
  bool decode(const Source& source, std::string_view text, Record& out) const override;
};

class PostgresJsonLogParser final : public Parser {
 public:
  std::string_view format() const override { return "postgresql-json"; }
  bool matches(std::string_view line) const override;
  int specificity() const override { return 35; }
  void parse_chunk(const Source& source, size_t begin, size_t end, ParsedChunk& out) const override;
  bool decode(const Source& source, std::string_view text, Record& out) const override;
};

}  // namespace hindcast
