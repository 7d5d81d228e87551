// The skeleton of a line format: a format whose every record starts with one line that its own
// `split` reads, and whose other lines continue the record above or are skipped. Most of a host's
// logs are such formats (nginx, PHP, the databases, the kernel, the package tools); a new one is a
// struct of what is its own, and LineFormatParser<Format> is the Parser:
//
//   struct DpkgFormat {
//     static constexpr std::string_view kName = "dpkg";
//     static constexpr int kSpecificity = 25;
//     static constexpr Unmatched kUnmatched = Unmatched::kSkip;  // what a line split() refuses is
//     static constexpr const char* kUnmatchedReason = "not a dpkg log line";
//     struct Line { Stamp stamp; std::string_view action, message; };
//     static bool split(std::string_view line, Line* out, bool* invalid_time);  // a record's first line
//     static void event(const Line& l, Event& e);   // kind, severity, signature, pid (the stamp is applied)
//     static void record(const Source& s, std::string_view text, const Line& l, Record& out);  // decode
//   };
//   using DpkgLogParser = LineFormatParser<DpkgFormat>;   // and one line in parsers/registry.cpp
//
// Optional members: `static bool matches(std::string_view)` where detection accepts more lines
// than start a record (APT's history: every key line), `static bool continues(const Line&)` for
// lines split() reads that still continue the record above (PostgreSQL's DETAIL), and
// `static bool decode(const Source&, std::string_view, Record&)` instead of `record` where the
// decode reads the line its own way (PostgreSQL's jsonlog, which the parse reads without text).
// A line with the format's notation but impossible fields (split() sets *invalid_time) is skipped
// with kImpossibleTime. Formats with state across lines (syslog's rollovers, strace's calls, APT's
// terminal blocks) write their own LineParser for parse_lines(); this one has none.
#pragma once
#include <string_view>

#include "parsers/parser.h"

namespace hindcast {

// What a line that split() refuses is.
enum class Unmatched {
  kContinuation,          // the next line of the record above (stack traces, wrapped messages)
  kSkip,                  // not a record: skipped with kUnmatchedReason
  kIndentedContinuation,  // indented: the record above's; otherwise skipped (the kernel's)
};

template <class Format>
class LineFormatParser final : public Parser {
 public:
  std::string_view format() const override { return Format::kName; }
  int specificity() const override { return Format::kSpecificity; }
  bool takes_continuations() const override { return Format::kUnmatched == Unmatched::kContinuation; }

  bool matches(std::string_view line) const override {
    if constexpr (requires { Format::matches(line); }) {
      return Format::matches(line);
    } else {
      typename Format::Line l;
      bool invalid = false;
      return Format::split(line, &l, &invalid);
    }
  }

  void parse_chunk(const Source& source, size_t begin, size_t end, ParsedChunk& out) const override {
    Lines lines;
    parse_lines(source, begin, end, lines, out);
  }

  bool decode(const Source& source, std::string_view text, Record& out) const override {
    if constexpr (requires { Format::decode(source, text, out); }) {
      return Format::decode(source, text, out);
    } else {
      typename Format::Line l;
      bool invalid = false;
      if (!Format::split(text, &l, &invalid)) return false;
      Format::record(source, text, l, out);
      return true;
    }
  }

 private:
  // The LineParser parse_lines() drives (see parsers/parser.h).
  struct Lines {
    LineVerdict parse(std::string_view line, Event& e, const char** reason) {
      typename Format::Line l;
      bool invalid = false;
      if (!Format::split(line, &l, &invalid)) {
        if (invalid) {
          *reason = kImpossibleTime;
          return LineVerdict::kSkip;
        }
        return unmatched(line, reason);
      }
      if constexpr (requires { Format::continues(l); }) {
        if (Format::continues(l)) {
          *reason = Format::kUnmatchedReason;
          return LineVerdict::kContinuation;
        }
      }
      apply_stamp(l.stamp, e);
      Format::event(l, e);
      return LineVerdict::kEvent;
    }

    static LineVerdict unmatched(std::string_view line, const char** reason) {
      if constexpr (Format::kUnmatched == Unmatched::kIndentedContinuation) {
        if (line[0] == ' ' || line[0] == '\t') {
          *reason = "indented line before the first record";
          return LineVerdict::kContinuation;
        }
      }
      *reason = Format::kUnmatchedReason;
      return Format::kUnmatched == Unmatched::kContinuation ? LineVerdict::kContinuation : LineVerdict::kSkip;
    }
  };
};

}  // namespace hindcast
