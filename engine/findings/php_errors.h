// php_parse_error / php_fatal: PHP errors from the Apache error log, grouped by what failed
// (the error and the file:line it names). A group concentrated in the incident window is a
// root-cause candidate; the same error before the incident is a chronic one, not the cause.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "engine/findings/evidence.h"

namespace hindcast {

struct PhpErrorGroup {
  std::string kind;                 // php_parse_error | php_fatal
  std::string detail;               // "Unmatched '}'"
  std::optional<FileLine> location; // the file and line the error names
  std::optional<std::string> failed_path;  // "Failed opening required '...'"
  uint64_t inside = 0, outside = 0;
  std::vector<EventRef> evidence;
  std::optional<EventRef> first, last;
  double confidence = 0;
};

std::vector<PhpErrorGroup> find_php_errors(const Timeline& t, const std::optional<Window>& window);

}  // namespace hindcast
