#include "engine/findings/evidence.h"

#include <algorithm>

#include "parsers/parser.h"

namespace hindcast {

std::string trimmed_text(std::string_view text, size_t max) {
  if (text.size() <= max) return std::string(text);
  return std::string(text.substr(0, max)) + "...";
}

namespace {

// What a person reads as the line. A structured record (a JSON object: journal entries, JSON
// lines) is shown the way journalctl shows it, "host program[pid]: message", not as its whole
// object of fields; `file:line` still leads to the raw record.
std::string readable_text(const Source& s, const Event& e) {
  const std::string_view raw = s.line_text(e);
  Record r;
  if (raw.empty() || raw.front() != '{' || !decode_record(s, e, &r) || r.message.empty()) return trimmed_text(raw);
  std::string out;
  if (!r.host.empty()) out.append(r.host).append(" ");
  if (!r.program.empty()) {
    out.append(r.program);
    if (r.pid) out.append("[").append(std::to_string(r.pid)).append("]");
    out.append(": ");
  }
  out.append(r.message);
  return trimmed_text(out);
}

}  // namespace

Evidence make_evidence(const Timeline& t, EventRef r) {
  const Event& e = t.event(r);
  const Source& s = t.source(r);
  return Evidence{e.time(), s.path, s.line_of(e), readable_text(s, e)};
}

}  // namespace hindcast
