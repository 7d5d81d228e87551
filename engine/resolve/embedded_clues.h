// Dated text that one source carries inside its own lines: strace shows what the traced server
// wrote, so a `write(2, "[Fri Nov 03 09:01:08.671320 2023] [php:warn] ...")` holds an error-log
// line with its full local date, `write(8, "1.2.3.4 - - [03/Nov/2023:09:01:08 -0400] ...")` an
// access-log line with its offset, and a `writev(..., "HTTP/1.1 404 ...\r\nDate: Fri, 03 Nov 2023
// 13:01:08 GMT ...")` the server's idea of UTC. Each is a clue to the date (and, for -r traces,
// the origin) of the syscall line around it, and a measure of the clocks' agreement.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "engine/core/source.h"
#include "engine/parallel.h"

namespace hindcast {

struct EmbeddedClue {
  size_t event_index;      // into source.events (file order)
  int64_t partial_ns;      // the syscall line's own partial time (time of day, relative sum)
  bool is_utc;             // true: `instant_ns` is UTC; false: local wall clock
  int64_t instant_ns;
  int precision;           // digits of the embedded stamp
  const char* kind;        // "error-log line", "access-log line", "HTTP Date header"
};

// Clues of one strace source, the first `limit` of them in file order (they are all alike; a few
// hundred settle any question). The events must still be in file order (before the sort).
std::vector<EmbeddedClue> find_embedded_clues(const Source& strace_source, size_t limit = 512,
                                              const Executor& executor = Executor::serial());

}  // namespace hindcast
