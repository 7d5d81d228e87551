#include "engine/store/stored_clock.h"

#include <algorithm>

#include "engine/core/time.h"

namespace hindcast::store {

int StoredClock::offset_at(int64_t utc_ns) const {
  if (segments_.empty()) return 0;
  const auto it = std::upper_bound(segments_.begin(), segments_.end(), utc_ns,
                                   [](int64_t t, const Segment& s) { return t < s.start_utc_ns; });
  return it == segments_.begin() ? segments_.front().offset_seconds : std::prev(it)->offset_seconds;
}

int StoredClock::candidates(int64_t local_ns, int offsets[2], int* gap_offset) const {
  // The offset in force about then (read at the local time taken as UTC: off by the offset at
  // most, which moves nothing but the few minutes around a change).
  offsets[0] = offset_at(local_ns);
  *gap_offset = offsets[0];
  return 1;
}

}  // namespace hindcast::store
