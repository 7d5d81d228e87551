// The median of a list of values, by selection (linear time, no sort).
//
//   std::vector<int64_t> gaps = ...;
//   const int64_t typical = median(gaps);   // gaps is reordered
//
// It is the element at n/2 of the sorted values: for an even count the upper of the two middle
// ones, never their mean, so it is always one of the values (a real gap, a real latency, a real
// offset) and stays exact in integers. The values are reordered; none gives 0.
#pragma once
#include <algorithm>
#include <cstdint>
#include <span>

namespace hindcast {

inline int64_t median(std::span<int64_t> values) {
  if (values.empty()) return 0;
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  return *middle;
}

}  // namespace hindcast
