// Parses text through a parser exactly as the engine does (the real driver), for unit tests.
#pragma once
#include <cstring>
#include <string>
#include <typeinfo>

#include "engine/core/source.h"
#include "parsers/parser.h"
#include "parsers/registry.h"

namespace hindcast::test {

// Format detection of text as the engine hands it over: copied into a source's padded buffer.
inline SniffResult sniff_text(const std::string& text, const std::vector<const Parser*>& parsers = all_parsers()) {
  const SourceText padded = SourceText::copy_of(text);
  return sniff_format(padded.view(), parsers);
}

inline Source parse_text(const Parser& parser, const std::string& text, uint32_t strace_pid = 0) {
  Source s;
  s.text = SourceText::copy_of(text);
  s.format = std::string(parser.format());
  // The source keeps its parser for decoding later: a built-in parser passed as a temporary
  // (parse_text(SyslogRfc3164Parser{}, ...)) is replaced by the registry's instance, which
  // outlives the source (ASan: stack-use-after-scope otherwise).
  const Parser* registered = parser_for_format(parser.format());
  s.parser = registered && typeid(*registered) == typeid(parser) ? registered : &parser;
  s.strace_pid = strace_pid;
  parser.parse(s);
  return s;
}

}  // namespace hindcast::test
