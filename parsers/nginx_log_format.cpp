#include "parsers/nginx_log_format.h"

#include <cctype>

namespace hindcast {
namespace {

bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string directive_for(std::string_view v) {
  struct Map {
    std::string_view var, directive;
  };
  static constexpr Map kMap[] = {
      {"remote_addr", "%a"},       {"realip_remote_addr", "%a"},   {"remote_user", "%u"},
      {"time_local", "%t"},        {"msec", "%{sec}t"},            {"request", "%r"},
      {"status", "%>s"},           {"body_bytes_sent", "%B"},      {"bytes_sent", "%O"},
      {"request_length", "%I"},    {"http_referer", "%{Referer}i"}, {"http_user_agent", "%{User-Agent}i"},
      {"request_time", "%T"},      {"host", "%v"},                 {"server_name", "%v"},
      {"server_port", "%p"},       {"request_method", "%m"},       {"uri", "%U"},
      {"document_uri", "%U"},      {"args", "%q"},                 {"query_string", "%q"},
      {"server_protocol", "%H"},
  };
  for (const Map& m : kMap)
    if (m.var == v) return std::string(m.directive);
  return "%{" + std::string(v) + "}x";  // read and ignored
}

}  // namespace

bool is_nginx_log_format(std::string_view f) {
  bool dollar = false;
  for (size_t i = 0; i + 1 < f.size(); ++i) {
    if (f[i] == '%' && (std::isalpha(static_cast<unsigned char>(f[i + 1])) || f[i + 1] == '>' || f[i + 1] == '{'))
      return false;
    if (f[i] == '$' && (name_char(f[i + 1]) || f[i + 1] == '{')) dollar = true;
  }
  return dollar;
}

std::string apache_format_from_nginx(std::string_view f) {
  std::string out;
  for (size_t i = 0; i < f.size();) {
    const char c = f[i];
    if (c == '%') {
      out += "%%";
      ++i;
      continue;
    }
    if (c != '$') {
      out += c;
      ++i;
      continue;
    }
    size_t start = i + 1, end;
    if (start < f.size() && f[start] == '{') {
      end = f.find('}', start);
      if (end == std::string_view::npos) {
        out += f.substr(i);
        break;
      }
      const std::string_view name = f.substr(start + 1, end - start - 1);
      i = end + 1;
      end = 0;
      const std::string d = directive_for(name);
      if (d == "%t" && !out.empty() && out.back() == '[' && i < f.size() && f[i] == ']') {
        out.pop_back();  // Apache's %t writes the brackets itself
        ++i;
      }
      out += d;
      continue;
    }
    end = start;
    while (end < f.size() && name_char(f[end])) ++end;
    const std::string_view name = f.substr(start, end - start);
    i = end;
    const std::string d = directive_for(name);
    if (d == "%t" && !out.empty() && out.back() == '[' && i < f.size() && f[i] == ']') {
      out.pop_back();
      ++i;
    }
    out += d;
  }
  return out;
}

}  // namespace hindcast
