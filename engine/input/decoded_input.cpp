#include "engine/input/decoded_input.h"

#include <lzma.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

namespace hindcast {
namespace {

constexpr size_t kBuffer = 1 << 20;

// Buffered writes to the output descriptor, stopping at the limit.
class Sink {
 public:
  Sink(int fd, uint64_t limit) : fd_(fd), limit_(limit), buf_(new char[kBuffer]) {}
  // False when the limit was reached (what fits is kept) or a write failed.
  bool put(const char* p, size_t n) {
    if (failed_ || limited_) return false;
    if (total_ + n > limit_) {
      n = static_cast<size_t>(limit_ - total_);
      limited_ = true;
    }
    while (n > 0) {
      const size_t k = std::min(n, kBuffer - used_);
      std::memcpy(buf_.get() + used_, p, k);
      used_ += k;
      total_ += k;
      p += k;
      n -= k;
      if (used_ == kBuffer && !flush()) return false;
    }
    return !limited_;
  }
  bool put(std::string_view s) { return put(s.data(), s.size()); }
  bool flush() {
    size_t off = 0;
    while (off < used_) {
      const ssize_t w = ::write(fd_, buf_.get() + off, used_ - off);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) {
        failed_ = true;
        error_ = std::strerror(errno);
        return false;
      }
      off += static_cast<size_t>(w);
    }
    used_ = 0;
    return true;
  }
  uint64_t total() const { return total_; }
  bool failed() const { return failed_; }
  bool limited() const { return limited_; }
  const std::string& error() const { return error_; }

 private:
  int fd_;
  uint64_t limit_;
  std::unique_ptr<char[]> buf_;
  size_t used_ = 0;
  uint64_t total_ = 0;
  bool failed_ = false, limited_ = false;
  std::string error_;
};

ssize_t read_some(int fd, void* p, size_t n) {
  while (true) {
    const ssize_t r = ::read(fd, p, n);
    if (r < 0 && errno == EINTR) continue;
    return r;
  }
}

std::string limit_warning(uint64_t limit) {
  return "decoding stopped at the limit of " + std::to_string(limit) +
         " bytes (the bound .gz has: a multiple of the compressed size and the free temporary space; a decompression bomb?); "
         "the part before it is used";
}

// The outcome once the sink is done: a failed write loses everything, a limit keeps the part read.
DecodeOutcome finish(Sink& sink, std::string damage, uint64_t limit) {
  DecodeOutcome o;
  sink.flush();
  o.bytes = sink.total();
  if (sink.failed()) {
    o.ok = false;
    o.warning = "writing decompressed data: " + sink.error();
  } else if (sink.limited()) {
    o.warning = limit_warning(limit);
  } else if (!damage.empty()) {
    o.warning = std::move(damage);
  }
  return o;
}

}  // namespace

InputKind input_kind(std::string_view b) {
  if (b.size() >= 2 && b[0] == '\x1f' && b[1] == '\x8b') return InputKind::kGzip;
  if (b.size() >= 6 && b.substr(0, 6) == std::string_view("\xFD" "7zXZ\0", 6)) return InputKind::kXz;
  if (b.size() >= 4 && b.substr(0, 4) == "\x28\xB5\x2F\xFD") return InputKind::kZstd;
  if (b.size() >= 8 && b.substr(0, 8) == "LPKSHHRH") return InputKind::kJournal;
  return InputKind::kPlain;
}

std::string_view input_kind_name(InputKind k) {
  switch (k) {
    case InputKind::kGzip: return "gzip";
    case InputKind::kXz: return "xz";
    case InputKind::kZstd: return "zstd";
    case InputKind::kJournal: return "journal";
    case InputKind::kPlain: return "";
  }
  return "";
}

DecodeOutcome decode_xz(int in_fd, int out_fd, uint64_t limit) {
  lzma_stream strm = LZMA_STREAM_INIT;
  if (lzma_stream_decoder(&strm, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
    return DecodeOutcome{false, 0, "cannot start the xz decoder"};
  Sink sink(out_fd, limit);
  std::unique_ptr<uint8_t[]> in(new uint8_t[kBuffer]), out(new uint8_t[kBuffer]);
  lzma_action action = LZMA_RUN;
  std::string damage;
  while (true) {
    if (strm.avail_in == 0 && action == LZMA_RUN) {
      const ssize_t n = read_some(in_fd, in.get(), kBuffer);
      if (n < 0) {
        damage = std::string("reading the compressed file: ") + std::strerror(errno);
        break;
      }
      strm.next_in = in.get();
      strm.avail_in = static_cast<size_t>(n);
      if (n == 0) action = LZMA_FINISH;
    }
    strm.next_out = out.get();
    strm.avail_out = kBuffer;
    const lzma_ret r = lzma_code(&strm, action);
    if (!sink.put(reinterpret_cast<const char*>(out.get()), kBuffer - strm.avail_out)) break;
    if (r == LZMA_STREAM_END) break;
    if (r != LZMA_OK) {
      damage = "xz data is damaged after " + std::to_string(sink.total()) + " decompressed bytes (" +
               (r == LZMA_BUF_ERROR ? "truncated" : r == LZMA_DATA_ERROR ? "corrupt data" : "lzma error " + std::to_string(r)) +
               "); the part before it is used";
      break;
    }
  }
  lzma_end(&strm);
  return finish(sink, std::move(damage), limit);
}

DecodeOutcome decode_zstd(int in_fd, int out_fd, uint64_t limit) {
  std::unique_ptr<ZSTD_DStream, size_t (*)(ZSTD_DStream*)> ds(ZSTD_createDStream(), ZSTD_freeDStream);
  if (!ds || ZSTD_isError(ZSTD_initDStream(ds.get()))) return DecodeOutcome{false, 0, "cannot start the zstd decoder"};
  Sink sink(out_fd, limit);
  std::unique_ptr<char[]> in(new char[kBuffer]), out(new char[kBuffer]);
  size_t pending = 0;  // 0 after a frame ended cleanly; otherwise the frame is still open
  std::string damage;
  bool any_input = false;
  while (true) {
    const ssize_t n = read_some(in_fd, in.get(), kBuffer);
    if (n < 0) {
      damage = std::string("reading the compressed file: ") + std::strerror(errno);
      break;
    }
    if (n == 0) {
      if (any_input && pending != 0)
        damage = "zstd data is truncated after " + std::to_string(sink.total()) +
                 " decompressed bytes; the part before it is used";
      break;
    }
    any_input = true;
    ZSTD_inBuffer ib{in.get(), static_cast<size_t>(n), 0};
    bool stop = false;
    while (ib.pos < ib.size || pending > 0) {
      ZSTD_outBuffer ob{out.get(), kBuffer, 0};
      const size_t r = ZSTD_decompressStream(ds.get(), &ob, &ib);
      if (ZSTD_isError(r)) {
        damage = "zstd data is damaged after " + std::to_string(sink.total()) + " decompressed bytes (" +
                 ZSTD_getErrorName(r) + "); the part before it is used";
        stop = true;
        break;
      }
      if (!sink.put(out.get(), ob.pos)) {
        stop = true;
        break;
      }
      pending = r;
      if (ib.pos == ib.size && ob.pos < ob.size) break;  // needs more input
    }
    if (stop) break;
  }
  return finish(sink, std::move(damage), limit);
}

}  // namespace hindcast
