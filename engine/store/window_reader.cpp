#include "engine/store/window_reader.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>

#include "engine/parallel.h"
#include "engine/store/clickhouse_http.h"
#include "engine/store/row_binary.h"
#include "engine/store/stored_clock.h"
#include "engine/store/tables.h"
#include "parsers/access_log_format.h"
#include "parsers/registry.h"

namespace hindcast::store {
namespace {

// What the sources table holds of one file and of the export run it came with.
struct StoredSource {
  Source source;  // all but its text and events
  uint64_t export_ns = 0;
  uint32_t run_index = 0;
  std::string access_format;
  std::vector<std::string> run_inputs, run_problems, run_notes;
  std::string clock, clock_zone;
  std::vector<StoredClock::Segment> clock_segments;
};

bool read_strings(RowBinaryReader& r, std::vector<std::string>* out) {
  uint64_t n = 0;
  if (!r.varuint(&n)) return false;
  out->clear();
  for (uint64_t i = 0; i < n; ++i) {
    std::string_view s;
    if (!r.str(&s)) return false;
    out->emplace_back(s);
  }
  return true;
}

template <class T>
bool read_numbers(RowBinaryReader& r, std::vector<T>* out, bool (RowBinaryReader::*get)(T*)) {
  uint64_t n = 0;
  if (!r.varuint(&n)) return false;
  out->resize(n);
  for (uint64_t i = 0; i < n; ++i)
    if (!(r.*get)(&(*out)[i])) return false;
  return true;
}

bool read_string(RowBinaryReader& r, std::string* out) {
  std::string_view s;
  if (!r.str(&s)) return false;
  out->assign(s);
  return true;
}

// One row of the sources table, in source_columns() order.
bool parse_source_row(RowBinaryReader& r, StoredSource* out) {
  Source& s = out->source;
  uint8_t compressed = 0, shape = 0;
  std::vector<std::string> reasons, texts;
  std::vector<uint64_t> counts;
  std::vector<uint32_t> first_lines;
  std::vector<int64_t> starts;
  std::vector<int32_t> offsets;
  int64_t first_ns = 0, last_ns = 0;
  uint64_t events = 0;
  const bool ok = read_string(r, &s.host) && read_string(r, &s.path) && r.u64(&out->export_ns) &&
                  r.u32(&out->run_index) && read_string(r, &s.format) && read_string(r, &out->access_format) &&
                  r.f64(&s.format_score) && read_string(r, &s.runner_up) && r.f64(&s.runner_up_score) &&
                  r.u8(&compressed) && read_string(r, &s.compression) && r.u32(&s.strace_pid) && r.u64(&s.lines) &&
                  r.u64(&events) && r.u64(&s.continuation_lines) && r.u64(&s.skipped) && read_strings(r, &reasons) &&
                  read_numbers(r, &counts, &RowBinaryReader::u64) &&
                  read_numbers(r, &first_lines, &RowBinaryReader::u32) && read_strings(r, &texts) && r.u8(&shape) &&
                  read_string(r, &s.time_basis) && read_strings(r, &s.warnings) && r.i64(&first_ns) &&
                  r.i64(&last_ns) && read_strings(r, &out->run_inputs) && read_strings(r, &out->run_problems) &&
                  read_strings(r, &out->run_notes) && read_string(r, &out->clock) && read_string(r, &out->clock_zone) &&
                  read_numbers(r, &starts, &RowBinaryReader::i64) && read_numbers(r, &offsets, &RowBinaryReader::i32);
  if (!ok || reasons.size() != counts.size() || reasons.size() != first_lines.size() || reasons.size() != texts.size() ||
      starts.size() != offsets.size() || shape > static_cast<uint8_t>(TimeShape::kRelative))
    return false;
  s.compressed = compressed != 0;
  s.shape = static_cast<TimeShape>(shape);
  for (size_t i = 0; i < reasons.size(); ++i)
    s.skips.push_back({std::move(reasons[i]), counts[i], first_lines[i], std::move(texts[i])});
  for (size_t i = 0; i < starts.size(); ++i) out->clock_segments.push_back({starts[i], offsets[i]});
  return true;
}

// One event row as the window query selects it.
struct EventRow {
  std::string_view host, path, text;
  uint32_t line = 0;
  uint64_t offset = 0;
  int64_t time_ns = 0;
  int8_t kind = 0, severity = 0;
  uint32_t pid = 0, aux = 0;
  uint16_t code = 0, basis = 0;
  int16_t utc_offset_minutes = 0;
  uint8_t shape = 0, precision = 0, flags = 0;
  uint64_t export_ns = 0;
};

constexpr std::string_view kEventSelect =
    "host, path, line, offset, time_ns, kind, severity, pid, code, aux, utc_offset_minutes, basis, shape, precision, "
    "flags, export_ns, text";

bool parse_event_row(RowBinaryReader& r, EventRow* e) {
  return r.str(&e->host) && r.str(&e->path) && r.u32(&e->line) && r.u64(&e->offset) && r.i64(&e->time_ns) &&
         r.i8(&e->kind) && r.i8(&e->severity) && r.u32(&e->pid) && r.u16(&e->code) && r.u32(&e->aux) &&
         r.i16(&e->utc_offset_minutes) && r.u16(&e->basis) && r.u8(&e->shape) && r.u8(&e->precision) &&
         r.u8(&e->flags) && r.u64(&e->export_ns) && r.str(&e->text);
}

// Whether a parsed row holds values an Event can: a row that does not is no row of this store's
// (ClickHouse writes an error met after the answer began into the body, where rows were).
bool plausible(const EventRow& e) {
  return e.kind >= 0 && e.kind <= static_cast<int>(EventKind::kOther) && e.severity >= 0 &&
         e.severity <= static_cast<int>(Severity::kCritical) && e.shape <= static_cast<uint8_t>(TimeShape::kRelative) &&
         e.precision <= 9 && e.flags < 32 && e.basis < 1024 && e.text.size() <= kMaxRecordLength && e.offset < kMaxSourceBytes;
}

Error server_error_in_answer(std::string_view rest, std::string_view what) {
  const size_t code = rest.find("Code: ");
  std::string message = code != std::string_view::npos ? std::string(rest.substr(code, std::min<size_t>(400, rest.size() - code)))
                                                       : std::string("bytes that are no row of ") + std::string(what);
  if (const size_t nl = message.find('\n'); nl != std::string::npos) message.resize(nl);
  return Error{ErrorCode::kRemote, "reading " + std::string(what) + ": the answer broke off: " + message};
}

// A source's events as the window brings them: their text appended as they come, each with its
// place in the file (for the order of equal times) and its line (for the marks).
struct Staging {
  std::string text;
  std::vector<Event> events;
  std::vector<uint64_t> file_offsets;
  std::vector<uint64_t> versions;  // export_ns of each row
  std::vector<LineMark> marks;
  uint64_t newer_rows = 0;  // rows of an export that did not finish (its sources row is older)
};

void stage(Staging& st, const EventRow& row) {
  Event e;
  e.time_ns = row.time_ns;
  e.offset = st.text.size();
  e.length = row.text.size();
  e.pid = row.pid;
  e.aux = row.aux;
  e.code = row.code;
  e.offset_minutes = row.utc_offset_minutes;
  e.basis = row.basis;
  e.kind = static_cast<EventKind>(row.kind);
  e.severity = static_cast<Severity>(row.severity);
  e.shape = static_cast<TimeShape>(row.shape);
  e.precision = row.precision;
  e.flags = row.flags;
  st.marks.push_back({st.text.size(), row.line});
  st.text.append(row.text);
  st.text.push_back('\n');
  st.events.push_back(e);
  st.file_offsets.push_back(row.offset);
  st.versions.push_back(row.export_ns);
}

// The staged events as the source's run: by time, then file order (what the ingest's sort gives),
// over text that is the records one after another with SourceText::kPadding zero bytes after it.
// A row that is there twice (the same event of two exports, not yet merged by the server's
// ReplacingMergeTree) counts once, in its latest version: what FINAL would give, without FINAL's
// merge on read (docs/fleet.md: 5-10 times the read on a table of many parts). Returns how many
// were left out.
uint64_t finish_source(Source& s, Staging& st) {
  std::vector<uint32_t> order(st.events.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const int64_t ta = st.events[a].time_ns, tb = st.events[b].time_ns;
    if (ta != tb) return ta < tb;
    if (st.file_offsets[a] != st.file_offsets[b]) return st.file_offsets[a] < st.file_offsets[b];
    return st.versions[a] > st.versions[b];
  });
  const auto same = [&](uint32_t a, uint32_t b) {
    return st.events[a].time_ns == st.events[b].time_ns && st.file_offsets[a] == st.file_offsets[b];
  };
  const uint64_t twice = static_cast<uint64_t>(order.end() - std::unique(order.begin(), order.end(), same));
  order.resize(order.size() - twice);
  s.events.resize(order.size());
  s.kinds = s.shapes = s.event_flags = 0;
  for (size_t i = 0; i < order.size(); ++i) {
    const Event& e = st.events[order[i]];
    write_fresh(&s.events[i], e);
    s.kinds |= kind_bit(e.kind);
    s.shapes |= shape_bit(e.shape);
    s.event_flags |= e.flags;
  }
  auto holder = std::make_shared<std::string>(std::move(st.text));
  const size_t size = holder->size();
  holder->append(SourceText::kPadding, '\0');
  s.text.data = std::shared_ptr<const char>(holder, holder->data());
  s.text.size = size;
  s.line_marks = std::move(st.marks);  // ascending offsets: the text was appended in this order
  st = Staging{};
  return twice;
}

std::string host_condition(const std::vector<std::string>& hosts) {
  if (hosts.empty()) return "";
  std::string c = "host IN (";
  for (size_t i = 0; i < hosts.size(); ++i) c += (i ? ", " : "") + sql_string(hosts[i]);
  return c + ")";
}

// The runs' clock: one clock when the runs agree, else each run's words with its hosts and the
// offsets of all of them over time (hosts exported apart resolved their times apart).
std::shared_ptr<const ClockModel> clock_of(const std::vector<const StoredSource*>& runs) {
  std::vector<const StoredSource*> distinct;
  for (const StoredSource* r : runs)
    if (std::none_of(distinct.begin(), distinct.end(), [&](const StoredSource* d) {
          return d->clock == r->clock && d->clock_zone == r->clock_zone;
        }))
      distinct.push_back(r);
  if (distinct.empty()) return std::make_shared<UtcClock>();
  if (distinct.size() == 1) {
    const StoredSource& r = *distinct.front();
    if (!r.clock_zone.empty())
      if (auto z = ZoneClock::create(r.clock_zone)) return std::shared_ptr<const ClockModel>(std::move(*z));
    return std::make_shared<StoredClock>(r.clock, r.clock_segments);
  }
  std::string words;
  std::vector<StoredClock::Segment> segments;
  for (const StoredSource* d : distinct) {
    std::set<std::string> hosts;
    for (const StoredSource* r : runs)
      if (r->clock == d->clock && r->clock_zone == d->clock_zone) hosts.insert(r->source.host);
    std::string names;
    for (const std::string& h : hosts) names += (names.empty() ? "" : ", ") + h;
    words += (words.empty() ? "" : "; ") + names + ": " + d->clock;
    segments.insert(segments.end(), d->clock_segments.begin(), d->clock_segments.end());
  }
  std::sort(segments.begin(), segments.end(), [](const auto& a, const auto& b) { return a.start_utc_ns < b.start_utc_ns; });
  std::vector<StoredClock::Segment> merged;
  for (const auto& seg : segments)
    if (merged.empty() || merged.back().offset_seconds != seg.offset_seconds) merged.push_back(seg);
  return std::make_shared<StoredClock>(std::move(words), std::move(merged));
}

void add_unique(std::vector<std::string>& to, const std::vector<std::string>& from) {
  for (const std::string& s : from)
    if (std::find(to.begin(), to.end(), s) == to.end()) to.push_back(s);
}

// Reads the whole (small) answer of a RowBinary query row by row.
Result<std::vector<StoredSource>> read_sources(ClickHouseHttp& ch, const std::string& table, const std::vector<std::string>& hosts,
                                               uint64_t* bytes) {
  const std::string where = host_condition(hosts);
  auto answer = ch.query("SELECT " + column_list(source_columns()) + " FROM " + sources_table_of(table) +
                         (where.empty() ? "" : " WHERE " + where) + " FORMAT RowBinary");
  if (!answer) return std::unexpected(answer.error());
  *bytes += answer->size();
  std::vector<StoredSource> out;
  RowBinaryReader r(*answer);
  while (!r.at_end()) {
    const char* row = r.at();
    StoredSource s;
    if (!parse_source_row(r, &s)) return std::unexpected(server_error_in_answer(std::string_view(row, answer->data() + answer->size() - row), sources_table_of(table)));
    out.push_back(std::move(s));
  }
  // A file exported more than once: its latest export (the server merges the others away in
  // time; FINAL would do it on read).
  std::sort(out.begin(), out.end(), [](const StoredSource& a, const StoredSource& b) {
    if (a.source.host != b.source.host) return a.source.host < b.source.host;
    if (a.source.path != b.source.path) return a.source.path < b.source.path;
    return a.export_ns > b.export_ns;
  });
  out.erase(std::unique(out.begin(), out.end(), [](const StoredSource& a, const StoredSource& b) {
              return a.source.host == b.source.host && a.source.path == b.source.path;
            }), out.end());
  return out;
}

// Runs in the order their inputs sort (per-host exports of hosts/a, hosts/b, ... come back as a
// run over hosts/ lists them), each run's files in the order it read them.
void order_sources(std::vector<StoredSource>& stored) {
  std::map<uint64_t, std::string> first_input;
  for (const StoredSource& s : stored)
    first_input.emplace(s.export_ns, s.run_inputs.empty() ? std::string() : s.run_inputs.front());
  std::sort(stored.begin(), stored.end(), [&](const StoredSource& a, const StoredSource& b) {
    const std::string& ia = first_input[a.export_ns];
    const std::string& ib = first_input[b.export_ns];
    if (a.export_ns != b.export_ns) return ia != ib ? ia < ib : a.export_ns < b.export_ns;
    return a.run_index < b.run_index;
  });
}

}  // namespace

