// Text from logs (and file names) made safe for each output. A log line is data: it must not
// move a terminal's cursor, set its title (OSC), reverse text direction (bidi overrides), break
// a Markdown draft's structure or inject markup into the HTML report.
//
//   printable("a\x1b[2Jb\n")   == "a\\x1b[2Jb\\n"       terminal, CSV, text timelines
//   markdown_text("*a* <b>|")  == "\\*a\\* \\<b\\>\\|"   Markdown outside code
//   markdown_code("a`b")       == "`` a`b ``"           Markdown inline code
//   html_text("<a href=x>")    == "&lt;a href=x&gt;"     HTML text and attribute values
//
// Escaped as visible `\xNN` (or `\n`, `\r`, `\u202e`): every C0 control except tab, DEL, the C1
// controls (U+0080..U+009F, and raw bytes 0x80..0x9F of text that is not UTF-8), the Unicode bidi
// controls, and bytes that are not valid UTF-8. Printable text, including valid UTF-8, is kept.
#pragma once
#include <string>
#include <string_view>

namespace hindcast {

std::string printable(std::string_view s);
void append_printable(std::string& out, std::string_view s);
// Whether `s` needs no escaping at all (the common case: a fast check before copying).
bool is_printable(std::string_view s);

std::string markdown_text(std::string_view s);
std::string markdown_code(std::string_view s);
// A table cell: markdown_text with '|' escaped (also inside code spans, where GFM splits cells).
std::string markdown_cell(std::string_view s);
std::string html_text(std::string_view s);

// Length of the valid UTF-8 sequence at s[i] (2..4), or 0 when s[i] does not start one.
size_t utf8_sequence_length(std::string_view s, size_t i);

}  // namespace hindcast
