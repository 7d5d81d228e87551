#include "engine/resolve/embedded_clues.h"

#include <algorithm>

#include "engine/parallel.h"
#include "parsers/apache_access.h"
#include "parsers/apache_error.h"
#include "engine/core/scan.h"
#include "engine/core/timestamps.h"
#include "parsers/parser.h"
#include "parsers/strace.h"

namespace hindcast {
namespace {

// "Date: Fri, 03 Nov 2023 13:01:08 GMT" (RFC 7231 IMF-fixdate) anywhere in `text`.
std::optional<int64_t> http_date(std::string_view text) {
  const size_t p = text.find("Date: ");
  if (p == std::string_view::npos) return std::nullopt;
  scan::Cursor c{text, p + 6};
  Stamp st;
  if (read_http_date(c, &st) != StampStatus::kOk) return std::nullopt;
  return st.value_ns;
}

}  // namespace

namespace {

// The clues of events [first, last) (in file order), at most `limit`. Only the lines of calls that
// write text are read (kFlagWritesText), through windows (parsers/text_windows.h), not the mapping.
std::vector<EmbeddedClue> clues_in(const Source& s, size_t first, size_t last, size_t limit) {
  std::vector<EmbeddedClue> out;
  RecordReader reader(s);
  for (size_t i = first; i < last && out.size() < limit; ++i) {
    const Event& e = s.events[i];
    if (e.kind != EventKind::kSyscall || !(e.flags & kFlagWritesText)) continue;  // nothing written: not read
    std::optional<std::string> written = written_text(reader.line(e));
    if (!written || written->size() < 20) continue;
    std::string& text = *written;
    ErrorRecord er;
    AccessRecord ar;
    if (text[0] == '[' && decode_error_line(text, &er)) {
      const bool utc = er.stamp.shape == TimeShape::kAbsolute;
      out.push_back({i, e.time_ns, utc, er.stamp.value_ns, er.stamp.precision, "error-log line"});
    } else if (decode_access_line(text, &ar) && ar.stamp.shape == TimeShape::kAbsolute) {
      out.push_back({i, e.time_ns, true, ar.stamp.value_ns, ar.stamp.precision, "access-log line"});
    } else if (auto utc = http_date(text)) {
      out.push_back({i, e.time_ns, true, *utc, 0, "HTTP Date header"});
    }
  }
  return out;
}

}  // namespace

std::vector<EmbeddedClue> find_embedded_clues(const Source& s, size_t limit, const Executor& executor) {
  // A trace none of whose calls wrote text (as the parse recorded) has no clue, and is not read.
  // Otherwise halves on two threads, then the first `limit` in file order: what one pass gives.
  // (A trace with writes stops early in its first half, and the second half's work is then
  // wasted, which costs nothing on an idle core.)
  if (!s.may_have_flag(kFlagWritesText)) return {};
  const size_t n = s.events.size();
  if (executor.threads() < 2 || n < (size_t{1} << 16)) return clues_in(s, 0, n, limit);
  std::vector<EmbeddedClue> halves[2];
  executor.parallel_for(2, [&](size_t h) { halves[h] = clues_in(s, h ? n / 2 : 0, h ? n : n / 2, limit); });
  std::vector<EmbeddedClue> out = std::move(halves[0]);
  for (const EmbeddedClue& c : halves[1]) {
    if (out.size() >= limit) break;
    out.push_back(c);
  }
  return out;
}

}  // namespace hindcast
