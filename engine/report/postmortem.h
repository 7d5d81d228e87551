// The postmortem's own sections, from the rest of the report: title, summary, detection (first
// failure, first alert, the gap), the root cause's first evidence, action items per root-cause
// kind, and the lessons-learned placeholders. Markdown, HTML and JSON all render this one
// object, so the three say the same.
//
// Action items are written per root-cause *kind* (what failed, and what would have caught it),
// quoting the report's own object, path, setting, service or URL: never wording for one incident.
#pragma once
#include "engine/report/report.h"

namespace hindcast {

Postmortem postmortem_of(const Report& report);

// "missing file", "PHP parse error", ...: the kind in words, for titles.
std::string root_cause_kind_words(const std::string& kind);
// "68.0 s", "3 min 20 s", "2 h 5 min".
std::string duration_text(double seconds);
// Phrases joined as plain text.
std::string plain_text(const std::vector<Phrase>& phrases);

}  // namespace hindcast
