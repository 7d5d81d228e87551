#include "engine/core/zones.h"

#include <date/tz.h>

#include <map>
#include <mutex>
#include <string>

namespace hindcast {
namespace {

bool is_utc_name(std::string_view n) {
  return n == "UTC" || n == "GMT" || n == "Z" || n == "UCT" || n == "Etc/UTC" || n == "Etc/GMT" || n == "Universal" ||
         n == "Zulu";
}

// abbreviation -> offset, for one year: the offset most zones use the abbreviation for, sampled
// in January and July (so both the winter and the summer names are seen).
using AbbreviationTable = std::map<std::string, int, std::less<>>;

AbbreviationTable build_table(int year) {
  std::map<std::string, std::map<int, int>> votes;
  const date::tzdb& db = date::get_tzdb();
  for (const date::time_zone& z : db.zones) {
    for (unsigned month : {1u, 7u}) {
      const auto day = date::sys_days{date::year{year} / date::month{month} / 15};
      date::sys_info info;
      try {
        info = z.get_info(date::sys_seconds{day});
      } catch (...) {
        continue;
      }
      const std::string& a = info.abbrev;
      if (a.empty() || !(a[0] >= 'A' && a[0] <= 'Z')) continue;  // "+03": numeric, read as an offset
      ++votes[a][static_cast<int>(info.offset.count())];
    }
  }
  AbbreviationTable t;
  for (const auto& [abbrev, offsets] : votes) {
    int best = 0, best_votes = -1;
    for (const auto& [offset, n] : offsets)
      if (n > best_votes) {
        best = offset;
        best_votes = n;
      }
    t.emplace(abbrev, best);
  }
  return t;
}

std::optional<int> abbreviation_offset(std::string_view abbrev, int year) {
  static std::mutex mu;
  static std::map<int, AbbreviationTable> tables;
  std::lock_guard<std::mutex> lock(mu);
  auto it = tables.find(year);
  if (it == tables.end()) {
    try {
      it = tables.emplace(year, build_table(year)).first;
    } catch (...) {
      return std::nullopt;  // no tz database on this machine
    }
  }
  const auto a = it->second.find(abbrev);
  if (a == it->second.end()) return std::nullopt;
  return a->second;
}

}  // namespace

std::optional<int> zone_offset_at(std::string_view name, int64_t local_ns, bool* utc) {
  if (utc) *utc = false;
  if (is_utc_name(name)) {
    if (utc) *utc = true;
    return 0;
  }
  const int64_t secs = local_ns / kNanosPerSecond - (local_ns % kNanosPerSecond < 0 ? 1 : 0);
  if (name.find('/') != std::string_view::npos) {
    try {
      const date::time_zone* z = date::locate_zone(name);
      const date::local_info info = z->get_info(date::local_seconds{std::chrono::seconds{secs}});
      return static_cast<int>(info.first.offset.count());
    } catch (...) {
      return std::nullopt;
    }
  }
  for (char ch : name)
    if (!(ch >= 'A' && ch <= 'Z')) return std::nullopt;
  if (name.size() < 2 || name.size() > 6) return std::nullopt;
  const int64_t year = civil_from_days(secs / 86400 - (secs % 86400 < 0 ? 1 : 0)).year;
  return abbreviation_offset(name, static_cast<int>(year));
}

StampStatus attach_zone_name(scan::Cursor& c, Stamp* st) {
  if (st->shape != TimeShape::kLocalDateTime || c.peek() != ' ') return StampStatus::kNoMatch;
  scan::Cursor p = c;
  p.advance();
  const size_t start = p.i;
  while (!p.done()) {
    const char ch = p.peek();
    if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '/' || ch == '_' || ch == '-' || ch == '+' ||
          scan::is_digit(ch)))
      break;
    p.advance();
  }
  const std::string_view name = p.s.substr(start, p.i - start);
  if (name.empty()) return StampStatus::kNoMatch;
  bool utc = false;
  const std::optional<int> offset = zone_offset_at(name, st->value_ns, &utc);
  if (!offset) return StampStatus::kNoMatch;
  c = p;
  st->shape = TimeShape::kAbsolute;
  st->has_offset = true;
  st->utc_designator = utc;
  st->offset_seconds = *offset;
  st->value_ns -= int64_t{*offset} * kNanosPerSecond;
  return StampStatus::kOk;
}

}  // namespace hindcast
