#include "parsers/strace.h"

#include <cctype>
#include <algorithm>
#include <cstring>
#include <string>
#include <cerrno>
#include <vector>

#include "engine/core/scan.h"
#include "engine/core/timestamps.h"

namespace hindcast {
namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || scan::is_digit(c) || c == '_';
}

// Epochs have at least 9 integer digits; -r deltas are small.
constexpr uint64_t kMinEpochSeconds = 100'000'000;
// Midnights a -t/-tt trace may cross (ten years: far more than any trace runs).
constexpr int64_t kMaxTraceDays = 3660;

// false: the stamp is there but impossible (r->invalid_time set) or malformed.
bool parse_stamp(scan::Cursor& c, StraceRecord* r) {
  if (!scan::is_digit(c.peek())) return true;  // no timestamp
  Stamp st;
  if (c.peek_at(2) == ':') {  // -t / -tt: hh:mm:ss[.frac]
    const StampStatus s = read_time_of_day(c, &st);
    if (s != StampStatus::kOk) {
      r->invalid_time = s == StampStatus::kInvalid;
      return false;
    }
    r->stamp = st;
    return c.spaces();
  }
  scan::Cursor p = c;
  uint64_t secs;
  if (!p.number(&secs, 20) || p.peek() != '.') return true;  // not a stamp: a syscall never starts with a digit
  const size_t end = c.s.find(' ', c.i);
  const std::string_view text = c.s.substr(c.i, end == std::string_view::npos ? std::string_view::npos : end - c.i);
  if (secs >= kMinEpochSeconds) {  // -ttt: epoch seconds
    const StampStatus s = read_epoch_in(text, kNanosPerSecond, &st);
    if (s != StampStatus::kOk) {
      r->invalid_time = s == StampStatus::kInvalid;
      return false;
    }
    r->stamp = st;
  } else {  // -r: seconds since the previous line
    p.advance();
    int64_t frac;
    int nd;
    if (!p.fraction_ns(&frac, &nd)) return false;
    r->stamp.shape = TimeShape::kRelative;
    r->stamp.value_ns = static_cast<int64_t>(secs) * kNanosPerSecond + frac;
    r->stamp.precision = static_cast<uint8_t>(nd);
  }
  c.i += text.size();
  return c.spaces();
}

void parse_result(StraceRecord* r, std::string_view after_open) {
  // The result follows the last " = " (strings inside the arguments may contain " = " too, but
  // they come before it). Alignment padding may put several spaces before '='.
  const size_t eq = after_open.rfind(" = ");
  if (eq == std::string_view::npos) {
    r->args = after_open;
    return;
  }
  size_t args_end = eq;
  while (args_end > 0 && after_open[args_end - 1] == ' ') --args_end;
  r->args = after_open.substr(0, args_end);
  if (r->args.ends_with(')')) r->args.remove_suffix(1);  // the call's closing parenthesis
  r->result = after_open.substr(eq + 3);
  // "-1 ENOENT (...)", "? ERESTARTSYS (...)"
  const size_t sp = r->result.find(' ');
  if (sp != std::string_view::npos && sp + 1 < r->result.size() && r->result[sp + 1] == 'E') {
    size_t k = sp + 1;
    while (k < r->result.size() && is_name_char(r->result[k])) ++k;
    r->errno_name = r->result.substr(sp + 1, k - sp - 1);
  }
}

}  // namespace

bool decode_strace_line(std::string_view line, StraceRecord* r) {
  *r = StraceRecord{};
  scan::Cursor c{line};
  c.spaces();
  if (c.skip("[pid ")) {
    c.spaces();
    uint64_t pid;
    if (!c.number(&pid, 10) || !c.skip(']') || !c.spaces()) return false;
    r->pid = static_cast<uint32_t>(pid);
  } else if (scan::is_digit(c.peek())) {
    scan::Cursor p = c;
    uint64_t pid;
    if (p.number(&pid, 10) && p.spaces()) {
      r->pid = static_cast<uint32_t>(pid);
      c = p;
    }
  }
  if (!parse_stamp(c, r)) return false;
  const std::string_view body = c.rest();
  r->body = body;
  if (body.starts_with("<... ")) {
    const size_t end = body.find(" resumed>");
    if (end == std::string_view::npos) return false;
    r->type = StraceLineType::kResumed;
    r->syscall = body.substr(5, end - 5);
    parse_result(r, body.substr(end + 9));
    return true;
  }
  if (body.starts_with("--- ")) {
    r->type = StraceLineType::kSignal;
    const size_t sp = body.find(' ', 4);
    r->syscall = body.substr(4, sp == std::string_view::npos ? std::string_view::npos : sp - 4);
    return true;
  }
  if (body.starts_with("+++ ")) {
    r->type = StraceLineType::kExit;
    return true;
  }
  if (body.starts_with("strace: ") || body.starts_with("<detached")) {
    r->type = StraceLineType::kOther;
    return true;
  }
  size_t k = 0;
  while (k < body.size() && is_name_char(body[k])) ++k;
  if (k == 0 || k >= body.size() || body[k] != '(' || scan::is_digit(body[0])) return false;
  r->syscall = body.substr(0, k);
  const std::string_view after = body.substr(k + 1);
  if (after.ends_with("<unfinished ...>")) {
    r->type = StraceLineType::kUnfinished;
    r->args = after.substr(0, after.size() - 16);
    return true;
  }
  r->type = StraceLineType::kCall;
  parse_result(r, after);
  // A call line must end in a result (or be cut by a detach / a killed process).
  return !r->result.empty() || after.find("<detached") != std::string_view::npos ||
         after.ends_with("= ?");
}

