#include "cli/export.h"

#include "cli/output.h"
#include "engine/report/json_text.h"
#include "engine/report/safe_text.h"
#include "parsers/parser.h"

namespace hindcast::cli {
namespace {

// A JSON object built field by field; empty strings and absent numbers are left out, and so is
// an empty nested object.
class JsonObject {
 public:
  JsonObject& str(std::string_view k, std::string_view v) {
    if (v.empty()) return *this;
    key(k);
    append_json_string(out_, v);
    return *this;
  }
  JsonObject& num(std::string_view k, int64_t v, bool present = true) {
    if (!present) return *this;
    key(k);
    out_ += std::to_string(v);
    return *this;
  }
  JsonObject& raw(std::string_view k, std::string_view json) {
    key(k);
    out_ += json;
    return *this;
  }
  JsonObject& obj(std::string_view k, const JsonObject& o) {
    if (o.empty()) return *this;
    key(k);
    o.append_to(out_);
    return *this;
  }
  bool empty() const { return out_.empty(); }
  void append_to(std::string& s) const {
    s += '{';
    s += out_;
    s += '}';
  }

 private:
  void key(std::string_view k) {
    if (!out_.empty()) out_ += ',';
    append_json_string(out_, k);
    out_ += ':';
  }
  std::string out_;
};

std::string_view or_empty_dash(std::string_view s) { return s == "-" ? std::string_view() : s; }

std::string_view timestamp_desc(RecordKind k) {
  switch (k) {
    case RecordKind::kRequest: return "Request Received";
    case RecordKind::kSyscall: return "System Call";
    case RecordKind::kSignal: return "Signal Delivered";
    case RecordKind::kExit: return "Process Exited";
    case RecordKind::kChange: return "Package Changed";
    default: return "Event Logged";
  }
}

// The message a person reads: the free text, else the request line, else the whole line.
std::string_view message_of(const Record& r, std::string_view line) {
  if (!r.message.empty()) return r.message;
  if (!r.text.empty()) return r.text;
  return line;
}

}  // namespace

void append_timesketch(std::string& out, const Source& s, const Event& e, uint32_t line_number) {
  Record r;
  const bool decoded = decode_record(s, e, &r);
  const std::string_view line = s.line_text(e);
  std::string datetime = format_rfc3339_utc(Instant{e.time_ns}, e.precision);
  datetime.pop_back();  // "Z" -> "+00:00": the form Timesketch's own examples use
  datetime += "+00:00";
  JsonObject o;
  o.str("message", message_of(r, line))
      .str("datetime", datetime)
      .num("timestamp", e.time_ns / 1000)  // microseconds, Timesketch's internal unit
      .str("timestamp_desc", timestamp_desc(decoded ? r.kind : RecordKind::kOther))
      .str("data_type", std::string("hindcast:") + s.format)
      .str("source_file", s.path)
      .num("source_line", line_number)
      .str("event_kind", kind_name(e.kind))
      .str("severity", severity_name(e.severity))
      .str("time_basis", describe_basis(e.basis))
      .str("host", r.host)
      .str("program", r.program)
      .num("pid", r.pid, r.pid != 0)
      .num("tid", r.tid, r.tid != 0)
      .str("unit", r.unit)
      .str("module", r.module)
      .str("level", r.level)
      .str("client", r.client)
      .str("user", or_empty_dash(r.user))
      .str("vhost", r.vhost)
      .str("method", r.method)
      .str("url", r.url)
      .str("protocol", r.protocol)
      .num("status", r.status, r.status != 0)
      .num("bytes", r.bytes, r.bytes >= 0)
      .num("latency_us", r.latency_us, r.latency_us >= 0)
      .str("referer", or_empty_dash(r.referer))
      .str("user_agent", or_empty_dash(r.user_agent))
      .str("syscall", r.syscall)
      .str("result", r.result)
      .str("errno", r.errno_name)
      .str("path", r.path)
      .str("endpoint", r.endpoint)
      .num("duration_us", r.duration_us, r.duration_us >= 0)
      .str("signal", r.signal)
      .num("exit_status", r.exit_status, r.exit_status >= 0)
      .str("action", r.action)
      .str("package", r.package)
      .str("version_old", r.version_old)
      .str("version_new", r.version_new)
      .str("line_text", line);
  o.append_to(out);
  out += '\n';
}

void append_ecs(std::string& out, const Source& s, const Event& e, uint32_t line_number) {
  Record r;
  const bool decoded = decode_record(s, e, &r);
  const std::string_view line = s.line_text(e);
  JsonObject event, log, file, host, process, thread, http, request, response, body, url, error, source, destination,
      user_agent, user, package, hindcast, efile;
  event.raw("kind", "\"event\"").str("module", "hindcast").str("dataset", "hindcast." + s.format).str("original", line);
  switch (decoded ? r.kind : RecordKind::kOther) {
    case RecordKind::kRequest:
      event.raw("category", "[\"web\"]").raw("type", "[\"access\"]");
      if (r.status) event.str("outcome", r.status < 400 ? "success" : "failure");
      break;
    case RecordKind::kSyscall:
      event.str("action", r.syscall);
      if (!r.result.empty()) event.str("outcome", r.errno_name.empty() ? "success" : "failure");  // not while unfinished
      break;
    case RecordKind::kSignal:
      event.raw("category", "[\"process\"]").raw("type", "[\"info\"]").str("action", "signal");
      break;
    case RecordKind::kExit:
      event.raw("category", "[\"process\"]").raw("type", "[\"end\"]").str("action", "exit");
      break;
    case RecordKind::kChange:
      event.raw("category", "[\"package\"]").raw("type", "[\"change\"]").str("action", r.action);
      break;
    default:
      if (e.severity >= Severity::kError) event.raw("type", "[\"error\"]");
      break;
  }
  if (r.duration_us >= 0) event.num("duration", r.duration_us * 1000);            // ns
  else if (r.latency_us >= 0) event.num("duration", r.latency_us * 1000);
  log.obj("file", file.str("path", s.path)).str("level", r.level.empty() ? severity_name(e.severity) : r.level).str("logger", r.module);
  host.str("name", r.host);
  thread.num("id", r.tid, r.tid != 0);
  process.str("name", r.program).num("pid", r.pid, r.pid != 0).obj("thread", thread).num("exit_code", r.exit_status, r.exit_status >= 0);
  std::string version;
  if (r.protocol.starts_with("HTTP/")) version = std::string(r.protocol.substr(5));
  request.str("method", r.method).str("referrer", or_empty_dash(r.referer));
  body.num("bytes", r.bytes, r.bytes >= 0);
  response.num("status_code", r.status, r.status != 0).obj("body", body);
  http.obj("request", request).obj("response", response).str("version", version);
  if (!r.url.empty()) {
    const size_t q = r.url.find('?');
    url.str("original", r.url).str("path", r.url.substr(0, q));
    if (q != std::string_view::npos) url.str("query", r.url.substr(q + 1));
  }
  if (!r.errno_name.empty()) error.str("code", r.errno_name).str("message", r.result);
  source.str("address", r.client);
  destination.str("address", r.endpoint);
  user_agent.str("original", or_empty_dash(r.user_agent));
  user.str("name", or_empty_dash(r.user));
  package.str("name", r.package).str("version", r.version_new);
  efile.str("path", r.path);
  // ECS has no field for a line number, the time basis or a syscall's signal: hindcast.*.
  hindcast.num("line", line_number)
      .str("format", s.format)
      .str("kind", kind_name(e.kind))
      .str("time_basis", describe_basis(e.basis))
      .str("unit", r.unit)
      .str("vhost", r.vhost)
      .str("signal", r.signal)
      .str("version_old", r.version_old);
  JsonObject o;
  o.str("@timestamp", format_rfc3339_utc(Instant{e.time_ns}, e.precision))
      .str("message", message_of(r, line))
      .raw("ecs", "{\"version\":\"8.11.0\"}")
      .obj("event", event)
      .obj("log", log)
      .obj("host", host)
      .obj("process", process)
      .obj("http", http)
      .obj("url", url)
      .obj("error", error)
      .obj("source", source)
      .obj("destination", destination)
      .obj("user_agent", user_agent)
      .obj("user", user)
      .obj("package", package)
      .obj("file", efile)
      .obj("hindcast", hindcast);
  o.append_to(out);
  out += '\n';
}

namespace {

void csv_field(std::string& out, std::string_view s) {
  // Quoted; control characters (newlines included) as visible escapes, so one event is one line.
  out += '"';
  for (char c : printable(s)) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace

void append_csv_header(std::string& out) {
  out += "time,source,line,kind,severity,time_basis,text,host,program,pid,client,method,url,status,bytes,latency_us,"
         "syscall,errno,path,endpoint,signal,action,package,message\n";
}

void append_csv(std::string& out, const Source& s, const Event& e, uint32_t line) {
  Record r;
  decode_record(s, e, &r);
  out += format_rfc3339_utc(Instant{e.time_ns}, e.precision);
  out += ',';
  csv_field(out, s.path);
  out += ',' + std::to_string(line) + ',';
  out += kind_name(e.kind);
  out += ',';
  out += severity_name(e.severity);
  out += ',';
  csv_field(out, describe_basis(e.basis));
  out += ',';
  csv_field(out, s.line_text(e));
  for (std::string_view v : {r.host, r.program}) {
    out += ',';
    csv_field(out, v);
  }
  out += ',';
  if (r.pid) out += std::to_string(r.pid);
  for (std::string_view v : {r.client, r.method, r.url}) {
    out += ',';
    csv_field(out, v);
  }
  out += ',';
  if (r.status) out += std::to_string(r.status);
  out += ',';
  if (r.bytes >= 0) out += std::to_string(r.bytes);
  out += ',';
  if (r.latency_us >= 0) out += std::to_string(r.latency_us);
  for (std::string_view v : {r.syscall, r.errno_name, r.path, r.endpoint, r.signal, r.action, r.package, r.message}) {
    out += ',';
    csv_field(out, v);
  }
  out += '\n';
}

}  // namespace hindcast::cli
