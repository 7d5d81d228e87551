// Every parser hindcast knows, and content-based format detection ("sniffing").
//
// Detection never looks at file names: each parser scores the first lines of the text (the
// fraction it recognises); the best score wins, ties go to the more specific format, and a text
// that no parser recognises well enough is "unknown" (listed, not an error). So is a text where
// the runner-up claims nearly as many lines the winner does not (the runner-up margin): "not
// recognised, N lines" is better than a confident wrong parse.
#pragma once
#include <string_view>
#include <vector>

#include "parsers/parser.h"

namespace hindcast {

struct SniffResult {
  const Parser* parser = nullptr;  // nullptr: unknown format
  double score = 0;
  const Parser* runner_up = nullptr;
  double runner_up_score = 0;
  int lines_considered = 0;
};

const std::vector<const Parser*>& all_parsers();
const Parser* parser_for_format(std::string_view format);
// The parser that recognises one line on its own, such as a line a traced program wrote that strace
// saw (an nginx or PHP-FPM error line, an access-log line, a syslog message sent to /dev/log):
// the most specific of those whose matches() accepts it, the earlier on a tie; never `except`;
// null for none. `line` must be followed by SourceText::kPadding readable bytes.
const Parser* parser_for_line(std::string_view line, const Parser* except = nullptr);
// Sniffs with the given parsers (default: all_parsers()). `text` is a source's text: like every
// text a parser reads, SourceText::kPadding readable bytes must follow it (a JSON line is handed
// to simdjson with that padding).
SniffResult sniff_format(std::string_view text, const std::vector<const Parser*>& parsers = all_parsers());

}  // namespace hindcast
