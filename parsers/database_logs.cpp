#include "parsers/database_logs.h"

#include "engine/core/signature.h"

#include <simdjson.h>

#include <string>

#include "engine/core/zones.h"
#include "parsers/log_words.h"

namespace hindcast {
namespace {

// ---- MySQL / MariaDB ------------------------------------------------------------------------

constexpr std::string_view kMysqlLevels[] = {"Note", "Warning", "ERROR", "System", "Information", "Error", "Warn"};

}  // namespace

bool MysqlErrorFormat::split(std::string_view line, Line* m, bool* invalid) {
  *invalid = false;
  scan::Cursor c{line};
  StampStatus s = read_iso8601(c, &m->stamp);
  if (s == StampStatus::kNoMatch) {
    c = scan::Cursor{line};
    s = read_yymmdd(c, &m->stamp);
  }
  if (s != StampStatus::kOk) {
    *invalid = s == StampStatus::kInvalid;
    return false;
  }
  if (!c.skip(' ')) return false;
  if (c.peek() == ' ') c.advance();
  if (c.skip("mysqld_safe ")) {
    m->program = "mysqld_safe";
    m->level = "Note";
    m->message = c.rest();
    return true;
  }
  if (scan::is_digit(c.peek())) {
    if (!c.number(&m->thread, 20) || !c.skip(' ')) return false;
  }
  if (!c.skip('[') || !c.until(']', &m->level) || !c.skip(']')) return false;
  bool known = false;
  for (std::string_view l : kMysqlLevels) known |= m->level == l;
  if (!known) return false;
  c.spaces();
  if (c.s.substr(c.i, 4) == "[MY-") {  // MySQL 8: [MY-010116] [Server]
    c.advance();
    if (!c.until(']', &m->code) || !c.skip(']')) return false;
    c.spaces();
    if (c.peek() == '[') {
      c.advance();
      if (!c.until(']', &m->subsystem) || !c.skip(']')) return false;
      c.spaces();
    }
  }
  m->message = c.rest();
  if (m->subsystem.empty() && m->message.starts_with("InnoDB: ")) m->subsystem = "InnoDB";
  m->program = "mysqld";
  return true;
}

void MysqlErrorFormat::event(const Line& m, Event& e) {
  e.kind = EventKind::kMessage;
  e.aux = message_signature(m.program, m.message);
  e.severity = severity_from_word(m.level);
}

namespace {

// ---- PostgreSQL: the stamp and its zone -----------------------------------------------------

// "2024-01-05 10:00:00.123 EDT", "... UTC", "... +03", "... Europe/Berlin" (log_timezone).
StampStatus read_pg_stamp(scan::Cursor& c, Stamp* st) {
  const StampStatus s = read_iso8601(c, st);
  if (s != StampStatus::kOk || st->shape != TimeShape::kLocalDateTime || c.peek() != ' ') return s;
  scan::Cursor p = c;
  p.advance();
  const StampStatus o = attach_offset(p, st);
  if (o == StampStatus::kOk) {
    c = p;
    return o;
  }
  if (o == StampStatus::kInvalid) return o;
  attach_zone_name(c, st);  // unknown abbreviations leave the stamp local (the resolver supplies the offset)
  return StampStatus::kOk;
}

constexpr std::string_view kPgLevels[] = {"LOG",    "ERROR",  "FATAL",  "PANIC",  "WARNING", "NOTICE", "INFO",
                                          "DEBUG1", "DEBUG2", "DEBUG3", "DEBUG4", "DEBUG5",  "DEBUG"};
constexpr std::string_view kPgFollowUps[] = {"DETAIL", "HINT", "CONTEXT", "STATEMENT", "QUERY", "LOCATION"};

bool pg_level(std::string_view w) {
  for (std::string_view s : kPgLevels)
    if (w == s) return true;
  return false;
}
bool pg_follow_up(std::string_view w) {
  for (std::string_view s : kPgFollowUps)
    if (w == s) return true;
  return false;
}

}  // namespace

// "<stamp> [pid] user@db LEVEL:  message": after the stamp, the first "WORD:  " whose word is a
// level ends log_line_prefix.
bool PostgresFormat::split(std::string_view line, Line* p, bool* invalid) {
  *invalid = false;
  scan::Cursor c{line};
  const StampStatus s = read_pg_stamp(c, &p->stamp);
  if (s != StampStatus::kOk) {
    *invalid = s == StampStatus::kInvalid;
    return false;
  }
  if (!c.skip(' ')) return false;
  const std::string_view rest = c.rest();
  size_t from = 0;
  while (true) {
    const size_t colon = rest.find(":  ", from);
    if (colon == std::string_view::npos || colon > 200) return false;
    size_t word = colon;
    while (word > 0 && rest[word - 1] != ' ' && rest[word - 1] != ']') --word;
    const std::string_view w = rest.substr(word, colon - word);
    if (pg_level(w) || pg_follow_up(w)) {
      p->level = w;
      p->message = rest.substr(colon + 3);
      const std::string_view prefix = rest.substr(0, word);
      scan::Cursor pc{prefix};
      if (pc.skip('[')) {
        uint64_t pid;
        if (pc.number(&pid, 10) && pc.skip(']')) p->pid = static_cast<uint32_t>(pid);
        pc.spaces();
      }
      const std::string_view ud = pc.token();
      const size_t at = ud.find('@');
      if (at != std::string_view::npos) {
        p->user = ud.substr(0, at);
        p->database = ud.substr(at + 1);
      }
      return true;
    }
    from = colon + 1;
  }
}

bool PostgresFormat::continues(const Line& p) { return pg_follow_up(p.level); }

void PostgresFormat::event(const Line& p, Event& e) {
  e.kind = EventKind::kMessage;
  e.aux = message_signature("postgres", p.message);
  e.severity = severity_from_word(p.level == "LOG" ? std::string_view("info") : p.level);
  e.pid = p.pid;
}

namespace {

// ---- PostgreSQL csvlog ----------------------------------------------------------------------

// Splits one CSV line into up to `max` fields ("" inside quotes is a quote). Returns the number
// of complete fields (a quoted field still open at the end of the line is not complete).
size_t split_csv(std::string_view line, std::string_view* fields, bool* quoted, size_t max) {
  size_t n = 0, i = 0;
  while (n < max && i <= line.size()) {
    if (i < line.size() && line[i] == '"') {
      const size_t start = ++i;
      bool closed = false;
      while (i < line.size()) {
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            i += 2;
            continue;
          }
          closed = true;
          break;
        }
        ++i;
      }
      if (!closed) return n;
      fields[n] = line.substr(start, i - start);
      quoted[n++] = true;
      ++i;  // the closing quote
      if (i < line.size() && line[i] != ',') return n;
    } else {
      const size_t comma = line.find(',', i);
      const size_t end = comma == std::string_view::npos ? line.size() : comma;
      fields[n] = line.substr(i, end - i);
      quoted[n++] = false;
      i = end;
    }
    if (i >= line.size()) break;
    ++i;  // the comma
  }
  return n;
}

