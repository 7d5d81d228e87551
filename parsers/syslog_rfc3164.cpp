#include "parsers/syslog_rfc3164.h"

#include <algorithm>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "engine/core/scan.h"
#include "engine/core/signature.h"
#include "engine/core/swar.h"
#include "parsers/syslog_rfc5424.h"

namespace hindcast {
namespace {

// The stamp in the date slot: BSD "Mmm dd hh:mm:ss" or RFC 3339 with 'T'.
StampStatus read_syslog_stamp(scan::Cursor& c, SyslogRecord* r) {
  if (!scan::is_digit(c.peek())) {
    const StampStatus st = read_bsd(c, &r->stamp);
    if (st == StampStatus::kOk) c.skip(':');  // "Mar 11 09:39:39: --- last message repeated"
    return st;
  }
  // rsyslog's file formats write RFC 3339 with 'T'; "2024-01-05 10:00:00" is some other format.
  if (c.left() < 11 || c.s[c.i + 10] != 'T') return StampStatus::kNoMatch;
  return read_iso8601(c, &r->stamp);
}

// "name[pid]:" / "name:" at the start of `s`; returns the length consumed (0 if not a tag).
size_t tag(std::string_view s, SyslogRecord* r) {
  constexpr size_t kMaxTag = 64;
  // To the first ':', '=' or '"' (only a colon ends a tag), eight bytes a step.
  const size_t n = s.size() < kMaxTag ? s.size() : kMaxTag;
  size_t colon = 0;
  for (; colon + 8 <= n; colon += 8) {
    const uint64_t w = swar::load8(s.data() + colon);
    const uint64_t stop = swar::has_byte(w, ':') | swar::has_byte(w, '=') | swar::has_byte(w, '"');
    if (stop) {
      colon += static_cast<size_t>(swar::first(stop));
      break;
    }
  }
  while (colon < n && s[colon] != ':' && s[colon] != '=' && s[colon] != '"') ++colon;
  if (colon == n || colon == 0 || s[colon] != ':') return 0;
  if (colon + 1 < s.size() && s[colon + 1] != ' ' && s[colon + 1] != '\t') return 0;
  std::string_view t = s.substr(0, colon);
  // "name[pid]": digits back from the ']' to a '['.
  if (t.size() >= 3 && t.back() == ']') {
    size_t lb = t.size() - 1;
    while (lb > 0 && scan::is_digit(t[lb - 1])) --lb;
    uint64_t pid;
    scan::Cursor pc{t.substr(lb, t.size() - 1 - lb)};
    if (lb > 0 && t[lb - 1] == '[' && pc.number(&pid, 10) && pc.done()) {
      r->pid = static_cast<uint32_t>(pid);
      t = t.substr(0, lb - 1);
    }
  }
  r->program = t;
  r->has_tag = true;
  return colon + 1;
}

bool looks_like_tag_token(std::string_view tok) {
  return !tok.empty() && (tok.back() == ':' || (tok.find('[') != std::string_view::npos &&
                                                tok.find("]:") != std::string_view::npos));
}

// A syslog header at p: "<PRI>" (0..191) followed by an RFC 5424 version, a BSD stamp or an
// RFC 3339 stamp with 'T'. The shape a forwarded record starts with.
bool header_at(std::string_view line, size_t p) {
  scan::Cursor c{line, p};
  uint64_t pri;
  if (!c.skip('<') || !c.number(&pri, 3) || !c.skip('>') || pri > 191) return false;
  if (c.peek() == '1' && c.peek_at(1) == ' ') return true;
  SyslogRecord r;
  const size_t at = c.i;
  if (read_syslog_stamp(c, &r) != StampStatus::kNoMatch) return true;
  c.i = at;
  return false;
}

}  // namespace

size_t next_syslog_record(std::string_view line, size_t from) {
  scan::Cursor c{line, from};
  // RFC 6587 octet counting: "215 <86>1 ...": the count says where the next record begins.
  if (scan::is_digit(c.peek())) {
    uint64_t octets;
    if (c.number(&octets, 6) && c.skip(' ') && c.peek() == '<') {
      const size_t next = c.i + octets;
      if (next >= line.size()) return std::string_view::npos;
      scan::Cursor n{line, next};
      uint64_t count;
      if (octets > 0 && ((n.number(&count, 6) && n.skip(' ') && n.peek() == '<') || header_at(line, next))) return next;
    }
  }
  // Otherwise the next "<PRI>" that starts a syslog header (NUL framing, rsyslog's
  // ForwardFormat written to a file: "...this is debug<14>2021-03-06T04:07:33.196352+00:00 ...").
  const size_t start = c.peek() == '<' ? c.i + 1 : from + 1;
  for (size_t p = line.find('<', start); p != std::string_view::npos; p = line.find('<', p + 1))
    if (header_at(line, p)) return p;
  return std::string_view::npos;
}

namespace {

// Bit i of each mask is q[i], for the 64 bytes at q.
struct HeaderMasks {
  uint64_t blank = 0;    // ' ' or '\t'
  uint64_t stop = 0;     // ':', '=' or '"': where a tag may end (see tag())
  uint64_t bracket = 0;  // '['
  uint64_t data = 0;     // a digit, '/', '@' or '=': what makes a token data (engine/core/signature.h)
};

HeaderMasks header_masks(const char* q) {
  HeaderMasks m;
#ifdef __SSE2__
  const __m128i space = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t'), colon = _mm_set1_epi8(':');
  const __m128i equals = _mm_set1_epi8('='), quote = _mm_set1_epi8('"'), bracket = _mm_set1_epi8('[');
  const __m128i zero = _mm_set1_epi8('0'), nine = _mm_set1_epi8(9), slash = _mm_set1_epi8('/'), at = _mm_set1_epi8('@');
  auto bits = [](__m128i x, int k) {
    return static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(x))) << (16 * k);
  };
  for (int k = 0; k < 4; ++k) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + 16 * k));
    const __m128i eq = _mm_cmpeq_epi8(v, equals);
    const __m128i d = _mm_sub_epi8(v, zero);
    m.blank |= bits(_mm_or_si128(_mm_cmpeq_epi8(v, space), _mm_cmpeq_epi8(v, tab)), k);
    m.stop |= bits(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, colon), eq), _mm_cmpeq_epi8(v, quote)), k);
    m.bracket |= bits(_mm_cmpeq_epi8(v, bracket), k);
    m.data |= bits(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(d, nine), d), _mm_cmpeq_epi8(v, slash)),
                                _mm_or_si128(_mm_cmpeq_epi8(v, at), eq)),
                   k);
  }
