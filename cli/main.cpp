// hindcast: reconstructs an outage from the logs it left behind. The CLI is a thin shell:
// parse the command line, run one command of the engine, print.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <new>

#include "cli/options.h"

namespace {
int run_command(const hindcast::cli::Options& o, const hindcast::Executor& executor) {
  switch (o.command) {
    case hindcast::cli::Command::kAnalyze:
      return o.store.url.empty() ? hindcast::cli::run_analyze(o, executor) : hindcast::cli::run_analyze_store(o, executor);
    case hindcast::cli::Command::kTimeline: return hindcast::cli::run_timeline(o, executor);
    case hindcast::cli::Command::kSniff: return hindcast::cli::run_sniff(o, executor);
    case hindcast::cli::Command::kExport: return hindcast::cli::run_export(o, executor);
  }
  return hindcast::cli::kExitUsage;
}
}  // namespace

int main(int argc, char** argv) {
  auto logger = spdlog::stderr_color_mt("hindcast");
  logger->set_pattern("hindcast: %^%l%$: %v");
  spdlog::set_default_logger(logger);

  auto parsed = hindcast::cli::parse_command_line(argc, argv);
  if (const int* code = std::get_if<int>(&parsed)) return *code;
  const auto& o = std::get<hindcast::cli::Options>(parsed);
  // Diagnostics follow --color and NO_COLOR too (spdlog's own "automatic" checks only the tty).
  const char* no_color = std::getenv("NO_COLOR");
  const auto mode = o.color == "always"                              ? spdlog::color_mode::always
                    : o.color == "never" || (no_color && *no_color) ? spdlog::color_mode::never
                                                                    : spdlog::color_mode::automatic;
  if (auto sink = std::dynamic_pointer_cast<spdlog::sinks::stderr_color_sink_mt>(logger->sinks().front()))
    sink->set_color_mode(mode);
  spdlog::set_level(o.verbosity < 0 ? spdlog::level::err
                    : o.verbosity > 0 ? spdlog::level::debug
                                      : spdlog::level::warn);
  // The run's one executor: every parallel pass below runs on it (engine/parallel.h).
  const hindcast::Executor executor(o.threads);
  // Out of memory ends the run wherever it happens, with one exit code (docs/robustness.md).
  try {
    return run_command(o, executor);
  } catch (const std::bad_alloc&) {
    spdlog::error("out of memory: the run stopped (read fewer files at once, or give hindcast more memory)");
    return hindcast::cli::kExitOutOfMemory;
  }
}
