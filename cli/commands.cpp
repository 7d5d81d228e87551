// analyze, timeline and sniff over files (export and analyze --clickhouse are in cli/fleet.cpp).
// Each one: ingest (problems reported, never fatal for the other inputs), then render. Exit 2
// only when nothing at all could be read.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/terminal.h"
#include "engine/input/discover.h"
#include "engine/report/analyze.h"
#include "engine/report/html_report.h"
#include "engine/report/json_report.h"
#include "engine/report/markdown_report.h"
#include "engine/report/safe_text.h"

namespace hindcast::cli {

std::optional<Ingest> load(const Options& o, const Executor& executor, int* exit_code, RunProgress* progress,
                           bool keep_empty) {
  IngestOptions options = o.ingest;
  options.progress = progress;
  std::optional<ProgressBar> bar;
  if (progress) bar.emplace(*progress);
  auto in = ingest(options, executor);
  if (bar) bar->stop();  // before any message, so the two never share a line
  if (!in) {
    spdlog::error("{}", printable(in.error().message));
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  report_ingest(*in);
  for (const std::string& w : in->resolution.warnings) spdlog::info("{}", printable(w));
  if (in->total_events() == 0) {
    spdlog::error("nothing readable: no log records in {} input path(s)", o.ingest.inputs.size());
    *exit_code = kExitNothingReadable;
    if (!keep_empty) return std::nullopt;
  } else if (const auto empty = empty_window(o.ingest.window, *in)) {
    // analyze has nothing to draft from (before, it drafted the whole logs' incident); a timeline
    // of an empty window is empty, and says why.
    if (o.command != Command::kAnalyze) {
      spdlog::warn("{}", *empty);
    } else {
      spdlog::error("{}: no report drafted", *empty);
      *exit_code = kExitNothingReadable;
      return std::nullopt;
    }
  }
  return std::move(*in);
}

std::optional<std::string> empty_window(const TimeWindow& window, const Ingest& in) {
  if ((!window.since && !window.until) || in.timeline.size() > 0) return std::nullopt;
  const Event* first = nullptr;
  const Event* last = nullptr;
  for (const Source& s : in.sources)
    if (const auto [f, l] = s.anchored_ends(); f) {
      if (!first || f->time_ns < first->time_ns) first = f;
      if (!last || l->time_ns > last->time_ns) last = l;
    }
  if (!first) return std::nullopt;  // nothing anchored at all: the sources' warnings say why
  return "nothing in this window (the logs run from " + format_rfc3339_utc(Instant{first->time_ns}, first->precision) + " to " +
         format_rfc3339_utc(Instant{last->time_ns}, last->precision) + ")";
}

void report_ingest(const Ingest& in) {
  for (const Error& e : in.problems) spdlog::warn("{}", printable(e.message));
  for (const auto& [name, seconds] : in.phase_seconds) spdlog::debug("{:<16} {:.3f} s", name, seconds);
  spdlog::debug("{} events from {} sources, {} on the timeline", in.total_events(), in.sources.size(), in.timeline.size());
  // Memory: the text is mapped (file pages); what grows with the input is anonymous memory.
  if (FILE* f = std::fopen("/proc/self/status", "r")) {
    char line[256];
    long anon_kb = 0, hwm_kb = 0;
    while (std::fgets(line, sizeof line, f)) {
      std::sscanf(line, "RssAnon: %ld kB", &anon_kb);
      std::sscanf(line, "VmHWM: %ld kB", &hwm_kb);
    }
    std::fclose(f);
    const double events = static_cast<double>(std::max<uint64_t>(in.total_events(), 1));
    spdlog::debug("memory: {} MB anonymous ({:.1f} bytes per event), peak RSS {} MB (mapped text included)",
                  anon_kb / 1024, anon_kb * 1024.0 / events, hwm_kb / 1024);
  }
}

namespace {

int finish(Output& out) {
  if (!out.close()) {
    spdlog::error("write failed: {}", out.error().empty() ? "output error" : out.error());
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace

int run_analyze(const Options& o, const Executor& executor) {
  int code = kExitOk;
  RunProgress progress;
  const bool show_progress = use_progress(o.progress, o.verbosity);
  auto in = load(o, executor, &code, show_progress ? &progress : nullptr);
  if (!in) return code;
  return write_analysis(o, executor, *in, show_progress ? &progress : nullptr);
}

int write_analysis(const Options& o, const Executor& executor, const Ingest& in, RunProgress* shown) {
  std::optional<ProgressBar> bar;
  if (shown) {
    shown->set_stage(RunStage::kAnalyzing);
    bar.emplace(*shown);  // the ingest's bar stopped with load(); the analysis gets its own
  }
  const auto t0 = std::chrono::steady_clock::now();
  const Report report = analyze(in, executor);
  spdlog::debug("{:<16} {:.3f} s", "analyze", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  if (shown) shown->set_stage(RunStage::kWriting);
  const std::string text = o.format == "json" ? render_json(report) : o.format == "html" ? render_html(report) : render_markdown(report);
  if (bar) bar->stop();
  Output out(o.output_file);
  if (!out.ok()) {
    spdlog::error("{}", printable(out.error()));
    return kExitUsage;
  }
  // The summary goes first, to the terminal, and only there unless asked for.
  const bool summary = o.summary == "always" || (o.summary == "auto" && isatty(STDOUT_FILENO));
  if (summary) {
    Output screen("");
    screen.write(terminal_summary(report, use_color(o.color), o.output_file.empty() ? "" : o.output_file));
    if (o.output_file.empty()) screen.write("\n");
    screen.close();
  }
  out.write(text);
  return finish(out);
}

int run_timeline(const Options& o, const Executor& executor) {
  int code = kExitOk;
  RunProgress progress;
  const bool show_progress = use_progress(o.progress, o.verbosity);
  auto in = load(o, executor, &code, show_progress ? &progress : nullptr);
  if (!in) return code;
  Output out(o.output_file);
  if (!out.ok()) {
    spdlog::error("{}", printable(out.error()));
    return kExitUsage;
  }
  if (o.format == "count") {
    out.write(std::to_string(in->timeline.size()) + "\n");
    return finish(out);
  }
  std::optional<ProgressBar> bar;
  if (show_progress) {
    progress.set_stage(RunStage::kWriting);
    bar.emplace(progress);  // a long export gets its own bar, counted in events
  }
  write_timeline(in->timeline, o.format, out, show_progress ? &progress : nullptr);
  if (bar) bar->stop();
  return finish(out);
}

int run_sniff(const Options& o, const Executor& executor) {
  int code = kExitOk;
  auto in = load(o, executor, &code, nullptr, /*keep_empty=*/true);
  if (!in) return code;
  std::string s;
  for (const Source& src : in->sources) {
    char score[64];
    std::snprintf(score, sizeof score, "%.2f", src.format_score);
    s += printable(src.path) + "\n  format:     " + src.format + " (score " + score;
    if (!src.runner_up.empty()) {
      std::snprintf(score, sizeof score, "%.2f", src.runner_up_score);
      s += "; runner-up " + src.runner_up + " " + score;
    }
    s += ")\n";
    s += "  lines:      " + std::to_string(src.lines) + " (" + std::to_string(src.events.size()) + " events, " +
         std::to_string(src.continuation_lines) + " continuation, " + std::to_string(src.skipped) + " skipped)\n";
    if (src.compressed) s += "  compressed: " + src.compression + "\n";
    if (src.compression == "journal") s += "  read as:    journald JSON lines (one per journal entry, in file order)\n";
    if (const RotationName rot = rotation_name(src.path); rot.index > 0 && src.format != "strace")
      s += "  rotation:   " + std::to_string(rot.index) + " of " + printable(rot.family) + " (read oldest first)\n";
    if (src.strace_pid) s += "  pid:        " + std::to_string(src.strace_pid) + " (from the file name)\n";
    s += "  time basis: " + (src.time_basis.empty() ? std::string("none") : printable(src.time_basis)) + "\n";  // may name a file
    for (const SkipRecord& k : src.skips)
      s += "  skipped:    " + std::to_string(k.count) + " × " + k.reason + " (first at line " + std::to_string(k.first_line) + ")\n";
    for (const std::string& w : src.warnings) s += "  warning:    " + printable(w) + "\n";
  }
  if (!in->not_logs.empty()) {
    s += "not logs (" + std::to_string(in->not_logs.size()) + " files, not read):\n";
    for (const NotALog& n : in->not_logs) s += "  " + printable(n.path) + "  (" + printable(n.reason) + ")\n";
  }
  Output out("");
  out.write(s);
  const int written = finish(out);
  return written != kExitOk ? written : code;
}

}  // namespace hindcast::cli
