// JSON-per-line logs: journald's `journalctl -o json` export and generic JSON lines, parsed in
// place with simdjson's on-demand API (the source buffer is padded, see SourceText::kPadding).
//
//   JsonRecord r;
//   if (decode_json_line(line, JsonFlavor::kJournald, &r)) use(r.stamp, r.message);
//
// journald: the time is _SOURCE_REALTIME_TIMESTAMP when present (when the process logged the
// message), else __REALTIME_TIMESTAMP (when journald received it): the first is the event's own
// time; the second can lag under load. Both are UTC microseconds, written as strings. MESSAGE may
// be a string, an array of bytes (non-UTF-8 text) or null; a field repeated by the sender is an
// array of values (the first is used).
// Generic JSON lines: the time is the first of time, timestamp, @timestamp, ts, t, date,
// datetime, as epoch seconds/ms/us/ns (by magnitude, number or numeric string) or RFC 3339; the
// message is message, msg, MESSAGE, log; the level level, severity, lvl; the program logger,
// app, service, name, SYSLOG_IDENTIFIER.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/core/event.h"
#include "engine/core/timestamps.h"

namespace hindcast {

enum class JsonFlavor { kJournald, kGeneric };

struct JsonRecord {
  Stamp stamp;             // kAbsolute (epoch, offset or 'Z'), kLocalDateTime (ISO without zone)
  uint32_t pid = 0;
  Severity severity = Severity::kInfo;
  std::string level;       // the level as written
  std::string message;     // owned: JSON strings are unescaped
  std::string program;
  std::string host;
  std::string unit;        // _SYSTEMD_UNIT
  bool journald = false;   // the object had journald's own fields (__REALTIME_TIMESTAMP, __CURSOR)
  bool invalid_time = false;  // a time field was there but impossible
  uint32_t signature = 0;     // engine/core/signature.h, of the program and message
};

// `line` must be followed by at least 64 readable bytes (a SourceText line is). With
// `want_text` false only time, pid and severity are read, and nothing is allocated (the parse
// loop); detectors ask for the text too.
bool decode_json_line(std::string_view line, JsonFlavor flavor, JsonRecord* out, bool want_text = true);

// The simdjson kernels a parse runs on, as "structural index: icelake, values: fallback". The
// structural index (stage 1, the SIMD part) is simdjson's runtime choice for the CPU; the
// on-demand value code is compiled into hindcast for the build's baseline ISA (x86-64: the
// fallback kernel, as simdjson 3.0's on-demand API has no runtime dispatch of its own).
std::string json_kernels();

}  // namespace hindcast
