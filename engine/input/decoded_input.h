// Inputs that are not plain text on disk: compressed rotations (.gz, .xz, .zst) and binary
// systemd journal files. Each is recognised by its magic bytes (never its name) and decoded as a
// stream into a file descriptor (read_file.cpp's unlinked temporary file, then mapped), so the
// text of a large input lives in the page cache, not in anonymous memory.
//
//   const InputKind k = input_kind(first_bytes);
//   DecodeOutcome o = decode_xz(in_fd, out_fd, limit);  // read_file.cpp's bound, the one .gz has
//   if (!o.ok) fail(o.warning); else if (!o.warning.empty()) report(o.warning);  // kept, reported
//
// Bounds: every decoder stops at the limit it is given (read_file.cpp: a multiple of the compressed
// size, the free temporary space, what an event's offset can address) and, early, as soon as what
// it has written passes kMinDecodeBound and more than kMaxDecodeRatio times the compressed bytes
// it has read so far: a bomb is stopped after a few hundred MB however large it claims to be, not
// at a bound of the whole file (10 GB of zeros in 47 MB of `gzip -1` had a bound of 4.7 GB).
// Damage is never fatal: what was decoded before it is used, and the warning says what was lost.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace hindcast {

// Text logs compress 5-20x, rarely 50x; a very repetitive small file may expand more, hence the floor.
inline constexpr uint64_t kMaxDecodeRatio = 100;
inline constexpr uint64_t kMinDecodeBound = uint64_t{256} << 20;

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

// Streams the decompressed bytes of `in_fd` (gzip: every member, as zcat; xz: every concatenated
// stream; zstd: every frame) into `out_fd`. A gzip member whose CRC-32 or length check fails keeps
// everything it decompressed, as zcat does, and the warning counts such members and their bytes
// (inflate delivers a member's last bytes before it reads the trailer that fails); bytes after the
// last member that do not start another are named in the warning (zcat: "trailing garbage
// ignored"), zero padding is not.
DecodeOutcome decode_gzip(int in_fd, int out_fd, uint64_t limit);
DecodeOutcome decode_xz(int in_fd, int out_fd, uint64_t limit);
DecodeOutcome decode_zstd(int in_fd, int out_fd, uint64_t limit);

// A systemd journal file read with libsystemd's sd-journal API, written as one line of
// `journalctl -o json` text per entry, in the file's entry order (so a line number is the entry's
// ordinal in the file: stable across runs; the line carries __CURSOR and __SEQNUM too). Entries
// sd-journal cannot read (a damaged or truncated file) are counted against the header's entry
// count and reported; a file it refuses to open at all is salvaged by walking its objects.
DecodeOutcome decode_journal(const std::string& path, int out_fd, uint64_t limit);

}  // namespace hindcast
