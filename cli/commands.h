// What the commands share: the ingest with its problems reported, and the analysis written out.
#pragma once
#include <optional>
#include <string>

#include "cli/options.h"
#include "engine/ingest.h"
#include "engine/progress.h"

namespace hindcast::cli {

// Runs the ingest and reports every problem on stderr, one line each. Messages name files, and
// file names are bytes: printable() keeps an escape sequence in a name from acting on the
// terminal. With no record at all it fails (exit 2), unless `keep_empty` (sniff: what was found
// and why nothing was read is then the answer), which still sets exit 2. A --since/--until window
// that holds no event of logs that have some is said; analyze then fails (exit 2).
std::optional<Ingest> load(const Options& o, const Executor& executor, int* exit_code, RunProgress* progress,
                           bool keep_empty = false);
// "nothing in this window (the logs run from A to B)" when `window` leaves `in` an empty timeline
// but its logs have anchored events; nothing otherwise.
std::optional<std::string> empty_window(const TimeWindow& window, const Ingest& in);
// The problems, the phase timings and the memory of an ingest, on stderr (-v for the last two).
void report_ingest(const Ingest& in);
// Analyses `in` and writes the report in o.format (the terminal summary first where asked);
// `progress`, when given, drives a bar on the way.
int write_analysis(const Options& o, const Executor& executor, const Ingest& in, RunProgress* progress);

}  // namespace hindcast::cli
