// What the CLI shows a person at a terminal: a short coloured summary of the analysis on
// stdout, and a progress bar on stderr for long runs. Neither ever reaches a pipe or a CI log
// unless asked for (--color always, --summary always, --progress always).
#pragma once
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "engine/progress.h"
#include "engine/report/report.h"

namespace hindcast::cli {

// --color auto|always|never; auto: colour when stdout is a terminal, NO_COLOR is unset or empty
// and TERM is not "dumb". The option wins over NO_COLOR (no-color.org).
bool use_color(const std::string& option);
// --progress auto|always|never; auto: stderr is a terminal, CI is not set, TERM is not "dumb",
// and the run is not verbose (-v prints its own timings).
bool use_progress(const std::string& option, int verbosity);

// The summary: what, when, how bad, why, and where the full report went. Every string from the
// logs is escaped (printable()), so no log line can move the cursor or recolour the terminal.
std::string terminal_summary(const Report& r, bool color, const std::string& written_to);

// Draws a bar on stderr from another thread, once the input is over ~100 MB or the run has
// taken ~2 s; the line is cleared when it stops.
class ProgressBar {
 public:
  explicit ProgressBar(RunProgress& progress);
  ~ProgressBar();
  void stop();

 private:
  void run();
  void draw(std::chrono::steady_clock::duration elapsed);
  RunProgress& progress_;
  std::chrono::steady_clock::time_point start_;
  std::atomic<bool> stop_{false};
  bool drawn_ = false;
  std::thread thread_;
};

}  // namespace hindcast::cli
