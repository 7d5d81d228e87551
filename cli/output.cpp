#include "cli/output.h"

#include <cerrno>
#include <cstring>

#include "cli/export.h"
#include "engine/report/json_text.h"
#include "engine/report/safe_text.h"

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

void write_timeline(const Timeline& t, std::string_view format, Output& out, RunProgress* progress) {
  std::string buf;
  buf.reserve(1 << 20);
  uint64_t written = 0;
  if (progress) progress->events_total = t.order().size();
  if (format == "csv") append_csv_header(buf);
  std::vector<LineCursor> lines;
  for (const Source& s : t.sources()) lines.emplace_back(s);
  for (const EventRef r : t.order()) {
    const Event& e = t.event(r);
    const Source& s = t.source(r);
    const uint32_t line = lines[r.source].line_of(e);
    if (format == "jsonl") {
      const std::string_view text = s.line_text(e);
      buf += "{\"time\":\"";
      buf += format_rfc3339_utc(Instant{e.time_ns}, e.precision);
      buf += "\",\"source\":";
      append_json_string(buf, s.path);
      buf += ",\"line\":" + std::to_string(line) + ",\"kind\":\"";
      buf += kind_name(e.kind);
      buf += "\",\"severity\":\"";
      buf += severity_name(e.severity);
      buf += "\",\"time_basis\":\"" + describe_basis(e.basis) + "\",\"text\":";
      append_json_string(buf, text);
      buf += "}\n";
    } else if (format == "csv") {
      append_csv(buf, s, e, line);
    } else if (format == "timesketch") {
      append_timesketch(buf, s, e, line);
    } else if (format == "ecs") {
      append_ecs(buf, s, e, line);
    } else {
      // Text for a terminal: escape sequences in a log line or a file name are shown, not run.
      buf += format_rfc3339_utc(Instant{e.time_ns}, e.precision);
      buf += "  ";
      append_printable(buf, s.path);
      buf += ':';
      buf += std::to_string(line);
      buf += "  ";
      append_printable(buf, s.line_text(e));
      buf += '\n';
    }
    ++written;
    if (buf.size() > (1 << 20) - 4096) {
      out.write(buf);
      buf.clear();
      if (progress) progress->events_written.store(written, std::memory_order_relaxed);
    }
  }
  out.write(buf);
}

}  // namespace hindcast::cli
