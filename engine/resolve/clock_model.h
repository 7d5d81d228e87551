// How local wall-clock times of one host map to UTC.
//
// Three models, one interface: a zone from the tz database (--tz), an offset series inferred from
// the host's zone-aware lines (the access log's %z shows where a DST jump happened), or plain
// UTC when nothing is known. A local time maps to zero, one or two UTC candidates (a DST gap or
// a repeated hour); resolve_local() picks one using the order of the lines in the file.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/error.h"

namespace hindcast {

class ClockModel {
 public:
  virtual ~ClockModel() = default;
  // UTC offsets (seconds) under which the local wall clock `local_ns` is a real instant:
  // one normally, two in a repeated hour; none in a DST gap (then `gap_offset` is the offset
  // in force before the gap).
  virtual int candidates(int64_t local_ns, int offsets[2], int* gap_offset) const = 0;
  // The offset in force at a UTC instant.
  virtual int offset_at(int64_t utc_ns) const = 0;
  // "offset inferred from access.log: -04:00", "zone Asia/Tokyo (--tz)", "assumed UTC".
  virtual std::string describe() const = 0;
};

struct OffsetPoint {
  int64_t utc_ns;
  int offset_seconds;
};

// A step function of offsets over UTC, built from observed (instant, offset) pairs.
class InferredOffsets final : public ClockModel {
 public:
  struct Segment {
    int64_t start_utc_ns;  // first instant the offset is in force (snapped to a whole minute)
    int offset_seconds;
  };
  InferredOffsets(std::vector<OffsetPoint> points, std::string evidence_name);
  int candidates(int64_t local_ns, int offsets[2], int* gap_offset) const override;
  int offset_at(int64_t utc_ns) const override;
  std::string describe() const override;
  const std::vector<Segment>& segments() const { return segments_; }

 private:
  std::vector<Segment> segments_;
  std::vector<int> distinct_;
  std::string evidence_;
};

class ZoneClock final : public ClockModel {
 public:
  static Result<std::unique_ptr<ZoneClock>> create(const std::string& zone_name);
  int candidates(int64_t local_ns, int offsets[2], int* gap_offset) const override;
  int offset_at(int64_t utc_ns) const override;
  std::string describe() const override;

 private:
  explicit ZoneClock(const void* zone, std::string name) : zone_(zone), name_(std::move(name)) {}
  const void* zone_;  // const date::time_zone*, kept opaque so date/tz stays out of headers
  std::string name_;
};

class UtcClock final : public ClockModel {
 public:
  int candidates(int64_t, int offsets[2], int*) const override {
    offsets[0] = 0;
    return 1;
  }
  int offset_at(int64_t) const override { return 0; }
  std::string describe() const override { return "assumed UTC (no zone information)"; }
};

// Picks the UTC instant for a local wall clock, preferring the earliest candidate that keeps
// the source's lines in order (`previous_utc_ns` is the last instant resolved in this source).
// A wall clock inside a DST gap (a time that never happened: the clocks jumped over it) is read
// with the offset in force before the jump, and `*in_gap` (when given) is set.
int64_t resolve_local(const ClockModel& clock, int64_t local_ns, int64_t previous_utc_ns,
                      int* offset_used, bool* in_gap = nullptr);

// resolve_local() for the lines of one file in order, remembering the last local minute whose
// start and end both have one and the same offset: the lines of that minute take it without
// asking the clock (a virtual call and a search per line were most of resolving a large trace).
// Offsets change at whole minutes in every zone in use, and never twice within one.
class LocalResolver {
 public:
  int64_t operator()(const ClockModel& clock, int64_t local_ns, int64_t previous_utc_ns, int* offset_used,
                     bool* in_gap = nullptr);

 private:
  const ClockModel* clock_ = nullptr;
  int64_t minute_ = 0;
  int offset_ = 0;
  bool single_ = false;
};

}  // namespace hindcast
