#include "parsers/apt_logs.h"

#include "engine/core/signature.h"

#include <string>

#include "parsers/log_words.h"

namespace hindcast {
namespace {

// "2024-01-05  09:58:01" (APT pads the date and time apart with two spaces).
StampStatus read_apt_stamp(scan::Cursor& c, Stamp* st) {
  const StampStatus d = read_iso8601(c, st, /*need_time=*/false);
  if (d != StampStatus::kOk) return d;
  if (st->shape != TimeShape::kLocalDateTime || !c.spaces()) return StampStatus::kNoMatch;
  Stamp tod;
  const StampStatus t = read_time_of_day(c, &tod);
  if (t != StampStatus::kOk) return t;
  st->value_ns += tod.value_ns;
  st->precision = tod.precision;
  return StampStatus::kOk;
}

// ---- apt-history ----------------------------------------------------------------------------

constexpr std::string_view kHistoryKeys[] = {"Start-Date: ", "Commandline: ", "Requested-By: ", "Install: ",
                                             "Upgrade: ",    "Remove: ",      "Purge: ",        "Downgrade: ",
                                             "Reinstall: ",  "End-Date: ",    "Error: ",        "Automatic: "};
constexpr std::string_view kOperations[] = {"Install: ", "Upgrade: ", "Remove: ", "Purge: ", "Downgrade: ", "Reinstall: "};

bool history_key_line(std::string_view line) {
  for (std::string_view k : kHistoryKeys)
    if (line.starts_with(k)) return true;
  return false;
}

// ---- apt-term -------------------------------------------------------------------------------

// The lines dpkg and APT write to the terminal, for detection (term.log's own stamps are rare).
constexpr std::string_view kTermPrefixes[] = {
    "Log started: ", "Log ended: ", "(Reading database", "Preparing to unpack ", "Unpacking ", "Setting up ",
    "Selecting previously unselected package ", "Processing triggers for ", "Removing ", "Purging configuration files for ",
    "update-alternatives: ", "Created symlink ", "debconf: ", "invoke-rc.d: ", "dpkg: ", "Errors were encountered",
    "E: ", "W: ", "Replacing files in old package ", "Replaced by files in installed package ", "Installing new version of config file ",
    "Configuration file '", "Adding ", "Updating ", "Running ", "Generating ", "Building ", "Removed ", "Synchronizing state of "};

bool term_line(std::string_view line) {
  for (std::string_view p : kTermPrefixes)
    if (line.starts_with(p)) return true;
  return false;
}

Severity term_severity(std::string_view line) {
  if (line.starts_with("dpkg: error") || line.starts_with("E: ") || line.starts_with("Errors were encountered") ||
      line.starts_with("dpkg: dependency problems") || line.find("returned error exit status") != std::string_view::npos)
    return Severity::kError;
  if (line.starts_with("dpkg: warning") || line.starts_with("W: ")) return Severity::kWarning;
  return Severity::kInfo;
}

struct AptTermLineParser {
  bool have_block = false;
  Stamp block;
  LineVerdict parse(std::string_view line, Event& e, const char** reason) {
    const bool started = line.starts_with("Log started: "), ended = line.starts_with("Log ended: ");
    if (started || ended) {
      scan::Cursor c{line, started ? size_t{13} : size_t{11}};
      Stamp st;
      const StampStatus s = read_apt_stamp(c, &st);
      if (s != StampStatus::kOk) {
        *reason = s == StampStatus::kInvalid ? kImpossibleTime : "Log started/ended line without a date";
        return LineVerdict::kSkip;
      }
      if (started) {
        block = st;
        have_block = true;
      }
      e.kind = EventKind::kMessage;
      e.aux = message_signature("apt", line.substr(0, started ? 12 : 10));
      e.severity = Severity::kInfo;
      apply_stamp(st, e);
      return LineVerdict::kEvent;
    }
    if (!have_block) {
      *reason = "before the first 'Log started' line (no time)";
      return LineVerdict::kSkip;
    }
    e.kind = EventKind::kMessage;
    e.aux = message_signature(line.starts_with("dpkg: ") ? "dpkg" : "apt", line);
    e.severity = term_severity(line);
    apply_stamp(block, e);
    return LineVerdict::kEvent;
  }
};

// ---- alternatives ---------------------------------------------------------------------------

}  // namespace

bool AlternativesFormat::split(std::string_view line, Line* a, bool* invalid) {
  *invalid = false;
  if (!line.starts_with("update-alternatives ")) return false;
  scan::Cursor c{line, 20};
  const StampStatus s = read_iso8601(c, &a->stamp);
  if (s != StampStatus::kOk) {
    *invalid = s == StampStatus::kInvalid;
    return false;
  }
  if (a->stamp.shape != TimeShape::kLocalDateTime || !c.skip(": ")) return false;
  a->message = c.rest();
  return true;
}

namespace {

bool alternatives_change(std::string_view m) { return m.starts_with("link group ") && m.find(" updated to point to ") != std::string_view::npos; }

}  // namespace

void AlternativesFormat::event(const Line& a, Event& e) {
  const bool change = alternatives_change(a.message);
  e.kind = change ? EventKind::kChange : EventKind::kMessage;
  e.aux = message_signature("update-alternatives", a.message);
  e.severity = change ? Severity::kNotice : Severity::kInfo;
}

namespace {

// ---- python-logging -------------------------------------------------------------------------

constexpr std::string_view kPythonLevels[] = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"};

}  // namespace

bool PythonLoggingFormat::split(std::string_view line, Line* p, bool* invalid) {
  *invalid = false;
  scan::Cursor c{line};
  const StampStatus s = read_iso8601(c, &p->stamp);
  if (s != StampStatus::kOk) {
    *invalid = s == StampStatus::kInvalid;
    return false;
  }
  // asctime: "2024-01-05 06:25:05,234", always with a comma and milliseconds.
  if (p->stamp.shape != TimeShape::kLocalDateTime || p->stamp.precision != 3 || line.size() < 24 || line[19] != ',' ||
      !c.skip(' '))
    return false;
  p->level = c.token();
  bool known = false;
  for (std::string_view l : kPythonLevels) known |= p->level == l;
  if (!known) return false;
  c.spaces();
  p->message = c.rest();
  return true;
}

namespace {

constexpr std::string_view kUpgrading = "Packages that will be upgraded: ";

}  // namespace

void PythonLoggingFormat::event(const Line& p, Event& e) {
  const bool change = p.message.starts_with(kUpgrading);
  e.kind = change ? EventKind::kChange : EventKind::kMessage;
  e.aux = message_signature(change ? "unattended-upgrade" : "", p.message);
  e.severity = change ? Severity::kNotice : severity_from_word(p.level);
}

namespace {

// "nginx:amd64 (1.22.1-9, 1.22.1-9+deb12u1), nginx-common:amd64 (...)": the first package and
// its versions (one version: an install or a removal).
void first_package(std::string_view list, Record& out) {
  scan::Cursor c{list};
  out.package = c.token();
  c.spaces();
  std::string_view inside;
  if (!c.skip('(') || !c.until(')', &inside)) return;
  // "(new)", "(new, automatic)" for an install, "(old, new)" for an upgrade.
  const size_t comma = inside.find(", ");
  if (comma == std::string_view::npos || inside.substr(comma + 2) == "automatic") {
    out.version_new = inside.substr(0, comma);
  } else {
    out.version_old = inside.substr(0, comma);
    out.version_new = inside.substr(comma + 2);
  }
}

}  // namespace

bool AptHistoryFormat::matches(std::string_view line) {
  if (line.starts_with("Start-Date: ") || line.starts_with("End-Date: ")) {
    scan::Cursor c{line, line[0] == 'S' ? size_t{12} : size_t{10}};
    Stamp st;
    return read_apt_stamp(c, &st) == StampStatus::kOk && c.done();
  }
  return history_key_line(line);
}

bool AptHistoryFormat::split(std::string_view line, Line* l, bool* invalid) {
  *invalid = false;
  if (!line.starts_with("Start-Date: ")) return false;
  scan::Cursor c{line, 12};
  const StampStatus s = read_apt_stamp(c, &l->stamp);
  *invalid = s == StampStatus::kInvalid;
  return s == StampStatus::kOk;
}

void AptHistoryFormat::event(const Line&, Event& e) {
  e.kind = EventKind::kChange;
  e.severity = Severity::kNotice;
}

void AptHistoryFormat::record(const Source& source, std::string_view text, const Line&, Record& out) {
  const std::string_view block =
      record_extent(source, text, [](std::string_view l) { return l.empty() || l.starts_with("Start-Date: "); });
  out.kind = RecordKind::kChange;
  out.program = "apt";
  out.severity = Severity::kNotice;
  std::string message;
  size_t pos = 0;
  while (pos <= block.size()) {
    size_t nl = block.find('\n', pos);
    if (nl == std::string_view::npos) nl = block.size();
    std::string_view line = block.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = nl + 1;
    if (line.starts_with("Error: ")) out.severity = Severity::kError;
    bool operation = false;
    for (std::string_view op : kOperations) {
      if (!line.starts_with(op)) continue;
      operation = true;
      if (out.action.empty()) {
        std::string verb(op.substr(0, op.size() - 2));
        for (char& ch : verb) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        out.action = out.keep(std::move(verb));
        first_package(line.substr(op.size()), out);
      }
    }
    if (operation || line.starts_with("Commandline: ") || line.starts_with("Error: ")) {
      if (!message.empty()) message += "; ";
      message += line;
    }
  }
  if (out.action.empty()) out.action = "apt";
  if (message.empty()) message = text;
  out.message = out.keep(std::move(message));
}

bool AptTermParser::matches(std::string_view line) const {
  if (line.starts_with("Log started: ") || line.starts_with("Log ended: ")) {
    scan::Cursor c{line, line[4] == 's' ? size_t{13} : size_t{11}};
    Stamp st;
    return read_apt_stamp(c, &st) == StampStatus::kOk;
  }
  return term_line(line);
}

void AptTermParser::parse_chunk(const Source& source, size_t begin, size_t end, ParsedChunk& out) const {
  AptTermLineParser lp;
  // A chunk that starts inside a block: its time is the last "Log started" before the chunk.
  const std::string_view before = source.text.view().substr(0, begin);
  const size_t at = before.rfind("\nLog started: ");
  const size_t start = at != std::string_view::npos ? at + 1 : before.starts_with("Log started: ") ? 0 : std::string_view::npos;
  if (start != std::string_view::npos) {
    scan::Cursor c{before.substr(start + 13)};
    lp.have_block = read_apt_stamp(c, &lp.block) == StampStatus::kOk;
  }
  parse_lines(source, begin, end, lp, out);
}

bool AptTermParser::decode(const Source&, std::string_view text, Record& out) const {
  if (text.empty()) return false;
  out.kind = RecordKind::kMessage;
  out.program = text.starts_with("dpkg: ") ? "dpkg" : text.starts_with("update-alternatives: ") ? "update-alternatives" : "apt";
  out.message = text;
  out.severity = term_severity(text);
  return true;
}

void AlternativesFormat::record(const Source&, std::string_view, const Line& a, Record& out) {
  out.program = "update-alternatives";
  out.message = a.message;
  if (alternatives_change(a.message)) {
    out.kind = RecordKind::kChange;
    out.severity = Severity::kNotice;
    out.action = "alternatives";
    scan::Cursor c{a.message, 11};
    out.package = c.token();
    const size_t to = a.message.find(" updated to point to ");
    out.version_new = a.message.substr(to + 21);
  } else {
    out.kind = RecordKind::kMessage;
    out.severity = Severity::kInfo;
  }
}

void PythonLoggingFormat::record(const Source&, std::string_view, const Line& p, Record& out) {
  out.level = p.level;
  out.message = p.message;
  if (p.message.starts_with(kUpgrading)) {
    out.kind = RecordKind::kChange;
    out.severity = Severity::kNotice;
    out.action = "upgrade";
    out.program = "unattended-upgrade";
    scan::Cursor c{p.message, kUpgrading.size()};
    out.package = c.token();
  } else {
    out.kind = RecordKind::kMessage;
    out.severity = severity_from_word(p.level);
  }
}

template class LineFormatParser<AptHistoryFormat>;
template class LineFormatParser<AlternativesFormat>;
template class LineFormatParser<PythonLoggingFormat>;

}  // namespace hindcast
