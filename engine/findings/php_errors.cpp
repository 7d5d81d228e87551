#include "engine/findings/php_errors.h"

#include <algorithm>
#include <map>

#include "engine/findings/server_messages.h"
#include "parsers/apache_error.h"

namespace hindcast {

std::vector<PhpErrorGroup> find_php_errors(const Timeline& t, const std::optional<Window>& window) {
  std::map<std::string, PhpErrorGroup> groups;
  for_each_server_record(t, scope_of(t, window), [&](EventRef r, const ErrorRecord& rec) {
    const Event& e = t.event(r);
    if (rec.message.find("PHP Parse error") == std::string_view::npos &&
        rec.message.find("PHP Fatal error") == std::string_view::npos)
      return;
    const ServerMessageFacts f = read_server_message(rec.message);
    if (f.kind != ServerMessageKind::kPhpParseError && f.kind != ServerMessageKind::kPhpFatal) return;
    const std::string kind = f.kind == ServerMessageKind::kPhpParseError ? "php_parse_error" : "php_fatal";
    const std::string key = kind + "|" + f.detail + "|" + f.ref_file.value_or("") + ":" + std::to_string(f.ref_line);
    PhpErrorGroup& g = groups[key];
    g.kind = kind;
    g.detail = f.detail;
    if (f.ref_file) g.location = FileLine{*f.ref_file, f.ref_line};
    g.failed_path = f.path;
    const bool inside = !window || window->contains(e.time_ns);
    (inside ? g.inside : g.outside) += 1;
    if (!g.first) g.first = r;
    g.last = r;
    if (g.evidence.size() < 3 && inside) g.evidence.push_back(r);
  });
  std::vector<PhpErrorGroup> out;
  for (auto& [key, g] : groups) {
    const bool chronic = g.outside > 0 && g.inside < 10 * g.outside;
    if (window && g.inside > 0 && !chronic) {
      // A parse error names the broken file and line itself: strong. A fatal error is often the
      // consequence of something else (a missing include), so it ranks below direct evidence.
      g.confidence = g.kind == "php_parse_error" ? 0.9 : (g.failed_path ? 0.5 : 0.7);
    }
    out.push_back(std::move(g));
  }
  std::sort(out.begin(), out.end(), [](const PhpErrorGroup& a, const PhpErrorGroup& b) {
    return a.confidence != b.confidence ? a.confidence > b.confidence : a.inside > b.inside;
  });
  return out;
}

}  // namespace hindcast
