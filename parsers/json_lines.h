// journalctl -o json exports and generic JSON-lines logs (see parsers/json_record.h for the
// fields each one reads). Detection: a journald export has journald's own fields
// (__REALTIME_TIMESTAMP, __CURSOR) and is claimed by JournaldJsonParser; any other object with a
// recognisable time field is json-lines.
#pragma once
#include "parsers/json_record.h"
#include "parsers/parser.h"

namespace hindcast {

class JournaldJsonParser final : public Parser {
 public:
  std::string_view format() const override { return "journald-json"; }
  bool matches(std::string_view line) const override;
  int specificity() const override { return 30; }
  void parse_chunk(const Source& source, size_t begin, size_t end, ParsedChunk& out) const override;
  bool decode(const Source& source, std::string_view text, Record& out) const override;
};

class JsonLinesParser final : public Parser {
 public:
  std::string_view format() const override { return "json-lines"; }
  bool matches(std::string_view line) const override;
  int specificity() const override { return 5; }
  void parse_chunk(const Source& source, size_t begin, size_t end, ParsedChunk& out) const override;
  bool decode(const Source& source, std::string_view text, Record& out) const override;
};

}  // namespace hindcast
