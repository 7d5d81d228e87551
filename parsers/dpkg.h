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

#include "parsers/parser.h"

namespace hindcast {

class DpkgLogParser final : public Parser {
 public:
  std::string_view format() const override { return "dpkg"; }
  bool matches(std::string_view line) const override;
  int specificity() const override { return 25; }
  void parse_chunk(const Source& source, size_t begin, size_t end, ParsedChunk& out) const override;
  bool decode(const Source& source, std::string_view text, Record& out) const override;
};

}  // namespace hindcast
