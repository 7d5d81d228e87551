#include "parsers/json_lines.h"

namespace hindcast {
namespace {

struct JsonLineParser {
  JsonFlavor flavor;
  LineVerdict parse(std::string_view line, Event& e, const char** reason) {
    JsonRecord r;
    if (!decode_json_line(line, flavor, &r, /*want_text=*/false)) {
      *reason = flavor == JsonFlavor::kJournald ? "not a journald JSON record (or no timestamp)"
                                                : "not a JSON object with a time field";
      return LineVerdict::kSkip;
    }
    e.kind = EventKind::kSyslog;
    e.code = kProgramOther;  // the program is read only with the text; detectors check JSON lines themselves
    e.shape = r.shape;
    e.time_ns = r.time_ns;
    e.precision = static_cast<uint8_t>(r.precision);
    if (r.has_offset) e.offset_minutes = static_cast<int16_t>(r.offset_seconds / 60);
    e.pid = r.pid;
    e.severity = r.severity;
    return LineVerdict::kEvent;
  }
};

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
