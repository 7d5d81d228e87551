#include "parsers/php_logs.h"

#include "engine/core/signature.h"

#include "engine/core/zones.h"
#include "parsers/log_words.h"

namespace hindcast {
namespace {

constexpr std::string_view kFpmLevels[] = {"DEBUG", "NOTICE", "WARNING", "ERROR", "ALERT", "SYSLOG"};

}  // namespace

bool PhpFpmFormat::split(std::string_view line, Line* f, bool* invalid) {
  *invalid = false;
  scan::Cursor c{line};
  if (!c.skip('[')) return false;
  const StampStatus s = read_day_month_year(c, &f->stamp);
  if (s != StampStatus::kOk) {
    *invalid = s == StampStatus::kInvalid;
    return false;
  }
  if (!c.skip("] ") || !c.until(':', &f->level) || !c.skip(':')) return false;
  bool known = false;
  for (std::string_view l : kFpmLevels) known |= f->level == l;
  if (!known) return false;
  c.spaces();
  f->message = c.rest();
  if (f->message.starts_with("[pool ")) {
    const size_t rb = f->message.find(']');
    if (rb != std::string_view::npos) f->pool = f->message.substr(6, rb - 6);
  }
  return true;
}

bool PhpErrorFormat::split(std::string_view line, Line* p, bool* invalid) {
  *invalid = false;
  scan::Cursor c{line};
  if (!c.skip('[')) return false;
  const StampStatus s = read_day_month_year(c, &p->stamp);
  if (s != StampStatus::kOk) {
    *invalid = s == StampStatus::kInvalid;
    return false;
  }
  if (c.peek() != ' ') return false;  // php-fpm's "] LEVEL:" has no zone; PHP always writes one
  const size_t zone_start = c.i + 1;
  const StampStatus z = attach_zone_name(c, &p->stamp);
  if (z == StampStatus::kInvalid) {
    *invalid = true;
    return false;
  }
  if (z == StampStatus::kNoMatch) {  // a zone the database does not know: local time, zone kept as text
    c.advance();
    if (!c.until(']', &p->zone)) return false;
  } else {
    p->zone = line.substr(zone_start, c.i - zone_start);
    // PHP's date.timezone is the application's setting (Debian leaves it unset: UTC), not the
    // host's clock: an exact instant, but no evidence of the host's zone.
    p->stamp.utc_designator = true;
  }
  if (!c.skip("] ")) return false;
  p->message = c.rest();
  if (p->message.starts_with("PHP ")) {
    const size_t colon = p->message.find(':');
    if (colon != std::string_view::npos && colon < 40) p->type = p->message.substr(4, colon - 4);
  }
  return true;
}

namespace {

Severity php_severity(std::string_view type) {
  if (type.find("Fatal") != std::string_view::npos || type.find("Parse") != std::string_view::npos ||
      type.find("Recoverable") != std::string_view::npos)
    return Severity::kError;
  if (type.find("Warning") != std::string_view::npos) return Severity::kWarning;
  if (type.find("Notice") != std::string_view::npos || type.find("Deprecated") != std::string_view::npos ||
      type.find("Strict") != std::string_view::npos)
    return Severity::kNotice;
  return Severity::kInfo;
}

}  // namespace

void PhpFpmFormat::event(const Line& f, Event& e) {
  e.kind = EventKind::kMessage;
  e.aux = message_signature("php-fpm", f.message);
  e.severity = severity_from_word(f.level);
}

void PhpErrorFormat::event(const Line& p, Event& e) {
  e.kind = EventKind::kMessage;
  e.aux = message_signature("php", p.message);
  e.severity = php_severity(p.type);
}

void PhpFpmFormat::record(const Source&, std::string_view, const Line& f, Record& out) {
  out.kind = RecordKind::kMessage;
  out.program = "php-fpm";
  out.level = f.level;
  out.severity = severity_from_word(f.level);
  out.module = f.pool;
  out.message = f.message;
  // "child 1240 said into stderr", "child 1240 exited on signal 11 (SIGSEGV)": the child's pid.
  const size_t child = f.message.find("child ");
  if (child != std::string_view::npos) {
    scan::Cursor c{f.message, child + 6};
    uint64_t pid;
    if (c.number(&pid, 10)) out.pid = static_cast<uint32_t>(pid);
  }
}

void PhpErrorFormat::record(const Source&, std::string_view, const Line& p, Record& out) {
  out.kind = RecordKind::kMessage;
  out.program = "php";
  out.level = p.type;
  out.severity = php_severity(p.type);
  out.message = p.message;
}

template class LineFormatParser<PhpFpmFormat>;
template class LineFormatParser<PhpErrorFormat>;

}  // namespace hindcast
