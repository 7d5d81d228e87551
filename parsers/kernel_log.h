// The kernel's ring buffer as `dmesg` prints it (kern.log written by rsyslog is syslog and read
// by the syslog parser, program "kernel"):
//   [12345.678901] Out of memory: Killed process 4321 (php-fpm8.2) total-vm:..., anon-rss:...
//   [Fri Jan  5 10:00:00 2024] EXT4-fs error (device sda1): ext4_find_entry:1579: inode #2: comm nginx: reading directory lblock 0
//   <3>[12345.678901] Buffer I/O error on dev sda1, logical block 0, async page read      (dmesg -r)
//   kern  :err   : [12345.678901] php-fpm8.2[4321]: segfault at 0 ip ... error 4 in libc.so.6  (dmesg -x)
// `dmesg -T` stamps are local wall time (ctime layout, no zone); the plain "[seconds.micro]"
// stamp counts seconds since boot: such a file stays in order but off the UTC timeline until a
// boot time anchors it (kRelative; see docs/formats.md). Severity: the <N> or facility:level
// prefix when present, else from the words the kernel uses (Out of memory, segfault, error,
// I/O error, Remounting filesystem read-only, No space left).
#pragma once
#include <string_view>

#include "parsers/line_format.h"

namespace hindcast {

struct DmesgFormat {
  static constexpr std::string_view kName = "dmesg";
  static constexpr int kSpecificity = 15;
  static constexpr Unmatched kUnmatched = Unmatched::kIndentedContinuation;  // the kernel's own continuation lines
  static constexpr const char* kUnmatchedReason = "not a dmesg line";
  struct Line {
    Stamp stamp;
    int priority = -1;  // <N> or the level of "facility:level :"
    std::string_view level;
    std::string_view message;
  };
  static bool split(std::string_view line, Line* out, bool* invalid_time);
  static void event(const Line& l, Event& e);
  static void record(const Source& source, std::string_view text, const Line& l, Record& out);
};
extern template class LineFormatParser<DmesgFormat>;
using DmesgParser = LineFormatParser<DmesgFormat>;

}  // namespace hindcast