Result<Ingest> read_window(const WindowQuery& q, const Executor& executor, WindowStats* stats_out) {
  WindowStats stats;
  Ingest in;
  auto clock_start = std::chrono::steady_clock::now();
  auto phase = [&](const char* name) {
    const auto now = std::chrono::steady_clock::now();
    in.phase_seconds.emplace_back(name, std::chrono::duration<double>(now - clock_start).count());
    clock_start = now;
  };
  if (!valid_table_name(q.table))
    return make_error(ErrorCode::kUsage, "--table " + q.table + ": use a name such as hindcast_events or logs.events");
  if (q.since.ns > q.until.ns) return make_error(ErrorCode::kUsage, "--since is after --until: the window is empty");
  auto ch = ClickHouseHttp::open(q.url);
  if (!ch) return std::unexpected(ch.error());
  if (auto ok = check_tables(*ch, q.table); !ok) return std::unexpected(ok.error());

  // 1. The files of the hosts, and their runs.
  auto stored = read_sources(*ch, q.table, q.hosts, &stats.bytes);
  if (!stored) return std::unexpected(stored.error());
  if (stored->empty())
    return make_error(ErrorCode::kEmpty, "table " + sources_table_of(q.table) + " holds no file" +
                                             (q.hosts.empty() ? std::string() : " of the hosts asked for") +
                                             ": nothing to analyse (export first)");
  order_sources(*stored);
  std::vector<const StoredSource*> runs;  // one source standing for each run, in order
  for (const StoredSource& s : *stored)
    if (runs.empty() || runs.back()->export_ns != s.export_ns) runs.push_back(&s);
  std::vector<std::string> problems, notes;
  for (const StoredSource* r : runs) {
    add_unique(in.inputs, r->run_inputs);
    add_unique(problems, r->run_problems);
    add_unique(notes, r->run_notes);
  }
  for (const std::string& h : q.hosts)
    if (std::none_of(stored->begin(), stored->end(), [&](const StoredSource& s) { return s.source.host == h; }))
      problems.push_back("host " + h + ": no file of it in " + sources_table_of(q.table));
  in.resolution.clock = clock_of(runs);
  in.resolution.warnings = notes;
  phase("read sources");

  // 2. The window's events, staged per file as they arrive.
  std::unordered_map<std::string, size_t> index_of;
  for (size_t i = 0; i < stored->size(); ++i) {
    const Source& s = (*stored)[i].source;
    index_of.emplace(s.host + '\0' + s.path, i);
  }
  std::vector<Staging> staging(stored->size());
  std::string where = "time_ns >= " + std::to_string(q.since.ns) + " AND time_ns <= " + std::to_string(q.until.ns) +
                      " AND bitAnd(basis, " + std::to_string(kBasisUnanchored) + ") = 0";
  if (const std::string hosts = host_condition(q.hosts); !hosts.empty()) where += " AND " + hosts;
  // PREWHERE: the server reads the conditions' three small columns first and the others (the
  // text above all) only for the granules that hold rows of the window. With WHERE, 18.16 read
  // every column of each granule the key could not rule out: for all 100 hosts of bench/fleet.sh,
  // 1.76 million rows and 427 MB to send 143,000 (granules straddle two hosts, and the key is host
  // first); with PREWHERE 50 MB, and the query took half the time.
  const std::string sql = "SELECT " + std::string(kEventSelect) + " FROM " + q.table + " PREWHERE " + where + " FORMAT RowBinary";
  std::string pending, key;
  std::optional<Error> broken;
  std::string_view last_host, last_path;
  size_t last_index = SIZE_MAX;
  uint64_t orphan_rows = 0;
  std::set<std::string> orphan_files;
  auto take = [&](std::string_view bytes) -> size_t {  // rows from `bytes`; the bytes used
    RowBinaryReader r(bytes);
    EventRow row;
    const char* at = r.at();
    for (; parse_event_row(r, &row); at = r.at()) {
      size_t i = last_index;
      if (i == SIZE_MAX || row.host != last_host || row.path != last_path) {
        key.assign(row.host);
        key.push_back('\0');
        key.append(row.path);
        const auto it = index_of.find(key);
        i = it == index_of.end() ? SIZE_MAX : it->second;
      }
      if (!plausible(row) || (i == SIZE_MAX && std::string_view(at, bytes.data() + bytes.size() - at).starts_with("Code: "))) {
        broken = server_error_in_answer(std::string_view(at, bytes.data() + bytes.size() - at), q.table);
        return bytes.size();
      }
      ++stats.rows;
      if (i == SIZE_MAX) {  // a file whose export did not finish: its sources row never came
        ++orphan_rows;
        orphan_files.insert(std::string(row.host) + " " + std::string(row.path));
        last_index = SIZE_MAX;
        continue;
      }
      const StoredSource& s = (*stored)[i];
      last_index = i;
      last_host = (*stored)[i].source.host;
      last_path = (*stored)[i].source.path;
      if (row.export_ns < s.export_ns) {
        ++stats.stale_rows;
        continue;
      }
      if (row.export_ns > s.export_ns) ++staging[i].newer_rows;
      stage(staging[i], row);
    }
    if (r.malformed()) broken = server_error_in_answer(std::string_view(at, bytes.data() + bytes.size() - at), q.table);
    r.rewind(at);  // the row it stopped in is taken whole with the next piece
    return r.consumed();
  };
  auto read = ch->select(sql, [&](std::string_view piece) {
    stats.bytes += piece.size();
    if (pending.empty()) {
      const size_t used = take(piece);
      pending.assign(piece.substr(used));
    } else {
      pending.append(piece);
      const size_t used = take(pending);
      pending.erase(0, used);
    }
    return !broken;
  });
  if (broken) return std::unexpected(*broken);
  if (!read) return std::unexpected(read.error());
  if (!pending.empty()) return std::unexpected(server_error_in_answer(pending, q.table));
  stats.server = ch->server_display_name();
  phase("read events");

  // 3. Each file a Source again.
  for (size_t i = 0; i < stored->size(); ++i) {
    StoredSource& st = (*stored)[i];
    Source& s = st.source;
    s.id = static_cast<uint16_t>(i);
    s.parser = s.format == "unknown" ? nullptr : parser_for_format(s.format);
    if (!s.parser && s.format != "unknown")
      problems.push_back(s.host + " " + s.path + ": format " + s.format + " is unknown to this hindcast: its events are not decoded");
    if (!st.access_format.empty()) {
      auto plan = AccessLogPlan::compile(st.access_format);
      if (plan) s.access_plan = std::make_shared<const AccessLogPlan>(std::move(*plan));
      else problems.push_back(s.host + " " + s.path + ": its --access-format does not compile here: " + plan.error().message);
    }
    if (staging[i].newer_rows)
      problems.push_back(s.host + " " + s.path + ": " + std::to_string(staging[i].newer_rows) +
                         " events are from an export that did not finish; export the file again");
  }
  if (orphan_rows)
    problems.push_back(std::to_string(orphan_rows) + " events of " + std::to_string(orphan_files.size()) +
                       " files whose export did not finish were left out (first: " + *orphan_files.begin() + ")");
  std::vector<uint64_t> twice(stored->size(), 0);
  executor.parallel_for(stored->size(), [&](size_t i) { twice[i] = finish_source((*stored)[i].source, staging[i]); });
  for (uint64_t n : twice) stats.superseded_rows += n;
  in.sources.reserve(stored->size());
  for (StoredSource& st : *stored) in.sources.push_back(std::move(st.source));
  for (std::string& p : problems) in.problems.push_back({ErrorCode::kRemote, std::move(p)});
  phase("rebuild sources");
  TimeWindow window;
  window.since = q.since;
  window.until = q.until;
  in.timeline = Timeline::build(in.sources, window, executor);
  phase("merge");
  if (stats_out) *stats_out = stats;
  return in;
}

}  // namespace hindcast::store
