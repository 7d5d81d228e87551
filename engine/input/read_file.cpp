#include "engine/input/read_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace hindcast {
namespace {

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

std::string errno_text() { return std::strerror(errno); }

// Grows a buffer geometrically; the final SourceText owns exactly what was read.
struct Buffer {
  std::unique_ptr<char[]> data;
  size_t size = 0, capacity = 0;
  void reserve(size_t want) {
    if (want <= capacity) return;
    size_t cap = capacity ? capacity : 64 * 1024;
    while (cap < want) cap *= 2;
    auto fresh = std::make_unique_for_overwrite<char[]>(cap);
    if (size) std::memcpy(fresh.get(), data.get(), size);
    data = std::move(fresh);
    capacity = cap;
  }
  SourceText release() {
    reserve(size + SourceText::kPadding);
    std::memset(data.get() + size, 0, SourceText::kPadding);
    return SourceText{std::move(data), size};
  }
};

Result<FileContents> read_gzip(const std::string& path, FileContents out) {
  gzFile gz = gzopen(path.c_str(), "rb");
  if (!gz) return make_error(ErrorCode::kUnreadable, path + ": cannot open gzip stream");
  gzbuffer(gz, 256 * 1024);
  Buffer buf;
  while (true) {
    buf.reserve(buf.size + 1024 * 1024);
    const unsigned want = static_cast<unsigned>(std::min<size_t>(buf.capacity - buf.size, 1u << 30));
    const int n = gzread(gz, buf.data.get() + buf.size, want);
    if (n > 0) {
      buf.size += static_cast<size_t>(n);
      continue;
    }
    // End of input: clean, or a truncated / corrupt stream (zlib reports Z_BUF_ERROR for a
    // file cut short, with everything before the cut already delivered).
    int err = Z_OK;
    const char* msg = gzerror(gz, &err);
    if (n < 0 || err != Z_OK)
      out.warning = "gzip data is damaged after " + std::to_string(buf.size) + " decompressed bytes (" +
                    (msg && *msg ? msg : "zlib error") + "); the part before it is used";
    break;
  }
  gzclose(gz);
  out.compressed = true;
  out.text = buf.release();
  return out;
}

}  // namespace

Result<FileContents> read_log_file(const std::string& path) {
  Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (f.fd < 0) return make_error(errno == ENOENT ? ErrorCode::kNotFound : ErrorCode::kUnreadable,
                                  path + ": " + errno_text());
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) return make_error(ErrorCode::kUnreadable, path + ": " + errno_text());
  if (!S_ISREG(st.st_mode)) return make_error(ErrorCode::kUnreadable, path + ": not a regular file");
  FileContents out;
  out.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;

  unsigned char magic[2] = {0, 0};
  const ssize_t m = ::pread(f.fd, magic, 2, 0);
  if (m < 0) return make_error(ErrorCode::kUnreadable, path + ": " + errno_text());
  if (m == 2 && magic[0] == 0x1f && magic[1] == 0x8b) return read_gzip(path, std::move(out));

  Buffer buf;
  buf.reserve(static_cast<size_t>(st.st_size) + SourceText::kPadding + 1);
  while (true) {
    if (buf.size + SourceText::kPadding >= buf.capacity) buf.reserve(buf.capacity * 2);  // the file grew while read
    const ssize_t n = ::read(f.fd, buf.data.get() + buf.size, buf.capacity - buf.size - SourceText::kPadding);
    if (n < 0) {
      if (errno == EINTR) continue;
      return make_error(ErrorCode::kUnreadable, path + ": " + errno_text());
    }
    if (n == 0) break;
    buf.size += static_cast<size_t>(n);
  }
  out.text = buf.release();
  return out;
}

}  // namespace hindcast
