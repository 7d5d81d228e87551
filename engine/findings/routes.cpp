#include "engine/findings/routes.h"

#include <algorithm>

namespace hindcast {
namespace {

// Chosen: a segment of letters longer than an MD5 in hex is an id, a token or a slug (a segment
// with a digit is variable anyway).
constexpr size_t kMaxNameSegment = 32;
// A cost bound: a route key is cut here; routes that differ only beyond it are one.
constexpr size_t kMaxRoute = 200;

bool variable_segment(std::string_view s) {
  return s.size() > kMaxNameSegment || std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string route_template(std::string_view url) {
  if (const size_t scheme = url.find("://"); scheme != std::string_view::npos && scheme < 8) {
    const size_t path = url.find('/', scheme + 3);
    url = path == std::string_view::npos ? std::string_view("/") : url.substr(path);
  }
  url = url.substr(0, url.find('#'));
  const size_t q = url.find('?');
  const std::string_view path = url.substr(0, q);
  std::string out;
  size_t i = 0;
  while (i < path.size()) {
    const size_t slash = path.find('/', i);
    const size_t end = slash == std::string_view::npos ? path.size() : slash;
    const std::string_view seg = path.substr(i, end - i);
    out += variable_segment(seg) ? std::string_view("<*>") : seg;
    if (slash == std::string_view::npos) break;
    out += '/';
    i = slash + 1;
  }
  if (q != std::string_view::npos) {
    out += '?';
    std::string_view query = url.substr(q + 1);
    bool first = true;
    while (!query.empty()) {
      const size_t amp = query.find('&');
      const std::string_view pair = query.substr(0, amp);
      const size_t eq = pair.find('=');
      if (!first) out += '&';
      first = false;
      out += pair.substr(0, eq);
      if (eq != std::string_view::npos) out += "=<*>";
      if (amp == std::string_view::npos) break;
      query.remove_prefix(amp + 1);
    }
  }
  if (out.size() > kMaxRoute) out.resize(kMaxRoute);
  return out;
}

}  // namespace hindcast
