// Turns the command line's paths into the list of files to read: directories are walked
// recursively (sorted, so runs are reproducible), files are taken as given. A path that
// cannot be used is reported and skipped; the others are still read.
#pragma once
#include <functional>
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
  // Paths that are a file already listed (given twice, a symbolic or hard link to it: the same
  // device and inode), read once; `reason` names the path that is read.
  std::vector<Skipped> duplicates;
};

// "access.log.2.gz" -> "access.log.2": the name without a compression suffix (.gz, .xz, .zst).
std::string strip_compression_suffix(const std::string& path);

// One entry of a directory: its name and its type as readdir(3) gives it (DT_REG, DT_DIR, ...;
// DT_UNKNOWN where the file system does not say, and the walk asks lstat).
struct DirectoryEntry {
  std::string name;
  unsigned char type = 0;
};
// Lists one directory without "." and ".."; the error's message is the reason (strerror).
using ListDirectory = std::function<Result<std::vector<DirectoryEntry>>(const std::string& path)>;
Result<std::vector<DirectoryEntry>> list_directory(const std::string& path);

// A directory that cannot be listed (permissions, a path past PATH_MAX) is a problem that names
// it with the reason (`PATH: skipped: Permission denied`), never a silent gap. `list` is the
// walk's one access to directories (tests give one that fails where they choose). A file listed
// under two paths is read once, under its own name rather than a symbolic link's.
Discovery discover_files(const std::vector<std::string>& paths, const ListDirectory& list = list_directory);

// The family a rotated file belongs to: "access.log.2.gz" -> "access.log"; and its rotation
// index (0 for the live file; higher is older).
struct RotationName {
  std::string family;
  int index = 0;
};
RotationName rotation_name(const std::string& path);

}  // namespace hindcast
