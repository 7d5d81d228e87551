// Binary systemd journal files -> journald JSON lines (see decoded_input.h for why this shape).
//
// The normal path is libsystemd's sd-journal API on the one file. sd-journal refuses a file whose
// header promises more bytes than the file has (a copy cut short, a disk that filled up), and it
// stops at the first damaged object; for those, salvage() walks the file's objects in order (the
// layout is documented in systemd's JOURNAL_FILE_FORMAT.md: a header, then 8-byte-aligned objects
// each starting with type and size) and renders every entry whose objects are intact. Whichever
// path reads more entries wins; the header's entry count tells what was lost.
#include <endian.h>
#include <fcntl.h>
#include <lzma.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <systemd/sd-journal.h>
#include <unistd.h>
#include <zstd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "engine/input/decoded_input.h"

namespace hindcast {
namespace {

// The fields kept, in the order they are written (the ones a person reads first come first:
// the line is what evidence quotes). Everything a detector reads is here; the rest of an entry
// (_CMDLINE, _CAP_EFFECTIVE, ...) would only grow the text.
constexpr const char* kFields[] = {"_HOSTNAME", "SYSLOG_IDENTIFIER", "_PID", "PRIORITY", "MESSAGE",
                                   "_SYSTEMD_UNIT", "UNIT", "_COMM", "_TRANSPORT", "SYSLOG_FACILITY"};
constexpr size_t kFieldCount = sizeof kFields / sizeof kFields[0];

struct Entry {
  uint64_t realtime = 0, monotonic = 0, seqnum = 0;
  std::string boot_id;  // 32 hex digits
  std::string cursor;
  std::string_view values[kFieldCount];
  bool present[kFieldCount] = {};
};

bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n;
    if (c < 0x80) n = 0;
    else if ((c >> 5) == 6) n = 1;
    else if ((c >> 4) == 14) n = 2;
    else if ((c >> 3) == 30) n = 3;
    else return false;
    if (i + n >= s.size() && n > 0) return false;
    for (size_t k = 1; k <= n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    i += n + 1;
  }
  return true;
}

void append_json_value(std::string& out, std::string_view v) {
  if (!valid_utf8(v)) {  // journalctl -o json writes such values as an array of byte values
    out += '[';
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) out += ',';
      out += std::to_string(static_cast<unsigned char>(v[i]));
    }
    out += ']';
    return;
  }
  out += '"';
  for (char ch : v) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  out += '"';
}

void append_entry(std::string& out, const Entry& e) {
  out += "{\"__REALTIME_TIMESTAMP\":\"" + std::to_string(e.realtime) + "\"";
  for (size_t k = 0; k < kFieldCount; ++k) {
    if (!e.present[k]) continue;
    out += ",\"";
    out += kFields[k];
    out += "\":";
    append_json_value(out, e.values[k]);
  }
  if (!e.boot_id.empty()) out += ",\"_BOOT_ID\":\"" + e.boot_id + "\"";
  out += ",\"__MONOTONIC_TIMESTAMP\":\"" + std::to_string(e.monotonic) + "\"";
  out += ",\"__SEQNUM\":\"" + std::to_string(e.seqnum) + "\"";
  out += ",\"__CURSOR\":";
  append_json_value(out, e.cursor);
  out += "}\n";
}

std::string hex128(const uint8_t* b) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s(32, '0');
  for (int i = 0; i < 16; ++i) {
    s[2 * i] = kHex[b[i] >> 4];
    s[2 * i + 1] = kHex[b[i] & 15];
  }
  return s;
}

std::string hex64(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%llx", static_cast<unsigned long long>(v));
  return buf;
}

// "s=...;i=1a;..." -> 0x1a.
uint64_t seqnum_from_cursor(std::string_view c) {
  const size_t p = c.find(";i=");
  if (p == std::string_view::npos) return 0;
  uint64_t v = 0;
  for (size_t i = p + 3; i < c.size() && c[i] != ';'; ++i) {
    const char ch = c[i];
    const int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
    if (d < 0) break;
    v = v * 16 + static_cast<uint64_t>(d);
  }
  return v;
}

