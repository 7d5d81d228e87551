// Text that must be rewritten before it reads as lines: UTF-16 (told by its byte-order mark),
// which is decoded to UTF-8, and lines that end in CR alone (classic Mac OS), whose CRs become
// LFs. Such files are rare and are read into memory; everything else is read as it lies.
//
//   const TextEncoding e = text_encoding(first_bytes);   // kAsIs for nearly every log
//   if (e != TextEncoding::kAsIs) text = as_utf8_lines(whole_file, e);  // and say encoding_note(e)
#pragma once
#include <string>
#include <string_view>

namespace hindcast {

enum class TextEncoding { kAsIs, kUtf16LittleEndian, kUtf16BigEndian, kCrLines };

// From the file's first bytes (a few KiB).
TextEncoding text_encoding(std::string_view head);
// The whole file's bytes rewritten: UTF-8 without a byte-order mark, lines ending in LF. An
// unpaired UTF-16 surrogate becomes U+FFFD.
std::string as_utf8_lines(std::string_view bytes, TextEncoding encoding);
// What was done, for the source's warning ("UTF-16 text (little-endian): decoded to UTF-8").
std::string_view encoding_note(TextEncoding encoding);

}  // namespace hindcast
