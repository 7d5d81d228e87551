// Helpers every detector shares: turning an event into citable Evidence, and the window an
// incident occupies.
#pragma once
#include <functional>
#include <optional>
#include <span>
#include <string>

#include "engine/report/report.h"
#include "engine/timeline/timeline.h"

namespace hindcast {

constexpr size_t kMaxEvidenceText = 400;

Evidence make_evidence(const Timeline& t, EventRef r);
std::string trimmed_text(std::string_view text, size_t max = kMaxEvidenceText);

struct Window {
  int64_t start_ns;
  int64_t end_ns;
  bool contains(int64_t t) const { return t >= start_ns && t <= end_ns; }
};

// How far around an incident detectors look: its baseline ("the same failure before and after")
// and the changes and restarts that explain it all lie within this margin, and looking no
// further keeps analysis cost proportional to the incident, not to the logs.
constexpr int64_t kScopeMargin = 30 * 60 * kNanosPerSecond;

// The events a detector reads: around the incident when there is one, else all of them.
OrderView scope_of(const Timeline& t, const std::optional<Window>& incident);

// The same scope as a time span, for detectors that walk each source's sorted run directly
// (sequential memory) instead of the timeline's references.
Window scope_span(const Timeline& t, const std::optional<Window>& incident);
// Calls fn(ref) for the events of `kind` in [span] source by source, each source in time order;
// not in timeline order: sort what you keep by (time, source, index).
void for_each_event_of_kind(const Timeline& t, EventKind kind, const Window& span, const std::function<void(EventRef)>& fn);

// `needle` occurs in `line` (a cheap test before decoding a line).
bool mentions(std::string_view line, std::string_view needle);

}  // namespace hindcast