#else
  for (int i = 0; i < 64; ++i) {
    const char c = q[i];
    const uint64_t b = uint64_t{1} << i;
    if (c == ' ' || c == '\t') m.blank |= b;
    if (c == ':' || c == '=' || c == '"') m.stop |= b;
    if (c == '[') m.bracket |= b;
    if (scan::is_digit(c) || c == '/' || c == '@' || c == '=') m.data |= b;
  }
#endif
  return m;
}

// A pid of 9 or 10 digits (written by no Linux, whose pids stay below 2^22, but allowed).
bool long_pid(const char* p, size_t n, uint32_t* out) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!scan::is_digit(p[i])) return false;
    v = v * 10 + static_cast<unsigned>(p[i] - '0');
  }
  *out = static_cast<uint32_t>(v);
  return true;
}

// Bits i to 63 (none for i >= 64); bits below i.
inline uint64_t bits_from(size_t i) { return i >= 64 ? 0 : ~uint64_t{0} << i; }
inline uint64_t bits_below(size_t i) { return i >= 64 ? ~uint64_t{0} : (uint64_t{1} << i) - 1; }

// The message's signature from the masks (`ends`: blanks and the bytes past the line), when its
// first two tokens end inside them; 0 when they may not (message_signature_padded then reads it).
uint32_t signature_from_masks(const char* q, size_t len, size_t msg, uint64_t ends, uint64_t data,
                              std::string_view writer) {
  SignatureToken t[2];
  int count = 0;
  for (size_t from = msg; count < 2; ++count) {
    const uint64_t starts = ~ends & bits_from(from);
    if (!starts) {
      if (len > 64) return 0;  // a token may start past the masks
      break;
    }
    const size_t s = static_cast<size_t>(__builtin_ctzll(starts));
    const uint64_t stops = ends & bits_from(s);
    if (!stops) return 0;  // the token runs past the masks
    const size_t e = static_cast<size_t>(__builtin_ctzll(stops));
    t[count] = {std::string_view(q + s, e - s), (data & bits_below(e) & bits_from(s)) != 0};
    from = e;
  }
  return signature_of_tokens(writer, t, count);
}

}  // namespace

