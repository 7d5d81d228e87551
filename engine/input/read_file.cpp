#include "engine/input/read_file.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sys/statvfs.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <limits>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>

#include "engine/input/decoded_input.h"
#include "engine/input/not_a_log.h"
#include "engine/input/text_encoding.h"

namespace hindcast {
namespace {

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

std::string errno_text() { return std::strerror(errno); }

size_t page_size() {
  static const size_t p = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  return p;
}

// --- Mapped files that may shrink while we read them -------------------------------------
//
// A page of a mapped file that no longer exists (the file was truncated) raises SIGBUS when
// touched. The handler below puts a private zero page in its place and lets the read go on:
// the lost tail reads as NUL bytes, and truncation_warning() reports the loss. Only addresses inside our own mappings
// are handled; any other SIGBUS gets the default action.

// One slot per source that can be open at once: ingest reads at most 65535 files (Event::source
// is 16 bits). A mapping that finds no free slot (other users of this process) is read into
// memory instead of mapped, so no SIGBUS can reach it.
constexpr size_t kMaxMappings = 65536;
static_assert(kMaxMappings > std::numeric_limits<uint16_t>::max());
std::atomic<uintptr_t> g_map_begin[kMaxMappings];
std::atomic<uintptr_t> g_map_end[kMaxMappings];
std::atomic<bool> g_zero_filled[kMaxMappings];

std::atomic<size_t> g_next_slot{0};

int register_mapping(uintptr_t begin, uintptr_t end) {
  // From where the last search ended: thousands of files must not each scan the slots before.
  const size_t start = g_next_slot.load(std::memory_order_relaxed);
  for (size_t k = 0; k < kMaxMappings; ++k) {
    const size_t i = (start + k) % kMaxMappings;
    uintptr_t expected = 0;
    if (g_map_begin[i].compare_exchange_strong(expected, begin)) {
      g_map_end[i].store(end);
      g_zero_filled[i].store(false);
      g_next_slot.store(i + 1, std::memory_order_relaxed);
      return static_cast<int>(i);
    }
  }
  return -1;
}

void unregister_mapping(int slot) {
  if (slot < 0) return;
  g_map_end[slot].store(0);
  g_map_begin[slot].store(0);
}

void on_sigbus(int sig, siginfo_t* info, void*) {
  const auto addr = reinterpret_cast<uintptr_t>(info->si_addr);
  for (size_t i = 0; i < kMaxMappings; ++i) {
    const uintptr_t b = g_map_begin[i].load(std::memory_order_relaxed);
    if (b && addr >= b && addr < g_map_end[i].load(std::memory_order_relaxed)) {
      const uintptr_t page = addr & ~(static_cast<uintptr_t>(page_size()) - 1);
      // mmap is a plain system call on Linux; used here only to replace the vanished page.
      if (::mmap(reinterpret_cast<void*>(page), page_size(), PROT_READ, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1,
                 0) != MAP_FAILED) {
        g_zero_filled[i].store(true, std::memory_order_relaxed);
        return;
      }
    }
  }
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

void install_sigbus_handler() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa {};
    sa.sa_sigaction = on_sigbus;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGBUS, &sa, nullptr);
  });
}

// --- How many memory mappings the texts may hold ----------------------------------------
//
// The kernel gives a process at most vm.max_map_count mappings (65,530 by default), and a mapped
// file holds two (the file and the padding after it). Past the limit every mmap fails: malloc
// cannot grow, a thread cannot get its stack, and glibc aborts ("failed to register TLS
// destructor"). So the texts of one run hold at most the limit less a reserve for everything
// else, files under kMapFrom are read into the heap (no mapping of their own: a run of 60,000
// small files maps none), and a larger file that finds no room in the budget is read into memory
// too, which costs one mapping (a large allocation is one), or is refused when even that is gone.
constexpr size_t kMapFrom = size_t{64} << 10;
constexpr size_t kLargeAllocation = size_t{128} << 10;  // malloc maps blocks from about this size

