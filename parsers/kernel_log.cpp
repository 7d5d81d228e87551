#include "parsers/kernel_log.h"

#include "engine/core/signature.h"

#include "parsers/log_words.h"

namespace hindcast {
namespace {

constexpr std::string_view kKernelLevels[] = {"emerg", "alert", "crit", "err", "warn", "notice", "info", "debug"};

using DmesgLine = DmesgFormat::Line;

// " [error] ...", " [php:warn] ...": an Apache error-log header, not a kernel message.
bool apache_level_follows(std::string_view rest) {
  if (!rest.starts_with(" [")) return false;
  const size_t rb = rest.find(']');
  if (rb == std::string_view::npos) return false;
  std::string_view inside = rest.substr(2, rb - 2);
  const size_t colon = inside.find(':');
  if (colon != std::string_view::npos) inside = inside.substr(colon + 1);
  static constexpr std::string_view kLevels[] = {"emerg", "alert", "crit", "error", "warn", "notice", "info", "debug"};
  for (std::string_view l : kLevels)
    if (inside == l) return true;
  return inside.size() == 6 && inside.starts_with("trace");
}

}  // namespace

bool DmesgFormat::split(std::string_view line, Line* d, bool* invalid) {
  *invalid = false;
  scan::Cursor c{line};
  if (c.peek() == '<') {  // dmesg -r: "<6>[    0.000000] ..."
    uint64_t p;
    c.advance();
    if (!c.number(&p, 3) || !c.skip('>')) return false;
    d->priority = static_cast<int>(p & 7);
    d->level = kKernelLevels[p & 7];
  } else if (!scan::is_space(c.peek()) && c.peek() != '[') {  // dmesg -x: "kern  :info  : [..."
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon > 10) return false;
    scan::Cursor l{line, colon + 1};
    std::string_view level;
    if (!l.until(':', &level)) return false;
    while (!level.empty() && level.back() == ' ') level.remove_suffix(1);
    for (size_t k = 0; k < 8; ++k)
      if (level == kKernelLevels[k]) {
        d->priority = static_cast<int>(k);
        d->level = kKernelLevels[k];
      }
    if (d->priority < 0 || !l.skip(':')) return false;
    l.spaces();
    c = l;
  }
  StampStatus s;
  if (c.peek() == '[' && c.left() > 4 && scan::is_weekday_abbrev(c.s.data() + c.i + 1)) {
    c.advance();  // dmesg -T: "[Fri Jan  5 10:00:00 2024]"
    s = read_ctime(c, &d->stamp);
    // Apache's error log has the same stamp, but with a fraction (2.4) or a "[level]" after it.
    if (s == StampStatus::kOk && (!c.skip(']') || d->stamp.precision > 0 || apache_level_follows(c.rest()))) return false;
  } else {
    s = read_since_boot(c, &d->stamp);
  }
  if (s != StampStatus::kOk) {
    *invalid = s == StampStatus::kInvalid;
    return false;
  }
  c.spaces();
  d->message = c.rest();
  return true;
}

namespace {

bool has(std::string_view s, std::string_view w) { return s.find(w) != std::string_view::npos; }

Severity kernel_severity(const DmesgLine& d) {
  if (d.priority >= 0) return d.priority <= 2 ? Severity::kCritical : d.priority == 3 ? Severity::kError
                             : d.priority == 4 ? Severity::kWarning : d.priority == 5 ? Severity::kNotice
                             : d.priority == 6 ? Severity::kInfo : Severity::kDebug;
  const std::string_view m = d.message;
  if (has(m, "Kernel panic") || has(m, "Out of memory") || has(m, "oom-kill") || has(m, "BUG:") || has(m, "Oops"))
    return Severity::kCritical;
  if (has(m, "segfault at") || has(m, "EXT4-fs error") || has(m, "I/O error") || has(m, "Remounting filesystem read-only") ||
      has(m, "No space left") || has(m, "error") || has(m, "Error"))
    return Severity::kError;
  if (has(m, "warning") || has(m, "WARNING")) return Severity::kWarning;
  return Severity::kInfo;
}

}  // namespace

void DmesgFormat::event(const Line& d, Event& e) {
  e.kind = EventKind::kMessage;
  e.aux = message_signature("kernel", d.message);
  e.severity = kernel_severity(d);
}

void DmesgFormat::record(const Source&, std::string_view, const Line& d, Record& out) {
  out.kind = RecordKind::kMessage;
  out.program = "kernel";
  out.level = d.level;
  out.severity = kernel_severity(d);
  out.message = d.message;
  // "php-fpm8.2[4321]: segfault at ...": the process the kernel speaks of.
  const size_t lb = d.message.find("]: segfault at ");
  if (lb != std::string_view::npos) {
    const size_t open = d.message.rfind('[', lb);
    if (open != std::string_view::npos) {
      scan::Cursor c{d.message, open + 1};
      uint64_t pid;
      if (c.number(&pid, 10)) out.pid = static_cast<uint32_t>(pid);
    }
  }
}

template class LineFormatParser<DmesgFormat>;

}  // namespace hindcast
