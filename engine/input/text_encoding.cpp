#include "engine/input/text_encoding.h"

#include <cstdint>

namespace hindcast {
namespace {

void append_utf8(std::string& out, uint32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

std::string utf16_to_utf8(std::string_view bytes, bool big_endian) {
  std::string out;
  out.reserve(bytes.size());
  const auto unit = [&](size_t i) {
    const auto a = static_cast<uint8_t>(bytes[i]), b = static_cast<uint8_t>(bytes[i + 1]);
    return static_cast<uint32_t>(big_endian ? (a << 8) | b : (b << 8) | a);
  };
  constexpr uint32_t kReplacement = 0xFFFD;
  for (size_t i = 2; i + 1 < bytes.size(); i += 2) {  // after the byte-order mark
    const uint32_t u = unit(i);
    if (u >= 0xD800 && u < 0xDC00 && i + 3 < bytes.size() && unit(i + 2) >= 0xDC00 && unit(i + 2) < 0xE000) {
      append_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (unit(i + 2) - 0xDC00));
      i += 2;
    } else {
      append_utf8(out, u >= 0xD800 && u < 0xE000 ? kReplacement : u);
    }
  }
  return out;
}

}  // namespace

TextEncoding text_encoding(std::string_view head) {
  if (head.starts_with("\xFF\xFE")) return TextEncoding::kUtf16LittleEndian;
  if (head.starts_with("\xFE\xFF")) return TextEncoding::kUtf16BigEndian;
  if (head.find('\n') == std::string_view::npos && head.find('\r') != std::string_view::npos)
    return TextEncoding::kCrLines;
  return TextEncoding::kAsIs;
}

std::string as_utf8_lines(std::string_view bytes, TextEncoding encoding) {
  std::string text = encoding == TextEncoding::kCrLines ? std::string(bytes)
                                                        : utf16_to_utf8(bytes, encoding == TextEncoding::kUtf16BigEndian);
  if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
  // A CR alone ends a line; a CR before an LF stays (the parse drops it).
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')) text[i] = '\n';
  return text;
}

std::string_view encoding_note(TextEncoding encoding) {
  switch (encoding) {
    case TextEncoding::kUtf16LittleEndian: return "UTF-16 text (little-endian, with its byte-order mark): decoded to UTF-8";
    case TextEncoding::kUtf16BigEndian: return "UTF-16 text (big-endian, with its byte-order mark): decoded to UTF-8";
    case TextEncoding::kCrLines: return "lines end in CR alone (classic Mac OS): read as lines";
    case TextEncoding::kAsIs: break;
  }
  return {};
}

}  // namespace hindcast
