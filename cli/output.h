// Buffered output to stdout or a file (-o), and the timeline's line formats.
#pragma once
#include <cstdio>
#include <string>
#include <string_view>

#include "engine/progress.h"
#include "engine/timeline/timeline.h"

namespace hindcast::cli {

class Output {
 public:
  // Opens `path` for writing, or stdout when empty. ok() is false (and error() says why) if the
  // file cannot be created.
  explicit Output(const std::string& path);
  ~Output();
  bool ok() const { return file_ != nullptr; }
  const std::string& error() const { return error_; }
  void write(std::string_view s);
  bool close();  // flushes; false on a write error

 private:
  std::FILE* file_ = nullptr;
  bool owned_ = false;
  std::string error_;
};

std::string_view kind_name(EventKind k);
std::string_view severity_name(Severity s);

// One timeline line per event in the given format (text, jsonl, csv, timesketch, ecs).
// `progress`, when given, counts the events written (a progress bar for long exports).
void write_timeline(const Timeline& t, std::string_view format, Output& out, RunProgress* progress = nullptr);

}  // namespace hindcast::cli
