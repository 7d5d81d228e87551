// Completes every event's partial time into a UTC instant, using the other sources of the same
// input as evidence, and records how (Event::basis, Source::time_basis).
//
// Order of work, each step using what the previous ones established:
//   1. lines with an explicit offset or epoch are already UTC;
//   2. the clock: --tz, else the offset series of the zone-aware lines, else UTC (warned); a
//      syslog host whose own lines carry offsets gets its own clock (several hosts, one input);
//   3. zone-less dated lines (Apache error log) go through that clock;
//   4. year-less lines (RFC 3164) get the year under which they overlap the dated sources best
//      (else --year, else the file's mtime, warned), then the clock;
//   5. date-less lines (strace -t/-tt) get the date under which they overlap the dated sources
//      (else --date, else the file's mtime, warned);
//   6. relative or missing times stay unanchored (kept out of the timeline, reported).
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/error.h"
#include "engine/core/source.h"
#include "engine/parallel.h"
#include "engine/resolve/clock_model.h"

namespace hindcast {

struct ResolveOptions {
  std::optional<std::string> tz;  // --tz ZONE
  std::optional<int> year;        // --year YYYY (kMinYear..kMaxYear)
  std::optional<int64_t> date_day = std::nullopt;  // --date YYYY-MM-DD, as days since 1970-01-01: date-less sources
};

struct ResolveOutcome {
  std::shared_ptr<const ClockModel> clock;  // the common clock used for zone-less sources
  // Hosts whose own lines carry offsets (syslog hostnames): their zone-less lines use these.
  std::map<std::string, std::shared_ptr<const ClockModel>, std::less<>> host_clocks;
  bool clock_is_inferred = false;
  bool clock_is_assumed_utc = false;
  std::vector<std::string> warnings;        // data-quality notes for the report
};

// What a source's warnings say, after the count, of its events that stay unanchored;
// anchor_since_boot withdraws it where it anchors them, the ingest reports what is left.
inline constexpr std::string_view kUnanchoredNote =
    " events have no absolute time (relative or no timestamps): kept in order within the file but out of the timeline";

// Fails only for an unusable option (--tz that is not a zone).
// Sources are resolved in parallel on the executor's threads where they are independent.
Result<ResolveOutcome> resolve_times(std::vector<Source>& sources, const ResolveOptions& options,
                                     const Executor& executor = Executor::serial());

}  // namespace hindcast
