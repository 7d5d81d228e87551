// Files that sit among logs but are not logs: empty files, binary records (wtmp, btmp, lastlog,
// faillog), and text without a single time of day (a README, fontconfig's cache report, APT's
// EIPP dumps). They are listed once (`hindcast sniff`), not warned about one by one, and never
// parsed. A text file that has times but no parser recognises stays "unknown format": that is a
// log hindcast cannot read, and it is reported.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace hindcast {

// From the file's size and its first bytes (up to 4 KiB, before any mapping: a sparse lastlog
// can claim terabytes). Empty when the file may be a log.
std::string not_a_log_by_bytes(std::string_view head, uint64_t size);
// For text that no parser recognised: why it is not a log (empty, no time of day in its first
// 64 lines), or empty when it looks like a log in an unknown format.
std::string not_a_log_by_text(std::string_view text);

// hindcast's own outputs, recognised by what they start with (the report's schema and generator,
// the draft's byline, the exports' headers and fields): written into an input directory, they
// were read back by the next run as logs (events x4, failed checks x3). The reason starts with
// kOwnOutput ("hindcast's own output (the JSON report)"); empty for anything else.
inline constexpr std::string_view kOwnOutput = "hindcast's own output";
std::string hindcast_output_by_text(std::string_view text);

}  // namespace hindcast
