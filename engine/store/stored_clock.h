// The clock an export resolved its local times with, read back from the store: its words and
// its offsets over time, for the report (the `clock` line and the incident's local time). Times
// come back resolved, so nothing is resolved with it again; candidates() answers with the offset
// in force, which is all a resolved instant needs.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "engine/resolve/clock_model.h"

namespace hindcast::store {

class StoredClock final : public ClockModel {
 public:
  struct Segment {
    int64_t start_utc_ns;
    int offset_seconds;
  };
  // `segments` in time order; none: the offset is 0 (an assumed-UTC clock).
  StoredClock(std::string description, std::vector<Segment> segments)
      : description_(std::move(description)), segments_(std::move(segments)) {}
  int candidates(int64_t local_ns, int offsets[2], int* gap_offset) const override;
  int offset_at(int64_t utc_ns) const override;
  std::string describe() const override { return description_; }

 private:
  std::string description_;
  std::vector<Segment> segments_;
};

}  // namespace hindcast::store
