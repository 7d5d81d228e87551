// The one decoded record: every field a log line can carry, named, whatever format it came from.
//
// An Event is the 32-byte index entry kept for every line; a Record is what a detector, an
// export or the report reads when it needs the line's meaning. Each parser decodes its own
// events into Records (Parser::decode), so nothing downstream re-parses text or asks which
// format a line was in: a new format is visible to every detector once its decoder exists.
//
//   Record r;
//   if (decode_record(timeline.source(ref), timeline.event(ref), &r))
//     use(r.kind, r.message, r.errno_name, r.object);
//
// Fields a format does not have stay empty (strings) or at their "absent" value (-1 for numbers,
// 0 for pid/status). Text fields are views into the source's text or into the record's own
// storage (unescaped strings); a Record is movable but not copyable, so they cannot dangle.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/event.h"

namespace hindcast {

enum class RecordKind : uint8_t {
  kRequest,  // an HTTP request (access log)
  kMessage,  // a program's message (error log, syslog, journald, JSON lines, kernel, ...)
  kSyscall,  // a system call (strace)
  kSignal,   // a signal delivered (strace "--- SIGSEGV ... ---")
  kExit,     // a process ended (strace "+++ exited with 1 +++", "+++ killed by SIGSEGV +++")
  kChange,   // a change to the system (package manager operations)
  kOther,
};

struct Record {
  RecordKind kind = RecordKind::kOther;
  // Where and when (copied from the event and its source; the line number is the source's to
  // count, Source::line_of, for the few records a report cites).
  uint16_t source = 0;
  int64_t time_ns = 0;
  std::string_view host;        // the line's own host, else the source's
  std::string_view text;        // the record's first line, as written

  // Who wrote it.
  std::string_view program;     // syslog tag, journald SYSLOG_IDENTIFIER, "apache2" for its error log
  std::string_view unit;        // systemd unit, where the format names one
  std::string_view module;      // Apache module ("php", "core", "mpm_prefork")
  std::string_view level;       // the level as written ("warn", "ERROR", "<13>")
  uint32_t pid = 0;
  uint32_t tid = 0;
  Severity severity = Severity::kInfo;

  // A message.
  std::string_view message;     // the free text (multi-line records: the first line)
  std::string_view client;      // the client address a server message or request names (no port)

  // An HTTP request.
  std::string_view method, url, protocol, referer, user_agent, vhost, user;
  uint16_t status = 0;          // 0 when absent
  int64_t bytes = -1;
  int64_t latency_us = -1;      // %D / %T / $request_time, when the format has it

  // A system call, signal or exit.
  std::string_view syscall;     // "openat"; for a signal its name ("SIGSEGV")
  std::string_view args;        // the raw argument list
  std::string_view result;      // "-1 ENOENT (No such file or directory)"
  std::string_view errno_name;  // "ENOENT", empty when the call succeeded
  std::string_view path;        // the first path argument, unescaped
  std::string_view endpoint;    // connect()/bind() address: "127.0.0.1:11211", "/run/mysqld/mysqld.sock"
  int64_t duration_us = -1;     // strace -T
  int fd = -1;                  // the first argument when it is a descriptor
  std::string_view signal;      // SIGSEGV: the signal delivered or that killed the process
  int exit_status = -1;         // "+++ exited with N +++"

  // A change (package manager).
  std::string_view action;      // install, upgrade, remove, purge, configure, ...
  std::string_view package;     // "memcached:amd64"
  std::string_view version_old, version_new;

  Record() = default;
  Record(Record&&) = default;
  Record& operator=(Record&&) = default;
  Record(const Record&) = delete;
  Record& operator=(const Record&) = delete;

  // Keeps `s` alive as long as the record and returns a view of it (unescaped text).
  std::string_view keep(std::string s) {
    owned_.push_back(std::make_unique<std::string>(std::move(s)));
    return *owned_.back();
  }

 private:
  // Each string on the heap on its own: views into it survive later additions and moves of the
  // record. Empty (no allocation) for the records of most formats, which are views of the text.
  std::vector<std::unique_ptr<std::string>> owned_;
};

// A place in a file that a log line names ("in /x/settings.php on line 134").
struct FileLine {
  std::string file;
  uint32_t line = 0;
};

}  // namespace hindcast
