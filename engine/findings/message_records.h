// One view of a "message" event whatever wrote it: RFC 3164/5424 syslog, journald JSON or
// generic JSON lines. Detectors that read host, program and message (health checks, changes,
// restarts) use this and never care about the format.
//
//   MessageRecord m;
//   if (read_message_record(source, event, &m)) use(m.program, m.message);
//
// The views point into the source text (syslog) or into the record itself (JSON, whose strings
// are unescaped): a MessageRecord is not copyable, so they cannot dangle.
#pragma once
#include <cstdint>
#include <string_view>

#include "engine/core/source.h"
#include "parsers/json_record.h"

namespace hindcast {

struct MessageRecord {
  std::string_view host;
  std::string_view program;
  std::string_view message;
  uint32_t pid = 0;

  MessageRecord() = default;
  MessageRecord(const MessageRecord&) = delete;
  MessageRecord& operator=(const MessageRecord&) = delete;

 private:
  friend bool read_message_record(const Source&, const Event&, MessageRecord*);
  JsonRecord json_;  // owns the text of JSON records
};

bool read_message_record(const Source& source, const Event& event, MessageRecord* out);

}  // namespace hindcast
