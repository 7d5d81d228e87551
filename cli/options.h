// The command line: subcommand, inputs and options, parsed with Boost.Program_options.
#pragma once
#include <optional>
#include <variant>
#include <string>
#include <vector>

#include "engine/ingest.h"

namespace hindcast::cli {

enum class Command { kAnalyze, kTimeline, kSniff };

struct Options {
  Command command = Command::kAnalyze;
  IngestOptions ingest;
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

// Returns the options, or an exit code when the command line was handled (help) or wrong.
std::variant<Options, int> parse_command_line(int argc, char** argv);

int run_analyze(const Options& o);
int run_timeline(const Options& o);
int run_sniff(const Options& o);

}  // namespace hindcast::cli
