#include "parsers/text_windows.h"

#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace hindcast {
namespace {

thread_local std::vector<char> window_buffer;

// text[at, at + n) copied into `buffer` by the kernel (from the file where its descriptor was
// kept, else from the mapping), followed by SourceText::kPadding zero bytes; false when the copy
// is refused or reads short.
bool copy_padded(const SourceText& text, size_t at, size_t n, std::vector<char>& buffer) {
  if (buffer.size() < n + SourceText::kPadding) buffer.resize(n + SourceText::kPadding);
  size_t done = 0;
  while (done < n) {
    ssize_t got;
    if (text.fd >= 0) {
      got = ::pread(text.fd, buffer.data() + done, n - done, static_cast<off_t>(text.file_offset + at + done));
    } else {
      iovec local{buffer.data() + done, n - done};
      iovec remote{const_cast<char*>(text.data.get()) + at + done, n - done};
      got = ::process_vm_readv(::getpid(), &local, 1, &remote, 1, 0);
    }
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    done += static_cast<size_t>(got);
  }
  std::memset(buffer.data() + n, 0, SourceText::kPadding);
  return true;
}

}  // namespace

WindowReader::~WindowReader() {
  if (window_buffer.capacity() > 16 * kWindow) std::vector<char>().swap(window_buffer);  // after a giant line
}

bool WindowReader::next(TextWindow* w) {
  if (pos_ >= end_) return false;
  if (!text_.mapped || in_place_) {
    *w = {text_.view().substr(pos_, end_ - pos_), pos_};
    pos_ = end_;
    return true;
  }
  for (size_t want = kWindow;; want *= 2) {
    const size_t n = std::min(want, end_ - pos_);
    if (!copy_padded(text_, pos_, n, window_buffer)) {
      in_place_ = true;
      return next(w);
    }
    size_t cut = n;
    if (pos_ + n < end_) {
      const void* nl = ::memrchr(window_buffer.data(), '\n', n);
      if (!nl) continue;  // a line longer than the window
      cut = static_cast<size_t>(static_cast<const char*>(nl) - window_buffer.data()) + 1;
    }
    *w = {std::string_view(window_buffer.data(), cut), pos_};
    pos_ += cut;
    return true;
  }
}

std::string_view RecordReader::line(const Event& e) {
  const size_t begin = e.offset, length = e.length;
  if (!source_.text.mapped || in_place_ || begin + length > source_.text.size) return source_.line_text(e);
  if (begin < begin_ || begin + length > end_) {
    const size_t n = std::min(std::max<size_t>(WindowReader::kWindow, length), source_.text.size - begin);
    if (!copy_padded(source_.text, begin, n, buffer_)) {
      in_place_ = true;
      return source_.line_text(e);
    }
    begin_ = begin;
    end_ = begin + n;
  }
  const std::string_view record(buffer_.data() + (begin - begin_), length);
  if (!(e.flags & kFlagMultiLine)) return record;
  return record.substr(0, record.find('\n'));
}

uint32_t count_lines(const SourceText& text, size_t begin, size_t end) {
  uint64_t n = 0;
  bool ends_open = false;  // the last window's last byte is not a newline
  WindowReader windows(text, begin, end);
  for (TextWindow w; windows.next(&w);) {
    n += count_newlines(w.text.data(), w.text.size());
    ends_open = !w.text.empty() && w.text.back() != '\n';
  }
  return static_cast<uint32_t>(n + ends_open);
}

}  // namespace hindcast
