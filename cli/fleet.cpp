// The fleet commands: export (the logs' events into the ClickHouse store) and analyze
// --clickhouse (a window of the store's hosts read back and analysed as files are). The work is
// in engine/store/; this is the shell around it.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <climits>
#include <optional>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/terminal.h"
#include "engine/core/time.h"
#include "engine/report/safe_text.h"
#include "engine/store/batch_writer.h"
#include "engine/store/window_reader.h"

namespace hindcast::cli {
namespace {

std::string machine_name() {
  char name[HOST_NAME_MAX + 1] = {0};
  return gethostname(name, sizeof name) == 0 ? std::string(name) : std::string("localhost");
}

int store_failure(const Error& e) {
  spdlog::error("{}", printable(e.message));
  switch (e.code) {
    case ErrorCode::kUsage: return kExitUsage;
    case ErrorCode::kEmpty:
    case ErrorCode::kNotFound: return kExitNothingReadable;  // no table, no file of the hosts: nothing to read
    default: return kExitStore;
  }
}

}  // namespace

int run_export(const Options& o, const Executor& executor) {
  int code = kExitOk;
  RunProgress progress;
  const bool show_progress = use_progress(o.progress, o.verbosity);
  auto in = load(o, executor, &code, show_progress ? &progress : nullptr);
  if (!in) return code;
  store::ExportOptions eo;
  eo.url = o.store.url;
  eo.table = o.store.table;
  eo.fallback_host = o.store.host.empty() ? machine_name() : o.store.host;
  eo.tz = o.ingest.resolve.tz;
  eo.progress = show_progress ? &progress : nullptr;
  size_t nameless = 0;
  for (const Source& s : in->sources) nameless += s.host.empty();
  if (nameless)
    spdlog::warn("{} of {} files name no host: stored as host {}{}", nameless, in->sources.size(), printable(eo.fallback_host),
                 o.store.host.empty() ? " (this machine; --host to choose)" : "");
  std::optional<ProgressBar> bar;
  if (show_progress) {
    progress.set_stage(RunStage::kWriting);
    bar.emplace(progress);
  }
  auto done = store::export_ingest(*in, eo);
  if (bar) bar->stop();
  if (!done) return store_failure(done.error());
  const double mb = static_cast<double>(done->bytes) / 1e6;
  spdlog::debug("export           {:.3f} s", done->seconds);
  if (o.verbosity >= 0)
    std::fprintf(stderr, "hindcast: exported %llu events of %zu files to %s (%s) in %zu batches: %.1f MB in %.2f s, "
                 "%.0f rows/s, %.1f MB/s\n",
                 static_cast<unsigned long long>(done->rows), done->sources, o.store.table.c_str(),
                 printable(done->server.empty() ? o.store.url : done->server).c_str(), done->batches, mb, done->seconds,
                 done->seconds > 0 ? static_cast<double>(done->rows) / done->seconds : 0.0,
                 done->seconds > 0 ? mb / done->seconds : 0.0);
  return kExitOk;
}

int run_analyze_store(const Options& o, const Executor& executor) {
  store::WindowQuery q;
  q.url = o.store.url;
  q.table = o.store.table;
  q.since = *o.ingest.window.since;
  q.until = *o.ingest.window.until;
  q.hosts = o.store.hosts;
  store::WindowStats stats;
  auto in = store::read_window(q, executor, &stats);
  if (!in) return store_failure(in.error());
  report_ingest(*in);
  spdlog::debug("read back {} rows ({:.1f} MB) from {}; {} rows of older exports not read, {} there twice counted once",
                stats.rows, static_cast<double>(stats.bytes) / 1e6, printable(stats.server), stats.stale_rows,
                stats.superseded_rows);
  if (in->timeline.size() == 0) {
    spdlog::error("nothing in the window {} .. {} of {} in {}", format_rfc3339_utc(q.since, 0), format_rfc3339_utc(q.until, 0),
                  q.hosts.empty() ? std::string("any host") : "the hosts asked for", printable(q.table));
    return kExitNothingReadable;
  }
  RunProgress progress;
  return write_analysis(o, executor, *in, use_progress(o.progress, o.verbosity) ? &progress : nullptr);
}

}  // namespace hindcast::cli
