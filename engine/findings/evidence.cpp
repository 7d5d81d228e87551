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

bool is_format(const Timeline& t, EventRef r, std::string_view format) {
  return t.source(r).format == format;
}

}  // namespace hindcast
