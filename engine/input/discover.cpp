#include "engine/input/discover.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <system_error>
#include <utility>

namespace hindcast {
namespace fs = std::filesystem;

namespace {
// Rotated families oldest first (access.log.2.gz, access.log.1, access.log), so one family reads
// as one source in time order; everything else keeps its sorted place.
void order_rotations(std::vector<std::string>& files) {
  std::stable_sort(files.begin(), files.end(), [](const std::string& a, const std::string& b) {
    const RotationName ra = rotation_name(a), rb = rotation_name(b);
    if (ra.family != rb.family) return ra.family < rb.family;
    return ra.index > rb.index;
  });
}
}  // namespace

Result<std::vector<DirectoryEntry>> list_directory(const std::string& path) {
  DIR* dir = ::opendir(path.c_str());
  if (!dir) return make_error(ErrorCode::kUnreadable, std::strerror(errno));
  std::vector<DirectoryEntry> entries;
  for (;;) {
    errno = 0;
    const dirent* e = ::readdir(dir);
    if (!e) break;
    if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) entries.push_back({e->d_name, e->d_type});
  }
  const int error = errno;
  ::closedir(dir);
  if (error) return make_error(ErrorCode::kUnreadable, std::strerror(error));
  return entries;
}

namespace {

// What one directory entry is to the walk. A symbolic link is followed to a file, never to a
// directory (no cycles); one that leads nowhere here is not a log, listed once.
enum class EntryKind { kFile, kDirectory, kIgnored };
EntryKind classify(const std::string& path, unsigned char type, Discovery& d) {
  struct stat st {};
  if (type == DT_UNKNOWN) {
    if (::lstat(path.c_str(), &st) != 0) {
      d.problems.push_back({ErrorCode::kUnreadable, path + ": skipped: " + std::strerror(errno)});
      return EntryKind::kIgnored;
    }
    type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : S_ISLNK(st.st_mode) ? DT_LNK : DT_FIFO;
  }
  if (type == DT_DIR) return EntryKind::kDirectory;
  if (type == DT_REG) return EntryKind::kFile;
  if (type == DT_LNK) {
    if (::stat(path.c_str(), &st) == 0) {
      if (S_ISREG(st.st_mode)) return EntryKind::kFile;
      if (S_ISDIR(st.st_mode)) return EntryKind::kIgnored;
    } else if (errno == ENOENT) {
      // A copied /var/log's README -> ../../usr/share/doc/...: not a log.
      std::error_code ec;
      d.not_logs.push_back({path, "symbolic link to " + fs::read_symlink(path, ec).string() + ", which does not exist here"});
      return EntryKind::kIgnored;
    } else {  // a symlink loop
      d.problems.push_back({ErrorCode::kUnreadable, path + ": skipped: " + std::strerror(errno)});
      return EntryKind::kIgnored;
    }
  }
  // A FIFO, socket or device: never read (it may never end).
  d.problems.push_back({ErrorCode::kUnreadable, path + ": skipped: not a regular file"});
  return EntryKind::kIgnored;
}

// Walks one directory tree depth first, holding one path and, per level, the subdirectories
// still to visit: memory grows with the entries, not with the square of the depth (a
// recursive_directory_iterator keeps every level's path split into components: 6,000 levels
// took 1.9 GB). A directory that cannot be listed is named with the reason. Returns whether
// every directory could be listed.
bool walk_tree(std::string root, const ListDirectory& list, Discovery& d, std::vector<std::string>& found) {
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  struct Level {
    std::vector<std::string> subdirectories;
    size_t next = 0;
    size_t path_size = 0;  // the length of this level's path in `path`
  };
  std::vector<Level> levels;
  std::string path = root;
  bool complete = true;
  const auto enter = [&] {  // lists `path`, the next level
    auto entries = list(path);
    if (!entries) {
      d.problems.push_back({ErrorCode::kUnreadable, path + ": skipped: " + entries.error().message});
      complete = false;
      return;
    }
    Level level{{}, 0, path.size()};
    for (DirectoryEntry& e : *entries) {
      const std::string child = path + (path == "/" ? "" : "/") + e.name;
      switch (classify(child, e.type, d)) {
        case EntryKind::kFile: found.push_back(child); break;
        case EntryKind::kDirectory: level.subdirectories.push_back(std::move(e.name)); break;
        case EntryKind::kIgnored: break;
      }
    }
    levels.push_back(std::move(level));
  };
  enter();
  while (!levels.empty()) {
    Level& top = levels.back();
    if (top.next == top.subdirectories.size()) {
      levels.pop_back();
      continue;
    }
    path.resize(top.path_size);
    if (path != "/") path += '/';
    path += std::exchange(top.subdirectories[top.next++], {});
    enter();
  }
  return complete;
}

// One file, one read: the same device and inode under a second path (the file given twice, a
// symbolic link or a hard link to it in the same tree) is dropped, or, where the path kept was a
// symbolic link, takes its place, so the file is read under its own name.
void drop_duplicates(Discovery& d) {
  std::map<std::pair<dev_t, ino_t>, size_t> first;  // file -> its place among the kept paths
  std::vector<std::string> kept;
  kept.reserve(d.files.size());
  for (std::string& path : d.files) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {  // the read will say why
      kept.push_back(std::move(path));
      continue;
    }
    const auto [it, fresh] = first.try_emplace({st.st_dev, st.st_ino}, kept.size());
    if (fresh) {
      kept.push_back(std::move(path));
      continue;
    }
    std::string& earlier = kept[it->second];
    struct stat link {};
    if (::lstat(earlier.c_str(), &link) == 0 && S_ISLNK(link.st_mode) && ::lstat(path.c_str(), &link) == 0 &&
        !S_ISLNK(link.st_mode))
      std::swap(earlier, path);
    std::string reason = path == earlier ? "given more than once" : "the same file as " + earlier;
    d.duplicates.push_back({std::move(path), std::move(reason)});
  }
  d.files = std::move(kept);
}

}  // namespace

