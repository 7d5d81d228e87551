// ClickHouse's RowBinary format, both ways: each row is its columns in order, integers
// little-endian at their width, Float64 as its 8 bytes, String as a LEB128 length and the bytes as
// they are, Array(T) as a LEB128 count and the elements. No escaping, so every byte value of a
// log line round-trips (JSONEachRow replaces invalid UTF-8; TSV needs escaping both ways).
//
//   std::string row;
//   RowBinaryWriter w(row);
//   w.i64(e.time_ns); w.str(text);                // one row of (Int64, String)
//
//   RowBinaryReader r(bytes);
//   int64_t t; std::string_view s;
//   while (r.i64(&t) && r.str(&s)) use(t, s);    // false at the end or on a short row
//
// Both are plain views over a buffer the caller owns; neither allocates beyond appending to it.
#pragma once
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace hindcast::store {

static_assert(std::endian::native == std::endian::little, "RowBinary is little-endian: integers are copied as they lie");

class RowBinaryWriter {
 public:
  explicit RowBinaryWriter(std::string& out) : out_(&out) {}
  void u8(uint8_t v) { out_->push_back(static_cast<char>(v)); }
  void i8(int8_t v) { u8(static_cast<uint8_t>(v)); }
  void u16(uint16_t v) { raw(v); }
  void i16(int16_t v) { raw(v); }
  void u32(uint32_t v) { raw(v); }
  void i32(int32_t v) { raw(v); }
  void u64(uint64_t v) { raw(v); }
  void i64(int64_t v) { raw(v); }
  void f64(double v) { raw(v); }
  void varuint(uint64_t v) {
    while (v >= 0x80) {
      u8(static_cast<uint8_t>(v | 0x80));
      v >>= 7;
    }
    u8(static_cast<uint8_t>(v));
  }
  void str(std::string_view s) {
    varuint(s.size());
    out_->append(s);
  }

 private:
  template <class T>
  void raw(T v) {
    char b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));
    out_->append(b, sizeof(T));
  }
  std::string* out_;
};

// Reads rows from a buffer that may end inside a row (a stream read in pieces): a getter that
// runs out of bytes returns false and leaves the position where it was, so the caller can keep
// the rest of the row for the next piece (see at()/rewind()).
class RowBinaryReader {
 public:
  explicit RowBinaryReader(std::string_view bytes) : p_(bytes.data()), end_(bytes.data() + bytes.size()), begin_(p_) {}
  bool u8(uint8_t* v) { return raw(v); }
  bool i8(int8_t* v) { return raw(v); }
  bool u16(uint16_t* v) { return raw(v); }
  bool i16(int16_t* v) { return raw(v); }
  bool u32(uint32_t* v) { return raw(v); }
  bool i32(int32_t* v) { return raw(v); }
  bool u64(uint64_t* v) { return raw(v); }
  bool i64(int64_t* v) { return raw(v); }
  bool f64(double* v) { return raw(v); }
  bool varuint(uint64_t* v) {
    uint64_t x = 0;
    const char* q = p_;
    for (unsigned shift = 0; shift < 64; shift += 7) {
      if (q == end_) return false;
      const auto b = static_cast<uint8_t>(*q++);
      x |= uint64_t{b & 0x7fu} << shift;
      if (!(b & 0x80)) {
        p_ = q;
        *v = x;
        return true;
      }
    }
    malformed_ = true;  // more than 10 bytes: not a length ClickHouse writes
    return false;
  }
  bool str(std::string_view* s) {
    const char* start = p_;
    uint64_t n = 0;
    if (!varuint(&n)) return false;
    if (n > static_cast<uint64_t>(end_ - p_)) {
      p_ = start;
      return false;
    }
    *s = std::string_view(p_, n);
    p_ += n;
    return true;
  }
  bool at_end() const { return p_ == end_; }
  size_t consumed() const { return static_cast<size_t>(p_ - begin_); }
  const char* at() const { return p_; }
  void rewind(const char* to) { p_ = to; }
  bool malformed() const { return malformed_; }

 private:
  template <class T>
  bool raw(T* v) {
    if (static_cast<size_t>(end_ - p_) < sizeof(T)) return false;
    std::memcpy(v, p_, sizeof(T));
    p_ += sizeof(T);
    return true;
  }
  const char* p_;
  const char* end_;
  const char* begin_;
  bool malformed_ = false;
};

}  // namespace hindcast::store
