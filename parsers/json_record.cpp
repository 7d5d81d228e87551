#include "parsers/json_record.h"

#include <simdjson.h>

#include "engine/core/signature.h"
#include "engine/core/source.h"
#include "engine/core/scan.h"

namespace hindcast {
namespace {

namespace od = simdjson::ondemand;

// RFC 3339 / ISO 8601 ("2023-11-03T13:00:43.123Z", "2023-11-03 13:00:43", "+0200") or an epoch
// of unknown unit ("1587047866.229317", "1587047866229").
StampStatus time_from_string(std::string_view s, JsonRecord* r) {
  if (s.find('-', 1) == std::string_view::npos && s.find(':') == std::string_view::npos) return read_epoch(s, &r->stamp);
  scan::Cursor c{s};
  return read_iso8601(c, &r->stamp);
}

// How deep text_of reads arrays: journald writes a repeated field as an array of its values, and
// a value that is not UTF-8 as an array of byte numbers, so a repeated binary field is an array
// of arrays. Deeper nesting is no text journald or a logger writes, and reading it by recursion
// would let one line of 80,000 brackets overflow the stack.
constexpr int kMaxTextDepth = 2;

// A value as text: strings as they are, numbers and booleans as written, byte arrays decoded,
// a repeated field's first value.
bool text_of(od::value v, std::string* out, int depth = 0) {
  od::json_type type;
  if (v.type().get(type)) return false;
  switch (type) {
    case od::json_type::string: {
      std::string_view s;
      if (v.get_string().get(s)) return false;
      out->assign(s);
      return true;
    }
    case od::json_type::number:
    case od::json_type::boolean: {
      std::string_view raw;
      raw = v.raw_json_token();
      while (!raw.empty() && (raw.back() == ' ' || raw.back() == ',')) raw.remove_suffix(1);
      out->assign(raw);
      return true;
    }
    case od::json_type::array: {
      if (depth >= kMaxTextDepth) return false;
      od::array a;
      if (v.get_array().get(a)) return false;
      out->clear();
      bool bytes = true, first = true;
      for (auto element : a) {
        od::value ev;
        if (element.get(ev)) return false;
        od::json_type et;
        if (ev.type().get(et)) return false;
        if (et == od::json_type::number && bytes) {
          uint64_t b;
          if (ev.get_uint64().get(b) || b > 255) return false;
          out->push_back(static_cast<char>(b));
        } else if (first) {
          bytes = false;
          if (!text_of(ev, out, depth + 1)) return false;
        }
        first = false;
      }
      return true;
    }
    default:
      return false;  // null, objects
  }
}

// A scalar's text without copying: strings (unescaped in the parser's buffer) and numbers
// (the raw token in the input). Valid until the next document is parsed.
bool scalar_view(od::value v, std::string_view* out) {
  od::json_type type;
  if (v.type().get(type)) return false;
  if (type == od::json_type::string) return !v.get_string().get(*out);
  if (type != od::json_type::number) return false;
  std::string_view raw;
  raw = v.raw_json_token();
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == ',' || raw.back() == '}')) raw.remove_suffix(1);
  *out = raw;
  return true;
}

Severity severity_from_text(std::string_view l) {
  if (l.size() == 1 && scan::is_digit(l[0])) {  // syslog priority
    const int p = l[0] - '0';
    return p <= 2 ? Severity::kCritical : p == 3 ? Severity::kError : p == 4 ? Severity::kWarning
           : p == 5 ? Severity::kNotice : p == 6 ? Severity::kInfo : Severity::kDebug;
  }
  char buf[16];
  const size_t n = std::min(l.size(), sizeof buf);
  for (size_t i = 0; i < n; ++i) buf[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(l[i])));
  const std::string_view s(buf, n);
  if (s.starts_with("crit") || s.starts_with("fatal") || s.starts_with("emerg") || s.starts_with("alert") ||
      s == "panic")
    return Severity::kCritical;
  if (s.starts_with("err")) return Severity::kError;
  if (s.starts_with("warn")) return Severity::kWarning;
  if (s == "notice") return Severity::kNotice;
  if (s.starts_with("debug") || s.starts_with("trace")) return Severity::kDebug;
  return Severity::kInfo;
}

}  // namespace

