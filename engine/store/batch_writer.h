// Export: an ingest's events and sources into the fleet store (engine/store/schema.h).
//
//   auto in = ingest(options);                        // parsed and resolved as `timeline` does
//   auto done = export_ingest(*in, {.url = "http://127.0.0.1:8123/"});
//
// Each source's events go in batches of at most `batch_rows` rows, one INSERT each, encoded as
// RowBinary while libcurl sends them (chunked): memory stays bounded by a transfer buffer, not by
// the batch. A failed batch is tried again (ClickHouseHttp's retries) by encoding it anew; one
// that still fails ends the export with an error naming it. The sources' rows go last, once
// every batch is in: they are what the reader starts from, so a source whose events did not all
// arrive keeps the rows of its previous export (docs/fleet.md: what an interrupted export leaves).
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "engine/core/error.h"
#include "engine/ingest.h"
#include "engine/progress.h"
#include "engine/store/schema.h"

namespace hindcast::store {

struct ExportOptions {
  std::string url;
  std::string table = std::string(kDefaultTable);
  // The host of sources that name none (no syslog, journal or directory gave one).
  std::string fallback_host;
  std::optional<std::string> tz;  // the --tz the ingest used: stored as the clock's zone
  size_t batch_rows = 200000;
  RunProgress* progress = nullptr;  // events_total / events_written, when given
};

struct ExportOutcome {
  uint64_t rows = 0;
  uint64_t bytes = 0;    // RowBinary bytes sent for the events (the last attempt of each batch)
  uint64_t text_bytes = 0;  // of which the records' text
  size_t batches = 0;
  size_t sources = 0;
  uint64_t export_ns = 0;  // the export's version (docs/fleet.md)
  std::string server;      // the server's display name, when it has one
  double seconds = 0;
};

Result<ExportOutcome> export_ingest(const Ingest& in, const ExportOptions& options);

}  // namespace hindcast::store
