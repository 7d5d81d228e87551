// Google Benchmark suite: each parser, the resolver and the merge, on generated data, reported
// in bytes per second (SetBytesProcessed). Data: 64 MiB per kind (HINDCAST_BENCH_MB to change),
// generated once under $TMPDIR.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>

#include "bench/log_generator.h"
#include "engine/ingest.h"
#include "engine/input/read_file.h"
#include "engine/resolve/resolver.h"
#include "engine/timeline/timeline.h"
#include "parsers/json_record.h"
#include "parsers/registry.h"

namespace hindcast::bench {
namespace {

std::string data_dir() {
  const char* mb_env = std::getenv("HINDCAST_BENCH_MB");
  const size_t mb = mb_env ? static_cast<size_t>(std::atoi(mb_env)) : 64;
  const std::string dir = (std::filesystem::temp_directory_path() / ("hindcast-bench-" + std::to_string(mb))).string();
  if (!std::filesystem::exists(dir + "/journal.json")) {
    std::filesystem::create_directories(dir);
    const size_t bytes = mb << 20;
    generate_log(LogKind::kAccess, dir + "/access.log", bytes, 6, 1);
    generate_log(LogKind::kError, dir + "/error.log", bytes, 6, 1);
    generate_log(LogKind::kSyslog, dir + "/syslog", bytes, 6, 1);
    generate_log(LogKind::kStrace, dir + "/strace.log", bytes, 6, 1);
    generate_log(LogKind::kJournaldJson, dir + "/journal.json", bytes, 6, 1);
  }
  return dir;
}

Source load(const std::string& name) {
  auto s = load_source(data_dir() + "/" + name, 0, false, nullptr);
  if (!s) std::abort();
  return std::move(*s);
}

// The parser alone, on the mapped text read in place (not copied in windows as a run reads it),
// as the ingest drives it: the line count that sizes the events, then the parse into its slot.
// The events array keeps its room from one iteration to the next, so the first iteration touches
// its pages and the others measure the parser only. (Parser::parse, which allocates a fresh
// array per call, measured this VM's first touch of it as well: about a third of the time, see
// docs/performance.md, eighth session; `hindcast-first-touch` measures that on its own.)
// One parse of all of `s` into its events array, as the ingest drives it.
void parse_again(Source& s, const Parser& p) {
  s.events.clear();
  s.skips.clear();
  s.lines = s.skipped = s.continuation_lines = 0;
  std::vector<ParsedChunk> chunks(1);
  place_chunks(s, chunks, {count_lines(s.text, 0, s.text.size)});
  chunks[0].events.populate();
  p.parse_chunk(s, 0, s.text.size, chunks[0]);
  assemble_chunks(p, s, std::move(chunks));
  benchmark::DoNotOptimize(s.events.data());
}

void BM_Parse(benchmark::State& state, const char* file) {
  Source s = load(file);
  s.text.mapped = false;
  const Parser* p = parser_for_format(s.format);
  for (auto _ : state) parse_again(s, *p);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * s.text.size));
  state.counters["events"] = static_cast<double>(s.events.size());
  if (s.format == "journald-json") state.SetLabel("simdjson " + json_kernels());
}
BENCHMARK_CAPTURE(BM_Parse, access, "access.log")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Parse, error, "error.log")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Parse, syslog, "syslog")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Parse, strace, "strace.log")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Parse, journald_json, "journal.json")->Unit(benchmark::kMillisecond);