bool decode_json_line(std::string_view line, JsonFlavor flavor, JsonRecord* r, bool want_text) {
  *r = JsonRecord{};
  size_t start = 0;
  while (start < line.size() && (line[start] == ' ' || line[start] == '\t')) ++start;
  if (start == line.size() || line[start] != '{') return false;
  thread_local od::parser parser;
  const simdjson::padded_string_view view(line.data(), line.size(), line.size() + SourceText::kPadding);
  od::document doc;
  if (parser.iterate(view).get(doc)) return false;
  od::object obj;
  if (doc.get_object().get(obj)) return false;
  std::string_view source_time, receive_time, generic_time, scalar, message_view, program_view;
  int time_rank = 99;
  static constexpr std::string_view kTimeKeys[] = {"time", "timestamp", "@timestamp", "ts", "t", "date", "datetime"};
  for (auto field : obj) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return false;
    od::value v;
    if (field.value().get(v)) return false;
    if (key == "_SOURCE_REALTIME_TIMESTAMP") {
      if (!scalar_view(v, &source_time)) return false;
    } else if (key == "__REALTIME_TIMESTAMP") {
      if (!scalar_view(v, &receive_time)) return false;
      r->journald = true;
    } else if (key == "__CURSOR") {
      r->journald = true;
    } else if (key == "_PID" || key == "pid") {
      if (scalar_view(v, &scalar)) {
        uint64_t pid = 0;
        scan::Cursor pc{scalar};
        if (pc.number(&pid, 10)) r->pid = static_cast<uint32_t>(pid);
      }
    } else if (key == "PRIORITY" || key == "level" || key == "severity" || key == "lvl") {
      if (scalar_view(v, &scalar)) {
        r->severity = severity_from_text(scalar);
        if (want_text) r->level.assign(scalar);
      }
    } else if (flavor == JsonFlavor::kGeneric && time_rank > 0) {
      for (int k = 0; k < time_rank && k < 7; ++k) {
        if (key == kTimeKeys[k] && scalar_view(v, &generic_time)) time_rank = k;
      }
      if (time_rank < 99 && generic_time.data() && key == kTimeKeys[time_rank]) continue;
    }
    if (!want_text) {
      // The signature's words only, without copying (valid until the next document).
      if (key == "MESSAGE" || key == "message" || key == "msg" || key == "log") {
        if (message_view.empty()) scalar_view(v, &message_view);
      } else if (key == "SYSLOG_IDENTIFIER" || key == "logger" || key == "app" || key == "service" ||
                 key == "name" || key == "_COMM") {
        if (program_view.empty()) scalar_view(v, &program_view);
      }
      continue;
    }
    if (key == "MESSAGE" || key == "message" || key == "msg" || key == "log") {
      if (r->message.empty()) text_of(v, &r->message);
    } else if (key == "SYSLOG_IDENTIFIER" || key == "logger" || key == "app" || key == "service" || key == "name" ||
               key == "_COMM") {
      if (r->program.empty()) text_of(v, &r->program);
    } else if (key == "_HOSTNAME" || key == "host" || key == "hostname") {
      text_of(v, &r->host);
    } else if (key == "_SYSTEMD_UNIT" || key == "unit") {
      text_of(v, &r->unit);
    }
  }
  r->signature = want_text ? message_signature(r->program, r->message) : message_signature(program_view, message_view);
  if (flavor == JsonFlavor::kJournald) {
    const std::string_view us = !source_time.empty() ? source_time : receive_time;
    const StampStatus st = read_epoch_in(us, 1'000, &r->stamp);
    r->invalid_time = st == StampStatus::kInvalid;
    return st == StampStatus::kOk;
  }
  if (generic_time.empty()) return false;
  const StampStatus st = time_from_string(generic_time, r);
  r->invalid_time = st == StampStatus::kInvalid;
  return st == StampStatus::kOk;
}

std::string json_kernels() {
  return "structural index: " + std::string(simdjson::get_active_implementation()->name()) +
         ", values: " + std::string(simdjson::builtin_implementation()->name());
}

}  // namespace hindcast
