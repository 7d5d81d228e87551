#include "cli/output.h"

#include <cerrno>
#include <cstring>

#include "engine/report/json_text.h"

namespace hindcast::cli {

Output::Output(const std::string& path) {
  if (path.empty()) {
    file_ = stdout;
    return;
  }
  file_ = std::fopen(path.c_str(), "wb");
  if (!file_) error_ = path + ": " + std::strerror(errno);
  owned_ = true;
}

Output::~Output() { close(); }

void Output::write(std::string_view s) {
  if (file_) std::fwrite(s.data(), 1, s.size(), file_);
}

bool Output::close() {
  if (!file_) return error_.empty();
  bool ok = std::fflush(file_) == 0 && !std::ferror(file_);
  if (owned_) ok = (std::fclose(file_) == 0) && ok;
  file_ = nullptr;
  return ok;
}

std::string_view kind_name(EventKind k) {
  switch (k) {
    case EventKind::kHttpRequest: return "http_request";
    case EventKind::kMessage: return "message";
    case EventKind::kChange: return "change";
    case EventKind::kSyscall: return "syscall";
    case EventKind::kSignal: return "signal";
    case EventKind::kProcessExit: return "process_exit";
    case EventKind::kOther: return "other";
  }
  return "other";
}

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::kDebug: return "debug";
    case Severity::kInfo: return "info";
    case Severity::kNotice: return "notice";
    case Severity::kWarning: return "warning";
    case Severity::kError: return "error";
    case Severity::kCritical: return "critical";
  }
  return "info";
}

namespace {

void append_csv_field(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace

void write_timeline(const Timeline& t, std::string_view format, Output& out) {
  std::string buf;
  buf.reserve(1 << 20);
  if (format == "csv") buf += "time,source,line,kind,severity,time_basis,text\n";
  for (const EventRef r : t.order()) {
    const Event& e = t.event(r);
    const Source& s = t.source(r);
    const std::string time = format_rfc3339_utc(Instant{e.time_ns}, e.precision);
    const std::string_view text = s.line_text(e);
    if (format == "jsonl") {
      buf += "{\"time\":\"";
      buf += time;
      buf += "\",\"source\":";
      append_json_string(buf, s.path);
      buf += ",\"line\":" + std::to_string(e.line) + ",\"kind\":\"";
      buf += kind_name(e.kind);
      buf += "\",\"severity\":\"";
      buf += severity_name(e.severity);
      buf += "\",\"time_basis\":\"" + describe_basis(e.basis) + "\",\"text\":";
      append_json_string(buf, text);
      buf += "}\n";
    } else if (format == "csv") {
      buf += time + ",";
      append_csv_field(buf, s.path);
      buf += "," + std::to_string(e.line) + ",";
      buf += kind_name(e.kind);
      buf += ',';
      buf += severity_name(e.severity);
      buf += ",\"" + describe_basis(e.basis) + "\",";
      append_csv_field(buf, text);
      buf += '\n';
    } else {
      buf += time;
      buf += "  ";
      buf += s.path;
      buf += ':';
      buf += std::to_string(e.line);
      buf += "  ";
      buf += text;
      buf += '\n';
    }
    if (buf.size() > (1 << 20) - 4096) {
      out.write(buf);
      buf.clear();
    }
  }
  out.write(buf);
}

}  // namespace hindcast::cli
