// dpkg's own log (/var/log/dpkg.log), what changed on a Debian host and when:
//   2026-03-12 06:24:47 startup archives unpack
//   2026-03-12 06:24:47 upgrade memcached:amd64 1.6.18-1 1.6.18-1+deb12u1
//   2026-03-12 06:24:47 status half-configured memcached:amd64 1.6.18-1
//   2026-03-12 06:24:47 configure memcached:amd64 1.6.18-1+deb12u1 <none>
//   2026-03-12 06:24:47 conffile /etc/memcached.conf keep
// Local time with the year, no zone, whole seconds (the resolver supplies the host's offset).
// Every line is a kChange event; Record::action is the verb (install, upgrade, remove, purge,
// configure, trigproc, status, startup, conffile), Record::package and the versions follow it.
// A `status` line reports a package's state during an operation: part of that change, not
// another one.
#pragma once
#include <string_view>

#include "parsers/line_format.h"

namespace hindcast {

struct DpkgFormat {
  static constexpr std::string_view kName = "dpkg";
  static constexpr int kSpecificity = 25;
  static constexpr Unmatched kUnmatched = Unmatched::kSkip;
  static constexpr const char* kUnmatchedReason = "not a dpkg log line";
  struct Line {
    Stamp stamp;
    std::string_view action, rest;
    std::string_view message;  // action and rest: what the line says after its stamp
  };
  static bool split(std::string_view line, Line* out, bool* invalid_time);
  static void event(const Line& l, Event& e);
  static void record(const Source& source, std::string_view text, const Line& l, Record& out);
};
extern template class LineFormatParser<DpkgFormat>;
using DpkgLogParser = LineFormatParser<DpkgFormat>;

}  // namespace hindcast
