// A Source is one log file as read: its bytes, what its parser made of them, and what the
// resolver concluded about its clock. It owns the text that every Event of it refers to.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
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
  std::string_view view() const { return {data.get(), size}; }
  // A heap copy of `text` (tests, small inputs).
  static SourceText copy_of(std::string_view text);
};

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

  // The kinds its events have, as bits (kind_bit): set by the parse, so that a pass over the
  // requests or the messages of every source skips the sources without any (reading a source's
  // events only to find none costs as much as reading them for something). Every kind until
  // parsed: events put in by hand are never skipped.
  uint32_t kinds = ~uint32_t{0};
  bool may_have(EventKind k) const { return (kinds & kind_bit(k)) != 0; }
  TimeShape shape = TimeShape::kNone;  // dominant shape of this source's timestamps
  std::string time_basis;              // human summary, filled by the resolver
  std::vector<std::string> warnings;   // e.g. "no zone information; read as UTC"

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

}  // namespace hindcast
