#include "engine/report/safe_text.h"

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace hindcast {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void hex_byte(std::string& out, unsigned char c) {
  out += "\\x";
  out += kHex[c >> 4];
  out += kHex[c & 15];
}

// Code point of a valid 2..4-byte UTF-8 sequence.
uint32_t code_point(std::string_view s, size_t i, size_t n) {
  const auto b = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(s[i + k])); };
  if (n == 2) return (b(0) & 0x1F) << 6 | (b(1) & 0x3F);
  if (n == 3) return (b(0) & 0x0F) << 12 | (b(1) & 0x3F) << 6 | (b(2) & 0x3F);
  return (b(0) & 0x07) << 18 | (b(1) & 0x3F) << 12 | (b(2) & 0x3F) << 6 | (b(3) & 0x3F);
}

bool unsafe_code_point(uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) ||     // C1 controls: 0x9B is a CSI on many terminals
         (cp >= 0x202A && cp <= 0x202E) ||  // bidi embeddings and overrides
         (cp >= 0x2066 && cp <= 0x2069) ||  // bidi isolates
         cp == 0x200E || cp == 0x200F || cp == 0x061C;  // direction marks
}

}  // namespace

size_t utf8_sequence_length(std::string_view s, size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  size_t n;
  if (b >= 0xC2 && b <= 0xDF) n = 2;
  else if (b >= 0xE0 && b <= 0xEF) n = 3;
  else if (b >= 0xF0 && b <= 0xF4) n = 4;
  else return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  const auto b1 = static_cast<unsigned char>(s[i + 1]);
  if (b == 0xE0 && b1 < 0xA0) return 0;   // overlong
  if (b == 0xED && b1 >= 0xA0) return 0;  // surrogates
  if (b == 0xF0 && b1 < 0x90) return 0;
  if (b == 0xF4 && b1 >= 0x90) return 0;
  return n;
}

bool is_printable(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7F) continue;
    if (c == '\t') continue;
    if (c < 0x80) return false;
    const size_t n = utf8_sequence_length(s, i);
    if (n == 0 || unsafe_code_point(code_point(s, i, n))) return false;
    i += n - 1;
  }
  return true;
}

void append_printable(std::string& out, std::string_view s) {
  if (is_printable(s)) {
    out.append(s);
    return;
  }
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c >= 0x20 && c < 0x7F) || c == '\t') {
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x80) {
      hex_byte(out, c);
    } else if (const size_t n = utf8_sequence_length(s, i)) {
      const uint32_t cp = code_point(s, i, n);
      if (!unsafe_code_point(cp)) {
        out.append(s.substr(i, n));
      } else {
        out += "\\u";
        for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(cp >> shift) & 15];
      }
      i += n - 1;
    } else {
      hex_byte(out, c);
    }
  }
}

std::string printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_printable(out, s);
  return out;
}

std::string markdown_text(std::string_view s) {
  const std::string p = printable(s);
  std::string out;
  out.reserve(p.size() + 8);
  auto word = [&](size_t i) { return i < p.size() && (std::isalnum(static_cast<unsigned char>(p[i])) != 0); };
  for (size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    // ASCII punctuation that can open emphasis, code, links, raw HTML, entities, table cells or
    // strikethrough; CommonMark lets any of them be escaped with a backslash. A '_' inside a
    // word opens nothing (snake_case stays readable); ']' and '!' act only after a '['.
    bool escape = false;
    switch (c) {
      case '\\': case '`': case '*': case '[': case '<': case '>': case '|': case '&': case '~':
        escape = true;
        break;
      case '_':
        escape = !(i > 0 && word(i - 1) && word(i + 1));
        break;
      default:
        break;
    }
    if (escape) out += '\\';
    out += c;
  }
  return out;
}

std::string markdown_code(std::string_view s) {
  const std::string p = printable(s);
  // The fence is one backtick longer than the longest run inside (CommonMark code spans).
  size_t longest = 0, run = 0;
  for (char c : p) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(longest + 1, '`');
  const bool pad = !p.empty() && (p.front() == '`' || p.back() == '`' || p.front() == ' ');
  std::string out = fence;
  if (pad) out += ' ';
  out += p.empty() ? " " : p;
  if (pad) out += ' ';
  out += fence;
  return out;
}

std::string markdown_cell(std::string_view s) { return markdown_text(s); }

std::string html_text(std::string_view s) {
  const std::string p = printable(s);
  std::string out;
  out.reserve(p.size() + 16);
  for (char c : p) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace hindcast