Discovery discover_files(const std::vector<std::string>& paths, const ListDirectory& list) {
  Discovery d;
  for (const std::string& p : paths) {
    std::error_code ec;
    const fs::file_status st = fs::status(p, ec);
    if (ec || !fs::exists(st)) {
      // ELOOP (a symlink loop), EACCES ...: say which; a missing path is the common case.
      const bool missing = !ec || ec == std::errc::no_such_file_or_directory;
      d.problems.push_back({missing ? ErrorCode::kNotFound : ErrorCode::kUnreadable,
                            p + ": " + (missing ? std::string("no such file or directory") : ec.message())});
      continue;
    }
    if (fs::is_directory(st)) {
      std::vector<std::string> found;
      const bool complete = walk_tree(p, list, d, found);
      if (found.empty()) {
        // An unreadable directory was named already: "holds no files" would be the wrong reason.
        if (complete) d.problems.push_back({ErrorCode::kEmpty, p + ": directory holds no files"});
        continue;
      }
      std::sort(found.begin(), found.end());
      order_rotations(found);
      d.files.insert(d.files.end(), found.begin(), found.end());
    } else {
      d.files.push_back(p);
    }
  }
  drop_duplicates(d);
  return d;
}

std::string strip_compression_suffix(const std::string& path) {
  for (const char* suffix : {".gz", ".xz", ".zst"})
    if (path.ends_with(suffix)) return path.substr(0, path.size() - std::char_traits<char>::length(suffix));
  return path;
}

RotationName rotation_name(const std::string& path) {
  std::string name = strip_compression_suffix(path);
  const size_t dot = name.rfind('.');
  if (dot != std::string::npos && dot + 1 < name.size() && name.size() - dot - 1 <= 3 &&
      std::all_of(name.begin() + dot + 1, name.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return {name.substr(0, dot), std::stoi(name.substr(dot + 1))};
  }
  return {name, 0};
}

}  // namespace hindcast
