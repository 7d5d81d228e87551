// Helpers every detector shares: turning an event into citable Evidence, and the window an
// incident occupies.
#pragma once
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

}  // namespace hindcast
