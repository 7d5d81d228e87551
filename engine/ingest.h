// Step one of every command: find the files, read them, detect each one's format, parse it,
// resolve every time and merge the timeline. Problems with one input are collected, never
// fatal for the others.
#pragma once
#include <string>
#include <vector>

#include "engine/core/error.h"
#include "engine/core/source.h"
#include "engine/parallel.h"
#include "engine/progress.h"
#include "engine/resolve/resolver.h"
#include "engine/timeline/timeline.h"
#include "parsers/registry.h"

namespace hindcast {

struct IngestOptions {
  std::vector<std::string> inputs;
  std::string access_format;  // --access-format: an Apache LogFormat string, empty for the built-ins
  ResolveOptions resolve;
  TimeWindow window;
  size_t chunk_bytes = 8 << 20;         // large files are parsed in chunks of about this size
  RunProgress* progress = nullptr;      // updated as the run goes (a progress bar), when set
};

// A file found among the logs that is not one (see engine/input/not_a_log.h).
struct NotALog {
  std::string path;
  std::string reason;
};

struct Ingest {
  std::vector<std::string> inputs;
  std::vector<Source> sources;
  std::vector<NotALog> not_logs;  // listed once (sniff), never parsed, not one warning each
  std::vector<Error> problems;  // unreadable paths, unknown formats, corrupt .gz
  ResolveOutcome resolution;
  Timeline timeline;
  std::vector<std::pair<std::string, double>> phase_seconds;  // where the time went (shown by -v)
  uint64_t total_events() const;
};

// Reads one file into a Source with its format detected (and parsed unless `parse` is false).
// `parsers` are the candidates for detection (default: all built-in parsers).
Result<Source> load_source(const std::string& path, uint16_t id, bool parse, SniffResult* sniff,
                           const std::vector<const Parser*>& parsers = all_parsers());

// Errors only for unusable options (--tz); everything about the inputs is in `problems`. Every
// step runs on the executor's threads (the run's one executor: see engine/parallel.h).
Result<Ingest> ingest(const IngestOptions& options, const Executor& executor);

}  // namespace hindcast
