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
#include <string>
#include <string_view>

#include "parsers/line_format.h"

namespace hindcast {

struct MysqlErrorFormat {
  static constexpr std::string_view kName = "mysql-error";
  static constexpr int kSpecificity = 25;
  static constexpr Unmatched kUnmatched = Unmatched::kContinuation;  // InnoDB banners, stack traces
  static constexpr const char* kUnmatchedReason = "unstamped line before the first record";
  struct Line {
    Stamp stamp;
    uint64_t thread = 0;
    std::string_view level, code, subsystem, message, program;
  };
  static bool split(std::string_view line, Line* out, bool* invalid_time);
  static void event(const Line& l, Event& e);
  static void record(const Source& source, std::string_view text, const Line& l, Record& out);
};
extern template class LineFormatParser<MysqlErrorFormat>;
using MysqlErrorLogParser = LineFormatParser<MysqlErrorFormat>;

struct PostgresFormat {
  static constexpr std::string_view kName = "postgresql";
  static constexpr int kSpecificity = 25;
  static constexpr Unmatched kUnmatched = Unmatched::kContinuation;  // tab-indented lines of a statement
  static constexpr const char* kUnmatchedReason = "unstamped line before the first record";
  struct Line {
    Stamp stamp;
    uint32_t pid = 0;
    std::string_view user, database, level, message;
  };
  static bool split(std::string_view line, Line* out, bool* invalid_time);
  static bool continues(const Line& l);  // DETAIL, HINT, STATEMENT, ...: part of the message above
  static void event(const Line& l, Event& e);
  static void record(const Source& source, std::string_view text, const Line& l, Record& out);
};
extern template class LineFormatParser<PostgresFormat>;
using PostgresLogParser = LineFormatParser<PostgresFormat>;

struct PostgresCsvFormat {
  static constexpr std::string_view kName = "postgresql-csv";
  static constexpr int kSpecificity = 25;
  static constexpr Unmatched kUnmatched = Unmatched::kContinuation;  // a quoted field's later lines
  static constexpr const char* kUnmatchedReason = "line before the first record";
  static constexpr size_t kFields = 26;
  struct Line {
    Stamp stamp;
    std::string_view f[kFields];
    bool quoted[kFields] = {};
    size_t n = 0;
  };
  static bool split(std::string_view line, Line* out, bool* invalid_time);
  static void event(const Line& l, Event& e);
  static void record(const Source& source, std::string_view text, const Line& l, Record& out);
};
extern template class LineFormatParser<PostgresCsvFormat>;
using PostgresCsvLogParser = LineFormatParser<PostgresCsvFormat>;

struct PostgresJsonFormat {
  static constexpr std::string_view kName = "postgresql-json";
  static constexpr int kSpecificity = 35;
  static constexpr Unmatched kUnmatched = Unmatched::kSkip;
  static constexpr const char* kUnmatchedReason = "not a PostgreSQL jsonlog record";
  struct Line {
    Stamp stamp;
    uint32_t pid = 0;
    std::string level, message, user, database, backend, application;
  };
  static bool split(std::string_view line, Line* out, bool* invalid_time);  // time, pid, level: no text
  static void event(const Line& l, Event& e);
  static bool decode(const Source& source, std::string_view text, Record& out);  // with the text
};
extern template class LineFormatParser<PostgresJsonFormat>;
using PostgresJsonLogParser = LineFormatParser<PostgresJsonFormat>;

}  // namespace hindcast
