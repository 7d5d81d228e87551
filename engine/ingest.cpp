#include "engine/ingest.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <map>
#include <new>
#include <optional>

#include "engine/input/discover.h"
#include "engine/input/not_a_log.h"
#include "engine/input/read_file.h"
#include "engine/input/repeated_entries.h"
#include "engine/parallel.h"
#include "engine/resolve/boot_anchor.h"
#include "parsers/access_log_format.h"
#include "parsers/nginx_log_format.h"

namespace hindcast {
namespace {

std::string parent_directory(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

// strace -ff writes PREFIX.<pid>; the pid is not in the lines.
uint32_t pid_from_suffix(const std::string& path) {
  const std::string name = strip_compression_suffix(path);
  const size_t dot = name.rfind('.');
  if (dot == std::string::npos || dot + 1 == name.size() || name.size() - dot - 1 > 9) return 0;
  uint64_t v = 0;
  for (size_t i = dot + 1; i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9') return 0;
    v = v * 10 + static_cast<unsigned>(name[i] - '0');
  }
  return static_cast<uint32_t>(v);
}

// The directory that holds one host's logs: a copy of a host's tree (the directory above
// "var/log"), or a directory under "hosts/" ("hosts/web-07/..."); else the file's own directory.
std::string host_root(const std::string& path) {
  std::string dir = parent_directory(path);
  for (std::string d = dir; !d.empty() && d != "." && d != "/";) {
    const std::string parent = parent_directory(d);
    const std::string name = d.substr(d.rfind('/') == std::string::npos ? 0 : d.rfind('/') + 1);
    const std::string parent_name = parent.substr(parent.rfind('/') == std::string::npos ? 0 : parent.rfind('/') + 1);
    if (name == "log" && parent_name == "var") return parent_directory(parent);
    if (parent_name == "hosts") return d;
    if (parent == d) break;
    d = parent;
  }
  return dir;
}

// The host of logs that do not name one (access and error logs, strace): the host the message
// logs of the same host's tree name most often; for a tree under "hosts/" that names none, the
// tree's own name. A line that names its own host keeps it (Record::host).
void assign_hosts(std::vector<Source>& sources) {
  std::map<std::string, std::map<std::string, size_t>> votes;  // host tree -> host -> lines
  std::map<std::string, std::string> root_of;                  // path -> its host tree (computed once)
  for (const Source& s : sources) {
    const std::string& root = root_of.try_emplace(s.path, host_root(s.path)).first->second;
    size_t looked = 0;
    for (const Event& e : s.events) {
      if (e.kind != EventKind::kMessage || ++looked > 64) break;
      Record r;
      if (decode_record(s, e, &r) && !r.host.empty()) ++votes[root][std::string(r.host)];
    }
  }
  std::map<std::string, std::string> host_of;  // host tree -> its host (once: a tree may hold thousands of files)
  for (const auto& [root, hosts] : votes) {
    size_t best = 0;
    for (const auto& [host, n] : hosts)
      if (n > best) {
        best = n;
        host_of[root] = host;
      }
  }
  for (Source& s : sources) {
    const std::string& root = root_of[s.path];
    if (const auto it = host_of.find(root); it != host_of.end()) {
      s.host = it->second;
    } else if (parent_directory(root).ends_with("hosts") || parent_directory(root) == "hosts") {
      s.host = root.substr(root.rfind('/') + 1);
    }
  }
}

// Events left out of the timeline are said with the run's problems, with how to anchor them: a
// dmesg file whose boot time nothing gives, or a strace -r trace, dropped out of `timeline`
// without a word (issue 28, item 5).
void report_unanchored(const std::vector<Source>& sources, std::vector<Error>& problems) {
  for (const Source& s : sources)
    for (const std::string& w : s.warnings) {
      if (!w.ends_with(kUnanchoredNote)) continue;
      std::string how;
      if (s.format == "dmesg")
        how = "; dmesg counts seconds since boot and no other log here gives the boot time: add the journal or "
              "kern.log of the same boot (their kernel lines anchor it), or save it with `dmesg --time-format iso`";
      else if (s.format == "strace")
        how = "; the trace has no time of day (strace -r, or no -t): trace with -tt or -ttt, or add a log the "
              "traced program wrote meanwhile";
      problems.push_back({ErrorCode::kUnreadable, s.path + ": " + w + how});
    }
}

// Paths that are a file already listed are read once: a line each, or past a few one line with
// the count and the first.
void report_duplicates(const std::vector<Discovery::Skipped>& duplicates, std::vector<Error>& problems) {
  constexpr size_t kNamed = 5;
  for (size_t i = 0; i < duplicates.size() && (duplicates.size() <= kNamed || i == 0); ++i)
    problems.push_back({ErrorCode::kEmpty, duplicates[i].path + ": " + duplicates[i].reason + ": read once" +
                                               (duplicates.size() > kNamed ? " (and " + std::to_string(duplicates.size() - 1) +
                                                                                  " more paths that are files already listed)"
                                                                           : std::string())});
}

// One line for the files set aside as not logs, and one for hindcast's own outputs among the
// inputs (a report or an export written into a log directory), each counted.
void report_not_logs(const std::vector<NotALog>& not_logs, std::vector<Error>& problems) {
  const auto own = static_cast<size_t>(std::count_if(not_logs.begin(), not_logs.end(), [](const NotALog& n) {
    return n.reason.starts_with(kOwnOutput);
  }));
  const auto files = [](size_t n) { return std::to_string(n) + (n == 1 ? " file is" : " files are"); };
  if (not_logs.size() > own)
    problems.push_back({ErrorCode::kEmpty, files(not_logs.size() - own) +
                                               " not a log (empty, binary or without times): not read; `hindcast sniff` lists them"});
  if (own)
    problems.push_back({ErrorCode::kEmpty, files(own) + " " + std::string(kOwnOutput) +
                                               " (a report or a timeline written among the inputs): not read again; "
                                               "`hindcast sniff` lists them"});
}

}  // namespace

namespace {
Result<Ingest> ingest_inputs(const IngestOptions& options, const Executor& executor);  // the work of ingest(), below
}  // namespace

uint64_t Ingest::total_events() const {
  uint64_t n = 0;
  for (const Source& s : sources) n += s.events.size();
  return n;
}

Result<Source> load_source(const std::string& path, uint16_t id, bool parse, SniffResult* sniff_out,
                           const std::vector<const Parser*>& parsers) {
  auto contents = read_log_file(path);
  if (!contents) return std::unexpected(contents.error());
  Source s;
  s.id = id;
  s.path = path;
  s.compressed = contents->compressed;
  s.compression = contents->compression;
  s.mtime_ns = contents->mtime_ns;
  s.mapping_slot = contents->mapping_slot;
  s.mapped_size = contents->mapped_size;
  s.nul_bytes_skipped = contents->nul_bytes_skipped;
  s.text = std::move(contents->text);
  if (!contents->warning.empty()) s.warnings.push_back(contents->warning);
  if (contents->not_a_log.empty()) contents->not_a_log = hindcast_output_by_text(s.text.view());
  if (!contents->not_a_log.empty()) {
    s.not_a_log = std::move(contents->not_a_log);
    s.format = "not-a-log";
    return s;
  }
  const SniffResult sniff = sniff_format(s.text.view(), parsers);
  if (sniff_out) *sniff_out = sniff;
  s.format_score = sniff.score;
  if (sniff.runner_up) {
    s.runner_up = std::string(sniff.runner_up->format());
    s.runner_up_score = sniff.runner_up_score;
  }
  if (!sniff.parser) {
    s.not_a_log = s.compression == "journal" && s.text.size == 0 ? "journal file without a readable entry"
                                                                  : not_a_log_by_text(s.text.view());
    s.format = s.not_a_log.empty() ? "unknown" : "not-a-log";
    // Count the lines so the report says what was not used.
    for_each_line(s.text.view(), [&](uint32_t, size_t, std::string_view) { ++s.lines; });
    s.skipped = s.lines;
    if (s.lines)
      s.skips.push_back({"format not recognised", s.lines, 1,
                         std::string(s.text.view().substr(0, std::min<size_t>(200, s.text.view().find('\n'))))});
    return s;
  }
  s.format = std::string(sniff.parser->format());
  s.parser = sniff.parser;
  if (sniff.parser->pid_in_file_name()) s.strace_pid = pid_from_suffix(path);
  if (const auto* custom = dynamic_cast<const CustomAccessParser*>(sniff.parser)) s.access_plan = custom->plan();
  if (parse) sniff.parser->parse(s);
  return s;
}

Result<Ingest> ingest(const IngestOptions& options, const Executor& executor) {
  // A failure inside a parallel step (parallel_for rethrows it here) is an error, not an abort.
  // Out of memory is no input's problem: it ends the run, with one exit code (cli/main.cpp).
  try {
    return ingest_inputs(options, executor);
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    return make_error(ErrorCode::kUnreadable, std::string("reading the inputs failed: ") + e.what());
  }
}

namespace {
Result<Ingest> ingest_inputs(const IngestOptions& options, const Executor& executor) {
  Ingest in;
  // A user's LogFormat is one more candidate, tried before the built-ins.
  std::vector<const Parser*> parsers = all_parsers();
  std::unique_ptr<CustomAccessParser> custom;
  if (!options.access_format.empty()) {
    // nginx's log_format syntax is translated to the Apache LogFormat it means.
    auto plan = AccessLogPlan::compile(is_nginx_log_format(options.access_format)
                                           ? apache_format_from_nginx(options.access_format)
                                           : options.access_format);
    if (!plan) return std::unexpected(plan.error());
    custom = std::make_unique<CustomAccessParser>(std::make_shared<const AccessLogPlan>(std::move(*plan)));
    parsers.insert(parsers.begin(), custom.get());
  }
  in.inputs = options.inputs;
  Discovery found = discover_files(options.inputs);
  in.problems = std::move(found.problems);
  report_duplicates(found.duplicates, in.problems);
  if (found.files.size() > std::numeric_limits<uint16_t>::max()) {
    in.problems.push_back({ErrorCode::kUnreadable,
                           "too many files (" + std::to_string(found.files.size()) +
                               "); only the first 65535 are read"});
    found.files.resize(std::numeric_limits<uint16_t>::max());
  }
  auto clock_start = std::chrono::steady_clock::now();
  auto phase = [&](const char* name) {
    const auto now = std::chrono::steady_clock::now();
    in.phase_seconds.emplace_back(name, std::chrono::duration<double>(now - clock_start).count());
    clock_start = now;
  };

  // 1. Read and sniff every file, files in parallel.
  std::vector<std::optional<Result<Source>>> loaded(found.files.size());
  std::vector<SniffResult> sniffs(found.files.size());
  executor.parallel_for(found.files.size(), [&](size_t i) {
    try {
      loaded[i] = load_source(found.files[i], 0, /*parse=*/false, &sniffs[i], parsers);
    } catch (const std::bad_alloc&) {
      throw;  // out of memory ends the run: a report without the file would not say it is missing
    } catch (const std::exception& e) {  // a bug reading one file: this file fails, the others go on
      loaded[i] = make_error(ErrorCode::kUnreadable, found.files[i] + ": " + e.what());
    }
  });
  std::vector<const Parser*> parser_of;
  for (size_t i = 0; i < loaded.size(); ++i) {
    Result<Source>& s = *loaded[i];
    if (!s) {
      in.problems.push_back(s.error());
      continue;
    }
    // Damage found while reading (a truncated .gz): the part read is used, the loss reported.
    for (const std::string& w : s->warnings) in.problems.push_back({ErrorCode::kUnreadable, s->path + ": " + w});
    if (!s->not_a_log.empty()) {
      in.not_logs.push_back({s->path, s->not_a_log});
      continue;
    }
    if (s->format == "unknown")
      in.problems.push_back({ErrorCode::kUnknownFormat, s->path + ": format not recognised (" +
                                                            std::to_string(s->lines) + " lines not used)"});
    s->id = static_cast<uint16_t>(in.sources.size());
    parser_of.push_back(sniffs[i].parser);
    in.sources.push_back(std::move(*s));
  }
  loaded.clear();
  for (auto& n : found.not_logs) in.not_logs.push_back({std::move(n.path), std::move(n.reason)});
  report_not_logs(in.not_logs, in.problems);
  phase("read and detect");

  // 2. Parse: every chunk of every file is one task.
  struct Task {
    size_t source, chunk, begin, end;
  };
  std::vector<Task> tasks;
  std::vector<std::vector<ParsedChunk>> chunks(in.sources.size());
  for (size_t i = 0; i < in.sources.size(); ++i) {
    if (!parser_of[i]) continue;
    const auto ranges = split_chunks(in.sources[i].text.view(), options.chunk_bytes);
    chunks[i].resize(ranges.size());
    for (size_t c = 0; c < ranges.size(); ++c) tasks.push_back({i, c, ranges[c].first, ranges[c].second});
    if (options.progress) options.progress->bytes_total += in.sources[i].text.view().size();
  }
  if (options.progress) options.progress->set_stage(RunStage::kParsing);
  // Parse into final positions: a file gets its events array once, sized by its line count (an
  // event per line at most, but for framed records, which spill), and each chunk writes into its
  // own slot of it, numbering lines from its slot's first line. No array grows; putting the chunks
  // together is closing up the slots' unused room, not copying every event.
  std::vector<uint32_t> chunk_lines(tasks.size(), 0);
  executor.parallel_for(tasks.size(), [&](size_t t) {
    const Task& k = tasks[t];
    chunk_lines[t] = count_lines(in.sources[k.source].text, k.begin, k.end);
  });
  std::vector<size_t> first_task(in.sources.size(), 0);
  for (size_t t = tasks.size(); t-- > 0;) first_task[tasks[t].source] = t;
  executor.parallel_for(in.sources.size(), [&](size_t i) {  // first touch, sources in parallel
    if (chunks[i].empty()) return;
    const auto from = chunk_lines.begin() + static_cast<std::ptrdiff_t>(first_task[i]);
    place_chunks(in.sources[i], chunks[i], std::vector<uint32_t>(from, from + static_cast<std::ptrdiff_t>(chunks[i].size())));
  });
  executor.parallel_for(tasks.size(), [&](size_t t) {
    const Task& k = tasks[t];
    chunks[k.source][k.chunk].events.populate();  // on the thread that writes it
    parser_of[k.source]->parse_chunk(in.sources[k.source], k.begin, k.end, chunks[k.source][k.chunk]);
    if (options.progress) options.progress->bytes_parsed.fetch_add(k.end - k.begin, std::memory_order_relaxed);
  });
  phase("parse");
  // 3. Assemble each source from its chunks, sources in parallel.
  executor.parallel_for(in.sources.size(), [&](size_t i) {
    if (parser_of[i]) assemble_chunks(*parser_of[i], in.sources[i], std::move(chunks[i]));
  });
  for (Source& s : in.sources) {
    if (s.format != "unknown" && s.events.empty()) in.problems.push_back({ErrorCode::kEmpty, s.path + ": no records"});
    if (s.nul_bytes_skipped) {
      std::string w = std::to_string(s.nul_bytes_skipped) +
                      " NUL bytes skipped (runs of them before lines: the hole a copytruncate rotation leaves, or a "
                      "writer's padding)";
      in.problems.push_back({ErrorCode::kUnreadable, s.path + ": " + w});
      s.warnings.push_back(std::move(w));
    }
    if (std::string w = truncation_warning(s.path, s.mapping_slot, s.mapped_size); !w.empty()) {
      in.problems.push_back({ErrorCode::kUnreadable, s.path + ": " + w});
      s.warnings.push_back(w);
    }
  }
  drop_repeated_journal_entries(in.sources, in.problems);

  assign_hosts(in.sources);
  uint64_t events = 0;
  for (const Source& s : in.sources) events += s.events.size();
  if (events > Places::kMaxEvents)
    return make_error(ErrorCode::kInvalidValue, std::to_string(events) + " events in " + std::to_string(in.sources.size()) +
                                                    " files: one run holds at most " + std::to_string(Places::kMaxEvents) +
                                                    "; analyse fewer files at once");
  phase("assemble chunks");
  // 4. Resolve every time (needs all sources), 5. sort each run (in parallel), merge.
  if (options.progress) options.progress->set_stage(RunStage::kResolving);
  auto resolved = resolve_times(in.sources, options.resolve, executor);
  if (!resolved) return std::unexpected(resolved.error());
  in.resolution = std::move(*resolved);
  anchor_since_boot(in.sources);  // dmesg's seconds since boot, where another log gives the boot time
  report_unanchored(in.sources, in.problems);
  phase("resolve times");
  if (options.progress) options.progress->set_stage(RunStage::kMerging);
  sort_runs(in.sources, executor);
  phase("sort runs");
  in.timeline = Timeline::build(in.sources, options.window, executor);
  phase("merge");
  return in;
}
}  // namespace

}  // namespace hindcast
