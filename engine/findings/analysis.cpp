#include "engine/findings/analysis.h"

#include <algorithm>

#include "parsers/registry.h"
#include "parsers/strace.h"

namespace hindcast {
namespace {

// Time spans each message format's own files cover (a second of slack each side): strace's
// copies of a server's log lines are used only where no file of that format covers the time.
using Coverage = std::vector<std::pair<const Parser*, std::pair<int64_t, int64_t>>>;

Coverage message_coverage(const Timeline& t) {
  Coverage covered;
  for (const Source& s : t.sources()) {
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (const Event& e : s.events) {
      if (e.kind != EventKind::kMessage || (e.basis & kBasisUnanchored)) continue;
      lo = std::min(lo, e.time_ns);
      hi = std::max(hi, e.time_ns);
    }
    if (lo <= hi) covered.push_back({s.parser, {lo - kNanosPerSecond, hi + kNanosPerSecond}});
  }
  return covered;
}

bool is_covered(const Coverage& c, const Parser* p, int64_t t) {
  for (const auto& [parser, span] : c)
    if (parser == p && t >= span.first && t <= span.second) return true;
  return false;
}

// A log line the traced program wrote, decoded by the parser that recognises it, where no log
// file of that format covers the time.
bool decode_embedded(const Source& strace_source, const Event& e, const Coverage& coverage, MessageItem& item) {
  const std::string_view line = strace_source.line_text(e);
  if (line.find("\"[") == std::string_view::npos) return false;  // writes of bracketed log lines only
  const std::optional<std::string> text = written_text(line);
  if (!text || text->size() < 20 || (*text)[0] != '[') return false;
  for (const Parser* p : all_parsers()) {
    if (p == strace_source.parser || !p->matches(*text)) continue;
    if (is_covered(coverage, p, e.time_ns)) return false;
    Record r;
    const std::string_view kept = r.keep(*text);
    if (!p->decode(strace_source, kept, r) || r.kind != RecordKind::kMessage) return false;
    r.source = strace_source.id;
    r.line = e.line;
    r.time_ns = e.time_ns;
    r.text = kept;
    if (r.host.empty()) r.host = strace_source.host;
    if (r.pid == 0) r.pid = e.pid;
    item.record = std::move(r);
    item.embedded = true;
    return true;
  }
  return false;
}

}  // namespace

std::string writer_of(const Source& source, const Record& r) {
  if (!r.program.empty()) return std::string(r.program);
  if (!r.module.empty()) return std::string(r.module);
  return source.format;
}

Analysis::Analysis(const Timeline& t) : timeline(t) {
  const Coverage covered = message_coverage(t);
  for (const EventRef ref : t.order()) {
    const Event& e = t.event(ref);
    const Source& s = t.source(ref);
    MessageItem item;
    if (e.kind == EventKind::kMessage || e.kind == EventKind::kChange) {
      if (!decode_record(s, e, &item.record)) continue;
    } else if (e.kind == EventKind::kSyscall) {
      if (!decode_embedded(s, e, covered, item)) continue;
    } else {
      continue;
    }
    item.ref = ref;
    item.time_ns = e.time_ns;
    item.template_id = miner_.add(writer_of(s, item.record), item.record.message);
    if (item.template_id == first_message_of_.size()) first_message_of_.push_back(static_cast<uint32_t>(messages_.size()));
    messages_.push_back(std::move(item));
  }
  for (const Source& s : t.sources()) {
    for (size_t i = 0; i < s.events.size(); ++i) {
      const Event& e = s.events[i];
      if (e.kind != EventKind::kHttpRequest || (e.basis & kBasisUnanchored)) continue;
      requests_.push_back({e.time_ns, e.code, e.latency_us(), EventRef{static_cast<uint32_t>(i), s.id}});
    }
  }
  // Each access log's run is sorted; several are merged by time (stable: file order kept).
  std::stable_sort(requests_.begin(), requests_.end(),
                   [](const Request& a, const Request& b) { return a.time_ns < b.time_ns; });
  template_facts_.resize(miner_.size());
  facts_.resize(messages_.size());
  stats_.resize(miner_.size());
}

const MessageFacts& Analysis::template_facts(uint32_t id) const {
  if (!template_facts_[id]) template_facts_[id] = std::make_unique<MessageFacts>(facts(first_message_of_[id]));
  return *template_facts_[id];
}

const MessageFacts& Analysis::facts(size_t i) const {
  if (!facts_[i]) facts_[i] = std::make_unique<MessageFacts>(read_message(messages_[i].record));
  return *facts_[i];
}

// Logs stamped to the second (access logs) put the last failure up to a second before the
// server's own record of it.
constexpr int64_t kEndSlack = kNanosPerSecond;

void Analysis::set_incident(const Window& w, int64_t lead_ns) {
  incident = w;
  lead_ns_ = lead_ns;
  stats_.assign(miner_.size(), TemplateStats{});
  std::vector<bool> seen(miner_.size(), false);
  constexpr size_t kSamples = 5;
  for (uint32_t i = 0; i < messages_.size(); ++i) {
    const MessageItem& m = messages_[i];
    TemplateStats& st = stats_[m.template_id];
    if (!seen[m.template_id]) {
      seen[m.template_id] = true;
      st.first_ns = m.time_ns;
      st.first_message = i;
    }
    st.last_ns = m.time_ns;
    st.max_severity = std::max(st.max_severity, m.record.severity);
    if (m.time_ns < w.start_ns - lead_ns) {
      ++st.before;
    } else if (m.time_ns <= w.end_ns + kEndSlack) {
      if (st.during++ == 0) st.first_during_ns = m.time_ns;
      if (st.during_samples.size() < kSamples) st.during_samples.push_back(i);
    } else {
      ++st.after;
    }
  }
}

bool Analysis::request_record(const Request& r, Record* out) const {
  return decode_record(timeline.source(r.ref), timeline.event(r.ref), out);
}

std::pair<size_t, size_t> Analysis::message_range(int64_t lo, int64_t hi) const {
  const auto a = std::lower_bound(messages_.begin(), messages_.end(), lo,
                                  [](const MessageItem& m, int64_t x) { return m.time_ns < x; });
  const auto b = std::upper_bound(messages_.begin(), messages_.end(), hi,
                                  [](int64_t x, const MessageItem& m) { return x < m.time_ns; });
  return {static_cast<size_t>(a - messages_.begin()), static_cast<size_t>(b - messages_.begin())};
}

void run_stage(Stage stage, const Analysis& a, std::vector<Candidate>& out) {
  for (const Detector* d : detectors())
    if (d->stage() == stage) d->run(a, out);
}

}  // namespace hindcast
