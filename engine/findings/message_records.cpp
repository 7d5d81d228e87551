#include "engine/findings/message_records.h"

#include "parsers/syslog_rfc3164.h"

namespace hindcast {

bool read_message_record(const Source& s, const Event& e, MessageRecord* m) {
  if (e.kind != EventKind::kSyslog) return false;
  const std::string_view line = s.line_text(e);
  if (s.format == "journald-json" || s.format == "json-lines") {
    const JsonFlavor flavor = s.format == "journald-json" ? JsonFlavor::kJournald : JsonFlavor::kGeneric;
    if (!decode_json_line(line, flavor, &m->json_)) return false;
    m->host = m->json_.host;
    m->program = m->json_.program;
    m->message = m->json_.message;
    m->pid = m->json_.pid;
    return true;
  }
  SyslogRecord r;
  if (!decode_syslog_line(line, &r)) return false;
  m->host = r.host;
  m->program = r.program;
  m->message = r.message;
  m->pid = r.pid;
  return true;
}

}  // namespace hindcast