// Bytes writer with the same bound as the decompressors.
struct Out {
  int fd = -1;
  uint64_t limit = 0;
  uint64_t total = 0;
  std::string buf;
  bool failed = false, limited = false;
  bool add(const Entry& e) {
    if (failed || limited) return false;
    const size_t before = buf.size();
    append_entry(buf, e);
    if (total + buf.size() > limit) {
      buf.resize(before);
      limited = true;
      return false;
    }
    if (buf.size() >= (1 << 20)) return flush();
    return true;
  }
  bool flush() {
    size_t off = 0;
    while (off < buf.size()) {
      const ssize_t w = ::write(fd, buf.data() + off, buf.size() - off);
      if (w <= 0) {
        failed = true;
        return false;
      }
      off += static_cast<size_t>(w);
    }
    total += buf.size();
    buf.clear();
    return true;
  }
};

// The header's entry count (offset 152), or 0 when the header cannot be read.
uint64_t header_entries(int fd) {
  uint8_t h[160];
  if (::pread(fd, h, sizeof h, 0) != static_cast<ssize_t>(sizeof h) || std::memcmp(h, "LPKSHHRH", 8) != 0) return 0;
  uint64_t n;
  std::memcpy(&n, h + 152, 8);
  return le64toh(n);
}

// --- the sd-journal path ---------------------------------------------------------------------

struct SdResult {
  bool opened = false;
  uint64_t entries = 0;
  std::string error;  // why it stopped early, if it did
};

SdResult read_with_sd_journal(const std::string& path, Out& out) {
  SdResult res;
  sd_journal* j = nullptr;
  const char* paths[] = {path.c_str(), nullptr};
  int r = sd_journal_open_files(&j, paths, 0);
  if (r < 0) {
    res.error = std::strerror(-r);
    return res;
  }
  res.opened = true;
  std::unique_ptr<sd_journal, void (*)(sd_journal*)> guard(j, sd_journal_close);
  sd_journal_set_data_threshold(j, 1 << 20);
  while ((r = sd_journal_next(j)) > 0) {
    Entry e;
    if (sd_journal_get_realtime_usec(j, &e.realtime) < 0) continue;
    sd_id128_t boot;
    if (sd_journal_get_monotonic_usec(j, &e.monotonic, &boot) >= 0) e.boot_id = hex128(boot.bytes);
    char* cursor = nullptr;
    if (sd_journal_get_cursor(j, &cursor) >= 0 && cursor) {
      e.cursor = cursor;
      std::free(cursor);
    }
    e.seqnum = seqnum_from_cursor(e.cursor);
    for (size_t k = 0; k < kFieldCount; ++k) {
      const void* d = nullptr;
      size_t len = 0;
      if (sd_journal_get_data(j, kFields[k], &d, &len) < 0) continue;
      const size_t name = std::strlen(kFields[k]) + 1;  // "FIELD="
      if (len < name) continue;
      e.values[k] = std::string_view(static_cast<const char*>(d) + name, len - name);
      e.present[k] = true;
    }
    ++res.entries;
    if (!out.add(e)) break;
  }
  if (r < 0) res.error = std::strerror(-r);
  return res;
}

// --- the salvage path ------------------------------------------------------------------------

struct Mapped {
  const uint8_t* p = nullptr;
  size_t size = 0;
  ~Mapped() {
    if (p) ::munmap(const_cast<uint8_t*>(p), size);
  }
};

uint64_t le64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return le64toh(v);
}
uint32_t le32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return le32toh(v);
}

enum : uint8_t { kObjData = 1, kObjEntry = 3 };
enum : uint8_t { kCompressedXz = 1, kCompressedLz4 = 2, kCompressedZstd = 4 };
enum : uint32_t { kIncompatibleCompact = 16 };

