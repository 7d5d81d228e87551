// strace output: -f (bare "7088  " or "[pid  7088] " prefixes, and unprefixed lines of the main
// pid), -ff per-pid files (the pid comes from the file-name suffix, see Source::strace_pid),
// with no timestamps, -t/-tt (time of day), -ttt (epoch) or -r (relative), with or without -T
// durations and -y fd decorations.
//   7088  09:01:08.353865 newfstatat(AT_FDCWD, "/srv/x", 0x7ffd, 0) = -1 ENOENT (No such file or directory) <0.000010>
//   7088  09:01:08.279127 accept4(5,  <unfinished ...>
//   7088  09:01:08.353698 <... accept4 resumed>{sa_family=AF_INET, ...}, SOCK_CLOEXEC) = 12 <0.074524>
//   7084  09:01:53.377000 --- SIGHUP {si_signo=SIGHUP, si_code=SI_USER, ...} ---
//   7089  09:02:29.342092 +++ exited with 0 +++
// An <unfinished ...> record is paired with its <... resumed> record (Event::partner, both
// ways) and receives the resumed result's errno, so a detector sees the path and the error on
// one event.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/core/timestamps.h"
#include "parsers/parser.h"

namespace hindcast {

enum class StraceLineType : uint8_t { kCall, kUnfinished, kResumed, kSignal, kExit, kOther };

struct StraceRecord {
  uint32_t pid = 0;
  Stamp stamp;                // kAbsolute (-ttt), kLocalTimeOfDay (-t/-tt), kRelative (-r), kNone
  bool invalid_time = false;  // a stamp with impossible fields (the line is skipped)
  StraceLineType type = StraceLineType::kOther;
  std::string_view syscall;   // "openat"; for a signal, "SIGHUP"
  std::string_view body;      // everything after the time: what the syscall line says
  std::string_view args;      // between '(' and the result (or <unfinished ...>)
  std::string_view result;    // after " = ": "-1 ENOENT (No such file or directory) <0.000010>"
  std::string_view errno_name;  // "ENOENT", empty when the call succeeded
};

bool decode_strace_line(std::string_view line, StraceRecord* out);
// The first C-string argument, with strace's escapes undone ("\n", "\"", "\x41", octal); empty
// when the call has none. Truncated strings ("..."...) are returned as far as they go.
std::string first_string_argument(std::string_view args);
// Every quoted string argument's raw (still escaped) text, in order.
std::string_view nth_raw_string(std::string_view args, int n);
std::string unescape_c_string(std::string_view raw);
// The text a write-like call (write, writev, pwrite64, send, sendto, sendmsg) wrote, unescaped,
// with a trailing newline removed; nullopt for other lines. Traced servers write their own log
// lines this way, which makes them clues (time) and evidence (messages).
std::optional<std::string> written_text(std::string_view strace_line);
// Whether a decoded line is a call that writes text out (a write-family call, not its
// resumption): the lines written_text() can read, and the events the parse flags kFlagWritesText.
bool writes_text(const StraceRecord& r);
// Linux errno names <-> numbers (includes the kernel-internal ERESTART* codes strace shows).
uint16_t errno_from_name(std::string_view name);
std::string_view errno_name(uint16_t number);

class StraceParser final : public Parser {
 public:
  std::string_view format() const override { return "strace"; }
  bool matches(std::string_view line) const override;
  int specificity() const override { return 15; }
  bool pid_in_file_name() const override { return true; }
  void parse_chunk(const Source& source, size_t begin, size_t end, ParsedChunk& out) const override;
  void stitch(Source& source, const std::vector<ParsedChunk>& chunks, const std::vector<size_t>& first_event) const override;
  bool decode(const Source& source, std::string_view text, Record& out) const override;
};

// Record fields of one strace line (parsers/strace_record.cpp): the call, its errno, the first
// path argument, a socket address as "host:port" or a unix socket path, the descriptor, -T's
// duration, the signal delivered or that killed the process, the exit status. A successful
// getsockopt(..., SO_ERROR, [ECONNREFUSED], ...) reports the pending error of a non-blocking
// connect: its errno is the record's errno.
bool fill_strace_record(const StraceRecord& r, Record& out);
// The errno a getsockopt(SO_ERROR) call reports, empty for other calls or no error.
std::string_view socket_error_of(const StraceRecord& r);

}  // namespace hindcast
