#include "parsers/php_logs.h"

#include "engine/core/signature.h"

#include "engine/core/zones.h"
#include "parsers/log_words.h"

namespace hindcast {
namespace {

constexpr std::string_view kFpmLevels[] = {"DEBUG", "NOTICE", "WARNING", "ERROR", "ALERT", "SYSLOG"};

struct FpmLine {
  Stamp stamp;
  std::string_view level, pool, message;
};

bool split_fpm(std::string_view line, FpmLine* f, bool* invalid) {
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

struct PhpLine {
  Stamp stamp;
  std::string_view zone, message, type;  // type: "Fatal error", "Warning", ... (after "PHP ")
};

bool split_php(std::string_view line, PhpLine* p, bool* invalid) {
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

struct FpmLineParser {
  LineVerdict parse(std::string_view line, Event& e, const char** reason) {
    FpmLine f;
    bool invalid;
    if (!split_fpm(line, &f, &invalid)) {
      if (invalid) {
        *reason = kImpossibleTime;
        return LineVerdict::kSkip;
      }
      *reason = "unstamped line before the first record";
      return LineVerdict::kContinuation;
    }
    e.kind = EventKind::kMessage;
    e.aux = message_signature("php-fpm", f.message);
    e.severity = severity_from_word(f.level);
    apply_stamp(f.stamp, e);
    return LineVerdict::kEvent;
  }
};

struct PhpLineParser {
  LineVerdict parse(std::string_view line, Event& e, const char** reason) {
    PhpLine p;
    bool invalid;
    if (!split_php(line, &p, &invalid)) {
      if (invalid) {
        *reason = kImpossibleTime;
        return LineVerdict::kSkip;
      }
      *reason = "unstamped line before the first record";
      return LineVerdict::kContinuation;  // stack traces
    }
    e.kind = EventKind::kMessage;
    e.aux = message_signature("php", p.message);
    e.severity = php_severity(p.type);
    apply_stamp(p.stamp, e);
    return LineVerdict::kEvent;
  }
};

}  // namespace

bool PhpFpmLogParser::matches(std::string_view line) const {
  FpmLine f;
  bool invalid;
  return split_fpm(line, &f, &invalid);
}

void PhpFpmLogParser::parse_chunk(const Source& source, size_t begin, size_t end, ParsedChunk& out) const {
  FpmLineParser lp;
  parse_lines(source, begin, end, lp, out);
}

bool PhpFpmLogParser::decode(const Source&, std::string_view text, Record& out) const {
  FpmLine f;
  bool invalid;
  if (!split_fpm(text, &f, &invalid)) return false;
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
  return true;
}

bool PhpErrorLogParser::matches(std::string_view line) const {
  PhpLine p;
  bool invalid;
  return split_php(line, &p, &invalid);
}

void PhpErrorLogParser::parse_chunk(const Source& source, size_t begin, size_t end, ParsedChunk& out) const {
  PhpLineParser lp;
  parse_lines(source, begin, end, lp, out);
}

bool PhpErrorLogParser::decode(const Source&, std::string_view text, Record& out) const {
  PhpLine p;
  bool invalid;
  if (!split_php(text, &p, &invalid)) return false;
  out.kind = RecordKind::kMessage;
  out.program = "php";
  out.level = p.type;
  out.severity = php_severity(p.type);
  out.message = p.message;
  return true;
}

}  // namespace hindcast
