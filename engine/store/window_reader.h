// Analyze from the store: the window of some hosts read back into an Ingest, the same kind of
// object a run over the files makes, so the ordinary timeline and analysis run on it.
//
//   auto in = read_window({.url = url, .since = t0, .until = t1, .hosts = {"web-07", "db-2"}});
//   Report r = analyze(*in);
//
// ClickHouse does the selection (the hosts, the window, anchored events only) and sends what the
// analysis needs: the records' text and the Event fields, not the decoded columns. Of a row there
// twice (exported again, not yet merged) the latest version counts, as FINAL would give. Each
// (host, file) becomes a Source again: its text is its records in the window, one after another;
// its events are re-created from the stored fields (the time as stored, never resolved again,
// each line number the stored one), decoded on demand by the parser its format names, as for a
// file. What the report says of each file (format, lines, skipped lines, time basis) and of
// each export run (inputs, problems, clock) comes from the sources table.
#pragma once
#include <string>
#include <vector>

#include "engine/core/error.h"
#include "engine/core/time.h"
#include "engine/ingest.h"
#include "engine/store/schema.h"

namespace hindcast::store {

struct WindowQuery {
  std::string url;
  std::string table = std::string(kDefaultTable);
  Instant since, until;            // inclusive, as --since/--until
  std::vector<std::string> hosts;  // empty: every host in the store
};

struct WindowStats {
  uint64_t rows = 0;       // event rows received
  uint64_t bytes = 0;      // bytes of the answers
  uint64_t stale_rows = 0;  // rows of an older export of their file (superseded, not read)
  uint64_t superseded_rows = 0;  // rows there twice in the export read (counted once)
  std::string server;      // the server's display name
};

// Fails when the store cannot be read or holds no file of the hosts; an empty window is an
// Ingest without events (the caller decides what that means). The sources are rebuilt and merged
// on the executor's threads.
Result<Ingest> read_window(const WindowQuery& q, const Executor& executor, WindowStats* stats = nullptr);

}  // namespace hindcast::store
