#include "engine/findings/path_similarity.h"

#include <algorithm>
#include <vector>

namespace hindcast {

int edit_distance(std::string_view a, std::string_view b) {
  const size_t n = a.size(), m = b.size();
  std::vector<int> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (size_t j = 0; j <= m; ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    cur[0] = static_cast<int>(i);
    for (size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
    }
    prev2.swap(prev);
    prev.swap(cur);
  }
  return prev[m];
}

std::optional<std::string> find_intended_path(std::string_view failed,
                                              const std::unordered_set<std::string>& existing) {
  const size_t slash = failed.rfind('/');
  const std::string_view dir = slash == std::string_view::npos ? std::string_view{} : failed.substr(0, slash + 1);
  const std::string_view name = failed.substr(dir.size());
  if (name.empty()) return std::nullopt;
  // About 80 % of misspellings are one insertion, deletion, substitution or transposition
  // (Damerau 1964); a second edit for a long name is chosen (10 of 12 characters still agree).
  const int limit = name.size() >= 12 ? 2 : 1;
  std::optional<std::string> best;
  int best_d = limit + 1;
  for (const std::string& p : existing) {
    // An edit distance is at least the difference in length: a cheap, exact pre-filter.
    const size_t most = static_cast<size_t>(limit);
    if (p.size() + most < failed.size() || p.size() > failed.size() + most) continue;
    if (p.compare(0, dir.size(), dir) != 0 || p.find('/', dir.size()) != std::string::npos) continue;
    const std::string_view other = std::string_view(p).substr(dir.size());
    if (other == name || other.empty()) continue;
    const int d = edit_distance(name, other);
    if (d < best_d || (d == best_d && best && p < *best)) {
      best_d = d;
      best = p;
    }
  }
  return best;
}

}  // namespace hindcast
