#include "engine/input/repeated_entries.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string_view>

namespace hindcast {
namespace {

struct EntryKey {
  std::string_view series;  // the seqnum_id
  uint64_t seqnum = 0;
};

// The key in a journald JSON line's cursor: "__CURSOR":"s=SEQNUM_ID;i=SEQNUM(hex);b=...".
std::optional<EntryKey> entry_key(std::string_view line) {
  constexpr std::string_view kCursor = "\"__CURSOR\":\"s=";
  const size_t at = line.rfind(kCursor);
  if (at == std::string_view::npos) return std::nullopt;
  const std::string_view c = line.substr(at + kCursor.size());
  const size_t semi = c.find(';');
  if (semi == std::string_view::npos || c.substr(semi + 1, 2) != "i=") return std::nullopt;
  EntryKey key{c.substr(0, semi), 0};
  size_t i = semi + 3;
  for (; i < c.size() && i < semi + 3 + 16; ++i) {
    const char ch = c[i];
    const int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
    if (d < 0) break;
    key.seqnum = key.seqnum * 16 + static_cast<uint64_t>(d);
  }
  if (i == semi + 3) return std::nullopt;
  return key;
}

// One event of a journal source, for the sort that finds the repeats.
struct Held {
  uint32_t series;
  uint64_t seqnum;
  uint32_t source;  // among the journal sources, in run order
  uint32_t event;
  auto operator<=>(const Held&) const = default;
};

}  // namespace

void drop_repeated_journal_entries(std::vector<Source>& sources, std::vector<Error>& problems) {
  std::vector<Source*> journals;
  for (Source& s : sources)
    if (s.format == "journald-json" && !s.events.empty()) journals.push_back(&s);
  if (journals.size() < 2) return;
  std::map<std::string_view, uint32_t> series_of;
  std::vector<Held> held;
  for (uint32_t j = 0; j < journals.size(); ++j) {
    const Source& s = *journals[j];
    for (uint32_t i = 0; i < s.events.size(); ++i)
      if (const auto key = entry_key(s.line_text(s.events[i])))
        held.push_back({series_of.try_emplace(key->series, static_cast<uint32_t>(series_of.size())).first->second,
                        key->seqnum, j, i});
  }
  std::sort(held.begin(), held.end());
  // Per journal source: which of its events repeat an entry, and the source that holds it first.
  std::vector<std::vector<char>> repeated(journals.size());
  std::vector<const Source*> first_holder(journals.size(), nullptr);
  for (size_t k = 1; k < held.size(); ++k) {
    const Held& a = held[k - 1];
    const Held& b = held[k];
    if (a.series != b.series || a.seqnum != b.seqnum) continue;
    std::vector<char>& marks = repeated[b.source];
    if (marks.empty()) marks.assign(journals[b.source]->events.size(), 0);
    marks[b.event] = 1;
    if (!first_holder[b.source]) first_holder[b.source] = journals[a.source];  // the lowest source of the run
  }
  for (uint32_t j = 0; j < journals.size(); ++j) {
    if (repeated[j].empty()) continue;
    Source& s = *journals[j];
    std::string reason = "the same journal entry as in " + first_holder[j]->path + " (seqnum_id and seqnum)";
    SkipRecord skip{reason, 0, 0, {}};
    size_t index = 0;
    std::erase_if(s.events, [&](const Event& e) {
      if (!repeated[j][index++]) return false;
      if (skip.count++ == 0) {
        skip.first_line = s.line_of(e);
        skip.first_text = std::string(s.line_text(e).substr(0, 200));
      }
      return true;
    });
    s.skipped += skip.count;
    problems.push_back({ErrorCode::kEmpty, s.path + ": " + std::to_string(skip.count) + " journal entries are also in " +
                                               first_holder[j]->path +
                                               " (the same seqnum_id and seqnum: a copy of one journal): counted once"});
    s.skips.push_back(std::move(skip));
  }
}

}  // namespace hindcast
