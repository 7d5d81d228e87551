#include "engine/resolve/resolver.h"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>
#include <set>

#include "engine/core/median.h"
#include "engine/parallel.h"
#include "engine/resolve/embedded_clues.h"
#include "parsers/parser.h"

namespace hindcast {
namespace {

constexpr int64_t kNoTime = std::numeric_limits<int64_t>::min();

// The kernel stamps a file's mtime from its coarse clock (the last tick: up to 10 ms behind the
// clock a program reads for its own stamps), so a file's last line can be a few ms *after* its
// mtime. "The last line precedes mtime" allows for that much (and then some).
constexpr int64_t kMtimeSlack = kNanosPerSecond;

std::string base_name(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

struct Range {
  int64_t lo = std::numeric_limits<int64_t>::max();
  int64_t hi = std::numeric_limits<int64_t>::min();
  bool empty() const { return lo > hi; }
  void add(int64_t t) {
    lo = std::min(lo, t);
    hi = std::max(hi, t);
  }
};

// How well [a, b] sits on the evidence range: overlap length, minus the distance between them
// when they do not meet. Higher is better.
int64_t fit(int64_t a, int64_t b, const Range& evidence) {
  const int64_t overlap = std::min(b, evidence.hi) - std::max(a, evidence.lo);
  return overlap;  // negative overlap is the (negated) gap
}

// The evidence every later step leans on: dated instants and which source supplied most.
struct DatedEvidence {
  Range range;
  std::string main_source;
};

// One source's dated instants: their range and how many.
struct SourceDated {
  Range range;
  size_t lines = 0;
};

// `years_resolved`: whether step 4 has run (before it, no year-less line is dated yet).
SourceDated dated_lines(const Source& s, bool years_resolved) {
  SourceDated d;
  if (!s.may_have(TimeShape::kAbsolute) && !s.may_have(TimeShape::kLocalDateTime) &&
      !(years_resolved && s.may_have(TimeShape::kLocalNoYear)))
    return d;  // (a trace stamped with times of day, or a year-less syslog not yet resolved: unread)
  Range r;  // (a local: the slots of neighbouring sources share a cache line)
  size_t n = 0;
  for (const Event& e : s.events) {
    if (e.shape == TimeShape::kAbsolute || e.shape == TimeShape::kLocalDateTime ||
        (e.shape == TimeShape::kLocalNoYear && e.basis != kBasisNone)) {
      r.add(e.time_ns);
      ++n;
    }
  }
  d.range = r;
  d.lines = n;
  return d;
}

// The sources' dated evidence: every source's (`per`) is read again where `stale` is set, and
// kept where it is not (a step that resolved some sources' lines changed no other's).
DatedEvidence dated_evidence(const std::vector<Source>& sources, std::vector<SourceDated>& per,
                             const std::vector<char>& stale, bool years_resolved, const Executor& executor) {
  executor.parallel_for(sources.size(), [&](size_t i) {
    if (stale[i]) per[i] = dated_lines(sources[i], years_resolved);
  });
  DatedEvidence d;
  size_t best = 0;
  for (size_t i = 0; i < sources.size(); ++i) {
    if (!per[i].range.empty()) {
      d.range.add(per[i].range.lo);
      d.range.add(per[i].range.hi);
    }
    if (per[i].lines > best) {
      best = per[i].lines;
      d.main_source = base_name(sources[i].path);
    }
  }
  return d;
}

uint16_t clock_bit(const ResolveOutcome& o) {
  if (o.clock_is_assumed_utc) return kBasisAssumedUtc;
  return o.clock_is_inferred ? kBasisOffsetInferred : kBasisZoneOption;
}

// Sources whose lines name the host that wrote them (syslog, journald): a collected file's lines
// can come from several hosts.
bool is_message_source(const Source& s) {
  return !s.events.empty() && s.events.front().kind == EventKind::kMessage;
}

// The host whose clock dates a line: the one the line names (a relay's syslog holds other hosts'
// lines), else the source's own (its host tree's, e.g. hosts/<name>/: an access log names no
// host); empty when neither is known. Each host keeps its own zone: a fleet's database host may run
// in UTC while its web hosts log local time.
std::string clock_host(const Source& s, const Event& e) {
  if (is_message_source(s)) {
    Record r;
    if (decode_record(s, e, &r) && !r.host.empty()) return std::string(r.host);
  }
  return s.host;
}

const ClockModel& clock_for(const ResolveOutcome& o, const Source& s, const Event& e) {
  if (o.host_clocks.empty() || (s.host.empty() && !is_message_source(s))) return *o.clock;
  const auto it = o.host_clocks.find(clock_host(s, e));
  return it == o.host_clocks.end() ? *o.clock : *it->second;
}

// apply_clock's work on events [begin, end), the line before them at `previous` (kNoTime: not
// known). Returns how many lines had a wall clock inside a DST gap.
template <class LocalOf>
size_t apply_clock_range(Source& s, TimeShape shape, const ResolveOutcome& o, uint16_t extra_bits, LocalOf& local_of,
                         size_t begin, size_t end, int64_t previous) {
  LocalResolver resolve;
  size_t gaps = 0;
  for (size_t i = begin; i < end; ++i) {
    Event& e = s.events[i];
    if (e.shape != shape) continue;
    const int64_t local = local_of(e);
    if (!in_time_range(local)) {  // e.g. a -r sum or a day count past the years an instant can have
      e.basis = kBasisUnanchored;
      continue;
    }
    int offset = 0;
    bool in_gap = false;
    e.time_ns = resolve(clock_for(o, s, e), local, previous, &offset, &in_gap);
    gaps += in_gap;
    e.offset_minutes = static_cast<int16_t>(offset / 60);
    e.basis = clock_bit(o) | extra_bits;
    previous = e.time_ns;
  }
  return gaps;
}

// A source's lines at wall clocks that never happened, said once: a host whose clock was not
// moved at the jump, a writer that logs in another zone, or a line typed by hand.
void note_dst_gap(Source& s, size_t gaps) {
  if (gaps == 0) return;
  s.warnings.push_back(std::to_string(gaps) + (gaps == 1 ? " line has" : " lines have") +
                       " a local time inside a DST gap (a wall clock that never happened: the clocks jumped "
                       "over it); read with the offset in force before the jump");
}

// Whether the first line of `shape` in events [begin, end) that apply_clock would resolve is in
// a repeated hour: its reading, and so every later one, then depends on the line before.
template <class LocalOf>
bool first_line_needs_previous(const Source& s, TimeShape shape, const ResolveOutcome& o, LocalOf local_of,
                               size_t begin, size_t end) {
  for (size_t i = begin; i < end; ++i) {
    const Event& e = s.events[i];
    if (e.shape != shape) continue;
    const int64_t local = local_of(e);
    if (!in_time_range(local)) continue;
    int offsets[2], gap;
    return clock_for(o, s, e).candidates(local, offsets, &gap) == 2;
  }
  return false;
}

// The instant of the last line of `shape` before event `end` that apply_clock resolved.
int64_t resolved_before(const Source& s, TimeShape shape, size_t end) {
  for (size_t i = end; i-- > 0;)
    if (s.events[i].shape == shape && s.events[i].basis != kBasisUnanchored) return s.events[i].time_ns;
  return kNoTime;
}

// Every line of `shape`: local time (local_of) to UTC through the host's clock. A line in a
// repeated hour takes the reading that does not put it well before the line above it, so a file
// is resolved in order. A large one goes in blocks on the executor's threads, each from its first
// line, except a block that starts inside a repeated hour: those are resolved afterwards, in
// order, from the line before them (blocks are 256K lines: that is rare, and the result is the
// in-order one).
template <class LocalOf>
void apply_clock(Source& s, TimeShape shape, const ResolveOutcome& o, uint16_t extra_bits, LocalOf local_of,
                 const Executor& executor = Executor::serial()) {
  constexpr size_t kBlock = size_t{1} << 18;
  const size_t n = s.events.size();
  if (executor.threads() < 2 || n < 2 * kBlock) {
    note_dst_gap(s, apply_clock_range(s, shape, o, extra_bits, local_of, 0, n, kNoTime));
    return;
  }
  const size_t blocks = (n + kBlock - 1) / kBlock;
  const auto end_of = [&](size_t b) { return std::min(n, (b + 1) * kBlock); };
  std::vector<char> later(blocks, 0);  // resolved after the others, from the line before
  std::vector<size_t> gaps(blocks, 0);
  for (size_t b = 1; b < blocks; ++b) later[b] = first_line_needs_previous(s, shape, o, local_of, b * kBlock, end_of(b));
  executor.parallel_for(blocks, [&](size_t b) {
    if (later[b]) return;
    LocalOf own = local_of;  // (a year mapper caches per rollover count)
    gaps[b] = apply_clock_range(s, shape, o, extra_bits, own, b * kBlock, end_of(b), kNoTime);
  });
  for (size_t b = 1; b < blocks; ++b) {
    if (!later[b]) continue;
    LocalOf own = local_of;
    gaps[b] = apply_clock_range(s, shape, o, extra_bits, own, b * kBlock, end_of(b), resolved_before(s, shape, b * kBlock));
  }
  size_t total = 0;
  for (const size_t g : gaps) total += g;
  note_dst_gap(s, total);
}

int64_t approx_utc(const ClockModel& clock, int64_t local) {
  if (!in_time_range(local)) return local;
  int off;
  return resolve_local(clock, local, kNoTime, &off);
}

// --- step 4: year -------------------------------------------------------------------------

int64_t local_in_year(int64_t placeholder_ns, int64_t first_year) {
  const int64_t days = placeholder_ns >= 0 ? placeholder_ns / kNanosPerDay
                                           : (placeholder_ns - kNanosPerDay + 1) / kNanosPerDay;
  const int64_t tod = placeholder_ns - days * kNanosPerDay;
  const CivilDate d = civil_from_days(days);
  const int64_t k = (d.year - kPlaceholderYear) / 4;
  return days_from_civil(first_year + k, d.month, d.day) * kNanosPerDay + tod;
}

// local_in_year for every line of a file: placeholder years are 4 years (1461 days) apart and
// all leap years, so a line's day of its placeholder year is arithmetic; the real year's first
// day is looked up once per rollover count, and dates after February move back a day in a
// common year. (Feb 29 never reaches a common year: such years are not allowed.)
class YearMapper {
 public:
  explicit YearMapper(int64_t first_year) : first_year_(first_year) {}
  int64_t operator()(int64_t placeholder_ns) {
    // Lines come in about time order, so the day of the last line is asked again and again: a
    // day moves by a whole number of days, with no division.
    if (placeholder_ns >= day_begin_ && placeholder_ns < day_begin_ + kNanosPerDay) return placeholder_ns + day_shift_;
    const int64_t days = placeholder_ns >= 0 ? placeholder_ns / kNanosPerDay
                                             : (placeholder_ns - kNanosPerDay + 1) / kNanosPerDay;
    const int64_t since = days - kPlaceholderStart;
    const int64_t k = since >= 0 ? since / 1461 : (since - 1460) / 1461;
    const int64_t doy = since - k * 1461;  // 0..365 in a leap year
    if (k < 0 || doy > 365) return local_in_year(placeholder_ns, first_year_);
    if (static_cast<size_t>(k) >= start_.size()) grow(static_cast<size_t>(k));
    const int64_t shift = doy >= 60 && !leap_[static_cast<size_t>(k)] ? 1 : 0;
    day_begin_ = days * kNanosPerDay;
    day_shift_ = (start_[static_cast<size_t>(k)] + doy - shift - days) * kNanosPerDay;
    return placeholder_ns + day_shift_;
  }
  static constexpr int64_t kPlaceholderStart = days_from_civil(kPlaceholderYear, 1, 1);

 private:
  void grow(size_t k) {
    while (start_.size() <= k) {
      const int64_t y = first_year_ + static_cast<int64_t>(start_.size());
      start_.push_back(days_from_civil(y, 1, 1));
      leap_.push_back(is_leap_year(y));
    }
  }
  int64_t first_year_;
  std::vector<int64_t> start_;
  std::vector<bool> leap_;
  // The last day mapped; none yet: a day no placeholder time falls in.
  int64_t day_begin_ = std::numeric_limits<int64_t>::max() - kNanosPerDay, day_shift_ = 0;
};

void resolve_years(Source& s, const ResolveOptions& opt, const DatedEvidence& ev,
                   const ResolveOutcome& o, std::vector<std::string>& warnings, const Executor& executor) {
  Range local;
  std::vector<int64_t> leap_ks;  // rollover counts at which a Feb 29 occurs
  int64_t max_k = 0;
  // The day of the last line read, whose rollover count is counted (none yet: a day no
  // placeholder time falls in). Lines come in about time order: most are on the day before them.
  int64_t day_begin = std::numeric_limits<int64_t>::max() - kNanosPerDay;
  for (const Event& e : s.events) {
    if (e.shape != TimeShape::kLocalNoYear) continue;
    local.add(e.time_ns);
    if (e.time_ns >= day_begin && e.time_ns - day_begin < kNanosPerDay) continue;  // the same day
    if (e.time_ns >= 0) day_begin = e.time_ns - e.time_ns % kNanosPerDay;
    // Placeholder years are 1461 days apart and all leap years (see YearMapper): the rollover
    // count and the day of the year are arithmetic, with no calendar conversion per line.
    const int64_t since = e.time_ns / kNanosPerDay - YearMapper::kPlaceholderStart;
    int64_t k, feb29;
    if (since >= 0) {
      k = since / 1461;
      feb29 = since - k * 1461 == 59;  // Jan 31 + Feb 28 days before it
    } else {
      const CivilDate d = civil_from_days(e.time_ns / kNanosPerDay);
      k = (d.year - kPlaceholderYear) / 4;
      feb29 = d.month == 2 && d.day == 29;
    }
    max_k = std::max(max_k, k);
    if (feb29 && (leap_ks.empty() || leap_ks.back() != k)) leap_ks.push_back(k);
  }
  if (local.empty()) return;
  auto allowed = [&](int64_t y) {
    for (int64_t k : leap_ks)
      if (!is_leap_year(y + k)) return false;
    return true;
  };
  int64_t year = 0;
  uint16_t bit = 0;
  std::string how;
  // The years every line can have: the last rollover's year must still be representable.
  max_k = std::min<int64_t>(max_k, kMaxYear - kMinYear);
  const int64_t year_min = kMinYear, year_max = kMaxYear - max_k;
  if (!ev.range.empty()) {
    const int64_t y_lo = std::max(year_min, civil_from_days(ev.range.lo / kNanosPerDay).year - 1 - max_k);
    const int64_t y_hi = std::min(year_max, civil_from_days(ev.range.hi / kNanosPerDay).year + 1);
    year = y_lo;
    int64_t best = std::numeric_limits<int64_t>::min();
    for (int64_t y = y_lo; y <= y_hi; ++y) {
      if (!allowed(y)) continue;
      const int64_t a = approx_utc(*o.clock, local_in_year(local.lo, y));
      const int64_t b = approx_utc(*o.clock, local_in_year(local.hi, y));
      const int64_t f = fit(a, b, ev.range);
      if (f > best) {
        best = f;
        year = y;
      }
    }
    bit = kBasisYearInferred;
    how = "year inferred from " + ev.main_source + ": " + std::to_string(year);
  }
  if (bit == 0 && opt.year) {
    year = std::clamp<int64_t>(*opt.year, year_min, year_max);
    bit = kBasisYearOption;
    how = "year " + std::to_string(year) + " (--year)";
  }
  if (bit == 0) {
    // Last resort: the file was last written after its last line.
    const CivilDate m = civil_from_days(add_saturated(s.mtime_ns, kMtimeSlack) / kNanosPerDay);
    const CivilDate last = civil_from_days(local.hi / kNanosPerDay);
    int64_t y_last = m.year;
    if (last.month > m.month || (last.month == m.month && last.day > m.day)) --y_last;
    year = std::clamp<int64_t>(y_last - (last.year - kPlaceholderYear) / 4, year_min, year_max);
    while (!allowed(year) && year > year_min) --year;
    bit = kBasisYearFromMtime;
    how = "year " + std::to_string(year) + " from the file's modification time";
    warnings.push_back(s.path + ": no year in the lines and no dated source to infer it from; " +
                       how + " (a copy resets mtime; pass --year to be sure)");
  }
  apply_clock(s, TimeShape::kLocalNoYear, o, bit,
              [mapper = YearMapper(year)](const Event& e) mutable { return mapper(e.time_ns); }, executor);
  s.time_basis = how + "; " + o.clock->describe();
}

// --- step 5: date (and origin of relative times) ------------------------------------------

std::string format_seconds(int64_t ns) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%+.6f s", static_cast<double>(ns) / kNanosPerSecond);
  return buf;
}

std::string civil_date_text(int64_t day) {
  const CivilDate cd = civil_from_days(day);
  char date[32];
  std::snprintf(date, sizeof date, "%04lld-%02u-%02u", static_cast<long long>(cd.year), cd.month, cd.day);
  return date;
}

// The anchor A with local = partial + A, from what the source itself embeds: for time-of-day
// traces A is a whole number of days (the date), for relative ones any instant (the origin).
// Clues of the best kind win: error-log lines carry the same local clock to the microsecond.
struct Anchor {
  int64_t a_ns;
  std::string description;
};

// The offset the trace's own clock implies against embedded UTC stamps (access-log lines, HTTP
// Date headers), rounded to 15 minutes; a disagreement with the host clock is worth a warning.
void check_offset(const Source& s, const std::vector<EmbeddedClue>& clues, int64_t a, const ClockModel& clock,
                  std::vector<std::string>& warnings) {
  constexpr int64_t kQuarter = 15 * 60 * kNanosPerSecond;
  size_t agree = 0, disagree = 0;
  int64_t implied_example = 0, clock_example = 0;
  for (const EmbeddedClue& c : clues) {
    if (!c.is_utc) continue;
    const int64_t x = c.partial_ns + a - c.instant_ns + kQuarter / 2;
    const int64_t implied = (x / kQuarter - (x % kQuarter < 0)) * kQuarter;  // floor: offsets can be negative
    const int64_t expected = int64_t{clock.offset_at(c.instant_ns)} * kNanosPerSecond;
    if (implied == expected) {
      ++agree;
    } else {
      ++disagree;
      implied_example = implied;
      clock_example = expected;
    }
  }
  if (disagree > agree)
    warnings.push_back(s.path + ": the lines it embeds imply UTC" +
                       format_offset(static_cast<int>(implied_example / kNanosPerSecond)) + ", not the host clock's " +
                       format_offset(static_cast<int>(clock_example / kNanosPerSecond)) + " (" +
                       std::to_string(disagree) + " of " + std::to_string(agree + disagree) +
                       " stamps); is the trace from another host? --tz sets the zone");
}

std::optional<Anchor> anchor_from_clues(const Source& s, TimeShape shape, const ClockModel& clock,
                                        std::vector<std::string>& warnings, const Executor& executor) {
  const std::vector<EmbeddedClue> clues = find_embedded_clues(s, 512, executor);
  if (clues.empty()) return std::nullopt;
  const char* best_kind = nullptr;
  for (const char* kind : {"error-log line", "access-log line", "HTTP Date header"}) {
    for (const EmbeddedClue& c : clues)
      if (std::string_view(c.kind) == kind) best_kind = kind;
    if (best_kind) break;
  }
  std::vector<int64_t> deltas;
  for (const EmbeddedClue& c : clues) {
    if (std::string_view(c.kind) != best_kind || s.events[c.event_index].shape != shape) continue;
    if (!in_time_range(c.partial_ns)) continue;  // a saturated -r sum: no clue, and no overflow below
    const int64_t local = c.is_utc ? c.instant_ns + int64_t{clock.offset_at(c.instant_ns)} * kNanosPerSecond
                                   : c.instant_ns;
    deltas.push_back(local - c.partial_ns);
  }
  if (deltas.empty()) return std::nullopt;
  int64_t a = median(deltas);
  if (shape == TimeShape::kLocalTimeOfDay) {
    // Round to the nearest midnight: the stamps agree to well under half a day.
    const int64_t shifted = a + kNanosPerDay / 2;
    a = (shifted / kNanosPerDay - (shifted % kNanosPerDay < 0)) * kNanosPerDay;
  }
  check_offset(s, clues, a, clock, warnings);
  // Skew: the trace's clock minus the embedded stamp (positive: the write came after the stamp).
  std::vector<int64_t> skew;
  for (int64_t d : deltas) skew.push_back(a - d);
  std::string what = std::string(best_kind) + "s (" + std::to_string(deltas.size()) + ", median skew " +
                     format_seconds(median(skew)) + ")";
  if (shape == TimeShape::kLocalTimeOfDay)
    return Anchor{a, "date anchored on embedded " + what + ": " + civil_date_text(a / kNanosPerDay)};
  return Anchor{a, "relative times anchored on embedded " + what};
}

// strace -ff writes one file per process of one run (PREFIX.<pid>): they share one date.
std::string run_key(const Source& s) {
  if (!s.strace_pid) return s.path;
  const size_t dot = s.path.rfind('.');
  return dot == std::string::npos ? s.path : s.path.substr(0, dot);
}

bool has_shape(unsigned shapes, TimeShape shape) { return (shapes >> static_cast<unsigned>(shape)) & 1; }

void apply_anchor(Source& s, TimeShape shape, const Anchor& anchor, const ResolveOutcome& o, const Executor& executor) {
  apply_clock(s, shape, o, kBasisDateAnchored, [&](const Event& e) { return add_saturated(anchor.a_ns, e.time_ns); },
              executor);
  s.time_basis = anchor.description + "; " + o.clock->describe();
}

// Step 5, in two passes: each trace's own clues first; then traces without clues take their
// run's date, or the date under which they overlap the dated sources best.
void resolve_dates(std::vector<Source>& sources, const std::vector<unsigned>& shapes, const DatedEvidence& ev,
                   const ResolveOptions& opt, ResolveOutcome& o, std::vector<std::string>& warnings,
                   const Executor& executor) {
  struct RunAnchor {
    Anchor anchor;
    std::string file;
    Range span;  // UTC instants the run's anchored files cover
  };
  std::map<std::string, RunAnchor> run_anchor;
  std::vector<Source*> pending;
  for (size_t i = 0; i < sources.size(); ++i) {
    Source& s = sources[i];
    for (TimeShape shape : {TimeShape::kLocalTimeOfDay, TimeShape::kRelative}) {
      if (!has_shape(shapes[i], shape)) continue;
      if (auto anchor = anchor_from_clues(s, shape, *o.clock, o.warnings, executor)) {
        apply_anchor(s, shape, *anchor, o, executor);
        if (shape != TimeShape::kLocalTimeOfDay) continue;
        RunAnchor& run = run_anchor.try_emplace(run_key(s), RunAnchor{*anchor, base_name(s.path), {}}).first->second;
        for (const Event& e : s.events)
          if (e.basis & kBasisDateAnchored) run.span.add(e.time_ns);
      } else if (shape == TimeShape::kLocalTimeOfDay) {
        pending.push_back(&s);
      }
    }
  }
  for (Source* s : pending) {
    Range local;
    for (const Event& e : s->events)
      if (e.shape == TimeShape::kLocalTimeOfDay) local.add(e.time_ns);
    if (auto it = run_anchor.find(run_key(*s)); it != run_anchor.end()) {
      // The run's date, or the day before or after it: a process of the run that started after
      // midnight counts its own days from its own first line.
      const RunAnchor& run = it->second;
      const int64_t run_day = run.anchor.a_ns / kNanosPerDay;
      int64_t best = std::numeric_limits<int64_t>::min(), day = run_day;
      for (int64_t d = run_day - 1; d <= run_day + 1 && !run.span.empty(); ++d) {
        const int64_t f = fit(approx_utc(*o.clock, d * kNanosPerDay + local.lo),
                              approx_utc(*o.clock, d * kNanosPerDay + local.hi), run.span);
        if (f > best || (f == best && d == run_day)) {
          best = f;
          day = d;
        }
      }
      apply_anchor(*s, TimeShape::kLocalTimeOfDay,
                   Anchor{day * kNanosPerDay, "date anchored on its run's " + run.file + ": " + civil_date_text(day)}, o,
                   executor);
      continue;
    }
    if (ev.range.empty()) {
      // Nothing dated to overlap: --date, else the file's mtime (its last line was written
      // before it), as year-less syslog does. Said in time_basis and warned.
      int64_t day0;
      std::string how;
      if (opt.date_day) {
        day0 = *opt.date_day;
        how = "date " + civil_date_text(day0) + " (--date)";
      } else {
        const int64_t mtime_local =
            add_saturated(add_saturated(s->mtime_ns, int64_t{o.clock->offset_at(s->mtime_ns)} * kNanosPerSecond),
                          kMtimeSlack);
        const int64_t before_last = add_saturated(mtime_local, -local.hi);
        day0 = before_last / kNanosPerDay - (before_last % kNanosPerDay < 0);
        how = "date " + civil_date_text(day0) + " from the file's modification time";
        warnings.push_back(s->path + ": no date in the lines and no dated source to anchor them; " + how +
                           " (a copy resets mtime; pass --date to be sure)");
      }
      apply_anchor(*s, TimeShape::kLocalTimeOfDay, Anchor{day0 * kNanosPerDay, how}, o, executor);
      continue;
    }
    // No clue inside the trace: the date under which it overlaps the dated sources best.
    const int64_t first_day = ev.range.lo / kNanosPerDay - 1;
    const int64_t last_day = ev.range.hi / kNanosPerDay + 1;
    int64_t best = std::numeric_limits<int64_t>::min(), day0 = first_day;
    for (int64_t d = first_day; d <= last_day; ++d) {
      const int64_t a = approx_utc(*o.clock, add_saturated(d * kNanosPerDay, local.lo));
      const int64_t b = approx_utc(*o.clock, add_saturated(d * kNanosPerDay, local.hi));
      const int64_t f = fit(a, b, ev.range);
      if (f > best) {
        best = f;
        day0 = d;
      }
    }
    apply_anchor(*s, TimeShape::kLocalTimeOfDay,
                 Anchor{day0 * kNanosPerDay, "date anchored on " + ev.main_source + ": " + civil_date_text(day0)}, o,
                 executor);
  }
}

// The offsets one source's lines carry, where they change (the last line of a run and the first
// of the next, so lines out of order near a DST jump still place it), plus its first and last:
// a step function needs no more, and a gigabyte of access log is not a million points to sort.
struct WriterEvidence {
  std::vector<OffsetPoint> points;
  std::vector<std::string> hosts;  // per point: the host whose clock it shows (clock_host)
  size_t lines = 0;                // lines with an offset
  bool all_zero = true;
  unsigned shapes = 0;             // the shapes the source's lines have, as bits (1 << shape)
};

WriterEvidence offset_evidence(Source& s) {
  WriterEvidence w;
  // The parse knows the shapes a source's lines have (all are possible where nobody recorded
  // them): one with no explicit instant carries no offsets, and is not read (its events are
  // first written by its own step, unread before).
  if (!s.may_have(TimeShape::kAbsolute)) {
    w.shapes = s.shapes;
    return w;
  }
  auto keep = [&](const Event& e) {
    w.points.push_back({e.time_ns, e.offset_minutes * 60});
    w.hosts.push_back(clock_host(s, e));
  };
  const Event* previous = nullptr;
  unsigned shapes = 0;
  for (Event& e : s.events) {
    shapes |= 1u << static_cast<unsigned>(e.shape);
    if (e.shape != TimeShape::kAbsolute) continue;
    e.basis = kBasisExplicitOffset;
    if (e.offset_minutes == kNoOffset) continue;  // epochs and 'Z': written as UTC, no local zone
    ++w.lines;
    w.all_zero &= e.offset_minutes == 0;
    if (!previous) {
      keep(e);
    } else if (previous->offset_minutes != e.offset_minutes) {
      keep(*previous);
      keep(e);
    }
    previous = &e;
  }
  if (previous) keep(*previous);
  w.shapes = shapes;
  return w;
}

}  // namespace

Result<ResolveOutcome> resolve_times(std::vector<Source>& sources, const ResolveOptions& opt, const Executor& executor) {
  ResolveOutcome o;
  if (opt.year && (*opt.year < kMinYear || *opt.year > kMaxYear))
    return make_error(ErrorCode::kInvalidValue, "--year " + std::to_string(*opt.year) + ": outside " +
                                                    std::to_string(kMinYear) + ".." + std::to_string(kMaxYear));
  if (opt.date_day && (*opt.date_day < days_from_civil(kMinYear, 1, 2) || *opt.date_day > days_from_civil(kMaxYear, 12, 30)))
    return make_error(ErrorCode::kInvalidValue, "--date: outside the years " + std::to_string(kMinYear) + ".." +
                                                    std::to_string(kMaxYear));
  // 1. Explicit instants, and the offsets written as local time: evidence of the host's clock.
  // A program that logs in UTC writes +00:00 whatever the host's zone; where another writer
  // of the same host shows a non-zero offset, such all-zero writers say nothing about the local
  // clock (another host may well keep UTC).
  std::vector<WriterEvidence> writers(sources.size());
  executor.parallel_for(sources.size(), [&](size_t i) { writers[i] = offset_evidence(sources[i]); });
  std::set<std::string> local_hosts;  // source hosts (Source::host) with a writer of non-zero offsets
  for (size_t i = 0; i < sources.size(); ++i)
    if (writers[i].lines > 0 && !writers[i].all_zero) local_hosts.insert(sources[i].host);
  std::vector<OffsetPoint> points;
  std::map<std::string, std::vector<OffsetPoint>> host_points;  // offsets a named host's own lines carry
  std::string offset_source;
  size_t best_points = 0;
  for (size_t i = 0; i < sources.size(); ++i) {
    WriterEvidence& w = writers[i];
    if (w.lines == 0) continue;
    if (w.all_zero && local_hosts.contains(sources[i].host)) {
      sources[i].warnings.push_back("its offsets are all +00:00 while other logs show the host's local offset: "
                                    "read as a UTC writer, not as evidence of the host's zone");
      continue;
    }
    for (size_t k = 0; k < w.points.size(); ++k) {
      points.push_back(w.points[k]);
      if (!w.hosts[k].empty()) host_points[w.hosts[k]].push_back(w.points[k]);
    }
    if (w.lines > best_points) {
      best_points = w.lines;
      offset_source = base_name(sources[i].path);
    }
  }
  // Several hosts: only when more than one host (or a host and the unnamed sources) speak for
  // themselves does a per-host clock differ from the common one.
  const bool own_clocks =
      !opt.tz && (host_points.size() > 1 || (host_points.size() == 1 && points.size() > host_points.begin()->second.size()));
  // 2. The host clock.
  if (opt.tz) {
    auto z = ZoneClock::create(*opt.tz);
    if (!z) return std::unexpected(z.error());
    o.clock = std::move(*z);
  } else if (!points.empty()) {
    o.clock = std::make_shared<InferredOffsets>(std::move(points), offset_source);
    o.clock_is_inferred = true;
  } else {
    o.clock = std::make_shared<UtcClock>();
    o.clock_is_assumed_utc = true;
  }
  if (own_clocks) {
    for (auto& [host, hp] : host_points)
      o.host_clocks.emplace(host, std::make_shared<InferredOffsets>(std::move(hp), "host " + host + "'s own lines"));
  }
  // 3. Zone-less dated lines (sources are independent here: in parallel). Which steps a source
  // needs is read off the shapes its lines have (gathered with its offsets in step 1).
  std::vector<unsigned> shapes(sources.size());
  for (size_t i = 0; i < sources.size(); ++i) shapes[i] = writers[i].shapes;
  executor.parallel_for(sources.size(), [&](size_t i) {
    Source& s = sources[i];
    if (!has_shape(shapes[i], TimeShape::kLocalDateTime)) return;
    apply_clock(s, TimeShape::kLocalDateTime, o, 0, [](const Event& e) { return e.time_ns; });
    s.time_basis = o.clock->describe();
  });
  // 4. Year-less lines, against the dated evidence gathered so far: source by source, each
  // with every thread (there is seldom more than one syslog file to a host).
  std::vector<SourceDated> dated_of(sources.size());
  std::vector<char> stale(sources.size(), 1);
  const DatedEvidence dated = dated_evidence(sources, dated_of, stale, false, executor);
  for (size_t i = 0; i < sources.size(); ++i) {
    stale[i] = has_shape(shapes[i], TimeShape::kLocalNoYear);
    if (stale[i]) resolve_years(sources[i], opt, dated, o, o.warnings, executor);
  }
  // 5. Date-less lines, against everything dated now (syslog included: only the sources step 4
  // resolved are read again).
  const DatedEvidence dated_all = dated_evidence(sources, dated_of, stale, true, executor);
  resolve_dates(sources, shapes, dated_all, opt, o, o.warnings, executor);
  // 6. What stays unanchored; and the summary of explicit-only sources.
  std::vector<char> assumed_utc(sources.size(), 0);
  std::vector<size_t> unanchored_of(sources.size(), 0);
  executor.parallel_for(sources.size(), [&](size_t i) {
    bool utc = false;
    size_t n = 0;
    for (Event& e : sources[i].events) {
      utc |= (e.basis & kBasisAssumedUtc) != 0;
      if (e.basis == kBasisNone || (e.basis & kBasisUnanchored)) {
        e.basis = kBasisUnanchored;
        ++n;
      }
    }
    assumed_utc[i] = utc;
    unanchored_of[i] = n;
  });
  const bool read_as_utc = std::find(assumed_utc.begin(), assumed_utc.end(), 1) != assumed_utc.end();
  for (size_t i = 0; i < sources.size(); ++i) {
    Source& s = sources[i];
    const size_t unanchored = unanchored_of[i];
    if (unanchored) {
      s.warnings.push_back(std::to_string(unanchored) + std::string(kUnanchoredNote));
      if (s.time_basis.empty()) s.time_basis = "unanchored (no absolute timestamps)";
    }
    if (s.time_basis.empty() && !s.events.empty()) s.time_basis = "explicit offset";
    if (!o.host_clocks.empty() && (is_message_source(s) || !s.host.empty())) {
      s.time_basis += "; hosts with their own clocks:";
      for (const auto& [host, clock] : o.host_clocks) s.time_basis += " " + host + " (" + clock->describe() + ")";
    }
  }
  if (read_as_utc)
    o.warnings.push_back("no source carries a UTC offset and --tz was not given: local times were read as UTC");
  return o;
}

}  // namespace hindcast