long mapping_budget() {
  static const long budget = [] {
    long limit = 65530;
    if (FILE* f = std::fopen("/proc/sys/vm/max_map_count", "r")) {
      long v = 0;
      if (std::fscanf(f, "%ld", &v) == 1 && v > 0) limit = v;
      std::fclose(f);
    }
    return limit - std::max<long>(8192, limit / 4);
  }();
  return budget;
}

std::atomic<long> g_text_mappings{0};

bool take_mappings(long n) {
  if (g_text_mappings.fetch_add(n) + n > mapping_budget()) {
    g_text_mappings.fetch_sub(n);
    return false;
  }
  return true;
}
void give_back_mappings(long n) { g_text_mappings.fetch_sub(n); }

// `size` bytes of `fd` from `offset` copied into memory (with the zero padding): small files, and
// files that cannot be mapped. A file that shrank meanwhile reads as zeros past its new end, as a
// mapped one does, and *shrank says so.
Result<SourceText> read_into_memory(int fd, uint64_t offset, size_t size, const std::string& path, bool* shrank) {
  const long mappings = size + SourceText::kPadding >= kLargeAllocation ? 1 : 0;
  if (mappings && !take_mappings(mappings))
    return make_error(ErrorCode::kUnreadable, path + ": not read: the texts already read hold all the memory mappings "
                                                     "this process may have (vm.max_map_count)");
  std::unique_ptr<char[]> buf(new (std::nothrow) char[size + SourceText::kPadding]());
  if (!buf) {
    give_back_mappings(mappings);
    return make_error(ErrorCode::kUnreadable, path + ": not enough memory to read " + std::to_string(size) + " bytes");
  }
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::pread(fd, buf.get() + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      give_back_mappings(mappings);
      return make_error(ErrorCode::kUnreadable, path + ": " + errno_text());
    }
    if (n == 0) break;  // shrank: the rest stays zero
    done += static_cast<size_t>(n);
  }
  *shrank = done < size;
  auto deleter = [mappings](const char* p) {
    delete[] p;
    give_back_mappings(mappings);
  };
  return SourceText{std::shared_ptr<const char>(buf.release(), deleter), size};
}

// A descriptor of a mapped file kept open for the parse's windows (parsers/text_windows.h):
// pread() copies the page cache without touching the mapping, where process_vm_readv() of the
// mapping fills its page tables first, which on this project's VM neither costs little nor scales
// with threads (734 MB, one pass: 0.039 s by pread on 1 thread, 0.022 on 2; 0.055 and 0.043 by
// process_vm_readv). Small files are not worth a descriptor, and a run of thousands of files
// must not exhaust the process's limit: at most a quarter of it is kept, and never over 4096.
constexpr size_t kKeepDescriptorFrom = size_t{1} << 20;
std::atomic<int> g_descriptors_kept{0};

int descriptor_budget() {
  static const int budget = [] {
    rlimit r{};
    if (::getrlimit(RLIMIT_NOFILE, &r) != 0 || r.rlim_cur == RLIM_INFINITY) return 4096;
    return static_cast<int>(std::clamp<rlim_t>(r.rlim_cur / 4, 0, 4096));
  }();
  return budget;
}

int keep_descriptor(int fd, size_t size) {
  if (size < kKeepDescriptorFrom) return -1;
  if (g_descriptors_kept.fetch_add(1) >= descriptor_budget()) {
    g_descriptors_kept.fetch_sub(1);
    return -1;
  }
  const int kept = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (kept < 0) g_descriptors_kept.fetch_sub(1);
  return kept;
}

void release_descriptor(int fd) {
  if (fd < 0) return;
  ::close(fd);
  g_descriptors_kept.fetch_sub(1);
}

