#include "engine/findings/evidence.h"

namespace hindcast {

std::string trimmed_text(std::string_view text, size_t max) {
  if (text.size() <= max) return std::string(text);
  return std::string(text.substr(0, max)) + "...";
}

Evidence make_evidence(const Timeline& t, EventRef r) {
  const Event& e = t.event(r);
  const Source& s = t.source(r);
  return Evidence{e.time(), s.path, e.line, trimmed_text(s.line_text(e))};
}

std::span<const EventRef> scope_of(const Timeline& t, const std::optional<Window>& incident) {
  if (!incident) return t.order();
  return t.range(incident->start_ns - kScopeMargin, incident->end_ns + kScopeMargin);
}

bool mentions(std::string_view line, std::string_view needle) { return line.find(needle) != std::string_view::npos; }

bool is_format(const Timeline& t, EventRef r, std::string_view format) {
  return t.source(r).format == format;
}

}  // namespace hindcast
