#include "parsers/json_lines.h"

namespace hindcast {
namespace {

struct JsonLineParser {
  JsonFlavor flavor;
  LineVerdict parse(std::string_view line, Event& e, const char** reason) {
    JsonRecord r;
    if (!decode_json_line(line, flavor, &r, /*want_text=*/false)) {
      *reason = r.invalid_time ? kImpossibleTime
                : flavor == JsonFlavor::kJournald ? "not a journald JSON record (or no timestamp)"
                                                  : "not a JSON object with a time field";
      return LineVerdict::kSkip;
    }
    e.kind = EventKind::kMessage;
    e.aux = r.signature;
    apply_stamp(r.stamp, e);
    e.pid = r.pid;
    e.severity = r.severity;
    return LineVerdict::kEvent;
  }
};

bool decode_json_record(std::string_view text, JsonFlavor flavor, Record& out) {
  JsonRecord r;
  if (!decode_json_line(text, flavor, &r)) return false;
  out.kind = RecordKind::kMessage;
  out.severity = r.severity;
  out.pid = r.pid;
  out.level = out.keep(std::move(r.level));
  out.message = out.keep(std::move(r.message));
  out.program = out.keep(std::move(r.program));
  out.host = out.keep(std::move(r.host));
  out.unit = out.keep(std::move(r.unit));
  return true;
}

}  // namespace

bool JournaldJsonParser::matches(std::string_view line) const {
  JsonRecord r;
  return decode_json_line(line, JsonFlavor::kJournald, &r, false) && r.journald;
}

void JournaldJsonParser::parse_chunk(const Source& source, size_t begin, size_t end, ParsedChunk& out) const {
  JsonLineParser lp{JsonFlavor::kJournald};
  parse_lines(source, begin, end, lp, out);
}

bool JsonLinesParser::matches(std::string_view line) const {
  JsonRecord r;
  return decode_json_line(line, JsonFlavor::kGeneric, &r, false);
}

void JsonLinesParser::parse_chunk(const Source& source, size_t begin, size_t end, ParsedChunk& out) const {
  JsonLineParser lp{JsonFlavor::kGeneric};
  parse_lines(source, begin, end, lp, out);
}

}  // namespace hindcast

namespace hindcast {
bool JournaldJsonParser::decode(const Source&, std::string_view text, Record& out) const {
  return decode_json_record(text, JsonFlavor::kJournald, out);
}
bool JsonLinesParser::decode(const Source&, std::string_view text, Record& out) const {
  return decode_json_record(text, JsonFlavor::kGeneric, out);
}
}  // namespace hindcast
