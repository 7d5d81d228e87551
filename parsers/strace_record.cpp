#include "engine/core/scan.h"
#include "parsers/strace.h"

namespace hindcast {
namespace {

// "<0.000010>" at the end of a result: -T's duration in µs.
int64_t duration_us(std::string_view result) {
  while (!result.empty() && result.back() == ' ') result.remove_suffix(1);
  if (!result.ends_with('>')) return -1;
  const size_t lt = result.rfind('<');
  if (lt == std::string_view::npos) return -1;
  scan::Cursor c{result.substr(lt + 1, result.size() - lt - 2)};
  uint64_t secs;
  int64_t frac = 0;
  int nd = 0;
  if (!c.number(&secs, 12) || !c.skip('.') || !c.fraction_ns(&frac, &nd) || !c.done()) return -1;
  return static_cast<int64_t>(secs) * 1'000'000 + frac / 1000;
}

// The value of `key=` in a sockaddr ("sin_port=htons(11211)" -> "11211", "sun_path=\"/x\"" -> "/x").
std::string_view sockaddr_field(std::string_view args, std::string_view key) {
  const size_t k = args.find(key);
  if (k == std::string_view::npos) return {};
  std::string_view v = args.substr(k + key.size());
  if (v.starts_with("htons(")) v.remove_prefix(6);
  else if (v.starts_with("inet_addr(")) v.remove_prefix(10);
  if (v.starts_with('"')) {
    v.remove_prefix(1);
    return v.substr(0, v.find('"'));
  }
  return v.substr(0, v.find_first_of("),}"));
}

// connect/bind/sendto address: "127.0.0.1:11211", "[::1]:5432", "/run/mysqld/mysqld.sock".
std::string endpoint_of(std::string_view args) {
  if (args.find("sa_family=AF_UNIX") != std::string_view::npos) {
    std::string_view p = sockaddr_field(args, "sun_path=");
    if (p.starts_with('@')) return std::string(p);  // abstract socket
    return std::string(p);
  }
  if (args.find("sa_family=AF_INET6") != std::string_view::npos) {
    const std::string_view port = sockaddr_field(args, "sin6_port=");
    const size_t q = args.find("inet_pton(AF_INET6, \"");
    if (q == std::string_view::npos || port.empty()) return {};
    std::string_view addr = args.substr(q + 21);
    addr = addr.substr(0, addr.find('"'));
    return "[" + std::string(addr) + "]:" + std::string(port);
  }
  if (args.find("sa_family=AF_INET") != std::string_view::npos) {
    const std::string_view port = sockaddr_field(args, "sin_port=");
    const std::string_view addr = sockaddr_field(args, "sin_addr=");
    if (port.empty() || addr.empty()) return {};
    return std::string(addr) + ":" + std::string(port);
  }
  return {};
}

// Leading descriptor: "3", "3</var/log/x>" (-y), "AT_FDCWD" is not one.
int leading_fd(std::string_view args) {
  scan::Cursor c{args};
  uint64_t fd;
  if (!c.number(&fd, 6)) return -1;
  if (!c.done() && c.peek() != ',' && c.peek() != '<') return -1;
  return static_cast<int>(fd);
}

bool is_socket_call(std::string_view name) {
  return name == "connect" || name == "bind" || name == "sendto" || name == "sendmsg" || name == "accept" ||
         name == "accept4" || name == "recvfrom";
}

}  // namespace

std::string_view socket_error_of(const StraceRecord& r) {
  if (r.syscall != "getsockopt") return {};
  const size_t k = r.args.find("SO_ERROR, [");
  if (k == std::string_view::npos) return {};
  std::string_view v = r.args.substr(k + 11);
  v = v.substr(0, v.find(']'));
  return v.starts_with('E') ? v : std::string_view{};
}

bool fill_strace_record(const StraceRecord& r, Record& out) {
  out.pid = r.pid;
  out.message = r.body;
  switch (r.type) {
    case StraceLineType::kCall:
    case StraceLineType::kUnfinished:
    case StraceLineType::kResumed: {
      out.kind = RecordKind::kSyscall;
      out.syscall = r.syscall;
      out.args = r.args;
      out.result = r.result;
      out.errno_name = r.errno_name.empty() ? socket_error_of(r) : r.errno_name;
      out.severity = out.errno_name.empty() ? Severity::kInfo : Severity::kNotice;
      out.duration_us = duration_us(r.result);
      out.fd = leading_fd(r.args);
      const std::string_view raw = nth_raw_string(r.args, 0);
      if (!raw.empty() && (raw[0] == '/' || raw[0] == '.') && !is_socket_call(r.syscall))
        out.path = out.keep(unescape_c_string(raw));
      if (is_socket_call(r.syscall) && r.args.find("sa_family=") != std::string_view::npos) {
        std::string ep = endpoint_of(r.args);
        if (!ep.empty()) out.endpoint = out.keep(std::move(ep));
      }
      return true;
    }
    case StraceLineType::kSignal:
      out.kind = RecordKind::kSignal;
      out.signal = r.syscall;
      out.severity = Severity::kNotice;
      return true;
    case StraceLineType::kExit: {
      out.kind = RecordKind::kExit;
      const std::string_view b = r.body;
      if (const size_t k = b.find("killed by "); k != std::string_view::npos) {
        std::string_view sig = b.substr(k + 10);
        out.signal = sig.substr(0, sig.find(' '));
        out.severity = Severity::kError;
      } else if (const size_t e = b.find("exited with "); e != std::string_view::npos) {
        scan::Cursor c{b, e + 12};
        uint64_t st;
        if (c.number(&st, 4)) out.exit_status = static_cast<int>(st);
        out.severity = out.exit_status > 0 ? Severity::kWarning : Severity::kInfo;
      }
      return true;
    }
    case StraceLineType::kOther:
      out.kind = RecordKind::kOther;
      return true;
  }
  return false;
}

}  // namespace hindcast