std::string_view nth_raw_string(std::string_view args, int n) {
  size_t i = 0;
  int seen = 0;
  while (i < args.size()) {
    const size_t q = args.find('"', i);
    if (q == std::string_view::npos) return {};
    size_t e = q + 1;
    while (e < args.size() && args[e] != '"') e += (args[e] == '\\') ? 2 : 1;
    if (e >= args.size()) return seen == n ? args.substr(q + 1) : std::string_view{};
    if (seen == n) return args.substr(q + 1, e - q - 1);
    ++seen;
    i = e + 1;
  }
  return {};
}

std::string unescape_c_string(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    const char ch = raw[i];
    if (ch != '\\' || i + 1 == raw.size()) {
      out += ch;
      continue;
    }
    const char e = raw[++i];
    switch (e) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'v': out += '\v'; break;
      case 'f': out += '\f'; break;
      case 'x': {
        int v = 0, n = 0;
        while (n < 2 && i + 1 < raw.size() && std::isxdigit(static_cast<unsigned char>(raw[i + 1]))) {
          const char h = raw[++i];
          v = v * 16 + (scan::is_digit(h) ? h - '0' : (h | 0x20) - 'a' + 10);
          ++n;
        }
        out += static_cast<char>(v);
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          int v = e - '0', n = 1;
          while (n < 3 && i + 1 < raw.size() && raw[i + 1] >= '0' && raw[i + 1] <= '7') {
            v = v * 8 + (raw[++i] - '0');
            ++n;
          }
          out += static_cast<char>(v);
        } else {
          out += e;  // \" \\ and anything else literal
        }
    }
  }
  return out;
}

std::string first_string_argument(std::string_view args) {
  return unescape_c_string(nth_raw_string(args, 0));
}

bool writes_text(const StraceRecord& r) {
  const std::string_view n = r.syscall;
  return r.type != StraceLineType::kResumed && (n == "write" || n == "writev" || n == "pwrite64" || n == "sendto" ||
                                                n == "send" || n == "sendmsg");
}

