// analyze end to end on a small directory: the input is split into up to four files (at
// "\n====\n" lines; the first file is gzip-compressed when the first byte says so), written
// to a fresh directory, then ingest -> analyze -> JSON and Markdown, as `hindcast analyze` runs.
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "engine/ingest.h"
#include "engine/report/analyze.h"
#include "engine/report/json_report.h"
#include "engine/report/markdown_report.h"
#include "fuzz/fuzz_support.h"

using namespace hindcast;
namespace fs = std::filesystem;

namespace {
const fs::path& work_dir() {
  static const fs::path dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    fs::path d = fs::path(tmp && *tmp ? tmp : "/tmp") / ("hindcast-fuzz-analyze." + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }();
  return dir;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t opts = data[0];
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const fs::path dir = work_dir() / "case";
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir);
  static constexpr const char* kNames[] = {"access.log", "error.log", "syslog", "strace.log"};
  size_t k = 0;
  for (std::string_view part : fuzz::split_files(text, 4)) {
    const fs::path path = dir / kNames[k];
    if (k == 0 && (opts & 1)) {
      gzFile gz = gzopen((path.string() + ".1.gz").c_str(), "wb");
      gzwrite(gz, part.data(), static_cast<unsigned>(part.size()));
      gzclose(gz);
    } else {
      std::ofstream(path, std::ios::binary).write(part.data(), static_cast<std::streamsize>(part.size()));
    }
    ++k;
  }
  IngestOptions o;
  o.inputs = {dir.string()};
  o.chunk_bytes = (opts & 2) ? 64 : 8 << 20;
  if (opts & 4) o.resolve.year = 2023;
  auto in = ingest(o, Executor::serial());
  HINDCAST_FUZZ_CHECK(in.has_value());
  if (in->total_events() == 0) return 0;  // the CLI's exit 2
  const Report report = analyze(*in, Executor::serial());
  const std::string json = render_json(report);
  const std::string md = render_markdown(report);
  HINDCAST_FUZZ_CHECK(!json.empty() && !md.empty());
  return 0;
}
