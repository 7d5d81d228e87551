// JSON text helpers shared by every JSON writer (the report, timeline --format jsonl).
#pragma once
#include <string>
#include <string_view>

namespace hindcast {

// Appends `s` as a JSON string literal. Log lines are bytes, not always UTF-8: valid UTF-8 is
// kept, every other byte is written as the code point of the same value (Latin-1), so the
// output is always valid JSON and nothing is dropped.
void append_json_string(std::string& out, std::string_view s);

}  // namespace hindcast
