#include "engine/store/batch_writer.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <optional>

#include "engine/resolve/clock_model.h"
#include "engine/store/clickhouse_http.h"
#include "engine/store/row_binary.h"
#include "engine/store/tables.h"
#include "parsers/access_log_format.h"
#include "parsers/parser.h"

namespace hindcast::store {
namespace {

// Settings of every export request: a Distributed table answers only once the shards have the
// rows (18.16 inserts asynchronously otherwise), so success means stored.
const std::vector<std::pair<std::string, std::string>> kInsertSettings = {{"insert_distributed_sync", "1"}};

// A stretch of one source's events; a batch is a few of them, in source order, so that a host's
// many small files go in one INSERT (each INSERT is a part the server writes and later merges:
// one per file made a fleet of small hosts three times slower to take in).
struct Segment {
  size_t source;
  size_t begin, end;  // events of the source
};
using Batch = std::vector<Segment>;

std::vector<Batch> plan_batches(const Ingest& in, size_t batch_rows) {
  batch_rows = std::max<size_t>(1, batch_rows);
  std::vector<Batch> batches(1);
  size_t rows = 0;
  for (size_t i = 0; i < in.sources.size(); ++i)
    for (size_t b = 0; b < in.sources[i].events.size();) {
      if (rows == batch_rows) {
        batches.emplace_back();
        rows = 0;
      }
      const size_t e = std::min(in.sources[i].events.size(), b + (batch_rows - rows));
      batches.back().push_back({i, b, e});
      rows += e - b;
      b = e;
    }
  if (batches.back().empty()) batches.pop_back();
  return batches;
}

std::string host_of(const Source& s, const ExportOptions& o) { return s.host.empty() ? o.fallback_host : s.host; }

// One event's row, in event_columns() order.
void encode_event(RowBinaryWriter& w, const Source& s, std::string_view host, const Event& e, uint32_t line,
                  uint64_t export_ns) {
  const std::string_view text = s.record_text(e);
  Record r;
  const bool decoded = decode_record(s, e, s.line_text(e), &r);
  w.str(host);
  w.str(s.path);
  w.u32(line);
  w.u64(e.offset);
  w.i64(e.time_ns);
  w.str(s.format);
  w.i8(static_cast<int8_t>(e.kind));
  w.i8(static_cast<int8_t>(e.severity));
  w.u32(e.pid);
  w.u16(e.code);
  w.u32(e.aux);
  w.i16(e.offset_minutes);
  w.u16(static_cast<uint16_t>(e.basis));
  w.u8(static_cast<uint8_t>(e.shape));
  w.u8(static_cast<uint8_t>(e.precision));
  w.u8(static_cast<uint8_t>(e.flags));
  w.str(decoded ? r.program : std::string_view());
  w.str(text);
  w.u64(export_ns);
}

// A batch's body, encoded as libcurl asks for it: a buffer of about one transfer's worth of rows
// at a time, refilled when sent.
class BatchBody {
 public:
  BatchBody(const Ingest& in, const ExportOptions& o, const Batch& b, uint64_t export_ns, uint64_t* bytes, uint64_t* text_bytes)
      : in_(in), options_(o), batch_(b), export_ns_(export_ns), bytes_(bytes), text_bytes_(text_bytes) {}

  size_t fill(char* out, size_t capacity) {
    if (pos_ == buffer_.size()) refill(capacity);
    const size_t n = std::min(capacity, buffer_.size() - pos_);
    std::memcpy(out, buffer_.data() + pos_, n);
    pos_ += n;
    *bytes_ += n;
    return n;
  }

