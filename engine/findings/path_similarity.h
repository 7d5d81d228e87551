// "Near-identical" file paths: the path that failed and the one that was meant.
//
//   find_intended_path("/x/class-wp-locale.phpp", existing) == "/x/class-wp-locale.php"
//
// Two paths are near-identical when they share the directory and their names differ by a small
// edit (Damerau-Levenshtein distance 1, or 2 for long names): a doubled or dropped letter, a
// swapped pair, an extension typo (".phpp", ".ph", ".pgp").
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

namespace hindcast {

// Optimal string alignment distance (Damerau-Levenshtein without repeated edits of a substring).
int edit_distance(std::string_view a, std::string_view b);

// The best near-identical path among `existing`, or nullopt.
std::optional<std::string> find_intended_path(std::string_view failed,
                                              const std::unordered_set<std::string>& existing);

}  // namespace hindcast
