#include "engine/resolve/boot_anchor.h"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <unordered_map>

#include "engine/core/median.h"
#include "engine/core/timestamps.h"
#include "engine/resolve/resolver.h"
#include "parsers/parser.h"

namespace hindcast {
namespace {

constexpr size_t kMaxMessages = 200'000;        // dmesg's ring buffer holds far fewer
constexpr int64_t kEarly = 60 * kNanosPerSecond;  // backlog read in a batch after boot

bool is_dmesg_relative(const Source& s) {
  if (s.format != "dmesg") return false;
  for (const Event& e : s.events)
    if (e.shape == TimeShape::kRelative) return true;
  return false;
}

// "[  123.456789] text" -> 123.456789 s and "text"; false when the message has no such stamp.
bool split_since_boot(std::string_view m, int64_t* mono, std::string_view* rest) {
  scan::Cursor c{m};
  Stamp st;
  if (read_since_boot(c, &st) != StampStatus::kOk) return false;
  c.spaces();
  *mono = st.value_ns;
  *rest = c.rest();
  return true;
}

}  // namespace

void anchor_since_boot(std::vector<Source>& sources) {
  for (Source& s : sources) {
    if (!is_dmesg_relative(s)) continue;
    // The dmesg file's messages and their seconds since boot (the first occurrence of each).
    std::unordered_map<std::string, int64_t> mono_of;
    for (const Event& e : s.events) {
      if (e.shape != TimeShape::kRelative || mono_of.size() >= kMaxMessages) continue;
      Record r;
      if (decode_record(s, e, &r) && !r.message.empty()) mono_of.try_emplace(std::string(r.message), e.time_ns);
    }
    if (mono_of.empty()) continue;
    std::vector<int64_t> late, early;
    std::string from;
    for (const Source& t : sources) {
      if (&t == &s || t.format == "dmesg") continue;
      for (const Event& e : t.events) {
        if (e.basis == kBasisNone || (e.basis & kBasisUnanchored) || e.kind != EventKind::kMessage) continue;
        if (t.line_text(e).find("kernel") == std::string_view::npos) continue;  // cheap test before decoding
        Record r;
        if (!decode_record(t, e, &r) || r.program != "kernel") continue;
        std::string_view text = r.message;
        int64_t own_mono = -1;
        split_since_boot(r.message, &own_mono, &text);  // kern.log embeds dmesg's stamp
        const auto it = mono_of.find(std::string(text));
        if (it == mono_of.end()) continue;
        if (own_mono >= 0 && std::llabs(own_mono - it->second) > kNanosPerSecond / 1000) continue;  // another boot
        (it->second >= kEarly ? late : early).push_back(e.time_ns - it->second);
        if (from.empty()) from = t.path;
      }
    }
    std::vector<int64_t>& estimates = late.empty() ? early : late;
    if (estimates.empty()) continue;
    const int64_t boot = median(estimates);
    for (Event& e : s.events) {
      if (e.shape != TimeShape::kRelative) continue;
      e.time_ns = boot + e.time_ns;
      e.basis = kBasisDateAnchored;
    }
    // The resolver's "no absolute time" warning no longer holds.
    std::erase_if(s.warnings, [](const std::string& w) { return w.ends_with(kUnanchoredNote); });
    s.time_basis = "anchored on the boot time " + format_rfc3339_utc(Instant{boot}, 6) + " given by " + from + " (" +
                   std::to_string(estimates.size()) + " kernel messages in both, median)";
  }
}

}  // namespace hindcast
