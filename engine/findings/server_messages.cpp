#include "engine/findings/server_messages.h"

#include <re2/re2.h>

#include <algorithm>
#include <climits>

#include "parsers/strace.h"

namespace hindcast {
namespace {

struct Patterns {
  RE2 include_call{R"((?:require|include|require_once|include_once|fopen|file_get_contents|file|opendir|readfile|parse_ini_file)\(([^)]+)\))"};
  RE2 failed_opening{R"(Failed opening(?: required)? '([^']+)')"};
  RE2 in_file_line{R"( in (/[^ ]+?)(?: on line |:)(\d+))"};
  RE2 first_path{R"((/[^\s,:;'"()\[\]]+))"};
  RE2 apr_errno{R"(^\((\d+)\)([A-Za-z][^:]*):)"};
  RE2 parse_detail{R"(PHP Parse error:\s+(.*?) in /)"};
  RE2 fatal_detail{R"(PHP Fatal error:\s+(.*?)(?: in /|\\n|$))"};
};

const Patterns& patterns() {
  static const Patterns p;
  return p;
}

}  // namespace

ServerMessageFacts read_server_message(std::string_view msg) {
  const Patterns& p = patterns();
  ServerMessageFacts f;
  const re2::StringPiece text(msg.data(), msg.size());
  std::string s;
  int line = 0;

  if (msg.find("PHP Parse error:") != std::string_view::npos) {
    f.kind = ServerMessageKind::kPhpParseError;
    RE2::PartialMatch(text, p.parse_detail, &f.detail);
  } else if (msg.find("PHP Fatal error:") != std::string_view::npos) {
    f.kind = ServerMessageKind::kPhpFatal;
    RE2::PartialMatch(text, p.fatal_detail, &f.detail);
  } else if (msg.find("PHP Warning:") != std::string_view::npos) {
    f.kind = ServerMessageKind::kPhpWarning;
  }

  if (msg.find("No such file or directory") != std::string_view::npos) f.errno_name = "ENOENT";
  else if (msg.find("Permission denied") != std::string_view::npos) f.errno_name = "EACCES";
  else if (msg.find("Operation not permitted") != std::string_view::npos) f.errno_name = "EPERM";
  int apr = 0;
  std::string apr_text;
  if (RE2::PartialMatch(text, p.apr_errno, &apr, &apr_text)) {
    if (f.kind == ServerMessageKind::kOther) f.kind = ServerMessageKind::kServerError;
    if (apr == 2) f.errno_name = "ENOENT";
    else if (apr == 13) f.errno_name = "EACCES";
    else if (apr == 1) f.errno_name = "EPERM";
  }

  if (f.kind == ServerMessageKind::kOther && f.errno_name.empty()) return f;  // nothing a detector reads
  if (msg.find(" in /") != std::string_view::npos && RE2::PartialMatch(text, p.in_file_line, &s, &line)) {
    f.ref_file = s;
    f.ref_line = static_cast<uint32_t>(line);
  }
  if (!f.errno_name.empty() || f.kind == ServerMessageKind::kPhpFatal) {
    if (RE2::PartialMatch(text, p.include_call, &s) && !s.empty() && s[0] == '/') f.path = s;
    else if (RE2::PartialMatch(text, p.failed_opening, &s)) f.path = s;
    else if (!f.errno_name.empty() && RE2::PartialMatch(text, p.first_path, &s)) f.path = s;
  }
  // "in FILE on line N" names the referencing file, never the failing path.
  if (f.path && f.ref_file && *f.path == *f.ref_file) f.path.reset();
  return f;
}

void for_each_server_record(const Timeline& t, std::span<const EventRef> scope,
                            const std::function<void(EventRef, const ErrorRecord&)>& fn) {
  // The spans the error-log files cover; strace's copies are used only outside them.
  std::vector<std::pair<int64_t, int64_t>> covered;
  for (const Source& s : t.sources()) {
    if (s.format != "apache-error" || s.events.empty()) continue;
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (const Event& e : s.events) {
      lo = std::min(lo, e.time_ns);
      hi = std::max(hi, e.time_ns);
    }
    covered.emplace_back(lo, hi);
  }
  auto is_covered = [&](int64_t ts) {
    for (const auto& [lo, hi] : covered)
      if (ts >= lo - kNanosPerSecond && ts <= hi + kNanosPerSecond) return true;
    return false;
  };
  for (const EventRef r : scope) {
    const Event& e = t.event(r);
    const Source& src = t.source(r);
    ErrorRecord rec;
    if (e.kind == EventKind::kServerLog && src.format == "apache-error") {
      if (decode_error_line(src.line_text(e), &rec)) fn(r, rec);
    } else if (e.kind == EventKind::kSyscall && !is_covered(e.time_ns)) {
      const std::string_view line = src.line_text(e);
      if (line.find("\"[") == std::string_view::npos) continue;
      const std::optional<std::string> text = written_text(line);
      if (text && decode_error_line(*text, &rec)) fn(r, rec);
    }
  }
}

}  // namespace hindcast