// A DATA object's payload ("FIELD=value"), decompressed into `scratch` when needed.
bool data_payload(const Mapped& m, uint64_t offset, bool compact, std::string& scratch, std::string_view* out) {
  if (offset % 8 || offset + 64 > m.size) return false;
  const uint8_t* o = m.p + offset;
  const uint64_t size = le64(o + 8);
  const size_t head = compact ? 72 : 64;
  if (o[0] != kObjData || size < head || size > m.size - offset) return false;
  const auto* payload = reinterpret_cast<const char*>(o + head);
  const size_t len = static_cast<size_t>(size - head);
  const uint8_t flags = o[1];
  if (flags == 0) {
    *out = std::string_view(payload, len);
    return true;
  }
  if (flags & kCompressedZstd) {
    const unsigned long long n = ZSTD_getFrameContentSize(payload, len);
    if (n == ZSTD_CONTENTSIZE_ERROR || n == ZSTD_CONTENTSIZE_UNKNOWN || n > (16u << 20)) return false;
    scratch.resize(static_cast<size_t>(n));
    const size_t r = ZSTD_decompress(scratch.data(), scratch.size(), payload, len);
    if (ZSTD_isError(r)) return false;
    scratch.resize(r);
  } else if (flags & kCompressedXz) {
    scratch.resize(std::max<size_t>(len * 8, 4096));
    while (true) {
      uint64_t memlimit = UINT64_MAX;
      size_t in_pos = 0, out_pos = 0;
      const lzma_ret r = lzma_stream_buffer_decode(&memlimit, 0, nullptr, reinterpret_cast<const uint8_t*>(payload),
                                                   &in_pos, len, reinterpret_cast<uint8_t*>(scratch.data()), &out_pos,
                                                   scratch.size());
      if (r == LZMA_OK) {
        scratch.resize(out_pos);
        break;
      }
      if (r != LZMA_BUF_ERROR || scratch.size() > (16u << 20)) return false;
      scratch.resize(scratch.size() * 4);
    }
  } else {
    return false;  // LZ4: not linked here; the field counts as unreadable
  }
  *out = scratch;
  return true;
}

// Walks the objects after the header in file order and writes every entry whose data objects
// are intact. Returns the number of entries written.
uint64_t salvage(int fd, Out& out, std::string* note) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || st.st_size < 272) return 0;
  Mapped m;
  m.size = static_cast<size_t>(st.st_size);
  void* p = ::mmap(nullptr, m.size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (p == MAP_FAILED) return 0;
  m.p = static_cast<const uint8_t*>(p);
  if (std::memcmp(m.p, "LPKSHHRH", 8) != 0) return 0;
  const bool compact = le32(m.p + 12) & kIncompatibleCompact;
  const std::string seqnum_id = hex128(m.p + 72);
  uint64_t offset = le64(m.p + 88);  // header_size
  if (offset < 208 || offset % 8) offset = 272;
  uint64_t written = 0, damaged_entries = 0, resyncs = 0;
  std::string scratch[kFieldCount];
  while (offset + 16 <= m.size) {
    const uint8_t type = m.p[offset];
    const uint64_t size = le64(m.p + offset + 8);
    if (type == 0 && size == 0) {
      // Zeros: the unused tail of a preallocated file, or a hole. Skip ahead to the next object.
      offset += 8;
      ++resyncs;
      if (resyncs > (64u << 20) / 8) break;
      continue;
    }
    if (type > 7 || size < 16 || size > m.size - offset) {
      if (size > m.size - offset && type >= 1 && type <= 7) break;  // cut short here: the end
      offset += 8;  // damage: look for the next plausible object
      continue;
    }
    if (type == kObjEntry && size >= 64) {
      const uint8_t* o = m.p + offset;
      Entry e;
      e.seqnum = le64(o + 16);
      e.realtime = le64(o + 24);
      e.monotonic = le64(o + 32);
      e.boot_id = hex128(o + 40);
      const uint64_t xor_hash = le64(o + 56);
      e.cursor = "s=" + seqnum_id + ";i=" + hex64(e.seqnum) + ";b=" + e.boot_id + ";m=" + hex64(e.monotonic) +
                 ";t=" + hex64(e.realtime) + ";x=" + hex64(xor_hash);
      const size_t item = compact ? 4 : 16;
      const uint64_t n_items = (size - 64) / item;
      bool any = false;
      for (uint64_t k = 0; k < n_items; ++k) {
        const uint64_t data = compact ? le32(o + 64 + k * item) : le64(o + 64 + k * item);
        std::string tmp;
        std::string_view payload;
        if (!data_payload(m, data, compact, tmp, &payload)) continue;
        any = true;
        const size_t eq = payload.find('=');
        if (eq == std::string_view::npos) continue;
        const std::string_view name = payload.substr(0, eq);
        for (size_t f = 0; f < kFieldCount; ++f) {
          if (e.present[f] || name != kFields[f]) continue;
          scratch[f] = std::string(payload.substr(eq + 1));  // tmp dies with this iteration
          e.values[f] = scratch[f];
          e.present[f] = true;
        }
      }
      if (any && e.realtime > 0) {
        if (!out.add(e)) break;
        ++written;
      } else {
        ++damaged_entries;
      }
    }
    offset += (size + 7) & ~uint64_t{7};
  }
  if (damaged_entries) *note = std::to_string(damaged_entries) + " entries with unreadable data";
  return written;
}

}  // namespace