std::optional<std::string> written_text(std::string_view line) {
  // Cheap filter before decoding: the name before the call's '(' (one short scan, not a search
  // of the whole line).
  const std::string_view head = line.substr(0, line.find('('));
  if (head.find("write") == std::string_view::npos && head.find("send") == std::string_view::npos) return std::nullopt;
  StraceRecord r;
  if (!decode_strace_line(line, &r) || !writes_text(r)) return std::nullopt;
  const std::string_view raw = nth_raw_string(r.args, 0);
  if (raw.empty()) return std::nullopt;
  std::string text = unescape_c_string(raw);
  // strace -s cut the string ("..."...): its last word may be cut too ("line 134" -> "line 1"),
  // so it is dropped rather than trusted.
  const char* after = raw.data() + raw.size();
  const char* end = r.args.data() + r.args.size();
  if (end - after >= 4 && std::string_view(after, 4) == "\"...") {
    const size_t cut = text.find_last_of(" \t\n");
    text.resize(cut == std::string::npos ? 0 : cut);
  }
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

namespace {
// Names sorted for binary search by string_view: looking an errno up allocates nothing.
struct ErrnoTable {
  std::vector<std::pair<std::string, uint16_t>> by_name;
  std::vector<std::string> by_number;
  ErrnoTable() {
    by_number.resize(520);
    for (int i = 1; i < 200; ++i) {
      if (const char* n = strerrorname_np(i)) {
        by_name.emplace_back(n, static_cast<uint16_t>(i));
        by_number[i] = n;
      }
    }
    const std::pair<const char*, int> kernel[] = {{"ERESTARTSYS", 512},
                                                  {"ERESTARTNOINTR", 513},
                                                  {"ERESTARTNOHAND", 514},
                                                  {"ENOIOCTLCMD", 515},
                                                  {"ERESTART_RESTARTBLOCK", 516}};
    for (auto [n, v] : kernel) {
      by_name.emplace_back(n, static_cast<uint16_t>(v));
      by_number[v] = n;
    }
    // Aliases glibc names differently.
    by_name.emplace_back("EWOULDBLOCK", EAGAIN);
    by_name.emplace_back("EDEADLOCK", EDEADLK);
    by_name.emplace_back("ENOTSUP", EOPNOTSUPP);
    std::sort(by_name.begin(), by_name.end());
  }
};
const ErrnoTable& errno_table() {
  static const ErrnoTable table;
  return table;
}
}  // namespace

uint16_t errno_from_name(std::string_view name) {
  const auto& v = errno_table().by_name;
  const auto it = std::lower_bound(v.begin(), v.end(), name,
                                   [](const auto& entry, std::string_view n) { return entry.first < n; });
  return it != v.end() && it->first == name ? it->second : 0;
}

std::string_view errno_name(uint16_t n) {
  const auto& t = errno_table();
  return n < t.by_number.size() ? std::string_view(t.by_number[n]) : std::string_view{};
}

bool StraceParser::decode(const Source&, std::string_view text, Record& out) const {
  StraceRecord r;
  return decode_strace_line(text, &r) && fill_strace_record(r, out);
}

bool StraceParser::matches(std::string_view line) const {
  StraceRecord r;
  return decode_strace_line(line, &r) && r.type != StraceLineType::kOther;
}

namespace {
// Midnight rollovers, -r running sums, <unfinished ...> / <... resumed> pairs: what a chunk leaves
// for the chunks after it.
struct StraceCarry final : ChunkCarry {
  int64_t first_tod = -1, last_tod = -1;
  int64_t days = 0;
  int64_t relative_sum = 0;
  std::vector<std::pair<uint32_t, uint32_t>> open_calls;      // (pid, chunk-local index) still open at the end
  std::vector<std::pair<uint32_t, uint32_t>> orphan_resumes;  // (pid, chunk-local index) resumed with no start here
  std::vector<uint32_t> pids_started;                         // pids with an <unfinished ...> in the chunk
};

struct StraceLineParser {
  StraceLineParser(const Source& s, ParsedChunk& o, StraceCarry& c) : src(s), out(o), carry(c) {}
  const Source& src;
  ParsedChunk& out;
  StraceCarry& carry;
  int64_t first_tod = -1;
  int64_t previous_tod = -1;
  int64_t day = 0;
  int64_t relative_sum = 0;
  uint32_t line_number = 0;  // of the line being parsed (at_line)
  // pid -> index and line of its <unfinished ...>. A flat vector: a trace has few concurrently
  // open calls, and a map would allocate a node per unfinished line.
  struct OpenCall {
    uint32_t pid, index, line;
  };
  std::vector<OpenCall> open_call;

  std::vector<OpenCall>::iterator find_open(uint32_t pid) {
    return std::find_if(open_call.begin(), open_call.end(), [pid](const OpenCall& c) { return c.pid == pid; });
  }
  void at_line(uint32_t number) { line_number = number; }
  bool started_here(uint32_t pid) const {
    return std::find(carry.pids_started.begin(), carry.pids_started.end(), pid) != carry.pids_started.end();
  }

  LineVerdict parse(std::string_view line, Event& e, const char** reason) {
    StraceRecord r;
    if (!decode_strace_line(line, &r)) {
      *reason = r.invalid_time ? kImpossibleTime : "not an strace record";
      return LineVerdict::kSkip;
    }
    e.pid = r.pid ? r.pid : src.strace_pid;
    apply_stamp(r.stamp, e);
    if (r.stamp.shape == TimeShape::kLocalTimeOfDay) {
      // Back by more than 12 h is a new day; back by an hour is a DST fall-back or reordering,
      // left for the resolver.
      const int64_t tod = r.stamp.value_ns;
      // Capped: lines that alternate between late and early hours must not count days without
      // end (the resolver drops a time it cannot represent).
      if (previous_tod >= 0 && tod + kNanosPerDay / 2 < previous_tod && day < kMaxTraceDays) ++day;
      if (first_tod < 0) first_tod = tod;
      previous_tod = tod;
      e.time_ns = day * kNanosPerDay + tod;
    } else if (r.stamp.shape == TimeShape::kRelative) {
      relative_sum = add_saturated(relative_sum, r.stamp.value_ns);
      e.time_ns = relative_sum;
    }
    const std::string_view err = r.errno_name.empty() ? socket_error_of(r) : r.errno_name;
    e.code = err.empty() ? 0 : errno_from_name(err);
    e.severity = e.code ? Severity::kNotice : Severity::kInfo;
    const auto index = static_cast<uint32_t>(out.events.size());
    switch (r.type) {
      case StraceLineType::kCall: e.kind = EventKind::kSyscall; break;
      case StraceLineType::kUnfinished:
        e.kind = EventKind::kSyscall;
        e.flags |= kFlagUnfinished;
        if (auto it = find_open(e.pid); it != open_call.end()) {
          *it = {e.pid, index, line_number};  // the earlier call never resumed
        } else {
          open_call.push_back({e.pid, index, line_number});
        }
        if (!started_here(e.pid)) carry.pids_started.push_back(e.pid);
        break;
      case StraceLineType::kResumed: {
        e.kind = EventKind::kSyscall;
        e.flags |= kFlagResumed;
        const auto it = find_open(e.pid);
        if (it != open_call.end()) {
          Event& start = out.events[it->index];
          start.aux = line_number;
          start.code = e.code;
          start.severity = e.severity;
          e.aux = it->line;
          *it = open_call.back();
          open_call.pop_back();
        } else if (!started_here(e.pid)) {
          carry.orphan_resumes.emplace_back(e.pid, index);  // its start may be in an earlier chunk
        }
        break;
      }
      case StraceLineType::kSignal:
        e.kind = EventKind::kSignal;
        e.severity = Severity::kNotice;
        break;
      case StraceLineType::kExit:
        e.kind = EventKind::kProcessExit;
        e.severity = r.body.find("killed") != std::string_view::npos ? Severity::kError : Severity::kInfo;
        break;
      case StraceLineType::kOther: e.kind = EventKind::kOther; break;
    }
    if (writes_text(r)) e.flags |= kFlagWritesText;
    return LineVerdict::kEvent;
  }
};
}  // namespace

void StraceParser::parse_chunk(const Source& source, size_t begin, size_t end, ParsedChunk& out) const {
  auto carry = std::make_unique<StraceCarry>();
  StraceLineParser lp(source, out, *carry);
  parse_lines(source, begin, end, lp, out);
  carry->first_tod = lp.first_tod;
  carry->last_tod = lp.previous_tod;
  carry->days = lp.day;
  carry->relative_sum = lp.relative_sum;
  for (const auto& c : lp.open_call) carry->open_calls.emplace_back(c.pid, c.index);
  out.carry = std::move(carry);
}

void StraceParser::stitch(Source& s, const std::vector<ParsedChunk>& chunks, const std::vector<size_t>& first_event) const {
  int64_t day_carry = 0, last_tod = -1, relative_carry = 0;
  std::vector<std::pair<uint32_t, size_t>> open;  // pid -> global index of a call still open
  for (size_t k = 0; k < chunks.size(); ++k) {
    static const StraceCarry kNothing;
    const StraceCarry& c = chunks[k].carry ? static_cast<const StraceCarry&>(*chunks[k].carry) : kNothing;
    const size_t begin = first_event[k];
    const size_t end = k + 1 < chunks.size() ? first_event[k + 1] : s.events.size();
    if (c.first_tod >= 0) {
      if (last_tod >= 0 && c.first_tod + kNanosPerDay / 2 < last_tod) ++day_carry;  // midnight at the border
      day_carry = std::min(day_carry, kMaxTraceDays);
      for (size_t i = begin; i < end && day_carry; ++i)
        if (s.events[i].shape == TimeShape::kLocalTimeOfDay)
          s.events[i].time_ns = std::min(s.events[i].time_ns + day_carry * kNanosPerDay,
                                         kMaxTraceDays * kNanosPerDay + s.events[i].time_ns % kNanosPerDay);
      day_carry += c.days;
      last_tod = c.last_tod;
    }
    for (size_t i = begin; i < end && relative_carry; ++i)
      if (s.events[i].shape == TimeShape::kRelative) s.events[i].time_ns = add_saturated(s.events[i].time_ns, relative_carry);
    relative_carry = add_saturated(relative_carry, c.relative_sum);
    // Calls resumed in this chunk that started in an earlier one.
    for (const auto& [pid, local] : c.orphan_resumes) {
      const auto it = std::find_if(open.begin(), open.end(), [pid](const auto& p) { return p.first == pid; });
      if (it == open.end()) continue;
      Event& start = s.events[it->second];
      Event& resumed = s.events[begin + local];
      start.aux = s.line_of(resumed);
      start.code = resumed.code;
      start.severity = resumed.severity;
      resumed.aux = s.line_of(start);
      open.erase(it);
    }
    for (uint32_t pid : c.pids_started)
      open.erase(std::remove_if(open.begin(), open.end(), [pid](const auto& p) { return p.first == pid; }), open.end());
    for (const auto& [pid, local] : c.open_calls) open.emplace_back(pid, begin + local);
  }
}

}  // namespace hindcast
