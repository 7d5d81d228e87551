// http_5xx_burst / http_4xx_burst: a change point in the rate of one failing status against
// the access logs' own baseline.
//
// For each status >= 400, the per-second excess of that status over its overall share is
// summed over the best contiguous stretch (maximum-subarray); the stretch is a burst when its
// share is far above the share outside it (two-proportion z-test). Ordinary 404s on missing
// pages keep the same share all day and never qualify. The burst is then widened to the
// first/last failing request that follows its neighbours closely, so start/end are the first
// and last failing requests, not bucket edges.
#pragma once
#include <optional>
#include <vector>

#include "engine/findings/evidence.h"
#include "engine/timeline/timeline.h"

namespace hindcast {

struct HttpBurst {
  std::vector<uint16_t> statuses;  // the failing statuses of the burst (dominant first)
  EventRef first;                  // first failing request
  EventRef last;                   // last failing request
  bool still_failing = false;      // failures continue to the end of the access logs
  uint64_t failures = 0;           // requests with a burst status inside [first, last]
  double share_inside = 0;         // failing share inside the burst
  double share_outside = 0;        // baseline share
};

std::optional<HttpBurst> find_http_burst(const Timeline& t);

// The stretch of time the burst's evidence may fall in: access logs stamp requests when they
// arrive, to the second, so the server's own records of the first and last failure can sit up
// to a second outside [first, last]; a little earlier at the start (the change, then the first
// failing request).
Window incident_window(const Timeline& t, const HttpBurst& burst);

}  // namespace hindcast
