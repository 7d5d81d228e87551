// The command line: subcommand, inputs and options, parsed with Boost.Program_options.
#pragma once
#include <optional>
#include <variant>
#include <string>
#include <vector>

#include "engine/ingest.h"

namespace hindcast::cli {

enum class Command { kAnalyze, kTimeline, kSniff, kExport };

// The fleet store (ClickHouse): export writes to it, analyze --clickhouse reads a window from it.
struct StoreOptions {
  std::string url;                 // --clickhouse URL; empty: no store
  std::string table;               // --table NAME
  std::vector<std::string> hosts;  // analyze --hosts a,b,...: empty for every host
  std::string host;                // export --host NAME: the host of files that name none
};

struct Options {
  Command command = Command::kAnalyze;
  IngestOptions ingest;
  unsigned threads = 0;     // --threads: the run's one Executor is made from it (cli/main.cpp); 0: one per core
  StoreOptions store;
  std::string format;       // analyze: md|json|html; timeline: text|jsonl|csv|timesketch|ecs|count
  std::string output_file;  // -o; empty = stdout
  int verbosity = 0;        // -1 quiet, 0 normal, 1 verbose
  std::string color = "auto";     // --color auto|always|never (NO_COLOR respected under auto)
  std::string progress = "auto";  // --progress auto|always|never
  std::string summary = "auto";   // analyze --summary auto|always|never: the terminal summary
};

// Exit codes, documented in --help and README.
constexpr int kExitOk = 0;
constexpr int kExitUsage = 1;
constexpr int kExitNothingReadable = 2;
constexpr int kExitStore = 3;  // the store (ClickHouse) could not be reached or refused a request
constexpr int kExitOutOfMemory = 4;  // an allocation failed, anywhere in the run (cli/main.cpp)

// Returns the options, or an exit code when the command line was handled (help) or wrong.
std::variant<Options, int> parse_command_line(int argc, char** argv);

// Each command runs on `executor`, made once from --threads where the run starts (cli/main.cpp).
int run_analyze(const Options& o, const Executor& executor);
int run_timeline(const Options& o, const Executor& executor);
int run_sniff(const Options& o, const Executor& executor);
int run_export(const Options& o, const Executor& executor);          // cli/fleet.cpp
int run_analyze_store(const Options& o, const Executor& executor);   // analyze --clickhouse: cli/fleet.cpp

}  // namespace hindcast::cli
