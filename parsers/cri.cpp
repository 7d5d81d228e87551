#include "parsers/cri.h"

#include "engine/core/scan.h"

namespace hindcast {

bool decode_cri_line(std::string_view line, CriRecord* r, bool* invalid_time) {
  *r = CriRecord{};
  scan::Cursor c{line};
  if (c.left() < 20 || c.s[10] != 'T') return false;  // the date and 'T': no other format here
  const StampStatus st = read_iso8601(c, &r->stamp);
  if (st != StampStatus::kOk || !r->stamp.has_offset) {
    if (invalid_time) *invalid_time = st == StampStatus::kInvalid;
    return false;
  }
  if (!c.skip(' ')) return false;
  if (c.skip("stdout ")) {
    r->stream = "stdout";
  } else if (c.skip("stderr ")) {
    r->stream = "stderr";
  } else {
    return false;
  }
  const char tag = c.peek();
  if ((tag != 'F' && tag != 'P') || (c.peek_at(1) != ' ' && c.left() != 1)) return false;
  r->partial = tag == 'P';
  c.advance(c.left() == 1 ? 1 : 2);
  r->message = c.rest();
  return true;
}

bool CriContainerLogParser::matches(std::string_view line) const {
  CriRecord r;
  return decode_cri_line(line, &r);
}

namespace {
struct CriLineParser {
  LineVerdict parse(std::string_view line, Event& e, const char** reason) {
    CriRecord r;
    bool invalid = false;
    if (!decode_cri_line(line, &r, &invalid)) {
      *reason = invalid ? kImpossibleTime : "not a CRI container-log line";
      return LineVerdict::kSkip;
    }
    e.kind = EventKind::kMessage;
    apply_stamp(r.stamp, e);
    e.severity = Severity::kInfo;
    return LineVerdict::kEvent;
  }
};
}  // namespace

void CriContainerLogParser::parse_chunk(const Source& source, size_t begin, size_t end, ParsedChunk& out) const {
  CriLineParser lp;
  parse_lines(source, begin, end, lp, out);
}

bool CriContainerLogParser::decode(const Source&, std::string_view text, Record& out) const {
  CriRecord r;
  if (!decode_cri_line(text, &r)) return false;
  out.kind = RecordKind::kMessage;
  out.level = r.stream;
  out.message = r.message;
  out.severity = Severity::kInfo;
  return true;
}

}  // namespace hindcast
