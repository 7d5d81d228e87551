// Inputs that are not plain text on disk: compressed rotations (.gz, .xz, .zst) and binary
// systemd journal files. Each is recognised by its magic bytes (never its name) and decoded as a
// stream into a file descriptor (read_file.cpp's unlinked temporary file, then mapped), so the
// text of a large input lives in the page cache, not in anonymous memory.
//
//   const InputKind k = input_kind(first_bytes);
//   DecodeOutcome o = decode_xz(in_fd, out_fd, limit);  // read_file.cpp's bound, the one .gz has
//   if (!o.ok) fail(o.warning); else if (!o.warning.empty()) report(o.warning);  // kept, reported
//
// Bounds: every decoder stops at the limit it is given and reports it; read_file.cpp gives every
// input the bound .gz has (a multiple of the compressed size, the free temporary space, what an
// event's offset can address), so a decompression bomb is not read whole. Damage is never
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
