#include "engine/report/json_text.h"

#include "engine/report/safe_text.h"

namespace hindcast {

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7F) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else if (const size_t n = utf8_sequence_length(s, i)) {
      // C1 controls and bidi overrides stay in the value but as \u escapes, so a consumer that
      // prints the raw JSON to a terminal is not steered by them.
      const std::string_view seq = s.substr(i, n);
      if (is_printable(seq)) {
        out.append(seq);
      } else {
        const std::string esc = printable(seq);  // "\\uXXXX"
        out += "\\u";
        out.append(esc.substr(2));
      }
      i += n - 1;
    } else if (c < 0xA0) {
      // Latin-1 fallback for a C1 byte: U+0080..U+009F, escaped.
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      // Latin-1 fallback: U+00A0..U+00FF as two UTF-8 bytes.
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  out += '"';
}

}  // namespace hindcast
