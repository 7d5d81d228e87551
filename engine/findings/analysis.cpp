#include "engine/findings/analysis.h"
#include "engine/findings/actions.h"

#include <algorithm>

#include "engine/core/memory.h"
#include "engine/core/signature.h"
#include "engine/parallel.h"
#include "parsers/registry.h"
#include "parsers/strace.h"

namespace hindcast {
namespace {

// How far around the incident messages are decoded and mined, and how many at most: the
// baseline a template is judged against, and the trigger's half hour (changes.cpp's kLookback,
// chosen), lie within it. The count is a cost bound (mining is linear in it): beyond it the
// neighbourhood narrows, and an incident holding more is mined at its onset and end and sampled
// in between.
constexpr int64_t kNeighbourhood = 30 * 60 * kNanosPerSecond;
constexpr size_t kMaxNeighbourhoodMessages = 400'000;
// Outside the neighbourhood, messages of its signatures are sampled: at most this many of each
// (a template that is 1 % of its signature escapes 512 evenly spaced samples with chance
// 0.99^512 = e^-5) and this many in all (a cost bound: half of what the neighbourhood may cost).
constexpr uint64_t kSamplePerSignature = 512;
constexpr uint64_t kMaxSampledElsewhere = 200'000;
// Logs stamped to the second (access logs) put the last failure up to a second before the
// server's own record of it.
constexpr int64_t kEndSlack = kNanosPerSecond;

bool is_message(const Event& e) { return e.kind == EventKind::kMessage || e.kind == EventKind::kChange; }
bool may_have_messages(const Source& s) { return s.may_have(EventKind::kMessage) || s.may_have(EventKind::kChange); }

// What the symptoms and the trigger need from the whole logs.
bool selected_meaning(Meaning m) {
  return m == Meaning::kMonitorFailing || m == Meaning::kMonitorOk || m == Meaning::kCrash ||
         m == Meaning::kServiceFailed || m == Meaning::kConfigSyntax || m == Meaning::kAction ||
         m == Meaning::kListening;
}

// Kept as well where the message is error-level: the series of a new error's rate (error_bursts.cpp).
bool selected_meaning(Meaning m, Severity severity) {
  return selected_meaning(m) || (severity >= Severity::kError && is_error_meaning(m));
}

// What a message means, an action being one meaning: a service manager's "Stopping", "Reloading"
// and a package operation are actions (someone acted), whatever else they say.
Meaning meaning_of_record(const Record& r) {
  const Meaning m = read_message(r).meaning;
  const bool plain = m == Meaning::kNone || m == Meaning::kServiceStopped || m == Meaning::kServiceRestarted ||
                     m == Meaning::kServiceStarted;
  return plain && read_action(r) ? Meaning::kAction : m;
}

// Time spans each message format's own files cover (a second of slack each side): strace's
// copies of a server's log lines are used only where no file of that format covers the time.
using Coverage = std::vector<std::pair<const Parser*, std::pair<int64_t, int64_t>>>;

Coverage message_coverage(const Timeline& t) {
  Coverage covered;
  for (const Source& s : t.sources()) {
    if (!s.may_have(EventKind::kMessage)) continue;
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (const Event& e : s.events) {
      if (e.kind != EventKind::kMessage || (e.basis & kBasisUnanchored)) continue;
      lo = std::min(lo, e.time_ns);
      hi = std::max(hi, e.time_ns);
    }
    // A second either side: stamps to the second (kEndSlack).
    if (lo <= hi) covered.push_back({s.parser, {lo - kNanosPerSecond, hi + kNanosPerSecond}});
  }
  return covered;
}

bool is_covered(const Coverage& c, const Parser* p, int64_t t) {
  for (const auto& [parser, span] : c)
    if (parser == p && t >= span.first && t <= span.second) return true;
  return false;
}

// The parser that reads a log line the traced program wrote, whichever format it is in, where no
// log file of that format covers the time; null for other lines.
const Parser* embedded_parser(const Source& strace_source, const Event& e, const Coverage& coverage,
                              std::string* text) {
  if (!(e.flags & kFlagWritesText)) return nullptr;  // a call that wrote nothing out: not read
  std::optional<std::string> written = written_text(strace_source.line_text(e));
  // A cheap reject, chosen: a stamped line with a writer and a word is longer (a syslog stamp alone
  // is 15 characters, PHP-FPM's bracketed one 22).
  if (!written || written->size() < 20) return nullptr;
  const size_t n = written->size();
  written->append(SourceText::kPadding, '\0');  // what a parser may read past a line (simdjson)
  const Parser* p = parser_for_line(std::string_view(*written).substr(0, n), strace_source.parser);
  if (!p || is_covered(coverage, p, e.time_ns)) return nullptr;
  written->resize(n);
  *text = std::move(*written);
  return p;
}

// The record of an embedded line, where and when as the strace line that carries it.
bool decode_embedded(const Source& strace_source, const Event& e, const Parser* p, std::string text, Record& r) {
  r = Record{};
  const size_t n = text.size();
  text.append(SourceText::kPadding, '\0');
  const std::string_view kept = r.keep(std::move(text)).substr(0, n);
  if (!p->decode(strace_source, kept, r) || r.kind != RecordKind::kMessage) return false;
  r.source = strace_source.id;
  r.time_ns = e.time_ns;
  r.text = kept;
  if (r.host.empty()) r.host = strace_source.host;
  if (r.pid == 0) r.pid = e.pid;
  return true;
}

}  // namespace

std::string writer_of(const Source& source, const Record& r) {
  if (!r.program.empty()) return std::string(r.program);
  if (!r.module.empty()) return std::string(r.module);
  return source.format;
}

std::vector<Analysis::Block> Analysis::blocks_of(const Timeline& t) {
  constexpr size_t kBlock = size_t{1} << 19;  // the unit of parallel decoding; no result depends on it
  std::vector<Block> blocks;
  for (const Source& s : t.sources())
    for (size_t b = 0; b < s.events.size(); b += kBlock) blocks.push_back({s.id, b, std::min(s.events.size(), b + kBlock)});
  return blocks;
}

TimeAxis TimeAxis::spanning(int64_t first_ns, int64_t last_ns) {
  TimeAxis a;
  a.t0 = first_ns - first_ns % kNanosPerSecond - (first_ns % kNanosPerSecond < 0 ? kNanosPerSecond : 0);
  const int64_t span = std::max<int64_t>(0, last_ns - a.t0);
  const int64_t seconds = span / kNanosPerSecond + 1;
  const int64_t per_bucket = (seconds + static_cast<int64_t>(kMaxBuckets) - 1) / static_cast<int64_t>(kMaxBuckets);
  a.width_ns = std::max<int64_t>(1, per_bucket) * kNanosPerSecond;
  a.size = static_cast<size_t>(span / a.width_ns) + 1;
  return a;
}

Analysis::Analysis(const Timeline& t, const Executor& executor) : timeline(t) {
  if (t.size() > 0) axis_ = TimeAxis::spanning(t.event(t.order().front()).time_ns, t.event(t.order().back()).time_ns);
  const std::vector<Block> blocks = blocks_of(t);
  // Requests: counted per block, then written straight into their place (no array grows).
  const auto is_request = [](const Event& e) { return e.kind == EventKind::kHttpRequest && !(e.basis & kBasisUnanchored); };
  std::vector<size_t> offset(blocks.size() + 1, 0);
  executor.parallel_for(blocks.size(), [&](size_t b) {
    const Source& s = t.sources()[blocks[b].source];
    if (!s.may_have(EventKind::kHttpRequest)) return;
    offset[b + 1] = static_cast<size_t>(std::count_if(s.events.begin() + static_cast<ptrdiff_t>(blocks[b].begin),
                                                      s.events.begin() + static_cast<ptrdiff_t>(blocks[b].end), is_request));
  });
  for (size_t b = 0; b < blocks.size(); ++b) offset[b + 1] += offset[b];
  requests_.reserve(offset.back());
  advise_huge_pages_if_large(requests_.data(), offset.back() * sizeof(Request));
  requests_.resize(offset.back());
  executor.parallel_for(blocks.size(), [&](size_t b) {
    const Source& s = t.sources()[blocks[b].source];
    if (offset[b + 1] == offset[b]) return;
    Request* out = requests_.data() + offset[b];
    populate_for_write(out, (offset[b + 1] - offset[b]) * sizeof(Request));
    for (size_t i = blocks[b].begin; i < blocks[b].end; ++i) {
      const Event& e = s.events[i];
      if (is_request(e)) *out++ = {e.time_ns, static_cast<uint32_t>(i), s.id, e.code};
    }
  });
  // Each access log's run is sorted; several are merged by time (stable: file order kept).
  const auto by_time = [](const Request& a, const Request& b) { return a.time_ns < b.time_ns; };
  if (!std::is_sorted(requests_.begin(), requests_.end(), by_time))
    std::stable_sort(requests_.begin(), requests_.end(), by_time);
  index_signatures(blocks, executor);
  select_messages(blocks, executor);
}

void Analysis::index_signatures(const std::vector<Block>& blocks, const Executor& executor) {
  const Timeline& t = timeline;
  std::vector<std::unordered_map<uint32_t, SignatureInfo>> partial(blocks.size());
  executor.parallel_for(blocks.size(), [&](size_t b) {
    const Source& s = t.sources()[blocks[b].source];
    if (!may_have_messages(s)) return;
    auto& map = partial[b];
    // Runs of one kind of message (a monitor repeating its alert) cost a compare, not a lookup:
    // the last signature's entry is kept (a map's entries stay where they are).
    uint32_t last_sig = 0;
    SignatureInfo* last = nullptr;
    for (size_t i = blocks[b].begin; i < blocks[b].end; ++i) {
      const Event& e = s.events[i];
      if (!is_message(e) || (e.basis & kBasisUnanchored)) continue;
      if (!last || e.signature() != last_sig) last_sig = e.signature(), last = &map[last_sig];
      if (last->count++ == 0) last->first = EventRef{static_cast<uint32_t>(i), s.id};
    }
  });
  for (const auto& map : partial) {  // block order: the first occurrence stays the first
    for (const auto& [sig, info] : map) {
      auto [it, fresh] = signatures_.try_emplace(sig, info);
      if (!fresh) it->second.count += info.count;
    }
  }
  // One representative per kind of message says what the kind means, and whether it is an action
  // (a change someone made: the trigger's candidates, whose history the whole logs hold).
  for (auto& [sig, info] : signatures_) {
    Record r;
    if (sig == 0 || !decode_record(t.source(info.first), t.event(info.first), &r)) continue;
    info.meaning = meaning_of_record(r);
  }
}

void Analysis::select_messages(const std::vector<Block>& blocks, const Executor& executor) {
  const Timeline& t = timeline;
  // The kinds of message kept, by signature: few, so a sorted array behind a 64-bit filter
  // rather than a hash lookup for each of millions of messages.
  std::vector<std::pair<uint32_t, Meaning>> wanted;
  uint64_t filter = 0;
  for (const auto& [sig, info] : signatures_) {
    if (sig == 0 || !(selected_meaning(info.meaning) || is_error_meaning(info.meaning))) continue;
    wanted.emplace_back(sig, info.meaning);
    filter |= uint64_t{1} << (sig & 63);
  }
  std::sort(wanted.begin(), wanted.end());
  const auto lookup = [&](uint32_t sig) {
    if (!(filter >> (sig & 63) & 1)) return Meaning::kNone;
    const auto it = std::lower_bound(wanted.begin(), wanted.end(), std::pair{sig, Meaning::kNone});
    return it != wanted.end() && it->first == sig ? it->second : Meaning::kNone;
  };
  // The last signature's meaning, per block: a run of one kind of message looks it up once.
  struct LastMeaning {
    uint32_t sig = 0;  // 0: none yet (a signature that is 0 is never looked up)
    Meaning meaning = Meaning::kNone;
  };
  const auto meaning_of = [&](uint32_t sig, LastMeaning& last) {
    if (sig != last.sig) last = {sig, lookup(sig)};
    return last.meaning;
  };
  // Counted per block, then written straight into place (as the requests): the array is touched
  // once, where it ends up. A message without a signature (a parser that gives none) is read to
  // know its meaning, once: the counting pass keeps the few it selects for the writing pass.
  struct Unsigned {
    size_t index;
    Meaning meaning;
  };
  std::vector<std::vector<Unsigned>> unsigned_kept(blocks.size());
  std::vector<size_t> offset(blocks.size() + 1, 0);
  executor.parallel_for(blocks.size(), [&](size_t b) {
    const Source& s = t.sources()[blocks[b].source];
    if (!may_have_messages(s)) return;
    RecordReader reader(s);  // the records read in windows, not the mapping touched page by page
    size_t n = 0;
    LastMeaning last;
    for (size_t i = blocks[b].begin; i < blocks[b].end; ++i) {
      const Event& e = s.events[i];
      if (!is_message(e) || (e.basis & kBasisUnanchored)) continue;
      if (e.signature() != 0) {
        n += selected_meaning(meaning_of(e.signature(), last), e.severity);
        continue;
      }
      Record r;  // (a Record is 500 bytes to clear: built only where one is read)
      if (!decode_record(s, e, reader.line(e), &r)) continue;
      const Meaning meaning = meaning_of_record(r);
      if (selected_meaning(meaning, e.severity)) unsigned_kept[b].push_back({i, meaning}), ++n;
    }
    offset[b + 1] = n;
  });
  for (size_t b = 0; b < blocks.size(); ++b) offset[b + 1] += offset[b];
  selected_.reserve(offset.back());
  advise_huge_pages_if_large(selected_.data(), offset.back() * sizeof(SelectedMessage));
  selected_.resize(offset.back());
  executor.parallel_for(blocks.size(), [&](size_t b) {
    if (offset[b + 1] == offset[b]) return;
    const Source& s = t.sources()[blocks[b].source];
    SelectedMessage* out = selected_.data() + offset[b];
    populate_for_write(out, (offset[b + 1] - offset[b]) * sizeof(SelectedMessage));
    auto next_unsigned = unsigned_kept[b].begin();
    LastMeaning last;
    for (size_t i = blocks[b].begin; i < blocks[b].end; ++i) {
      const Event& e = s.events[i];
      if (!is_message(e) || (e.basis & kBasisUnanchored)) continue;
      Meaning meaning = Meaning::kNone;
      if (e.signature() != 0) {
        meaning = meaning_of(e.signature(), last);
        if (!selected_meaning(meaning, e.severity)) continue;
      } else {
        if (next_unsigned == unsigned_kept[b].end() || next_unsigned->index != i) continue;
        meaning = (next_unsigned++)->meaning;
      }
      *out++ = {e.time_ns, static_cast<uint32_t>(i), s.id, meaning};
    }
  });
  // Each source's run is in time order (its events are); several are merged, run into run (a
  // linear merge, not a sort: the order is total, so the result is the one a sort gives).
  const auto before = [](const SelectedMessage& a, const SelectedMessage& b) {
    return a.time_ns != b.time_ns ? a.time_ns < b.time_ns
                                  : (a.source != b.source ? a.source < b.source : a.index < b.index);
  };
  std::vector<size_t> run_ends;  // where each source's run ends in selected_
  for (size_t b = 0; b < blocks.size(); ++b) {
    const bool last_of_source = b + 1 == blocks.size() || blocks[b + 1].source != blocks[b].source;
    if (last_of_source && (run_ends.empty() ? offset[b + 1] > 0 : offset[b + 1] > run_ends.back())) run_ends.push_back(offset[b + 1]);
  }
  bool runs_sorted = true;
  for (size_t k = 0; k < run_ends.size() && runs_sorted; ++k)
    runs_sorted = std::is_sorted(selected_.begin() + static_cast<ptrdiff_t>(k ? run_ends[k - 1] : 0),
                                 selected_.begin() + static_cast<ptrdiff_t>(run_ends[k]), before);
  if (!runs_sorted) {
    std::stable_sort(selected_.begin(), selected_.end(), before);
    return;
  }
  for (size_t k = 1; k < run_ends.size(); ++k)
    std::inplace_merge(selected_.begin(), selected_.begin() + static_cast<ptrdiff_t>(run_ends[k - 1]),
                       selected_.begin() + static_cast<ptrdiff_t>(run_ends[k]), before);
}

int64_t Analysis::neighbourhood_margin(int64_t lo, int64_t hi) const {
  // One pass over the widest neighbourhood: how many messages lie at each distance (in seconds)
  // from [lo, hi], then the widest margin that stays within the budget.
  const Timeline& t = timeline;
  const size_t widest = static_cast<size_t>(kNeighbourhood / kNanosPerSecond);
  std::vector<uint64_t> at_distance(widest + 1, 0);
  uint64_t total = 0;
  for (const EventRef ref : t.range(lo - kNeighbourhood, hi + kNeighbourhood)) {
    const Event& e = t.event(ref);
    if (!is_message(e)) continue;
    const int64_t d = e.time_ns < lo ? lo - e.time_ns : e.time_ns > hi ? e.time_ns - hi : 0;
    ++at_distance[std::min(widest, static_cast<size_t>(d / kNanosPerSecond))];
    ++total;
  }
  if (total <= kMaxNeighbourhoodMessages) return kNeighbourhood;
  uint64_t within = 0;
  for (size_t d = 0; d <= widest; ++d) {
    if (within + at_distance[d] > kMaxNeighbourhoodMessages) return std::max<int64_t>(kNanosPerSecond, static_cast<int64_t>(d) * kNanosPerSecond);
    within += at_distance[d];
  }
  return kNeighbourhood;
}

void Analysis::mine_neighbourhood(int64_t lo, int64_t hi) {
  const Timeline& t = timeline;
  const int64_t margin = neighbourhood_margin(lo, hi);
  neighbourhood_ = {lo - margin, hi + margin};
  const Coverage covered = message_coverage(t);
  const auto minable = [](const Event& e) {
    return is_message(e) || (e.kind == EventKind::kSyscall && (e.flags & kFlagWritesText));
  };
  // An incident holding more messages than the budget (an outage over most of the logs): its
  // onset (half the budget) and its end (a quarter) in full, where the new templates, the trigger
  // and the resolution are; its interior sampled evenly into the last quarter, each sampled
  // message standing for the stride it was taken at, so rates stay rates.
  uint64_t inside = 0;
  for (const EventRef ref : t.range(lo, hi)) inside += minable(t.event(ref));
  const uint64_t head = kMaxNeighbourhoodMessages / 2, tail = kMaxNeighbourhoodMessages / 4;
  const uint64_t stride = inside <= kMaxNeighbourhoodMessages ? 1 : (inside - head - tail) / (kMaxNeighbourhoodMessages - head - tail) + 1;
  uint64_t k = 0;  // messages of the incident seen so far
  for (const EventRef ref : t.range(neighbourhood_.start_ns, neighbourhood_.end_ns)) {
    const Event& e = t.event(ref);
    if (!minable(e)) continue;
    uint32_t weight = 1;
    if (stride > 1 && e.time_ns >= lo && e.time_ns <= hi) {
      const uint64_t at = k++;
      if (at >= head && at < inside - tail) {
        if ((at - head) % stride != 0) continue;
        weight = static_cast<uint32_t>(std::min<uint64_t>(stride, inside - tail - at));
      }
    }
    const Source& s = t.source(ref);
    MessageItem item;
    item.weight = weight;
    Record r;
    if (is_message(e)) {
      if (!decode_record(s, e, &r)) continue;
    } else {
      std::string text;
      item.embedded = embedded_parser(s, e, covered, &text);
      if (!item.embedded || !decode_embedded(s, e, item.embedded, std::move(text), r)) continue;
    }
    item.ref = ref;
    item.time_ns = e.time_ns;
    item.template_id = miner_.add(writer_of(s, r), r.message);
    if (item.template_id == first_message_of_.size()) first_message_of_.push_back(static_cast<uint32_t>(messages_.size()));
    messages_.push_back(item);
  }
  mine_elsewhere();
  template_facts_.resize(miner_.size());
}

void Analysis::mine_elsewhere() {
  // The signatures of the neighbourhood that also occur outside it: their outside messages may be
  // of the same templates or of others (a signature is the writer and two tokens: every cron job
  // shares one). A sample of each, spread evenly over the logs, is mined into the same templates,
  // each sampled message standing for its share of the signature's outside count.
  const Timeline& t = timeline;
  std::unordered_map<uint32_t, uint64_t> inside;
  for (const MessageItem& m : messages_)
    if (!m.embedded) ++inside[t.event(m.ref).signature()];
  struct Shared {
    uint64_t outside = 0, stride = 1;
  };
  std::unordered_map<uint32_t, Shared> shared;
  uint64_t outside_total = 0;
  for (const auto& [sig, n] : inside) {
    const auto it = signatures_.find(sig);
    if (sig == 0 || it == signatures_.end() || it->second.count <= n) continue;
    shared[sig].outside = it->second.count - n;
    outside_total += it->second.count - n;
  }
  if (shared.empty()) return;
  const uint64_t per_signature = std::max<uint64_t>(
      1, std::min<uint64_t>(kSamplePerSignature, kMaxSampledElsewhere / std::max<size_t>(1, shared.size())));
  for (auto& [sig, sh] : shared) sh.stride = (sh.outside + per_signature - 1) / per_signature;
  // The outside occurrences, counted per signature in file order so the sample is systematic.
  struct Pick {
    EventRef ref;
    uint64_t weight;
  };
  std::vector<Pick> picks;
  std::unordered_map<uint32_t, uint64_t> seen;
  for (const Source& s : t.sources()) {
    if (!may_have_messages(s)) continue;
    for (size_t i = 0; i < s.events.size(); ++i) {
      const Event& e = s.events[i];
      if (!is_message(e) || (e.basis & kBasisUnanchored) || neighbourhood_.contains(e.time_ns)) continue;
      const auto it = shared.find(e.signature());
      if (it == shared.end()) continue;
      if (seen[e.signature()]++ % it->second.stride == 0) picks.push_back({EventRef{static_cast<uint32_t>(i), s.id}, it->second.stride});
    }
  }
  elsewhere_.assign(miner_.size(), 0);
  for (const Pick& p : picks) {
    Record r;
    if (!decode_record(t.source(p.ref), t.event(p.ref), &r)) continue;
    const uint32_t id = miner_.add(writer_of(t.source(p.ref), r), r.message);
    if (id >= elsewhere_.size()) elsewhere_.resize(id + 1, 0);
    if (id >= first_message_of_.size()) first_message_of_.resize(id + 1, kNoMessage);
    elsewhere_[id] += p.weight;
  }
  (void)outside_total;
}

const Listener* Analysis::listener(std::string_view endpoint) const {
  if (!listeners_built_) {
    listeners_built_ = true;
    for (const SelectedMessage& m : selected_) {
      if (m.meaning != Meaning::kListening) continue;
      const Record r = selected_record(m);
      const MessageFacts f = read_message(r);
      if (f.endpoint.empty()) continue;
      const Source& s = timeline.source(m.ref());
      const std::string_view program = !r.program.empty() ? r.program : server_of_format(s.format);
      listeners_[f.endpoint] = Listener{std::string(r.host.empty() ? std::string_view(s.host) : r.host), std::string(program)};
    }
  }
  const auto it = listeners_.find(std::string(endpoint));
  return it == listeners_.end() ? nullptr : &it->second;
}

Record Analysis::selected_record(const SelectedMessage& m) const {
  Record r;
  decode_record(timeline.source(m.ref()), timeline.event(m.ref()), &r);
  return r;
}

size_t Analysis::request_at(int64_t t) const {
  return static_cast<size_t>(std::lower_bound(requests_.begin(), requests_.end(), t,
                                              [](const Request& r, int64_t x) { return r.time_ns < x; }) -
                             requests_.begin());
}

uint32_t Analysis::series(const SelectedMessage& m) const {
  const uint32_t sig = timeline.event(m.ref()).signature();
  const uint64_t kind = uint64_t{m.source} << 32 | sig;
  if (sig != 0 && kind == last_kind_) return last_series_;  // consecutive results of one kind
  if (const auto it = series_of_kind_.find(kind); sig != 0 && it != series_of_kind_.end()) {
    last_kind_ = kind, last_series_ = it->second;
    return it->second;
  }
  const Record r = selected_record(m);
  const uint32_t key = message_signature(r.host, r.program);
  if (sig != 0) series_of_kind_.emplace(kind, key);  // no signature: not one kind, read each
  if (sig != 0) last_kind_ = kind, last_series_ = key;
  return key;
}

MessageFacts Analysis::selected_facts(const SelectedMessage& m) const { return read_message(selected_record(m)); }

Record Analysis::record(size_t i) const {
  const MessageItem& m = messages_[i];
  const Source& s = timeline.source(m.ref);
  const Event& e = timeline.event(m.ref);
  Record r;
  if (!m.embedded) {
    decode_record(s, e, &r);
    return r;
  }
  if (std::optional<std::string> text = written_text(s.line_text(e))) decode_embedded(s, e, m.embedded, std::move(*text), r);
  return r;
}

const MessageFacts& Analysis::template_facts(uint32_t id) const {
  if (!template_facts_[id]) template_facts_[id] = std::make_unique<MessageFacts>(facts(first_message_of_[id]));
  return *template_facts_[id];
}

const MessageFacts& Analysis::facts(size_t i) const {
  auto& slot = facts_[i];
  if (!slot) slot = std::make_unique<MessageFacts>(read_message(record(i)));
  return *slot;
}

void Analysis::set_incident(const Window& w, int64_t lead_ns) {
  incident = w;
  lead_ns_ = lead_ns;
  if (messages_.empty()) mine_neighbourhood(w.start_ns - lead_ns, w.end_ns);
  stats_.assign(miner_.size(), TemplateStats{});
  std::vector<bool> seen(miner_.size(), false);
  for (uint32_t i = 0; i < messages_.size(); ++i) {
    const MessageItem& m = messages_[i];
    TemplateStats& st = stats_[m.template_id];
    if (!seen[m.template_id]) {
      seen[m.template_id] = true;
      st.first_ns = m.time_ns;
    }
    if (m.time_ns < w.start_ns - lead_ns) st.before += m.weight;
    else if (m.time_ns <= w.end_ns + kEndSlack) st.during += m.weight;
    else st.after += m.weight;
  }
  // Outside the neighbourhood (the whole logs, sampled): a template seen there is not new.
  for (uint32_t id = 0; id < stats_.size() && id < elsewhere_.size(); ++id) stats_[id].elsewhere = elsewhere_[id];
}

std::pair<size_t, size_t> Analysis::message_range(int64_t lo, int64_t hi) const {
  const auto a = std::lower_bound(messages_.begin(), messages_.end(), lo,
                                  [](const MessageItem& m, int64_t x) { return m.time_ns < x; });
  const auto b = std::upper_bound(messages_.begin(), messages_.end(), hi,
                                  [](int64_t x, const MessageItem& m) { return x < m.time_ns; });
  return {static_cast<size_t>(a - messages_.begin()), static_cast<size_t>(b - messages_.begin())};
}

bool Analysis::request_record(const Request& r, Record* out) const {
  return decode_record(timeline.source(r.ref()), timeline.event(r.ref()), out);
}

void run_stage(Stage stage, const Analysis& a, std::vector<Candidate>& out) {
  for (const Detector* d : detectors())
    if (d->stage() == stage) d->run(a, out);
}

}  // namespace hindcast