bool decode_syslog_common(std::string_view line, SyslogRecord* r) {
  const size_t n = line.size();
  const char* const p = line.data();
  if (n < 18 || p[n - 1] == '\0') return false;  // NUL framing: see decode_syslog_line
  size_t stamp_end = 15;
  // Lines of one second share their stamp: the thread's last BSD stamp, by its 16 bytes (the
  // stamp and the space after it; n >= 18 here), is reused as read.
  thread_local uint64_t last_stamp[2] = {0, 0};
  thread_local Stamp last_read;  // shape kNone: none read yet
  const uint64_t head[2] = {swar::load8(p), swar::load8(p + 8)};
  if (head[0] == last_stamp[0] && head[1] == last_stamp[1] && last_read.shape != TimeShape::kNone) {
    r->stamp = last_read;
  } else if (read_bsd_fixed(p, n, &r->stamp)) {
    last_stamp[0] = head[0];
    last_stamp[1] = head[1];
    last_read = r->stamp;
  } else {  // RFC 3339 ("2020-05-31T00:00:45.698463+00:00") or another layout
    if (!scan::is_digit(p[0])) return false;
    scan::Cursor c{line};
    if (read_syslog_stamp(c, r) != StampStatus::kOk) return false;
    stamp_end = c.i;
  }
  if (stamp_end + 2 >= n || p[stamp_end] != ' ') return false;
  // Every field a record has, whatever *r held (the parse reuses one record line after line).
  r->program = r->msgid = r->structured_data = {};
  r->pid = 0;
  r->priority = -1;
  r->has_tag = r->rfc5424 = false;
  // From the host on, the byte masks of 64 bytes (a window's padding follows the line).
  const char* const q = p + stamp_end + 1;
  const size_t len = n - stamp_end - 1;
  const uint64_t valid = bits_below(len);
  const HeaderMasks m = header_masks(q);
  const uint64_t blank = m.blank & valid;
  if ((blank & 1) || !blank) return false;  // more spaces; a host past the masks or to the end
  const size_t he = static_cast<size_t>(__builtin_ctzll(blank));
  const size_t ts = he + 1;  // the tag's first byte
  // A host that could be a tag ("---", "name:", "name[pid]:") is the general decoder's to read.
  if ((m.bracket & bits_below(he)) || q[he - 1] == ':' || (he == 3 && std::string_view(q, 3) == "---") ||
      ts >= 64 || ts >= len || (blank >> ts & 1))
    return false;
  r->host = std::string_view(q, he);
  // The tag: to the first ':', '=' or '"', of which only a colon followed by a blank (or the end)
  // ends a tag; see tag().
  const uint64_t stops = m.stop & valid & bits_from(ts);
  if (!stops && len > 64) return false;  // the colon may lie past the masks
  size_t msg = ts;
  const size_t colon = stops ? static_cast<size_t>(__builtin_ctzll(stops)) : len;
  if (colon < len && q[colon] == ':' && colon > ts && (colon + 1 == len || scan::is_space(q[colon + 1]))) {
    size_t end = colon;
    if (colon - ts >= 3 && q[colon - 1] == ']') {  // "name[pid]": 1 to 10 digits from the last '['
      const uint64_t opens = m.bracket & bits_below(colon - 1) & bits_from(ts);
      const size_t lb = opens ? 63 - static_cast<size_t>(__builtin_clzll(opens)) : 0;
      const size_t digits = colon - 2 - lb;
      uint32_t pid = 0;
      if (opens && digits >= 1 && digits <= 10 &&
          (digits <= 8 ? swar::parse_digits(q + lb + 1, digits, &pid) : long_pid(q + lb + 1, digits, &pid))) {
        r->pid = pid;
        end = lb;
      }
    }
    r->program = std::string_view(q + ts, end - ts);
    r->has_tag = true;
    msg = colon + 1;
  }
  while (msg < len && scan::is_space(q[msg])) ++msg;
  r->message = std::string_view(q + msg, len - msg);
  r->signature = signature_from_masks(q, len, msg, blank | ~valid, m.data, r->program);
  return true;
}

