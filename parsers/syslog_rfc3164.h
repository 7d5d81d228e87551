// BSD syslog as files hold it (RFC 3164; rsyslog's traditional, high-precision and Sysklogd
// file formats):
//   Nov  3 09:00:43 www1 deploy[7805]: release ... rolled out
//   <34>Oct 11 22:14:15 mymachine su: 'su root' failed
//   2020-05-31T00:00:45.698463+00:00 host tag: message
// Accepted: optional <PRI>; "Mmm dd" with a space-padded or single-space day (month names in
// the common locales too: "août 19 11:08:37"); fractional seconds; an RFC 3339 stamp ('T'
// between date and time, with or without offset) in the date slot; a ':' after the time;
// hostless lines ("--- last message repeated 2 times ---"); tagless lines; tags with odd
// characters (sshd(pam_unix)[123]); indented and unindented continuation lines.
// No year: the parser counts Dec->Jan rollovers and the resolver supplies the first year.
// Detection claims a line only with the whole shape (stamp, host, "tag:" or "tag[pid]:"), so
// PostgreSQL ("2024-01-05 10:00:00.123 EDT [1234] LOG:") or CRI container logs ("...Z stdout F
// msg") are not taken for syslog from host "EDT" or "stdout".
#pragma once
#include <cstdint>
#include <string_view>

#include "parsers/parser.h"

namespace hindcast {

struct SyslogRecord {
  std::string_view host;     // empty when the line has none
  std::string_view program;  // the tag without [pid] and ':'; empty when tagless
  std::string_view message;
  uint32_t pid = 0;
  int priority = -1;         // -1 when the line has no <PRI>
  Stamp stamp;               // kLocalNoYear (BSD), kAbsolute (RFC 3339 / RFC 5424), kNone ("-")
  bool has_tag = false;      // "program:" or "program[pid]:" was found
  bool rfc5424 = false;
  std::string_view msgid;            // RFC 5424 only
  std::string_view structured_data;  // RFC 5424 only, raw "[id k=\"v\"]..."
  uint32_t signature = 0;  // message_signature(program, message) where decode_syslog_common had it; 0: not computed
};

// Any syslog record line: RFC 3164 (the formats above) or RFC 5424, with an optional RFC 6587
// octet count in front and NUL framing bytes at the end. *invalid_time (optional): the line has a
// syslog stamp with impossible fields (the result is then false).
bool decode_syslog_line(std::string_view line, SyslogRecord* out, bool* invalid_time = nullptr);
// The same for the common shape only, "Mmm dd hh:mm:ss host tag[pid]: message" (or an RFC 3339
// stamp), read from byte masks of the line's first 64 bytes: 64 readable bytes must follow
// `line` (a parse window's padding). False, with *out in an unspecified state, for any other
// line, which decode_syslog_line then reads; where true, the record is decode_syslog_line's
// (every field written, whatever *out held: the parse reuses one record), and its signature is
// set where the masks held the message's first two tokens.
bool decode_syslog_common(std::string_view line, SyslogRecord* out);
// Where the record after the one starting at line[from] begins, for records written without
// a newline between them: RFC 6587 octet counting, NUL framing, rsyslog's ForwardFormat in a
// file ("...<14>2021-03-06T04:07:33.196352+00:00 host tag ..."); npos when none follows.
size_t next_syslog_record(std::string_view line, size_t from);
// The Record fields of a syslog record (both syslog parsers).
void fill_syslog_record(const SyslogRecord& r, Record& out);
// The chunk parser both syslog formats share: records, continuation lines, Dec->Jan rollovers;
// and the stitch that carries rollovers across chunks.
void parse_syslog_chunk(const Source& source, size_t begin, size_t end, ParsedChunk& out);
void stitch_syslog_rollovers(Source& source, const std::vector<ParsedChunk>& chunks, const std::vector<size_t>& first_event);
Severity severity_from_priority(int priority);

class SyslogRfc3164Parser final : public Parser {
 public:
  std::string_view format() const override { return "syslog-rfc3164"; }
  bool matches(std::string_view line) const override;
  int specificity() const override { return 10; }
  bool takes_continuations() const override { return true; }  // a message's raw newline
  void parse_chunk(const Source& source, size_t begin, size_t end, ParsedChunk& out) const override {
    parse_syslog_chunk(source, begin, end, out);
  }
  void stitch(Source& s, const std::vector<ParsedChunk>& c, const std::vector<size_t>& f) const override {
    stitch_syslog_rollovers(s, c, f);
  }
  bool decode(const Source& source, std::string_view text, Record& out) const override;
};

}  // namespace hindcast