// Maps `size` bytes of `fd` from `offset` read-only, followed by zero padding: an anonymous
// reservation, with the file mapped over its start (from the page that holds `offset`).
Result<SourceText> map_file(int fd, uint64_t offset, size_t size, const std::string& path, int* slot_out) {
  install_sigbus_handler();
  *slot_out = -1;
  const size_t skip = static_cast<size_t>(offset % page_size());
  const uint64_t from = offset - skip;
  const size_t total = (skip + size + SourceText::kPadding + page_size() - 1) / page_size() * page_size();
  void* base = ::mmap(nullptr, total, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (base == MAP_FAILED) return make_error(ErrorCode::kUnreadable, path + ": cannot map: " + errno_text());
  const int slot = register_mapping(reinterpret_cast<uintptr_t>(base), reinterpret_cast<uintptr_t>(base) + skip + size);
  if (slot < 0) {  // no slot to catch a SIGBUS: never map the file unprotected
    ::munmap(base, total);
    return make_error(ErrorCode::kUnreadable, path + ": no mapping slot");
  }
  // Not populated, not read in place by the parse: it copies windows of it (parsers/text_windows.h),
  // and only the records the analysis cites touch the mapping.
  if (::mmap(base, skip + size, PROT_READ, MAP_FIXED | MAP_PRIVATE, fd, static_cast<off_t>(from)) == MAP_FAILED) {
    const std::string err = errno_text();
    unregister_mapping(slot);
    ::munmap(base, total);
    return make_error(ErrorCode::kUnreadable, path + ": cannot map: " + err);
  }
  ::madvise(base, skip + size, MADV_SEQUENTIAL);
  *slot_out = slot;
  const int kept = keep_descriptor(fd, size);
  auto deleter = [base, total, slot, kept](const char*) {
    unregister_mapping(slot);
    ::munmap(base, total);
    release_descriptor(kept);
    give_back_mappings(2);
  };
  SourceText text{std::shared_ptr<const char>(static_cast<const char*>(base) + skip, deleter), size, true, kept};
  text.file_offset = offset;
  return text;
}

// The text of `fd` from `offset`, `size` bytes: mapped when it is large enough to be worth it and
// the budget has room, else read into memory (see kMapFrom). *slot is the mapping's slot (-1 when
// read), *shrank whether a read found the file shorter than `size`.
Result<SourceText> hold_text(int fd, uint64_t offset, size_t size, const std::string& path, int* slot, bool* shrank) {
  *slot = -1;
  *shrank = false;
  if (size >= kMapFrom && take_mappings(2)) {
    auto mapped = map_file(fd, offset, size, path, slot);
    if (mapped) return mapped;
    give_back_mappings(2);  // no slot, or no mapping to be had: read instead
  }
  return read_into_memory(fd, offset, size, path, shrank);
}

std::string shrank_warning(size_t size) {
  return "the file shrank while it was read: of the " + std::to_string(size) +
         " bytes it had, the part that vanished reads as empty (NUL) bytes";
}

// --- Where the text starts ------------------------------------------------------------
//
// Bytes before the first line that are not text: a UTF-8 byte-order mark, and a run of NUL bytes
// (logrotate's copytruncate empties a file while its writer keeps its offset, so the writer's
// next line lands after a hole that reads as NULs: the file "starts with" megabytes of them).
// The text then starts after them, and the NULs are counted (FileContents::nul_bytes_skipped).
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

uint64_t first_non_nul(int fd, uint64_t size) {
  // Holes first (a sparse file's NULs are not even stored), then the bytes.
  const off_t data = ::lseek(fd, 0, SEEK_DATA);
  uint64_t at = data > 0 ? static_cast<uint64_t>(data) : 0;
  char buf[64 << 10];
  while (at < size) {
    const ssize_t n = ::pread(fd, buf, std::min<uint64_t>(sizeof buf, size - at), static_cast<off_t>(at));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return size;
    for (ssize_t i = 0; i < n; ++i)
      if (buf[i] != '\0') return at + static_cast<uint64_t>(i);
    at += static_cast<uint64_t>(n);
  }
  return size;
}

// The offset of the text in `fd` whose first bytes are `head`; *nuls: the NUL bytes before it.
uint64_t text_start(int fd, std::string_view head, uint64_t size, uint64_t* nuls) {
  *nuls = 0;
  if (head.starts_with(kUtf8Bom)) return kUtf8Bom.size();
  if (head.empty() || head[0] != '\0') return 0;
  const uint64_t start = first_non_nul(fd, size);
  *nuls = start;
  return start;
}

// --- compressed files and journals ---------------------------------------------------------
// Decoded into an unlinked temporary file that is then mapped: the text lives in the page cache
// like a plain file's, not in anonymous memory, however large it is. Bounded: a few MB of gzip can
// inflate to tens of GB, so decoding stops at kMaxDecodeRatio times the compressed size (but
// never below kMinDecodeBound), at half the free space of the temporary directory, and at what
// Event::offset can address; the decoders also stop early by the ratio (decoded_input.h).
size_t inflate_limit(size_t compressed_size, int tmp_fd) {
  size_t limit = std::max<size_t>(kMinDecodeBound, compressed_size * kMaxDecodeRatio);
  struct statvfs vfs {};
  if (::fstatvfs(tmp_fd, &vfs) == 0) limit = std::min<size_t>(limit, vfs.f_bavail * vfs.f_frsize / 2);
  return std::min<size_t>(limit, kMaxSourceBytes);
}

// The decoded text in the temporary file `tmp_fd` (`bytes` long) held in `out`, from where its
// text starts (a rotation of a copytruncated log starts with the NULs it was given).
Result<FileContents> hold_decoded(int tmp_fd, uint64_t bytes, const std::string& path, FileContents out) {
  char head[4096];
  const ssize_t m = ::pread(tmp_fd, head, sizeof head, 0);
  const uint64_t start =
      text_start(tmp_fd, std::string_view(head, m > 0 ? static_cast<size_t>(m) : 0), bytes, &out.nul_bytes_skipped);
  int slot = -1;
  bool shrank = false;
  auto text = hold_text(tmp_fd, start, static_cast<size_t>(bytes - start), path, &slot, &shrank);
  if (!text) return std::unexpected(text.error());
  out.text = std::move(*text);
  return out;
}

// .gz, .xz, .zst and journal files, through decoded_input.h.
Result<FileContents> read_decoded(const std::string& path, int fd, uint64_t size, InputKind kind, FileContents out) {
  const char* tmpdir = std::getenv("TMPDIR");
  Fd tmp{::open(tmpdir && *tmpdir ? tmpdir : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600)};
  if (tmp.fd < 0) return make_error(ErrorCode::kUnreadable, path + ": no temporary file for decoding: " + errno_text());
  const uint64_t limit = inflate_limit(static_cast<size_t>(size), tmp.fd);
  const DecodeOutcome o = kind == InputKind::kGzip   ? decode_gzip(fd, tmp.fd, limit)
                          : kind == InputKind::kXz   ? decode_xz(fd, tmp.fd, limit)
                          : kind == InputKind::kZstd ? decode_zstd(fd, tmp.fd, limit)
                                                     : decode_journal(path, tmp.fd, limit);
  if (!o.ok) return make_error(ErrorCode::kUnreadable, path + ": " + o.warning);
  out.warning = o.warning;
  out.compressed = kind != InputKind::kJournal;
  out.compression = std::string(input_kind_name(kind));
  return hold_decoded(tmp.fd, o.bytes, path, std::move(out));
}

// UTF-16 text and lines ending in CR alone, rewritten in memory (text_encoding.h).
Result<FileContents> read_rewritten(int fd, uint64_t size, TextEncoding encoding, const std::string& path,
                                    FileContents out) {
  std::string bytes(static_cast<size_t>(size), '\0');
  size_t got = 0;
  while (got < bytes.size()) {
    const ssize_t k = ::pread(fd, bytes.data() + got, bytes.size() - got, static_cast<off_t>(got));
    if (k < 0) return make_error(ErrorCode::kUnreadable, path + ": " + errno_text());
    if (k == 0) break;  // it shrank meanwhile: what is there is read
    got += static_cast<size_t>(k);
  }
  bytes.resize(got);
  const std::string text = as_utf8_lines(bytes, encoding);
  out.not_a_log = not_a_log_by_bytes(std::string_view(text).substr(0, 4096), text.size());
  if (!out.not_a_log.empty()) return out;
  out.text = SourceText::copy_of(text);
  out.warning = std::string(encoding_note(encoding));
  return out;
}

}  // namespace

