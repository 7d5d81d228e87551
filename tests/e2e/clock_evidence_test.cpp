// Clock evidence per writer: logs written in UTC (a 'Z', "+00:00" from a UTC-logging program,
// an epoch) say nothing about the zone of the host's wall clock. Adding them to seed-classic
// must not move any zone-less source, so the analysis stays what it was.
#include <gtest/gtest.h>
#include <simdjson.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/support/support.h"

namespace hindcast::test {
namespace {

namespace fs = std::filesystem;

// JSON lines every 5 s across the incident (13:00:00Z .. 13:02:30Z), in one time notation.
std::string json_log(const std::string& notation) {
  std::string out;
  for (int s = 0; s <= 150; s += 5) {
    const int minute = s / 60, second = s % 60;
    char stamp[64];
    if (notation == "zulu") std::snprintf(stamp, sizeof stamp, "\"2023-11-03T13:%02d:%02d.250Z\"", minute, second);
    else if (notation == "plus-zero") std::snprintf(stamp, sizeof stamp, "\"2023-11-03T13:%02d:%02d.250+00:00\"", minute, second);
    else std::snprintf(stamp, sizeof stamp, "%lld.25", 1699016400LL + s);  // epoch seconds
    out += "{\"time\": " + std::string(stamp) + ", \"level\": \"info\", \"logger\": \"billing-worker\", \"msg\": \"batch " +
           std::to_string(s) + " done\"}\n";
  }
  return out;
}

// Run from `parent` on "seed", so both reports name their files alike.
std::string report_of(const fs::path& parent) {
  const CommandResult r = run_hindcast({"analyze", "seed", "--format", "json", "-q"}, parent.string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

std::string field(const std::string& report, const char* a, const char* b = nullptr) {
  simdjson::dom::parser p;
  simdjson::dom::element e = p.parse(simdjson::padded_string(report)).value()[a];
  if (b) e = e[b];
  return simdjson::minify(e);
}

std::string time_basis_of(const std::string& report, const std::string& file_suffix) {
  simdjson::dom::parser p;
  const simdjson::dom::element doc = p.parse(simdjson::padded_string(report)).value();
  const simdjson::dom::array sources = doc["sources"].get_array().value();
  for (simdjson::dom::element s : sources) {
    const std::string path(std::string_view(s["path"].get_string().value()));
    if (path.ends_with(file_suffix)) return std::string(std::string_view(s["time_basis"].get_string().value()));
  }
  return {};
}

TEST(ClockEvidence, UtcWritersDoNotShiftZonelessSources) {
  const fs::path base = fs::temp_directory_path() / ("hindcast-utc-writers-" + std::to_string(::getpid()));
  fs::remove_all(base);
  fs::create_directories(base / "plain" / "seed");
  fs::create_directories(base / "with-utc-logs" / "seed");
  for (const auto& f : fs::directory_iterator(repo_dir() + "/sample_logs/seed-classic")) {
    fs::copy_file(f.path(), base / "plain" / "seed" / f.path().filename());
    fs::copy_file(f.path(), base / "with-utc-logs" / "seed" / f.path().filename());
  }
  for (const std::string notation : {"zulu", "plus-zero", "epoch"})
    std::ofstream(base / "with-utc-logs" / "seed" / ("app-" + notation + ".jsonl")) << json_log(notation);

  const std::string plain = report_of(base / "plain");
  const std::string with = report_of(base / "with-utc-logs");
  for (const char* key : {"incident", "trigger", "resolution"}) EXPECT_EQ(field(with, key), field(plain, key)) << key;
  EXPECT_EQ(field(with, "root_cause", "kind"), field(plain, "root_cause", "kind"));
  EXPECT_EQ(field(with, "root_cause", "object"), field(plain, "root_cause", "object"));
  EXPECT_EQ(field(with, "root_cause", "evidence"), field(plain, "root_cause", "evidence"));
  for (const char* zoneless : {"error.log", "syslog", "strace.log"})
    EXPECT_EQ(time_basis_of(with, zoneless), time_basis_of(plain, zoneless)) << zoneless;
  EXPECT_NE(time_basis_of(with, "error.log").find("-04:00"), std::string::npos);
  fs::remove_all(base);
}

}  // namespace
}  // namespace hindcast::test
