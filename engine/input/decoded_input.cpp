#include "engine/input/decoded_input.h"

#include <lzma.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

namespace hindcast {
namespace {

constexpr size_t kBuffer = 1 << 20;

// Buffered writes to the output descriptor, stopping at the limit, or early at the ratio bound
// (kMaxDecodeRatio times the compressed bytes read so far, once past kMinDecodeBound).
class Sink {
 public:
  Sink(int fd, uint64_t limit) : fd_(fd), limit_(limit), buf_(new char[kBuffer]) {}
  // The compressed bytes the decoder has read so far, before it puts what they gave.
  void consumed(uint64_t n) { consumed_ = n; }
  // False when a bound was reached (what fits is kept) or a write failed.
  bool put(const char* p, size_t n) {
    if (failed_ || limited_) return false;
    const uint64_t by_ratio = std::max(kMinDecodeBound, consumed_ * kMaxDecodeRatio);
    const uint64_t bound = std::min(limit_, by_ratio);
    if (total_ + n > bound) {
      n = static_cast<size_t>(bound > total_ ? bound - total_ : 0);
      limited_ = true;
      by_ratio_ = by_ratio < limit_;
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
  bool limited_by_ratio() const { return by_ratio_; }
  uint64_t consumed() const { return consumed_; }
  const std::string& error() const { return error_; }

 private:
  int fd_;
  uint64_t limit_;
  uint64_t consumed_ = 0;
  bool by_ratio_ = false;
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

std::string limit_warning(const Sink& sink, uint64_t limit, std::string_view kind) {
  const std::string why =
      sink.limited_by_ratio()
          ? "the output passed " + std::to_string(kMaxDecodeRatio) + " times the " + std::to_string(sink.consumed()) +
                " compressed bytes read"
          : "the bound of " + std::to_string(limit) + " bytes (" + std::to_string(kMaxDecodeRatio) +
                " times the compressed size, at most half the free temporary space)";
  return "decompression stopped after " + std::to_string(sink.total()) + " bytes: " + why + " (a " +
         std::string(kind) + " bomb?); the part before it is used";
}

// The outcome once the sink is done: a failed write loses everything, a limit keeps the part read.
DecodeOutcome finish(Sink& sink, std::string damage, uint64_t limit, std::string_view kind) {
  DecodeOutcome o;
  sink.flush();
  o.bytes = sink.total();
  if (sink.failed()) {
    o.ok = false;
    o.warning = "writing decompressed data: " + sink.error();
  } else if (sink.limited()) {
    o.warning = limit_warning(sink, limit, kind);
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

namespace {

// The bytes left in `in_fd` after `have` (already read, `n` bytes): how many, and whether any is
// not zero.
uint64_t count_rest(int in_fd, const unsigned char* have, size_t n, bool* nonzero) {
  uint64_t count = n;
  *nonzero = std::any_of(have, have + n, [](unsigned char b) { return b != 0; });
  std::unique_ptr<unsigned char[]> buf(new unsigned char[kBuffer]);
  for (ssize_t k; (k = read_some(in_fd, buf.get(), kBuffer)) > 0;) {
    count += static_cast<uint64_t>(k);
    *nonzero = *nonzero || std::any_of(buf.get(), buf.get() + k, [](unsigned char b) { return b != 0; });
  }
  return count;
}

}  // namespace

DecodeOutcome decode_gzip(int in_fd, int out_fd, uint64_t limit) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) return DecodeOutcome{false, 0, "cannot start the gzip decoder"};
  Sink sink(out_fd, limit);
  std::unique_ptr<unsigned char[]> in(new unsigned char[kBuffer]), out(new unsigned char[kBuffer]);
  uint64_t read_total = 0;               // compressed bytes read from in_fd
  uint64_t members = 0, member_in = 0;   // members ended; where the open one starts (input offset)
  uint64_t member_out = 0;               // the open member's first decompressed byte
  uint64_t failed_checks = 0, failed_check_bytes = 0;
  uint64_t skip = 0;  // trailer bytes of a member whose CRC failed that inflate did not read
  bool in_member = false;
  std::vector<std::string> notes;
  while (true) {
    if (skip > 0 && z.avail_in > 0) {
      const uInt k = static_cast<uInt>(std::min<uint64_t>(skip, z.avail_in));
      z.next_in += k;
      z.avail_in -= k;
      skip -= k;
    }
    if (z.avail_in == 0) {
      const ssize_t n = read_some(in_fd, in.get(), kBuffer);
      if (n < 0) {
        notes.push_back(std::string("reading the compressed file: ") + std::strerror(errno));
        break;
      }
      if (n == 0) {
        if (skip > 0 || (in_member && read_total > member_in))
          notes.push_back("gzip data is damaged after " + std::to_string(sink.total()) +
                          " decompressed bytes (unexpected end of file); the part before it is used");
        break;
      }
      read_total += static_cast<uint64_t>(n);
      z.next_in = in.get();
      z.avail_in = static_cast<uInt>(n);
      continue;
    }
    if (!in_member) {
      if (members > 0 && z.next_in[0] != 0x1f) {  // not another member: what follows the gzip data
        bool nonzero = false;
        const uint64_t rest = count_rest(in_fd, z.next_in, z.avail_in, &nonzero);
        if (nonzero)  // zero padding (a tape's, a preallocated file's) says nothing; gzip ignores it too
          notes.push_back(std::to_string(rest) + " bytes after the end of the gzip data are not gzip and are ignored");
        break;
      }
      in_member = true;
      member_in = read_total - z.avail_in;
      member_out = sink.total();
    }
    z.next_out = out.get();
    z.avail_out = static_cast<uInt>(kBuffer);
    const int r = inflate(&z, Z_NO_FLUSH);
    sink.consumed(read_total - z.avail_in);
    if (!sink.put(reinterpret_cast<const char*>(out.get()), kBuffer - z.avail_out)) break;
    if (r == Z_OK || r == Z_BUF_ERROR) continue;  // Z_BUF_ERROR: no input left, read more
    const std::string_view msg = z.msg ? z.msg : "";
    const bool data_check = r == Z_DATA_ERROR && msg == "incorrect data check";
    if (r == Z_STREAM_END || data_check || (r == Z_DATA_ERROR && msg == "incorrect length check")) {
      // The member's every byte was delivered before its trailer was read: a failed check keeps
      // them (zcat writes them too) and says so.
      if (r != Z_STREAM_END) {
        ++failed_checks;
        failed_check_bytes += sink.total() - member_out;
        if (data_check) skip = 4;  // inflate stops after the CRC, before the length
      }
      ++members;
      in_member = false;
      inflateReset(&z);
      continue;
    }
    notes.push_back("gzip data is damaged after " + std::to_string(sink.total()) + " decompressed bytes (" +
                    (msg.empty() ? "zlib error " + std::to_string(r) : std::string(msg)) +
                    "); the part before it is used");
    break;
  }
  inflateEnd(&z);
  if (failed_checks > 0)
    notes.insert(notes.begin(), std::to_string(failed_checks) + " gzip member" + (failed_checks == 1 ? "" : "s") +
                                    " failed " + (failed_checks == 1 ? "its" : "their") + " checksum; " +
                                    (failed_checks == 1 ? "its " : "their ") + std::to_string(failed_check_bytes) +
                                    " decompressed bytes are kept (as zcat keeps them) and may be damaged");
  std::string joined;
  for (const std::string& n : notes) joined += (joined.empty() ? "" : "; ") + n;
  return finish(sink, std::move(joined), limit, "gzip");
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
    sink.consumed(strm.total_in);
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
  return finish(sink, std::move(damage), limit, "xz");
}

DecodeOutcome decode_zstd(int in_fd, int out_fd, uint64_t limit) {
  std::unique_ptr<ZSTD_DStream, size_t (*)(ZSTD_DStream*)> ds(ZSTD_createDStream(), ZSTD_freeDStream);
  if (!ds || ZSTD_isError(ZSTD_initDStream(ds.get()))) return DecodeOutcome{false, 0, "cannot start the zstd decoder"};
  Sink sink(out_fd, limit);
  std::unique_ptr<char[]> in(new char[kBuffer]), out(new char[kBuffer]);
  size_t pending = 0;  // 0 after a frame ended cleanly; otherwise the frame is still open
  std::string damage;
  bool any_input = false;
  uint64_t read_before = 0;  // compressed bytes of the buffers before this one
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
      sink.consumed(read_before + ib.pos);
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
    read_before += static_cast<uint64_t>(n);
  }
  return finish(sink, std::move(damage), limit, "zstd");
}

}  // namespace hindcast
