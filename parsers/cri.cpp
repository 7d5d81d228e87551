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

void CriFormat::event(const Line&, Event& e) {
  e.kind = EventKind::kMessage;
  e.severity = Severity::kInfo;
}

void CriFormat::record(const Source&, std::string_view, const Line& r, Record& out) {
  out.kind = RecordKind::kMessage;
  out.level = r.stream;
  out.message = r.message;
  out.severity = Severity::kInfo;
}

template class LineFormatParser<CriFormat>;

}  // namespace hindcast