 private:
  void refill(size_t capacity) {
    buffer_.clear();
    pos_ = 0;
    RowBinaryWriter w(buffer_);
    while (segment_ < batch_.size() && buffer_.size() < capacity) {
      const Segment& g = batch_[segment_];
      const Source& s = in_.sources[g.source];
      if (!lines_) {  // a segment's first rows
        lines_.emplace(s);
        host_ = host_of(s, options_);
        next_ = g.begin;
      }
      while (next_ < g.end && buffer_.size() < capacity) {
        const Event& e = s.events[next_++];
        encode_event(w, s, host_, e, lines_->line_of(e), export_ns_);
        *text_bytes_ += e.length;
      }
      if (next_ == g.end) {
        ++segment_;
        lines_.reset();
      }
    }
  }
  const Ingest& in_;
  const ExportOptions& options_;
  const Batch& batch_;
  uint64_t export_ns_;
  size_t segment_ = 0, next_ = 0;
  std::optional<LineCursor> lines_;
  std::string host_;
  std::string buffer_;
  size_t pos_ = 0;
  uint64_t* bytes_;
  uint64_t* text_bytes_;
};

// The clock the export resolved with, as columns: its words, its zone (--tz) or its offsets.
struct ClockColumns {
  std::string description, zone;
  std::vector<int64_t> starts;
  std::vector<int32_t> offsets;
};

ClockColumns clock_columns(const ResolveOutcome& r, const ExportOptions& o) {
  ClockColumns c;
  if (!r.clock) return c;
  c.description = r.clock->describe();
  if (o.tz) c.zone = *o.tz;
  if (const auto* inferred = dynamic_cast<const InferredOffsets*>(r.clock.get()))
    for (const auto& seg : inferred->segments()) {
      c.starts.push_back(seg.start_utc_ns);
      c.offsets.push_back(seg.offset_seconds);
    }
  return c;
}

void put_strings(RowBinaryWriter& w, const std::vector<std::string>& v) {
  w.varuint(v.size());
  for (const std::string& s : v) w.str(s);
}

// One source's row, in source_columns() order.
void encode_source(RowBinaryWriter& w, const Ingest& in, size_t index, const ExportOptions& o, uint64_t export_ns,
                   const ClockColumns& clock, const std::vector<std::string>& problems) {
  const Source& s = in.sources[index];
  w.str(host_of(s, o));
  w.str(s.path);
  w.u64(export_ns);
  w.u32(static_cast<uint32_t>(index));
  w.str(s.format);
  w.str(s.access_plan ? std::string_view(s.access_plan->format()) : std::string_view());
  w.f64(s.format_score);
  w.str(s.runner_up);
  w.f64(s.runner_up_score);
  w.u8(s.compressed ? 1 : 0);
  w.str(s.compression);
  w.u32(s.strace_pid);
  w.u64(s.lines);
  w.u64(s.events.size());
  w.u64(s.continuation_lines);
  w.u64(s.skipped);
  w.varuint(s.skips.size());
  for (const SkipRecord& k : s.skips) w.str(k.reason);
  w.varuint(s.skips.size());
  for (const SkipRecord& k : s.skips) w.u64(k.count);
  w.varuint(s.skips.size());
  for (const SkipRecord& k : s.skips) w.u32(k.first_line);
  w.varuint(s.skips.size());
  for (const SkipRecord& k : s.skips) w.str(k.first_text);
  w.u8(static_cast<uint8_t>(s.shape));
  w.str(s.time_basis);
  put_strings(w, s.warnings);
  int64_t first = 0, last = 0;
  bool any = false;
  for (const Event& e : s.events) {
    if (e.basis & kBasisUnanchored) continue;
    first = any ? std::min(first, e.time_ns) : e.time_ns;
    last = any ? std::max(last, e.time_ns) : e.time_ns;
    any = true;
  }
  w.i64(first);
  w.i64(last);
  put_strings(w, in.inputs);
  put_strings(w, problems);
  put_strings(w, in.resolution.warnings);
  w.str(clock.description);
  w.str(clock.zone);
  w.varuint(clock.starts.size());
  for (int64_t t : clock.starts) w.i64(t);
  w.varuint(clock.offsets.size());
  for (int32_t off : clock.offsets) w.i32(off);
}

// A body already in memory (the sources' rows), handed out piece by piece.
BodyProducer body_of(const std::string& bytes) {
  return [&bytes, pos = size_t{0}](char* out, size_t capacity) mutable {
    const size_t n = std::min(capacity, bytes.size() - pos);
    std::memcpy(out, bytes.data() + pos, n);
    pos += n;
    return n;
  };
}

// "batch 2 of 9 (web-07 /var/log/syslog, events 1..200000)", and the other files it held.
std::string describe_batch(const Ingest& in, const ExportOptions& o, const std::vector<Batch>& batches, size_t k) {
  const Segment& g = batches[k].front();
  const Source& s = in.sources[g.source];
  std::string d = "batch " + std::to_string(k + 1) + " of " + std::to_string(batches.size()) + " (" + host_of(s, o) + " " +
                  s.path + ", events " + std::to_string(g.begin + 1) + ".." + std::to_string(g.end);
  if (batches[k].size() > 1)
    d += ", and " + std::to_string(batches[k].size() - 1) + (batches[k].size() == 2 ? " more file" : " more files");
  return d + ")";
}

}  // namespace

Result<ExportOutcome> export_ingest(const Ingest& in, const ExportOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  if (!valid_table_name(o.table))
    return make_error(ErrorCode::kUsage, "--table " + o.table + ": use a name such as hindcast_events or logs.events");
  auto ch = ClickHouseHttp::open(o.url);
  if (!ch) return std::unexpected(ch.error());
  if (auto ok = ensure_tables(*ch, o.table); !ok) return std::unexpected(ok.error());

  ExportOutcome out;
  out.server = ch->server_display_name();
  out.export_ns = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  const std::vector<Batch> batches = plan_batches(in, o.batch_rows);
  if (o.progress) o.progress->events_total.store(in.total_events(), std::memory_order_relaxed);

  const std::string insert_events = "INSERT INTO " + o.table + " (" + column_list(event_columns()) + ") FORMAT RowBinary";
  // One stream: the server's MergeTree writing is the limit (two INSERTs at once were no faster
  // on this project's 2-core machine); a fleet's parallelism is its hosts exporting at once.
  for (size_t k = 0; k < batches.size(); ++k) {
    uint64_t sent = 0, text = 0;
    std::unique_ptr<BatchBody> body;
    auto done = ch->insert(insert_events, [&]() -> BodyProducer {
      sent = text = 0;  // a retry sends the batch again from its first row
      body = std::make_unique<BatchBody>(in, o, batches[k], out.export_ns, &sent, &text);
      return [&body](char* p, size_t n) { return body->fill(p, n); };
    }, kInsertSettings);
    if (!done) return make_error(done.error().code, "export: " + describe_batch(in, o, batches, k) + ": " + done.error().message);
    uint64_t rows = 0;
    for (const Segment& g : batches[k]) rows += g.end - g.begin;
    out.bytes += sent;
    out.text_bytes += text;
    out.rows += rows;
    if (o.progress) o.progress->events_written.fetch_add(rows, std::memory_order_relaxed);
  }

  // The sources last: they make the export's events the ones a reader takes.
  std::vector<std::string> problems;
  for (const Error& e : in.problems) problems.push_back(e.message);
  const ClockColumns clock = clock_columns(in.resolution, o);
  std::string rows_of_sources;
  RowBinaryWriter w(rows_of_sources);
  for (size_t i = 0; i < in.sources.size(); ++i) encode_source(w, in, i, o, out.export_ns, clock, problems);
  const std::string sources_table = sources_table_of(o.table);
  auto done = ch->insert("INSERT INTO " + sources_table + " (" + column_list(source_columns()) + ") FORMAT RowBinary",
                            [&] { return body_of(rows_of_sources); }, kInsertSettings);
  if (!done) return make_error(done.error().code, "export: the sources' rows (" + std::to_string(in.sources.size()) +
                                                      " files) into " + sources_table + ": " + done.error().message);
  out.batches = batches.size();
  out.sources = in.sources.size();
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace hindcast::store
