// The resolver on several sources at once: the input is split into up to six files at
// "\n====\n" lines, each sniffed and parsed; the first byte picks the options (--year, --tz,
// the files' mtime). Every resolved event must be anchored or flagged unanchored, and the
// timeline must be in order.
#include "engine/resolve/resolver.h"
#include "engine/timeline/timeline.h"
#include "fuzz/fuzz_support.h"
#include "parsers/registry.h"

using namespace hindcast;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t opts = data[0];
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::vector<Source> sources;
  for (std::string_view part : fuzz::split_files(text, 6)) {
    Source s = fuzz::source_of(part, static_cast<uint16_t>(sources.size()), "dir/f" + std::to_string(sources.size()));
    // mtimes from 1970 to far future, including ones the civil range cannot hold.
    static constexpr int64_t kMtimes[] = {0, 1'700'000'000, 4'102'444'800, 9'000'000'000, -1};
    s.mtime_ns = kMtimes[(opts >> 4) % 5] * kNanosPerSecond;
    if ((opts >> 4) % 5 == 4) s.mtime_ns = INT64_MAX;
    const SniffResult r = sniff_format(s.text.view());
    if (!r.parser) continue;
    s.parser = r.parser;
    s.format = std::string(r.parser->format());
    s.strace_pid = static_cast<uint32_t>(sources.size() + 100);
    r.parser->parse(s);
    sources.push_back(std::move(s));
  }
  ResolveOptions o;
  static constexpr int kYears[] = {0, 1970, 2023, 2261, 1678, 2262, 9999, 1};
  if (opts & 7) o.year = kYears[opts & 7];
  if (opts & 8) o.tz = "America/New_York";
  auto outcome = resolve_times(sources, o);
  // --year outside the years an instant holds is the one error (the CLI refuses it first).
  const bool year_ok = !o.year || (*o.year >= kMinYear && *o.year <= kMaxYear);
  HINDCAST_FUZZ_CHECK(outcome.has_value() == year_ok);
  if (!outcome) return 0;
  for (const Source& s : sources)
    for (const Event& e : s.events) HINDCAST_FUZZ_CHECK(e.basis != kBasisNone);
  sort_runs(sources, Executor::serial());
  const Timeline t = Timeline::build(sources, TimeWindow{});
  int64_t previous = INT64_MIN;
  for (const EventRef& r : t.order()) {
    const Event& e = t.event(r);
    HINDCAST_FUZZ_CHECK(!(e.basis & kBasisUnanchored));
    HINDCAST_FUZZ_CHECK(e.time_ns >= previous);
    previous = e.time_ns;
    (void)format_rfc3339_utc(Instant{e.time_ns}, e.precision);
  }
  return 0;
}
