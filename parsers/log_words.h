// Small helpers the text-log parsers share: a level word to a Severity, and the whole text of a
// multi-line record from its first line.
#pragma once
#include <cctype>
#include <string_view>

#include "engine/core/event.h"
#include "engine/core/source.h"

namespace hindcast {

// "ERROR", "warn", "Warning", "FATAL", "Note", "LOG", "crit", "emerg", "DEBUG1", ... (any case).
inline Severity severity_from_word(std::string_view w) {
  char b[12];
  const size_t n = w.size() < sizeof b ? w.size() : sizeof b;
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(w[i])));
  const std::string_view s(b, n);
  if (s.starts_with("emerg") || s.starts_with("alert") || s.starts_with("crit") || s == "fatal" || s == "panic")
    return Severity::kCritical;
  if (s.starts_with("err")) return Severity::kError;
  if (s.starts_with("warn")) return Severity::kWarning;
  if (s == "notice" || s == "note") return Severity::kNotice;
  if (s.starts_with("debug") || s.starts_with("trace")) return Severity::kDebug;
  return Severity::kInfo;
}

// The record that starts with `first` (a view into source.text) up to the next line for which
// starts_record(line) holds, without the final newline. A `first` outside the source's text (a
// test's string) is returned as it is.
template <class StartsRecord>
std::string_view record_extent(const Source& source, std::string_view first, StartsRecord starts_record) {
  const std::string_view all = source.text.view();
  if (all.empty() || first.data() < all.data() || first.data() + first.size() > all.data() + all.size()) return first;
  const size_t begin = static_cast<size_t>(first.data() - all.data());
  size_t end = begin + first.size();
  size_t newline = all.find('\n', begin);
  while (newline != std::string_view::npos && newline + 1 < all.size()) {
    const size_t next = newline + 1;
    size_t stop = all.find('\n', next);
    if (stop == std::string_view::npos) stop = all.size();
    std::string_view line = all.substr(next, stop - next);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (starts_record(line)) break;
    end = next + line.size();
    newline = stop == all.size() ? std::string_view::npos : stop;
  }
  return all.substr(begin, end - begin);
}

}  // namespace hindcast
