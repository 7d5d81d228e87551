// RFC 5424 syslog, as files and captures hold it:
//   <165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3"] message
// Accepted: NILVALUE "-" in any header field (a "-" timestamp is a record without time);
// structured data with escapes (\" \\ \]) and several elements; a UTF-8 BOM before the message;
// RFC 6587 octet counting ("215 <86>1 ...") and non-transparent framing (a record ended by NUL).
// The detector claims only RFC 5424 lines; the line parser (shared with RFC 3164, see
// parse_syslog_lines) accepts both forms, so a mixed file loses nothing.
#pragma once
#include <string_view>

#include "parsers/parser.h"
#include "parsers/syslog_rfc3164.h"

namespace hindcast {

// Decodes the part after "<PRI>" when it starts with the version "1 ". Fills `out` (priority
// already set by the caller) and returns true on success.
// *invalid_time as for decode_syslog_line.
bool decode_rfc5424_body(std::string_view after_pri, SyslogRecord* out, bool* invalid_time = nullptr);

class SyslogRfc5424Parser final : public Parser {
 public:
  std::string_view format() const override { return "syslog-rfc5424"; }
  bool matches(std::string_view line) const override;
  int specificity() const override { return 12; }
  void parse_chunk(const Source& source, size_t begin, size_t end, ParsedChunk& out) const override {
    parse_syslog_chunk(source, begin, end, out);
  }
  void stitch(Source& s, const std::vector<ParsedChunk>& c, const std::vector<size_t>& f) const override {
    stitch_syslog_rollovers(s, c, f);
  }
  bool decode(const Source& source, std::string_view text, Record& out) const override;
};

}  // namespace hindcast
