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

#include "parsers/parser.h"

namespace hindcast {

class DmesgParser final : public Parser {
 public:
  std::string_view format() const override { return "dmesg"; }
  bool matches(std::string_view line) const override;
  int specificity() const override { return 15; }
  void parse_chunk(const Source& source, size_t begin, size_t end, ParsedChunk& out) const override;
  bool decode(const Source& source, std::string_view text, Record& out) const override;
};

}  // namespace hindcast
