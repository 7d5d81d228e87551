// Kubernetes CRI container logs (what the kubelet keeps under /var/log/pods/.../N.log):
//   2024-01-05T10:00:00.123456789Z stdout F Server listening on :8080
//   2024-01-05T10:00:01.000000001-05:00 stderr P first part of a long line
// RFC 3339 stamp with nanoseconds and a zone (written as UTC or with an offset), the stream,
// a tag ('F' full line, 'P' partial: the runtime split a long line), then the text as the
// container wrote it. Accepted: any fraction, 'Z' or a numeric offset, an empty message.
// A partial line is an event of its own (its F line ends the message): one record per line
// keeps parallel chunks and the single pass identical. Syslog must not claim these lines
// (host "stdout"): parsers/syslog_rfc3164.cpp refuses the shape, and this parser is more
// specific.
#pragma once
#include <string_view>

#include "engine/core/timestamps.h"
#include "parsers/line_format.h"

namespace hindcast {

struct CriRecord {
  Stamp stamp;
  std::string_view stream;   // "stdout" or "stderr"
  bool partial = false;      // 'P'
  std::string_view message;
};

// *invalid_time (optional): the stamp has the notation but an impossible time.
bool decode_cri_line(std::string_view line, CriRecord* out, bool* invalid_time = nullptr);

struct CriFormat {
  static constexpr std::string_view kName = "cri-container";
  static constexpr int kSpecificity = 25;
  static constexpr Unmatched kUnmatched = Unmatched::kSkip;
  static constexpr const char* kUnmatchedReason = "not a CRI container-log line";
  using Line = CriRecord;
  static bool split(std::string_view line, Line* out, bool* invalid_time) { return decode_cri_line(line, out, invalid_time); }
  static void event(const Line& l, Event& e);
  static void record(const Source& source, std::string_view text, const Line& l, Record& out);
};
extern template class LineFormatParser<CriFormat>;
using CriContainerLogParser = LineFormatParser<CriFormat>;

}  // namespace hindcast
