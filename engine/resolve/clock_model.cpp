#include "engine/resolve/clock_model.h"

#include <date/tz.h>

#include <algorithm>
#include <chrono>
#include <limits>

#include "engine/core/time.h"

namespace hindcast {
namespace {
constexpr int64_t kNanosPerMinute = 60 * kNanosPerSecond;
}

InferredOffsets::InferredOffsets(std::vector<OffsetPoint> points, std::string evidence_name)
    : evidence_(std::move(evidence_name)) {
  std::sort(points.begin(), points.end(),
            [](const OffsetPoint& a, const OffsetPoint& b) { return a.utc_ns < b.utc_ns; });
  for (size_t i = 0; i < points.size(); ++i) {
    const OffsetPoint& p = points[i];
    if (!segments_.empty() && segments_.back().offset_seconds == p.offset_seconds) continue;
    int64_t start = p.utc_ns;
    if (!segments_.empty()) {
      // The change happened after the previous point and at or before this one; zones change
      // on whole minutes (almost always whole hours), so snap to the latest whole hour, else
      // minute, inside that interval.
      const int64_t lo = points[i - 1].utc_ns;
      const int64_t hour = 60 * kNanosPerMinute;
      const int64_t on_hour = start / hour * hour;
      const int64_t on_minute = start / kNanosPerMinute * kNanosPerMinute;
      start = on_hour > lo ? on_hour : (on_minute > lo ? on_minute : start);
    }
    segments_.push_back({start, p.offset_seconds});
    if (std::find(distinct_.begin(), distinct_.end(), p.offset_seconds) == distinct_.end())
      distinct_.push_back(p.offset_seconds);
  }
}

int InferredOffsets::offset_at(int64_t utc_ns) const {
  if (segments_.empty()) return 0;
  auto it = std::upper_bound(segments_.begin(), segments_.end(), utc_ns,
                             [](int64_t t, const Segment& s) { return t < s.start_utc_ns; });
  if (it == segments_.begin()) return segments_.front().offset_seconds;
  return std::prev(it)->offset_seconds;
}

int InferredOffsets::candidates(int64_t local_ns, int offsets[2], int* gap_offset) const {
  int n = 0;
  for (int o : distinct_) {
    if (offset_at(local_ns - int64_t{o} * kNanosPerSecond) == o && n < 2) offsets[n++] = o;
  }
  if (n == 0) {
    // A DST gap: use the offset in force just before the jump (the smaller one when clocks
    // spring forward), as tz libraries do.
    int best = distinct_.empty() ? 0 : distinct_.front();
    for (int o : distinct_)
      if (o < best) best = o;
    *gap_offset = best;
  }
  if (n == 2 && offsets[0] < offsets[1]) std::swap(offsets[0], offsets[1]);  // earlier UTC first
  return n;
}

std::string InferredOffsets::describe() const {
  std::string s = "offset inferred from " + evidence_ + ":";
  for (size_t i = 0; i < segments_.size(); ++i) {
    s += i ? ", then " : " ";
    s += format_offset(segments_[i].offset_seconds);
    if (i) s += " from " + format_rfc3339_utc(Instant{segments_[i].start_utc_ns}, 0);
  }
  return s;
}

Result<std::unique_ptr<ZoneClock>> ZoneClock::create(const std::string& zone_name) {
  try {
    const date::time_zone* z = date::locate_zone(zone_name);
    return std::unique_ptr<ZoneClock>(new ZoneClock(z, zone_name));
  } catch (const std::exception& e) {
    return make_error(ErrorCode::kInvalidValue,
                      "--tz " + zone_name + ": not a zone in the tz database (" + e.what() + ")");
  }
}

int ZoneClock::candidates(int64_t local_ns, int offsets[2], int* gap_offset) const {
  const auto* z = static_cast<const date::time_zone*>(zone_);
  const int64_t secs = local_ns / kNanosPerSecond - (local_ns % kNanosPerSecond < 0);
  const date::local_seconds ls{std::chrono::seconds{secs}};
  const date::local_info info = z->get_info(ls);
  switch (info.result) {
    case date::local_info::unique:
      offsets[0] = static_cast<int>(info.first.offset.count());
      return 1;
    case date::local_info::ambiguous:
      offsets[0] = static_cast<int>(info.first.offset.count());
      offsets[1] = static_cast<int>(info.second.offset.count());
      if (offsets[0] < offsets[1]) std::swap(offsets[0], offsets[1]);
      return 2;
    default:
      *gap_offset = static_cast<int>(info.first.offset.count());
      return 0;
  }
}

int ZoneClock::offset_at(int64_t utc_ns) const {
  const auto* z = static_cast<const date::time_zone*>(zone_);
  const int64_t secs = utc_ns / kNanosPerSecond - (utc_ns % kNanosPerSecond < 0);
  const date::sys_seconds ss{std::chrono::seconds{secs}};
  return static_cast<int>(z->get_info(ss).offset.count());
}

std::string ZoneClock::describe() const { return "zone " + name_ + " (--tz)"; }

int64_t resolve_local(const ClockModel& clock, int64_t local_ns, int64_t previous_utc_ns,
                      int* offset_used, bool* in_gap) {
  int offsets[2] = {0, 0};
  int gap = 0;
  const int n = clock.candidates(local_ns, offsets, &gap);
  if (in_gap) *in_gap = n == 0;
  int chosen;
  if (n == 0) {
    chosen = gap;
  } else if (n == 1) {
    chosen = offsets[0];
  } else {
    // A repeated hour: take the earlier reading unless that would put this line well before the
    // line above it (the clock has already gone back).
    constexpr int64_t kSlack = 10 * 60 * kNanosPerSecond;
    const int64_t first = local_ns - int64_t{offsets[0]} * kNanosPerSecond;
    chosen = (previous_utc_ns != std::numeric_limits<int64_t>::min() && first < previous_utc_ns - kSlack)
                 ? offsets[1]
                 : offsets[0];
  }
  *offset_used = chosen;
  return local_ns - int64_t{chosen} * kNanosPerSecond;
}

int64_t LocalResolver::operator()(const ClockModel& clock, int64_t local_ns, int64_t previous_utc_ns,
                                  int* offset_used, bool* in_gap) {
  constexpr int64_t kMinute = 60 * kNanosPerSecond;
  const int64_t minute = local_ns / kMinute - (local_ns % kMinute < 0);
  if (clock_ != &clock || minute_ != minute) {
    clock_ = &clock;
    minute_ = minute;
    int first[2] = {0, 0}, last[2] = {0, 0}, gap = 0;
    const int64_t start = minute * kMinute;
    single_ = start <= std::numeric_limits<int64_t>::max() - kMinute && clock.candidates(start, first, &gap) == 1 &&
              clock.candidates(start + kMinute - 1, last, &gap) == 1 && first[0] == last[0];
    offset_ = first[0];
  }
  if (!single_) return resolve_local(clock, local_ns, previous_utc_ns, offset_used, in_gap);
  if (in_gap) *in_gap = false;
  *offset_used = offset_;
  return local_ns - int64_t{offset_} * kNanosPerSecond;
}

}  // namespace hindcast
