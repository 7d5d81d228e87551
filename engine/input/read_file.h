// Opens one log file for reading: plain files are mapped read-only (the text stays in the page
// cache; anonymous memory grows with events, not bytes); `.gz`, `.xz` and `.zst` files and binary
// systemd journal files (detected by their magic bytes, not their name; see decoded_input.h) are
// decoded as a stream into an unlinked temporary file that is mapped the same way. Files that are
// not logs (empty, binary records: see not_a_log.h) are not mapped at all. A file truncated while mapped does not crash the run (no SIGBUS): the
// vanished pages read as zeros and truncation_warning() says so.
#pragma once
#include <string>

#include "engine/core/error.h"
#include "engine/core/source.h"

namespace hindcast {

struct FileContents {
  SourceText text;
  bool compressed = false;
  std::string compression;  // "gzip", "xz", "zstd", "journal" (decoded from binary); empty for plain text
  std::string not_a_log;    // why the file is not a log (then `text` is empty); empty when it may be one
  int64_t mtime_ns = 0;
  std::string warning;  // e.g. a truncated .gz: what was read is kept, the rest is reported
  // NUL bytes before the text, not read (a copytruncate rotation's hole; see read_file.cpp).
  uint64_t nul_bytes_skipped = 0;
  int mapping_slot = -1;
  size_t mapped_size = 0;
};

Result<FileContents> read_log_file(const std::string& path);

// After parsing: a warning if the file shrank while it was read (empty if not).
std::string truncation_warning(const std::string& path, int mapping_slot, size_t mapped_size);

}  // namespace hindcast
