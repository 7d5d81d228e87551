#include "parsers/nginx_error.h"

#include "engine/core/signature.h"

#include "parsers/log_words.h"

namespace hindcast {
namespace {

constexpr std::string_view kLevels[] = {"debug", "info", "notice", "warn", "error", "crit", "alert", "emerg"};

// `, key: value` in the context nginx appends; quoted values lose their quotes. The last one: a
// message (a backend's stderr) may hold the same words before nginx's own context.
std::string_view context_value(std::string_view m, std::string_view key) {
  const size_t k = m.rfind(key);
  if (k == std::string_view::npos) return {};
  std::string_view v = m.substr(k + key.size());
  if (v.starts_with('"')) {
    v.remove_prefix(1);
    const size_t q = v.find('"');
    return q == std::string_view::npos ? v : v.substr(0, q);
  }
  const size_t comma = v.find(',');
  return comma == std::string_view::npos ? v : v.substr(0, comma);
}

}  // namespace

bool decode_nginx_error_line(std::string_view line, NginxErrorRecord* r, bool* invalid_time) {
  *r = NginxErrorRecord{};
  if (invalid_time) *invalid_time = false;
  scan::Cursor c{line};
  const StampStatus st = read_slash_date(c, &r->stamp);
  if (st != StampStatus::kOk) {
    if (invalid_time) *invalid_time = st == StampStatus::kInvalid;
    return false;
  }
  if (!c.skip(" [") || !c.until(']', &r->level) || !c.skip("] ")) return false;
  bool known = false;
  for (std::string_view l : kLevels) known |= r->level == l;
  if (!known) return false;
  uint64_t v;
  if (!c.number(&v, 10) || !c.skip('#')) return false;
  r->pid = static_cast<uint32_t>(v);
  if (!c.number(&v, 20) || !c.skip(": ")) return false;
  r->tid = static_cast<uint32_t>(v);
  if (c.peek() == '*') {
    scan::Cursor p = c;
    p.advance();
    if (p.number(&v, 20) && p.skip(' ')) {
      r->connection = v;
      c = p;
    }
  }
  r->message = c.rest();
  return true;
}

bool NginxErrorFormat::split(std::string_view line, Line* out, bool* invalid_time) {
  return decode_nginx_error_line(line, out, invalid_time);
}

void NginxErrorFormat::event(const Line& r, Event& e) {
  e.kind = EventKind::kMessage;
  e.aux = message_signature("nginx", r.message);
  e.severity = severity_from_word(r.level);
  e.pid = r.pid;
}

namespace {

// "fastcgi://unix:/run/php/php8.2-fpm.sock:" -> "/run/php/php8.2-fpm.sock";
// "http://127.0.0.1:8080/app" -> "127.0.0.1:8080".
std::string_view upstream_endpoint(std::string_view u) {
  const size_t scheme = u.find("://");
  if (scheme != std::string_view::npos) u.remove_prefix(scheme + 3);
  if (u.starts_with("unix:")) {
    u.remove_prefix(5);
    const size_t colon = u.find(':');
    return colon == std::string_view::npos ? u : u.substr(0, colon);
  }
  const size_t slash = u.find('/');
  return slash == std::string_view::npos ? u : u.substr(0, slash);
}

}  // namespace

void NginxErrorFormat::record(const Source& source, std::string_view text, const Line& first, Record& out) {
  // The context of a record that goes on over several lines is after its last.
  const std::string_view whole = record_extent(source, text, [](std::string_view l) {
    NginxErrorRecord next;
    return decode_nginx_error_line(l, &next);
  });
  NginxErrorRecord r = first;
  const std::string_view context = whole.substr(whole.rfind('\n') + 1);  // (npos + 1: all of it)
  r.client = context_value(context, ", client: ");
  r.server = context_value(context, ", server: ");
  r.request = context_value(context, ", request: ");
  r.upstream = context_value(context, ", upstream: ");
  r.host = context_value(context, ", host: ");
  out.kind = RecordKind::kMessage;
  out.program = "nginx";
  out.level = r.level;
  out.severity = severity_from_word(r.level);
  out.pid = r.pid;
  out.tid = r.tid;
  out.message = r.message;
  out.client = r.client;
  out.vhost = !r.host.empty() ? r.host : r.server;
  if (!r.upstream.empty()) out.endpoint = upstream_endpoint(r.upstream);
  if (!r.request.empty()) {
    scan::Cursor c{r.request};
    out.method = c.token();
    c.spaces();
    out.url = c.token();
    c.spaces();
    out.protocol = c.token();
  }
}

template class LineFormatParser<NginxErrorFormat>;

}  // namespace hindcast
