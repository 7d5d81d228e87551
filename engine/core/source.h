// A Source is one log file as read: its bytes, what its parser made of them, and what the
// resolver concluded about its clock. It owns the text that every Event of it refers to.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/core/event.h"

namespace hindcast {

class AccessLogPlan;  // parsers/access_log_format.h
class Parser;         // parsers/parser.h

// Lines that became no event, grouped by reason, each with its first example; nothing is
// dropped without being counted here.
struct SkipRecord {
  std::string reason;
  uint64_t count = 0;
  uint32_t first_line = 0;
  std::string first_text;  // truncated example
};

// The source's bytes: a read-only mapping of the file (page cache, not anonymous memory) or, for
// .gz, the decompressed text. Owned here so that events can be views into them for the whole
// run. At least kPadding readable zero bytes follow the text, so a line can be handed to
// simdjson in place (it reads up to 64 bytes past its input) without a copy.
struct SourceText {
  static constexpr size_t kPadding = 64;
  std::shared_ptr<const char> data;  // the deleter unmaps or frees
  size_t size = 0;
  // A file's mapping (see map_file): the parse copies it in windows rather than touching it
  // (parsers/text_windows.h says why). False for text in memory.
  bool mapped = false;
  // The mapped file, open for pread() while `data` lives (its deleter closes it), or -1: the
  // windows are then copied from the mapping itself. Kept only for files large enough to matter
  // and while the process has descriptors to spare (map_file).
  int fd = -1;
  // Where text[0] is in that file: a run of NUL bytes or a byte-order mark before it is not text
  // (engine/input/read_file.h).
  uint64_t file_offset = 0;
  std::string_view view() const { return {data.get(), size}; }
  // A heap copy of `text` (tests, small inputs).
  static SourceText copy_of(std::string_view text);
};

// Newlines in p[0, n): vectorised, at memory speed (it sizes every file's events and gives line
// numbers, see Source::line_of).
uint64_t count_newlines(const char* p, size_t n);

// A place in a source whose line number is known: a record's offset and the number of the line
// it is on. The parse keeps one every kLineMarkSpacing lines or so (Source::line_marks).
struct LineMark {
  uint64_t offset = 0;
  uint32_t line = 0;
};
constexpr uint32_t kLineMarkSpacing = 256;

struct Source {
  uint16_t id = 0;
  std::string path;            // as given on the command line (or found under a given directory)
  std::string format = "unknown";
  const Parser* parser = nullptr;  // the parser that read it (and decodes its events); null: unknown
  std::string host;            // the host these logs are from (lines that name their own host override it)
  double format_score = 0;
  std::string runner_up;       // next best format, for `sniff`
  double runner_up_score = 0;
  bool compressed = false;
  std::string compression;     // "gzip", "xz", "zstd", or "journal" (a binary journal file read as JSON lines)
  std::string not_a_log;       // why the file is not a log (empty, binary, no times): listed, not read
  int mapping_slot = -1;       // the file's mapping (to detect a truncation while read)
  size_t mapped_size = 0;
  int64_t mtime_ns = 0;        // file modification time (last-resort year clue, warned)
  uint32_t strace_pid = 0;     // strace -ff: pid from the file-name suffix
  std::shared_ptr<const AccessLogPlan> access_plan;  // set when a --access-format matched

  SourceText text;
  EventArray events;           // file order after parsing; time order after resolution
  uint64_t lines = 0;
  uint64_t continuation_lines = 0;  // lines attached to the record above them
  uint64_t skipped = 0;
  std::vector<SkipRecord> skips;
  // NUL bytes that are not text: before the text (read_file.h) and at the start of lines (the
  // parse). A copytruncate rotation leaves such holes; they are counted, never parsed.
  uint64_t nul_bytes_skipped = 0;
  // Ascending offsets, set by the parse. An event does not carry its line number (8 bytes of
  // each of millions of events, for the few a report cites); line_of counts it from these.
  std::vector<LineMark> line_marks;

  // The kinds its events have, as bits (kind_bit): set by the parse, so that a pass over the
  // requests or the messages of every source skips the sources without any (reading a source's
  // events only to find none costs as much as reading them for something). Every kind until
  // parsed: events put in by hand are never skipped.
  uint32_t kinds = ~uint32_t{0};
  bool may_have(EventKind k) const { return (kinds & kind_bit(k)) != 0; }
  // Likewise the shapes of its timestamps (shape_bit): the resolver reads a source's events for
  // a step only where it may have lines of that step's shape.
  uint32_t shapes = ~uint32_t{0};
  bool may_have(TimeShape s) const { return (shapes & shape_bit(s)) != 0; }
  // And the event flags (EventFlags) some event has: a trace none of whose calls wrote text
  // (kFlagWritesText) has no embedded line to look for.
  uint32_t event_flags = ~uint32_t{0};
  bool may_have_flag(uint32_t flag) const { return (event_flags & flag) != 0; }
  TimeShape shape = TimeShape::kNone;  // dominant shape of this source's timestamps
  std::string time_basis;              // human summary, filled by the resolver
  std::vector<std::string> warnings;   // e.g. "no zone information; read as UTC"

  // The earliest and the latest anchored event (the run is in time order once the ingest sorted
  // it, unanchored events among the rest), both null when none is anchored.
  std::pair<const Event*, const Event*> anchored_ends() const;

  // The 1-based number of the line the record starts on: the nearest mark at or before it, and
  // the newlines from there (at most about kLineMarkSpacing lines: microseconds). A walk over
  // many events in file order uses a LineCursor instead.
  uint32_t line_of(const Event& e) const { return line_at(e.offset); }
  uint32_t line_at(uint64_t offset) const;

  std::string_view record_text(const Event& e) const {
    return text.view().substr(e.offset, e.length);
  }
  // First line of the record only (continuations excluded). A record without continuation lines
  // is its line (no search: whole-log passes read millions of them).
  std::string_view line_text(const Event& e) const {
    const std::string_view r = record_text(e);
    if (!(e.flags & kFlagMultiLine)) return r;
    const size_t nl = r.find('\n');
    return nl == std::string_view::npos ? r : r.substr(0, nl);
  }
};

// Line numbers of one source's events, visited mostly in file order (an export walks a source's
// events in time order, which is file order but for stretches a sort moved): each costs the
// newlines since the one before, so a whole export counts each byte about once.
class LineCursor {
 public:
  explicit LineCursor(const Source& s) : source_(&s) {}
  uint32_t line_of(const Event& e);

 private:
  const Source* source_;
  uint64_t offset_ = 0;
  uint32_t line_ = 0;  // 0: no place yet
};

}  // namespace hindcast
