// What APT and its helpers write about changes to a Debian host:
//
// apt-history (/var/log/apt/history.log): one block per APT run, one event per block (the
// block's other lines continue it), at its Start-Date:
//   Start-Date: 2024-01-05  09:58:01
//   Commandline: apt-get install --only-upgrade nginx
//   Requested-By: admin (1000)
//   Upgrade: nginx:amd64 (1.22.1-9, 1.22.1-9+deb12u1), nginx-common:amd64 (1.22.1-9, 1.22.1-9+deb12u1)
//   End-Date: 2024-01-05  09:58:05
// Record: kChange, action = the first operation (install, upgrade, remove, purge, downgrade,
// reinstall), package and versions of its first package, message = the command line and every
// operation line (so a package named anywhere in the run ties the run to what failed); severity
// error when the block has an Error: line.
//
// apt-term (/var/log/apt/term.log, /var/log/unattended-upgrades/unattended-upgrades-dpkg.log):
// the terminal output of dpkg under APT between "Log started: 2024-01-05  09:58:01" and "Log
// ended: ...". The output has no times: every line is an event at its block's start (the end
// line at its own time), so dpkg's errors ("dpkg: error processing package nginx
// (--configure):") are messages a detector sees. Lines before the first "Log started" have no
// time and are skipped with that reason.
//
// alternatives (/var/log/alternatives.log): update-alternatives' own log,
//   update-alternatives 2024-01-05 09:58:03: link group php updated to point to /usr/bin/php8.2
// "link group ... updated" lines are kChange (action "alternatives", package = the link group,
// version_new = the new target: switching /usr/bin/php is a change like an upgrade); the rest
// ("run with --install ...", "status of link group ...") are messages.
//
// python-logging: Python's logging module with its default asctime, as unattended-upgrades
// writes /var/log/unattended-upgrades/unattended-upgrades.log:
//   2024-01-05 06:25:05,234 INFO Packages that will be upgraded: libssl3 openssl
// "Packages that will be upgraded:" lines are kChange (action "upgrade"); the rest messages;
// unstamped lines (tracebacks) continue the record above.
//
// All four write local time without a zone: the resolver supplies the host's offset.
#pragma once
#include <string_view>

#include "parsers/line_format.h"

namespace hindcast {

struct AptHistoryFormat {
  static constexpr std::string_view kName = "apt-history";
  static constexpr int kSpecificity = 25;
  static constexpr Unmatched kUnmatched = Unmatched::kContinuation;  // the block's other lines
  static constexpr const char* kUnmatchedReason = "before the first Start-Date line (no time)";
  struct Line {
    Stamp stamp;
  };
  static bool matches(std::string_view line);  // any of the block's key lines
  static bool split(std::string_view line, Line* out, bool* invalid_time);  // "Start-Date: ..."
  static void event(const Line& l, Event& e);
  static void record(const Source& source, std::string_view text, const Line& l, Record& out);
};
extern template class LineFormatParser<AptHistoryFormat>;
using AptHistoryParser = LineFormatParser<AptHistoryFormat>;

// Not a line format: every line of a block takes the time of the block's "Log started" line.
class AptTermParser final : public Parser {
 public:
  std::string_view format() const override { return "apt-term"; }
  bool matches(std::string_view line) const override;
  int specificity() const override { return 15; }
  void parse_chunk(const Source& source, size_t begin, size_t end, ParsedChunk& out) const override;
  bool decode(const Source& source, std::string_view text, Record& out) const override;
};

struct AlternativesFormat {
  static constexpr std::string_view kName = "alternatives";
  static constexpr int kSpecificity = 25;
  static constexpr Unmatched kUnmatched = Unmatched::kSkip;
  static constexpr const char* kUnmatchedReason = "not an update-alternatives log line";
  struct Line {
    Stamp stamp;
    std::string_view message;
  };
  static bool split(std::string_view line, Line* out, bool* invalid_time);
  static void event(const Line& l, Event& e);
  static void record(const Source& source, std::string_view text, const Line& l, Record& out);
};
extern template class LineFormatParser<AlternativesFormat>;
using AlternativesLogParser = LineFormatParser<AlternativesFormat>;

struct PythonLoggingFormat {
  static constexpr std::string_view kName = "python-logging";
  static constexpr int kSpecificity = 15;
  static constexpr Unmatched kUnmatched = Unmatched::kContinuation;  // a traceback or a multi-line message
  static constexpr const char* kUnmatchedReason = "unstamped line before the first record";
  struct Line {
    Stamp stamp;
    std::string_view level, message;
  };
  static bool split(std::string_view line, Line* out, bool* invalid_time);
  static void event(const Line& l, Event& e);
  static void record(const Source& source, std::string_view text, const Line& l, Record& out);
};
extern template class LineFormatParser<PythonLoggingFormat>;
using PythonLoggingParser = LineFormatParser<PythonLoggingFormat>;

}  // namespace hindcast
