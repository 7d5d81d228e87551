// Zone *names* in stamps, resolved through the tz database (Howard Hinnant's date/tz on the
// system's tzdata): PHP writes its date.timezone ("[05-Jan-2024 10:00:00 Europe/Berlin]"),
// PostgreSQL the zone's abbreviation ("2024-01-05 10:00:00.123 EDT").
//
//   Stamp st;                                   // a kLocalDateTime stamp just read
//   if (attach_zone_name(c, &st) == StampStatus::kOk) use(st.value_ns);   // now kAbsolute
//
// A full name ("Europe/Berlin") gives the zone's offset at that local time (in a repeated hour,
// the earlier of the two; in a skipped hour, the offset before the jump). An abbreviation
// ("EDT", "CET", "AEST") gives the offset the tz database's zones use it for in that year;
// where zones disagree (CST is -06:00 in the Americas and +08:00 in China) the offset most zones
// use wins, as PostgreSQL's own default abbreviation set does. "UTC", "GMT", "Z" and "Etc/UTC"
// are UTC designators: no evidence of the host's own zone. Thread-safe.
#pragma once
#include <optional>
#include <string_view>

#include "engine/core/scan.h"
#include "engine/core/timestamps.h"

namespace hindcast {

// A zone name or abbreviation after one space at the cursor, applied to a kLocalDateTime stamp.
// kNoMatch (cursor unchanged) when the word there is no zone the database knows.
StampStatus attach_zone_name(scan::Cursor& c, Stamp* st);
// The offset (seconds east of UTC) of `name` (a tz name or an abbreviation) at the local wall
// time `local_ns` (ns as if UTC); nullopt for an unknown name. *utc is set for UTC designators.
std::optional<int> zone_offset_at(std::string_view name, int64_t local_ns, bool* utc = nullptr);

}  // namespace hindcast
