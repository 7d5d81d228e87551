#include "cli/export.h"

#include <cstring>

#include "cli/output.h"
#include "engine/report/json_text.h"
#include "engine/report/safe_text.h"
#include "parsers/parser.h"
#include "parsers/strace.h"

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

// --- ECS ------------------------------------------------------------------------------------

// A syslog severity written as its number (journald's PRIORITY, a kernel's <3>): 0..7, else -1.
int syslog_severity_code(std::string_view level) {
  return level.size() == 1 && level[0] >= '0' && level[0] <= '7' ? level[0] - '0' : -1;
}

// RFC 5424's keywords for the codes, the names syslog and journalctl use.
constexpr std::string_view kSyslogSeverityNames[] = {"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"};

// "127.0.0.1:11211" -> ("127.0.0.1", 11211), "[::1]:5432" -> ("::1", 5432); a Unix socket path
// or a name without a port is all address (port -1).
std::pair<std::string_view, int> address_and_port(std::string_view endpoint) {
  std::string_view host = endpoint, port;
  if (endpoint.starts_with('[')) {
    const size_t rb = endpoint.find(']');
    if (rb == std::string_view::npos) return {endpoint, -1};
    host = endpoint.substr(1, rb - 1);
    if (endpoint.substr(rb + 1).starts_with(':')) port = endpoint.substr(rb + 2);
  } else if (const size_t colon = endpoint.rfind(':');
             colon != std::string_view::npos && !endpoint.starts_with('/') && endpoint.find(':') == colon) {
    host = endpoint.substr(0, colon);
    port = endpoint.substr(colon + 1);
  }
  int n = 0;
  if (port.empty() || port.size() > 5) return {port.empty() ? host : endpoint, -1};
  for (char c : port) {
    if (c < '0' || c > '9') return {endpoint, -1};
    n = n * 10 + (c - '0');
  }
  return n <= 65535 ? std::pair{host, n} : std::pair{endpoint, -1};
}

// The error's text as decoded: strace's "(No such file or directory)" after the errno, else the
// C library's description of the errno (getsockopt's SO_ERROR carries only its name).
std::string error_text(const Record& r) {
  const size_t name = r.result.find(r.errno_name);
  if (name != std::string_view::npos) {
    const std::string_view after = r.result.substr(name + r.errno_name.size());
    const size_t open = after.find(" (");
    const size_t close = after.rfind(')');
    if (open != std::string_view::npos && close != std::string_view::npos && close > open + 2)
      return std::string(after.substr(open + 2, close - open - 2));
  }
  const uint16_t n = errno_from_name(r.errno_name);
  const char* desc = n != 0 ? strerrordesc_np(n) : nullptr;
  return desc ? desc : std::string();
}

// ECS's categorization of a system call: a file's (a path), a connection's (an address), else a
// call into the operating system (ECS's "api": "Linux libc").
struct Categorization {
  std::string_view category, type;
};
Categorization syscall_category(const Record& r) {
  const std::string_view c = r.syscall;
  if (!r.endpoint.empty() || c == "socket" || c == "listen" || c.starts_with("accept") || c == "connect")
    return {"network", c.starts_with("accept") || c == "connect" ? "connection" : "info"};
  if (!r.path.empty()) {
    if (c.starts_with("unlink") || c == "rmdir") return {"file", "deletion"};
    if (c.starts_with("rename") || c.starts_with("chmod") || c.starts_with("fchmod") || c.starts_with("chown") ||
        c.starts_with("fchown") || c.starts_with("lchown") || c.starts_with("truncate") || c.starts_with("utime"))
      return {"file", "change"};
    if (c.starts_with("mkdir") || c == "creat" || c.starts_with("symlink") || c.starts_with("link"))
      return {"file", "creation"};
    return {"file", "access"};
  }
  return {"api", "info"};
}

// A package's change: apt/dpkg's actions as ECS's package types.
std::string_view package_type(std::string_view action) {
  if (action.starts_with("install")) return "installation";
  if (action.starts_with("remove") || action.starts_with("purge")) return "deletion";
  return "change";
}

std::string json_array(std::string_view one) {
  std::string a = "[";
  append_json_string(a, one);
  return a + "]";
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
  // event.type only with its event.category, and only the types ECS expects for that category.
  Categorization cat;
  switch (decoded ? r.kind : RecordKind::kOther) {
    case RecordKind::kRequest:
      cat = {"web", "access"};
      if (r.status) event.str("outcome", r.status < 400 ? "success" : "failure");
      break;
    case RecordKind::kSyscall:
      cat = syscall_category(r);
      event.str("action", r.syscall);
      if (!r.result.empty()) event.str("outcome", r.errno_name.empty() ? "success" : "failure");  // not while unfinished
      break;
    case RecordKind::kSignal:
      cat = {"process", "info"};
      event.str("action", "signal");
      break;
    case RecordKind::kExit:
      cat = {"process", "end"};
      event.str("action", "exit");
      break;
    case RecordKind::kChange:
      cat = {"package", package_type(r.action)};
      event.str("action", r.action);
      break;
    default:  // a message: ECS has no category for "a program said"; its level says how bad
      break;
  }
  if (!cat.category.empty()) event.raw("category", json_array(cat.category)).raw("type", json_array(cat.type));
  if (r.duration_us >= 0) event.num("duration", r.duration_us * 1000);            // ns
  else if (r.latency_us >= 0) event.num("duration", r.latency_us * 1000);
  // log.level is a name; a syslog priority number (journald's PRIORITY) is log.syslog.severity.
  JsonObject syslog, syslog_severity;
  const int code = syslog_severity_code(r.level);
  if (code >= 0) {
    syslog_severity.num("code", code).str("name", kSyslogSeverityNames[code]);
    syslog.obj("severity", syslog_severity);
  }
  const std::string_view level = code >= 0              ? kSyslogSeverityNames[code]
                                 : r.level.empty() ? severity_name(e.severity)
                                                   : r.level;
  log.obj("file", file.str("path", s.path)).str("level", level).str("logger", r.module).obj("syslog", syslog);
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
  if (!r.errno_name.empty()) error.str("code", r.errno_name).str("message", error_text(r));
  // The endpoint is the far side: what connect() or a proxy reached (destination), the peer
  // accept() or recvfrom() got a connection or datagram from (source).
  const bool peer_is_source = r.syscall.starts_with("accept") || r.syscall == "recvfrom" || r.syscall == "recvmsg";
  const auto [address, port] = address_and_port(r.endpoint);
  (peer_is_source ? source : destination).str("address", address).num("port", port, port >= 0);
  if (!peer_is_source || r.endpoint.empty()) source.str("address", r.client);
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

// Quoted; control characters (newlines included) as visible escapes, so one event is one line,
// and tabs as \t (a raw tab splits a cell in tools that sniff the delimiter). A cell that a
// spreadsheet would read as a formula (=, +, -, @; a tab or CR, which are escaped here anyway)
// starts with a ' (OWASP's advice on CSV injection): a log line is attacker-chosen text.
void csv_field(std::string& out, std::string_view s) {
  out += '"';
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r'))
    out += '\'';
  for (char c : printable(s)) {
    if (c == '"') out += '"';
    if (c == '\t') {
      out += "\\t";
      continue;
    }
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