// The line formats of a host's other logs (nginx, PHP, databases, the kernel, package tools): a
// block of real lines (as tests/unit/host_logs_test.cpp has them) repeated to 32 MiB, in memory,
// parsed as BM_Parse parses (times repeat: the parse does not care).
void BM_ParseLines(benchmark::State& state, const char* format, const char* block) {
  const Parser* p = parser_for_format(format);
  if (!p) std::abort();
  std::string text;
  while (text.size() < (size_t{32} << 20)) text += block;
  Source s;
  s.text = SourceText::copy_of(text);
  s.format = format;
  s.parser = p;
  for (auto _ : state) parse_again(s, *p);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * s.text.size));
  state.counters["events"] = static_cast<double>(s.events.size());
}
BENCHMARK_CAPTURE(BM_ParseLines, nginx_error, "nginx-error",
                  "2024/01/05 10:00:00 [error] 1234#1234: *5 connect() failed (111: Connection refused) while connecting to upstream, client: 192.0.2.10, server: _, request: \"GET /index.php HTTP/1.1\", upstream: \"fastcgi://unix:/run/php/php8.2-fpm.sock:\", host: \"www.example.org\"\n"
                  "2024/01/05 10:00:01 [notice] 1230#1230: signal process started\n")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ParseLines, php_fpm, "php-fpm",
                  "[05-Jan-2024 10:00:00] NOTICE: fpm is running, pid 1234\n"
                  "[05-Jan-2024 10:00:00] WARNING: [pool www] server reached pm.max_children setting (5), consider raising it\n"
                  "[05-Jan-2024 10:00:01] WARNING: [pool www] child 1240 exited on signal 11 (SIGSEGV) after 12.345678 seconds from start\n")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ParseLines, php_error, "php-error",
                  "[05-Jan-2024 10:00:00 UTC] PHP Fatal error:  Uncaught Error: Call to undefined function foo() in /var/www/html/index.php:3\n"
                  "Stack trace:\n#0 {main}\n  thrown in /var/www/html/index.php on line 3\n"
                  "[05-Jul-2024 12:00:00 Europe/Berlin] PHP Warning:  Undefined variable $x in /var/www/html/a.php on line 7\n")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ParseLines, mysql_error, "mysql-error",
                  "2024-01-05 10:00:00 0 [Note] InnoDB: Buffer pool(s) load completed at 240105 10:00:00\n"
                  "2024-01-05 10:00:03 12 [Warning] Aborted connection 12 to db: 'wordpress' user: 'wp' host: 'localhost' (Got an error reading communication packets)\n"
                  "2019-03-24T13:44:31.085670Z 0 [System] [MY-010116] [Server] /usr/sbin/mysqld (mysqld 8.0.15) starting as process 1688\n")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ParseLines, postgresql, "postgresql",
                  "2026-12-01 18:28:50.540 EST [32200] LOG:  database system is ready to accept connections\n"
                  "2026-12-01 18:28:51.310 EST [32214] postgres@postgres ERROR:  relation \"nosuch\" does not exist at character 29\n"
                  "2026-12-01 18:28:51.310 EST [32214] postgres@postgres STATEMENT:  select 'multi',\n\t'line' from nosuch\n")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ParseLines, dmesg, "dmesg",
                  "[86395.123456] Out of memory: Killed process 4321 (php-fpm8.2) total-vm:1048576kB, anon-rss:524288kB, file-rss:0kB, shmem-rss:0kB, UID:33 pgtables:2048kB oom_score_adj:0\n"
                  "[86396.000001] php-fpm8.2[4400]: segfault at 0 ip 00007f1e2a3b4c5d sp 00007ffd1e2f3a40 error 4 in libc.so.6[7f1e2a300000+155000] likely on CPU 1 (core 1, socket 0)\n")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ParseLines, dpkg, "dpkg",
                  "2024-01-05 09:58:03 upgrade nginx:amd64 1.22.1-9 1.22.1-9+deb12u1\n"
                  "2024-01-05 09:58:03 status half-configured nginx:amd64 1.22.1-9+deb12u1\n")
    ->Unit(benchmark::kMillisecond);

// What a run does with a file in the page cache: map it, detect its format, count its lines and
// parse it (copied in windows from the mapping, parsers/text_windows.h), one thread.
void BM_ParseFile(benchmark::State& state, const char* file) {
  const std::string path = data_dir() + "/" + file;
  size_t bytes = 0, events = 0;
  for (auto _ : state) {
    auto s = load_source(path, 0, true, nullptr);
    if (!s) std::abort();
    bytes = s->text.size;
    events = s->events.size();
    benchmark::DoNotOptimize(s->events.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["events"] = static_cast<double>(events);
}
BENCHMARK_CAPTURE(BM_ParseFile, access, "access.log")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ParseFile, error, "error.log")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ParseFile, syslog, "syslog")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ParseFile, strace, "strace.log")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ParseFile, journald_json, "journal.json")->Unit(benchmark::kMillisecond);

std::vector<Source> parsed_set() {
  std::vector<Source> v;
  for (const char* f : {"access.log", "error.log", "syslog", "strace.log"}) {
    Source s = load(f);
    s.id = static_cast<uint16_t>(v.size());
    parser_for_format(s.format)->parse(s);
    v.push_back(std::move(s));
  }
  return v;
}

size_t total_bytes(const std::vector<Source>& v) {
  size_t n = 0;
  for (const Source& s : v) n += s.text.size;
  return n;
}

void BM_Resolve(benchmark::State& state) {
  std::vector<Source> sources = parsed_set();
  std::vector<EventArray> partial;
  for (const Source& s : sources) partial.push_back(s.events);
  for (auto _ : state) {
    state.PauseTiming();
    for (size_t i = 0; i < sources.size(); ++i) sources[i].events = partial[i];
    state.ResumeTiming();
    auto out = resolve_times(sources, {}, Executor());
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * total_bytes(sources)));
}
BENCHMARK(BM_Resolve)->Unit(benchmark::kMillisecond);

void BM_Merge(benchmark::State& state) {
  std::vector<Source> sources = parsed_set();
  if (!resolve_times(sources, {}, Executor())) std::abort();
  sort_runs(sources, Executor());
  size_t events = 0;
  for (auto _ : state) {
    const Timeline t = Timeline::build(sources, {}, Executor());
    events = t.size();
    benchmark::DoNotOptimize(events);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * total_bytes(sources)));
  state.counters["events"] = static_cast<double>(events);
}
BENCHMARK(BM_Merge)->Unit(benchmark::kMillisecond);

// The generated access log's run (every request jittered by up to 2 s: far out of order), resolved,
// sorted on 1 and 2 threads.
void BM_SortRun(benchmark::State& state) {
  std::vector<Source> sources = parsed_set();
  if (!resolve_times(sources, {}, Executor())) std::abort();
  const EventArray unsorted = sources[0].events;
  EventArray events;
  for (auto _ : state) {
    state.PauseTiming();
    events = unsorted;
    state.ResumeTiming();
    sort_run(events, Executor(static_cast<unsigned>(state.range(0))));
    benchmark::DoNotOptimize(events.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * unsorted.size()));
}
BENCHMARK(BM_SortRun)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace hindcast::bench

BENCHMARK_MAIN();