Result<FileContents> read_log_file(const std::string& path) {
  // O_NONBLOCK: opening a FIFO without a writer must not wait forever (it is refused below).
  Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)};
  if (f.fd < 0) return make_error(errno == ENOENT ? ErrorCode::kNotFound : ErrorCode::kUnreadable,
                                  path + ": " + errno_text());
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) return make_error(ErrorCode::kUnreadable, path + ": " + errno_text());
  if (!S_ISREG(st.st_mode))
    return make_error(ErrorCode::kUnreadable, path + ": not a regular file (a FIFO, device or socket is never read)");
  if (static_cast<uint64_t>(st.st_size) > kMaxSourceBytes)
    return make_error(ErrorCode::kUnreadable, path + ": larger than 1 TiB, the most one source can address");
  FileContents out;
  // Clamped to the years an instant can have (`touch -d 2300-01-01` is possible on ext4).
  constexpr int64_t kMinSec = kMinInstantNs / kNanosPerSecond + 1, kMaxSec = kMaxInstantNs / kNanosPerSecond - 1;
  const int64_t mtime_s = std::clamp<int64_t>(st.st_mtim.tv_sec, kMinSec, kMaxSec);
  out.mtime_ns = mtime_s * kNanosPerSecond + st.st_mtim.tv_nsec;

  char head[4096];
  const ssize_t m = ::pread(f.fd, head, sizeof head, 0);
  if (m < 0) return make_error(ErrorCode::kUnreadable, path + ": " + errno_text());
  const std::string_view first(head, static_cast<size_t>(m));
  const InputKind kind = input_kind(first);
  if (kind != InputKind::kPlain) return read_decoded(path, f.fd, static_cast<uint64_t>(st.st_size), kind, std::move(out));
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  if (const TextEncoding e = text_encoding(first); e != TextEncoding::kAsIs)
    return read_rewritten(f.fd, size, e, path, std::move(out));
  const uint64_t start = text_start(f.fd, first, size, &out.nul_bytes_skipped);
  std::string_view text_head = first;
  if (start > 0) {  // what follows the NULs (or the byte-order mark) says what the file is
    const ssize_t k = ::pread(f.fd, head, sizeof head, static_cast<off_t>(start));
    text_head = std::string_view(head, k > 0 ? static_cast<size_t>(k) : 0);
  }
  out.not_a_log = start == size && out.nul_bytes_skipped > 0 ? "binary (zero bytes only; a sparse file such as lastlog)"
                                                              : not_a_log_by_bytes(text_head, size - start);
  if (!out.not_a_log.empty()) return out;  // listed, never mapped (a sparse lastlog can claim terabytes)

  // What the file holds now; lines appended later are not read (reported by the caller's
  // next run), a truncation while we read is survived and reported in truncation_warning().
  int slot = -1;
  bool shrank = false;
  auto text = hold_text(f.fd, start, static_cast<size_t>(size - start), path, &slot, &shrank);
  if (!text) return std::unexpected(text.error());
  if (shrank) out.warning = shrank_warning(static_cast<size_t>(size));
  out.text = std::move(*text);
  out.mapping_slot = slot;
  out.mapped_size = static_cast<size_t>(size);  // the file's size then (truncation_warning compares)
  return out;
}

std::string truncation_warning(const std::string& path, int mapping_slot, size_t mapped_size) {
  if (mapping_slot < 0 || !g_zero_filled[mapping_slot].load()) return {};
  struct stat st {};
  const size_t now = ::stat(path.c_str(), &st) == 0 ? static_cast<size_t>(st.st_size) : 0;
  return "the file shrank from " + std::to_string(mapped_size) + " to " + std::to_string(now) +
         " bytes while it was read: the " + std::to_string(mapped_size > now ? mapped_size - now : 0) +
         " bytes that vanished read as empty (NUL) bytes";
}

}  // namespace hindcast
