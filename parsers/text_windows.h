// Reading a mapped source's text through small copies instead of touching the mapping.
//
// On a shadow-paged VM (the hypervisor fills its own page table on a process's first access to
// each 4 KiB page) a first read of a mapped page is dear, whether the page cache already holds it
// or not and even after the guest has populated its page tables, while the kernel's copy goes
// through its own mapping of the page cache, which the hypervisor keeps. The parse reads each byte
// twice (the line count that sizes the events, then the parse) and never again for most lines, so
// it reads windows: the kernel copies the bytes into a buffer the thread reuses, and only the
// records the analysis later cites touch the mapping itself.
//
// The copy is pread() of the file where map_file kept its descriptor (files of 1 MiB or more,
// while the process has descriptors to spare), else process_vm_readv() of the process's own
// mapping. pread never touches the mapping; process_vm_readv has the kernel fill the mapping's
// page tables first, which the hypervisor mirrors and which does not scale with threads. Where a
// copy is refused or reads short (a file truncated after it was mapped, whose SIGBUS the mapping's
// slot catches), the window is handed out in place instead; text that is not a file mapping (in
// memory, tests) always is. On a host where mapped pages are cheap the copy costs a few percent
// of a run. The measurements, and how the choice went back and forth with the host:
// docs/performance.md, "Reading the text".
//
//   WindowReader windows(source.text, begin, end);
//   for (TextWindow w; windows.next(&w);) parse(w.text, w.begin);
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/core/event.h"
#include "engine/core/source.h"

namespace hindcast {

struct TextWindow {
  std::string_view text;  // whole lines (the last may end at the range's end without a newline)
  size_t begin = 0;       // offset of text[0] in the source
};

// The text of source[begin, end) in windows of whole lines, each followed by at least
// SourceText::kPadding readable bytes. A line longer than a window gets a window as long as it.
// The buffer is the thread's: one WindowReader at a time per thread, and a window is valid until
// its reader's next call.
class WindowReader {
 public:
  static constexpr size_t kWindow = 256 << 10;  // fits in L2 with room for the events written
  WindowReader(const SourceText& text, size_t begin, size_t end) : text_(text), pos_(begin), end_(end) {}
  ~WindowReader();
  WindowReader(const WindowReader&) = delete;
  WindowReader& operator=(const WindowReader&) = delete;
  bool next(TextWindow* w);

 private:
  const SourceText& text_;
  size_t pos_, end_;
  bool in_place_ = false;
};

// The first lines of many records of one source, asked for in about file order (a pass over every
// event of some kind), read through windows for the reason the parse reads them so. A record
// outside the current window starts a new one; text that is not a mapping, or a copy refused,
// is handed out in place. A line is valid until the next call; like the mapping,
// SourceText::kPadding readable bytes follow it. The same text as Source::line_text.
//
//   RecordReader reader(source);
//   for (const Event& e : events) use(reader.line(e));
class RecordReader {
 public:
  explicit RecordReader(const Source& source) : source_(source) {}
  std::string_view line(const Event& e);

 private:
  const Source& source_;
  std::vector<char> buffer_;
  size_t begin_ = 0, end_ = 0;  // the window, in source offsets
  bool in_place_ = false;
};

// Lines in text[begin, end) of a source's text, read in windows (the final '\n'-less line counts).
uint32_t count_lines(const SourceText& text, size_t begin, size_t end);

}  // namespace hindcast
