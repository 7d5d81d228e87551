#include "engine/findings/evidence.h"

#include <algorithm>

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

Window scope_span(const Timeline& t, const std::optional<Window>& incident) {
  if (incident) return {incident->start_ns - kScopeMargin, incident->end_ns + kScopeMargin};
  if (t.size() == 0) return {0, -1};
  return {t.event(t.order().front()).time_ns, t.event(t.order().back()).time_ns};
}

void for_each_event_of_kind(const Timeline& t, EventKind kind, const Window& span, const std::function<void(EventRef)>& fn) {
  for (const Source& s : t.sources()) {
    const auto& ev = s.events;
    auto it = std::lower_bound(ev.begin(), ev.end(), span.start_ns, [](const Event& e, int64_t x) { return e.time_ns < x; });
    for (; it != ev.end() && it->time_ns <= span.end_ns; ++it) {
      if (it->kind != kind || (it->basis & kBasisUnanchored)) continue;
      fn(EventRef{static_cast<uint32_t>(it - ev.begin()), s.id});
    }
  }
}

bool mentions(std::string_view line, std::string_view needle) { return line.find(needle) != std::string_view::npos; }

}  // namespace hindcast
