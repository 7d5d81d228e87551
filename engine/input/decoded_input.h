// Inputs that are not plain text on disk: compressed rotations (.gz, .xz, .zst) and binary
// systemd journal files. Each is recognised by its magic bytes (never its name) and decoded as a
// stream into a file descriptor (read_file.cpp's unlinked temporary file, then mapped), so the
// text of a large input lives in the page cache, not in anonymous memory.
//
//   const InputKind k = input_kind(first_bytes);
//   DecodeOutcome o = decode_xz(in_fd, out_fd, decompression_limit(compressed_size));
//   if (!o.ok) fail(o.warning); else if (!o.warning.empty()) report(o.warning);  // kept, reported
//
// Bounds: every decoder stops at decompression_limit() and reports it (a decompression bomb, or a
// rotation far larger than anything a log rotation produces, is not read whole). Damage is never
// fatal: what was decoded before it is used, and the warning says what was lost.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace hindcast {

enum class InputKind { kPlain, kGzip, kXz, kZstd, kJournal };

// From the first (up to 8) bytes of the file.
InputKind input_kind(std::string_view first_bytes);
// "gzip", "xz", "zstd", "journal"; empty for plain text.
std::string_view input_kind_name(InputKind k);

// The most decoded bytes read from one input of `compressed_size` bytes: 1024 times its size, at
// least 256 MiB, at most 1 TiB (what an event's 40-bit offset can address).
uint64_t decompression_limit(uint64_t compressed_size);

struct DecodeOutcome {
  bool ok = true;          // false: nothing usable (cannot start the decoder, cannot write)
  uint64_t bytes = 0;      // decoded bytes written to out_fd
  std::string warning;     // damage, truncation or the limit: what was lost; empty when clean
};

// Streams the decompressed bytes of `in_fd` (xz: every concatenated stream; zstd: every frame)
// into `out_fd`.
DecodeOutcome decode_xz(int in_fd, int out_fd, uint64_t limit);
DecodeOutcome decode_zstd(int in_fd, int out_fd, uint64_t limit);

// A systemd journal file read with libsystemd's sd-journal API, written as one line of
// `journalctl -o json` text per entry, in the file's entry order (so a line number is the entry's
// ordinal in the file: stable across runs; the line carries __CURSOR and __SEQNUM too). Entries
// sd-journal cannot read (a damaged or truncated file) are counted against the header's entry
// count and reported; a file it refuses to open at all is salvaged by walking its objects.
DecodeOutcome decode_journal(const std::string& path, int out_fd, uint64_t limit);

}  // namespace hindcast