Severity severity_from_priority(int pri) {
  if (pri < 0) return Severity::kInfo;
  switch (pri & 7) {
    case 0: case 1: case 2: return Severity::kCritical;
    case 3: return Severity::kError;
    case 4: return Severity::kWarning;
    case 5: return Severity::kNotice;
    case 6: return Severity::kInfo;
    default: return Severity::kDebug;
  }
}

bool decode_syslog_line(std::string_view line, SyslogRecord* r, bool* invalid_time) {
  *r = SyslogRecord{};
  while (!line.empty() && line.back() == '\0') line.remove_suffix(1);  // RFC 6587 NUL framing
  scan::Cursor c{line};
  if (scan::is_digit(c.peek())) {
    // RFC 6587 octet counting: "215 <86>1 ..."
    scan::Cursor oc = c;
    uint64_t octets;
    if (oc.number(&octets, 6) && oc.skip(' ') && oc.peek() == '<') c = oc;
  }
  if (c.peek() == '<') {
    scan::Cursor p = c;
    p.advance();
    uint64_t pri;
    if (p.number(&pri, 3) && p.skip('>') && pri <= 191) {
      r->priority = static_cast<int>(pri);
      c = p;
      if (c.peek() == '1' && c.peek_at(1) == ' ') return decode_rfc5424_body(c.rest(), r, invalid_time);
    }
  }
  const StampStatus st = read_syslog_stamp(c, r);
  if (st != StampStatus::kOk) {
    if (invalid_time) *invalid_time = st == StampStatus::kInvalid;
    return false;
  }
  if (!c.spaces()) return c.done();  // a bare stamp is a (empty) record only at end of line
  std::string_view rest = c.rest();
  scan::Cursor t{rest};
  const std::string_view first = t.token();
  size_t msg_start = 0;
  if (first == "---" || looks_like_tag_token(first)) {
    msg_start = first == "---" ? 0 : tag(rest, r);
  } else {
    r->host = first;
    t.spaces();
    const size_t used = tag(t.rest(), r);
    msg_start = t.i + used;
  }
  std::string_view msg = rest.substr(msg_start < rest.size() ? msg_start : rest.size());
  while (!msg.empty() && (msg.front() == ' ' || msg.front() == '\t')) msg.remove_prefix(1);
  r->message = msg;
  return true;
}

bool SyslogRfc3164Parser::matches(std::string_view line) const {
  SyslogRecord r;
  // The whole shape: a stamp, then a tag (after a host, or hostless with a tag of its own). A
  // tagless line counts only under a full RFC 3339 stamp with its zone, which no other format
  // here writes in front of a host name, or after a <PRI> (rsyslog's forward formats:
  // "<15>Mar  6 04:07:23 hostname log_tag this is debug"). Records that follow in the same
  // line (see next_syslog_record) are not looked at.
  const size_t next = next_syslog_record(line, 0);
  if (!decode_syslog_line(line.substr(0, next), &r) || r.rfc5424) return false;
  if (r.has_tag || r.message.starts_with("--- last message")) return true;
  // A CRI container log ("2024-01-05T10:00:00.1Z stdout F msg") has the same stamp and a
  // stream where the host would be, then a one-letter P/F tag: not a syslog host and tag.
  const bool cri = (r.host == "stdout" || r.host == "stderr") && r.message.size() >= 2 &&
                   (r.message[0] == 'F' || r.message[0] == 'P') && (r.message[1] == ' ' || r.message.size() == 1);
  return !cri && (r.stamp.shape == TimeShape::kAbsolute || r.priority >= 0) && !r.host.empty();
}

void fill_syslog_record(const SyslogRecord& r, Record& out) {
  out.kind = RecordKind::kMessage;
  out.host = r.host;
  out.program = r.program;
  out.pid = r.pid;
  out.message = r.message;
  out.severity = severity_from_priority(r.priority);
}

bool SyslogRfc3164Parser::decode(const Source&, std::string_view text, Record& out) const {
  SyslogRecord r;
  if (!decode_syslog_line(text, &r)) return false;
  fill_syslog_record(r, out);
  return true;
}

namespace {

// Dec -> Jan rollovers counted at most: placeholder years must stay representable (lines that
// alternate between December and January, as merged files do, would count one per pair).
constexpr int kMaxRollovers = static_cast<int>((kMaxYear - kPlaceholderYear) / 4) - 1;

// Placeholder years stay leap years (2000, 2004, ...) so Feb 29 survives until resolved.
int64_t placeholder_ns(int rollovers, unsigned month, unsigned day, int64_t time_of_day) {
  return placeholder_days(rollovers, month, day) * kNanosPerDay + time_of_day;
}

struct SyslogLineParser {
  unsigned first_month = 0;
  unsigned previous_month = 0;
  int rollovers = 0;
  SyslogRecord record_;