constexpr size_t kCsvFields = PostgresCsvFormat::kFields;

}  // namespace

bool PostgresCsvFormat::split(std::string_view line, Line* p, bool* invalid) {
  *invalid = false;
  scan::Cursor c{line};
  const StampStatus s = read_pg_stamp(c, &p->stamp);
  if (s != StampStatus::kOk) {
    *invalid = s == StampStatus::kInvalid;
    return false;
  }
  if (c.peek() != ',') return false;
  p->n = split_csv(line, p->f, p->quoted, kCsvFields);
  return p->n >= 12 && pg_level(p->f[11]);
}

void PostgresCsvFormat::event(const Line& p, Event& e) {
  e.kind = EventKind::kMessage;
  // A message that spans lines is read whole by decode(): no signature from its first part.
  if (p.n > 13) e.aux = message_signature("postgres", p.f[13]);
  e.severity = severity_from_word(p.f[11] == "LOG" ? std::string_view("info") : p.f[11]);
  uint64_t pid = 0;
  scan::Cursor pc{p.f[3]};
  if (pc.number(&pid, 10)) e.pid = static_cast<uint32_t>(pid);
}

namespace {

// CSV text with "" unescaped.
std::string_view csv_text(std::string_view v, bool quoted, Record& out) {
  if (!quoted || v.find("\"\"") == std::string_view::npos) return v;
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) {
    s += v[i];
    if (v[i] == '"' && i + 1 < v.size() && v[i + 1] == '"') ++i;
  }
  return out.keep(std::move(s));
}

// ---- PostgreSQL jsonlog ---------------------------------------------------------------------

namespace od = simdjson::ondemand;

using PgJson = PostgresJsonFormat::Line;

