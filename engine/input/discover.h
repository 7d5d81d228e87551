// Turns the command line's paths into the list of files to read: directories are walked
// recursively (sorted, so runs are reproducible), files are taken as given. A path that
// cannot be used is reported and skipped; the others are still read.
#pragma once
#include <string>
#include <vector>

#include "engine/core/error.h"

namespace hindcast {

struct Discovery {
  std::vector<std::string> files;
  std::vector<Error> problems;  // one per unusable path, message names it and says why
  // Entries of a walked directory that are not files to read: symbolic links that lead nowhere
  // here (a copied /var/log's README -> ../../usr/share/doc/...). (path, why)
  struct Skipped {
    std::string path;
    std::string reason;
  };
  std::vector<Skipped> not_logs;
};

// "access.log.2.gz" -> "access.log.2": the name without a compression suffix (.gz, .xz, .zst).
std::string strip_compression_suffix(const std::string& path);

Discovery discover_files(const std::vector<std::string>& paths);

// The family a rotated file belongs to: "access.log.2.gz" -> "access.log"; and its rotation
// index (0 for the live file; higher is older).
struct RotationName {
  std::string family;
  int index = 0;
};
RotationName rotation_name(const std::string& path);

}  // namespace hindcast