  // Every framing next_syslog_record knows has a '<' (octet counts precede one too).
  static constexpr char kRecordMark = '<';
  size_t next_record(std::string_view line, size_t from) const { return next_syslog_record(line, from); }

  LineVerdict parse(std::string_view line, Event& e, const char** reason) {
    if (line.front() == ' ' || line.front() == '\t') {
      *reason = "indented line before the first record";
      return LineVerdict::kContinuation;
    }
    SyslogRecord& r = record_;  // both decoders write every field: no record built per line
    bool invalid = false;
    if (!decode_syslog_common(line, &r) && !decode_syslog_line(line, &r, &invalid)) {
      if (invalid) {
        *reason = kImpossibleTime;
        return LineVerdict::kSkip;
      }
      // rsyslog escapes control characters, but other writers keep a message's raw newline:
      // an unstamped line continues the record above.
      *reason = "no syslog timestamp";
      return LineVerdict::kContinuation;
    }
    e.kind = EventKind::kMessage;
    e.aux = r.signature ? r.signature : message_signature_padded(r.program, r.message);
    apply_stamp(r.stamp, e);
    e.pid = r.pid;
    e.severity = severity_from_priority(r.priority);
    if (r.stamp.shape == TimeShape::kLocalNoYear) {
      const unsigned month = r.stamp.month;
      // A month far below the previous one is a new year (Dec -> Jan), not a step back.
      if (previous_month != 0 && previous_month > month + 5 && rollovers < kMaxRollovers) ++rollovers;
      if (first_month == 0) first_month = month;
      previous_month = month;
      // The stamp read in placeholder year 2000 (k = 0), moved to year 2000 + 4k: placeholder_days
      // differs by 1461 days a step, whatever the month and day (a leap second stays in its day).
      e.time_ns = r.stamp.value_ns + int64_t{1461} * rollovers * kNanosPerDay;
    }
    return LineVerdict::kEvent;
  }
};
}  // namespace

namespace {
// Dec -> Jan rollovers: what a chunk saw, for the chunks after it.
struct SyslogCarry final : ChunkCarry {
  unsigned first_month = 0, last_month = 0;
  int rollovers = 0;
};
}  // namespace

void parse_syslog_chunk(const Source& source, size_t begin, size_t end, ParsedChunk& out) {
  SyslogLineParser lp;
  parse_lines(source, begin, end, lp, out);
  auto carry = std::make_unique<SyslogCarry>();
  carry->first_month = lp.first_month;
  carry->last_month = lp.previous_month;
  carry->rollovers = lp.rollovers;
  out.carry = std::move(carry);
}

void stitch_syslog_rollovers(Source& s, const std::vector<ParsedChunk>& chunks, const std::vector<size_t>& first_event) {
  int carry = 0;          // rollovers before the chunk
  unsigned last_month = 0;  // last month seen before the chunk
  for (size_t k = 0; k < chunks.size(); ++k) {
    static const SyslogCarry kNothing;
    const SyslogCarry& c = chunks[k].carry ? static_cast<const SyslogCarry&>(*chunks[k].carry) : kNothing;
    if (c.first_month == 0) continue;
    if (last_month != 0 && last_month > c.first_month + 5) ++carry;  // the rollover at the border
    if (carry > 0) {
      const size_t end = k + 1 < chunks.size() ? first_event[k + 1] : s.events.size();
      for (size_t i = first_event[k]; i < end; ++i) {
        Event& e = s.events[i];
        if (e.shape != TimeShape::kLocalNoYear) continue;
        const int64_t days = e.time_ns / kNanosPerDay;
        const CivilDate d = civil_from_days(days);
        const int k_local = static_cast<int>((d.year - kPlaceholderYear) / 4);
        e.time_ns = placeholder_ns(std::min(k_local + carry, kMaxRollovers), d.month, d.day, e.time_ns - days * kNanosPerDay);
      }
    }
    carry += c.rollovers;
    last_month = c.last_month;
  }
}

}  // namespace hindcast