bool decode_pg_json(std::string_view line, PgJson* r, bool want_text, bool* invalid) {
  *invalid = false;
  if (line.empty() || line[0] != '{') return false;
  thread_local od::parser parser;
  const simdjson::padded_string_view view(line.data(), line.size(), line.size() + SourceText::kPadding);
  od::document doc;
  if (parser.iterate(view).get(doc)) return false;
  od::object obj;
  if (doc.get_object().get(obj)) return false;
  bool have_time = false, have_severity = false;
  for (auto field : obj) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return false;
    od::value v;
    if (field.value().get(v)) return false;
    std::string_view s;
    if (key == "timestamp") {
      if (v.get_string().get(s)) return false;
      scan::Cursor c{s};
      const StampStatus st = read_pg_stamp(c, &r->stamp);
      if (st != StampStatus::kOk) {
        *invalid = st == StampStatus::kInvalid;
        return false;
      }
      have_time = true;
    } else if (key == "pid") {
      uint64_t pid;
      if (!v.get_uint64().get(pid)) r->pid = static_cast<uint32_t>(pid);
    } else if (key == "error_severity") {
      if (v.get_string().get(s)) return false;
      r->level.assign(s);
      have_severity = true;
    } else if (want_text) {
      std::string* target = key == "message" ? &r->message : key == "user" ? &r->user : key == "dbname" ? &r->database
                            : key == "backend_type" ? &r->backend : key == "application_name" ? &r->application : nullptr;
      if (target && !v.get_string().get(s)) target->assign(s);
    }
  }
  return have_time && have_severity;
}

}  // namespace

bool PostgresJsonFormat::split(std::string_view line, Line* r, bool* invalid) {
  return decode_pg_json(line, r, /*want_text=*/false, invalid);
}

void PostgresJsonFormat::event(const Line& r, Event& e) {
  e.kind = EventKind::kMessage;
  e.severity = severity_from_word(r.level == "LOG" ? std::string_view("info") : std::string_view(r.level));
  e.pid = r.pid;
}

void MysqlErrorFormat::record(const Source&, std::string_view, const Line& m, Record& out) {
  out.kind = RecordKind::kMessage;
  out.program = m.program;
  out.level = m.level;
  out.severity = severity_from_word(m.level);
  out.module = m.subsystem;
  out.tid = static_cast<uint32_t>(m.thread);
  out.message = m.message;
}

void PostgresFormat::record(const Source&, std::string_view, const Line& p, Record& out) {
  out.kind = RecordKind::kMessage;
  out.program = "postgres";
  out.level = p.level;
  out.severity = severity_from_word(p.level == "LOG" ? std::string_view("info") : p.level);
  out.pid = p.pid;
  out.user = p.user;
  out.module = p.database;
  out.message = p.message;
}

void PostgresCsvFormat::record(const Source& source, std::string_view text, const Line& first, Record& out) {
  Line p = first;
  // A message with newlines spans lines: read the whole record.
  if (p.n < 14) {
    const std::string_view whole = record_extent(source, text, [](std::string_view l) {
      Line q;
      bool bad;
      return split(l, &q, &bad);
    });
    p.n = split_csv(whole, p.f, p.quoted, kCsvFields);
  }
  out.kind = RecordKind::kMessage;
  out.program = "postgres";
  out.level = p.f[11];
  out.severity = severity_from_word(p.f[11] == "LOG" ? std::string_view("info") : p.f[11]);
  out.user = p.f[1];
  out.module = p.f[2];
  uint64_t pid = 0;
  scan::Cursor pc{p.f[3]};
  if (pc.number(&pid, 10)) out.pid = static_cast<uint32_t>(pid);
  if (p.n > 4) out.client = p.f[4];
  if (p.n > 13) out.message = csv_text(p.f[13], p.quoted[13], out);
}

bool PostgresJsonFormat::decode(const Source&, std::string_view text, Record& out) {
  PgJson r;
  bool invalid;
  if (!decode_pg_json(text, &r, true, &invalid)) return false;
  out.kind = RecordKind::kMessage;
  out.program = "postgres";
  out.severity = severity_from_word(r.level == "LOG" ? std::string_view("info") : std::string_view(r.level));
  out.pid = r.pid;
  out.level = out.keep(std::move(r.level));
  out.message = out.keep(std::move(r.message));
  out.user = out.keep(std::move(r.user));
  out.module = out.keep(std::move(r.database));
  return true;
}

template class LineFormatParser<MysqlErrorFormat>;
template class LineFormatParser<PostgresFormat>;
template class LineFormatParser<PostgresCsvFormat>;
template class LineFormatParser<PostgresJsonFormat>;

}  // namespace hindcast
