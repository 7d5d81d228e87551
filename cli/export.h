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

void append_timesketch(std::string& out, const Source& s, const Event& e);
void append_ecs(std::string& out, const Source& s, const Event& e);
void append_csv_header(std::string& out);
void append_csv(std::string& out, const Source& s, const Event& e);

}  // namespace hindcast::cli
