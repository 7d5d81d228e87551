// Parses text through a parser exactly as the engine does (the real driver), for unit tests.
#pragma once
#include <cstring>
#include <string>

#include "engine/core/source.h"
#include "parsers/parser.h"

namespace hindcast::test {

inline Source parse_text(const Parser& parser, const std::string& text, uint32_t strace_pid = 0) {
  Source s;
  s.text = SourceText::copy_of(text);
  s.format = std::string(parser.format());
  s.parser = &parser;
  s.strace_pid = strace_pid;
  parser.parse(s);
  return s;
}

}  // namespace hindcast::test
