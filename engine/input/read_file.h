// Reads one log file into memory: plain files with read(2), `.gz` files (detected by their
// magic bytes, not their name) streamed through zlib. read(2) rather than mmap so that a file
// truncated while we read it yields a short read, never a SIGBUS.
#pragma once
#include <string>

#include "engine/core/error.h"
#include "engine/core/source.h"

namespace hindcast {

struct FileContents {
  SourceText text;
  bool compressed = false;
  int64_t mtime_ns = 0;
  std::string warning;  // e.g. a truncated .gz: what was read is kept, the rest is reported
};

Result<FileContents> read_log_file(const std::string& path);

}  // namespace hindcast
