// Timeline exports for the tools teams already use, one decoded Record per event
// (docs/formats.md lists every field):
//   timesketch  JSON lines for Timesketch's importer: message, datetime, timestamp_desc + fields
//   ecs         JSON lines with Elastic Common Schema names (@timestamp, event.*, log.file.path, ...)
//   csv         a header, then one line per event with the decoded fields
// Text from logs is escaped for the format (JSON escapes; CSV: control characters as visible
// \xNN, every field quoted), so one event is always one line.
#pragma once
#include <string>

#include "engine/timeline/timeline.h"

namespace hindcast::cli {

// `line`: the event's line number (a LineCursor gives it to a walk over the timeline).
void append_timesketch(std::string& out, const Source& s, const Event& e, uint32_t line);
void append_ecs(std::string& out, const Source& s, const Event& e, uint32_t line);
void append_csv_header(std::string& out);
void append_csv(std::string& out, const Source& s, const Event& e, uint32_t line);

}  // namespace hindcast::cli
