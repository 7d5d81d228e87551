// Parses text through a parser exactly as the engine does (the real driver), for unit tests.
#pragma once
#include <cstring>
#include <string>
#include <typeinfo>

#include "engine/core/source.h"
#include "parsers/parser.h"
#include "parsers/registry.h"

namespace hindcast::test {

inline Source parse_text(const Parser& parser, const std::string& text, uint32_t strace_pid = 0) {
  Source s;
  s.text = SourceText::copy_of(text);
  s.format = std::string(parser.format());
  // The source outlives a temporary parser (parse_text(SyslogRfc3164Parser{}, ...)) and is decoded
  // later (the resolver reads hosts): keep the registry's instance of the same parser type.
  const Parser* registered = parser_for_format(parser.format());
  s.parser = registered && typeid(*registered) == typeid(parser) ? registered : &parser;
  s.strace_pid = strace_pid;
  parser.parse(s);
  return s;
}

}  // namespace hindcast::test
