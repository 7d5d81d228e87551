#include "engine/input/discover.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

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

Discovery discover_files(const std::vector<std::string>& paths) {
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
      fs::recursive_directory_iterator it(p, fs::directory_options::skip_permission_denied, ec), end;
      if (ec) {
        d.problems.push_back({ErrorCode::kUnreadable, p + ": " + ec.message()});
        continue;
      }
      for (; it != end; it.increment(ec)) {
        if (ec) {
          d.problems.push_back({ErrorCode::kUnreadable, p + ": " + ec.message()});
          break;
        }
        std::error_code fec;
        if (it->is_regular_file(fec)) {
          found.push_back(it->path().string());
        } else if (std::error_code lec; it->is_symlink(lec) && !fs::exists(it->path(), lec) && !lec) {
          // A link that leads nowhere here (a copied /var/log's README -> ../../usr/share/doc/...):
          // not a log, listed once.
          d.not_logs.push_back({it->path().string(), "symbolic link to " + fs::read_symlink(it->path(), lec).string() +
                                                         ", which does not exist here"});
        } else if (fec) {  // a dangling link or a symlink loop
          d.problems.push_back({ErrorCode::kUnreadable, it->path().string() + ": skipped: " + fec.message()});
        } else if (!it->is_directory(fec)) {  // a FIFO, socket or device: never read (it may never end)
          d.problems.push_back({ErrorCode::kUnreadable, it->path().string() + ": skipped: not a regular file"});
        }
      }
      if (found.empty()) {
        d.problems.push_back({ErrorCode::kEmpty, p + ": directory holds no files"});
        continue;
      }
      std::sort(found.begin(), found.end());
      order_rotations(found);
      d.files.insert(d.files.end(), found.begin(), found.end());
    } else {
      d.files.push_back(p);
    }
  }
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