DecodeOutcome decode_journal(const std::string& path, int out_fd, uint64_t limit) {
  DecodeOutcome o;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return DecodeOutcome{false, 0, std::string("cannot open the journal file: ") + std::strerror(errno)};
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  const uint64_t expected = header_entries(fd);
  Out out;
  out.fd = out_fd;
  out.limit = limit;
  const SdResult sd = read_with_sd_journal(path, out);
  uint64_t read = sd.entries;
  std::string how = "sd-journal";
  if (!out.limited && !out.failed && (!sd.opened || read < expected)) {
    // Salvage into a fresh output and keep it when it read more.
    out.buf.clear();
    if (::ftruncate(out_fd, 0) != 0 || ::lseek(out_fd, 0, SEEK_SET) != 0) return DecodeOutcome{false, 0, "cannot rewind the output"};
    out.total = 0;
    std::string note;
    const uint64_t salvaged = salvage(fd, out, &note);
    if (salvaged >= read || !sd.opened) {
      read = salvaged;
      how = "walking its objects (sd-journal: " + (sd.error.empty() ? std::string("stopped early") : sd.error) + ")";
      if (!note.empty()) how += ", " + note;
    } else {
      out.buf.clear();
      if (::ftruncate(out_fd, 0) != 0 || ::lseek(out_fd, 0, SEEK_SET) != 0) return DecodeOutcome{false, 0, "cannot rewind the output"};
      out.total = 0;
      read_with_sd_journal(path, out);
    }
  }
  out.flush();
  o.bytes = out.total;
  if (out.failed) return DecodeOutcome{false, out.total, "writing the decoded journal: " + std::string(std::strerror(errno))};
  if (out.limited) {
    o.warning = "the decoded journal reached the limit of " + std::to_string(limit) + " bytes; later entries are not read";
  } else if (read < expected) {
    o.warning = "damaged or truncated journal file: " + std::to_string(read) + " of " + std::to_string(expected) +
                " entries read (" + std::to_string(expected - read) + " lost), by " + how;
  } else if (!sd.opened) {
    o.warning = "sd-journal could not open the file (" + sd.error + "); " + std::to_string(read) + " entries read by " + how;
  }
  return o;
}

}  // namespace hindcast
