#include "parsers/registry.h"

#include <algorithm>

#include "engine/core/scan.h"
#include "parsers/apache_access.h"
#include "parsers/apache_error.h"
#include "parsers/apt_logs.h"
#include "parsers/cri.h"
#include "parsers/database_logs.h"
#include "parsers/dpkg.h"
#include "parsers/json_lines.h"
#include "parsers/kernel_log.h"
#include "parsers/nginx_error.h"
#include "parsers/php_logs.h"
#include "parsers/strace.h"
#include "parsers/syslog_rfc3164.h"
#include "parsers/syslog_rfc5424.h"

namespace hindcast {

const std::vector<const Parser*>& all_parsers() {
  static const ApacheAccessParser access;
  static const ApacheErrorParser error;
  static const SyslogRfc3164Parser syslog;
  static const SyslogRfc5424Parser syslog5424;
  static const StraceParser strace;
  static const JournaldJsonParser journald;
  static const JsonLinesParser json_lines;
  static const DpkgLogParser dpkg;
  static const CriContainerLogParser cri;
  // What a Debian host leaves in /var/log besides syslog (docs/formats.md).
  static const AptHistoryParser apt_history;
  static const AptTermParser apt_term;
  static const AlternativesLogParser alternatives;
  static const PythonLoggingParser python_logging;
  static const DmesgParser dmesg;
  static const NginxErrorParser nginx_error;
  static const PhpFpmLogParser php_fpm;
  static const PhpErrorLogParser php_error;
  static const MysqlErrorLogParser mysql_error;
  static const PostgresLogParser postgresql;
  static const PostgresCsvLogParser postgresql_csv;
  static const PostgresJsonLogParser postgresql_json;
  static const std::vector<const Parser*> parsers{&access, &error, &syslog, &syslog5424, &strace,
                                                  &journald, &json_lines, &dpkg, &apt_history, &apt_term,
                                                  &alternatives, &python_logging, &dmesg, &nginx_error, &php_fpm,
                                                  &php_error, &mysql_error, &postgresql, &postgresql_csv,
                                                  &postgresql_json, &cri};
  return parsers;
}

const Parser* parser_for_format(std::string_view format) {
  for (const Parser* p : all_parsers())
    if (p->format() == format) return p;
  return nullptr;
}

const Parser* parser_for_line(std::string_view line, const Parser* except) {
  const Parser* best = nullptr;
  for (const Parser* p : all_parsers())
    if (p != except && (!best || p->specificity() > best->specificity()) && p->matches(line)) best = p;
  return best;
}

namespace {

// strace -r's seconds since the previous call, right-aligned: "     0.000123 brk(NULL) = ...".
bool starts_with_aligned_seconds(std::string_view line) {
  const size_t digits = line.find_first_not_of(' ');
  if (digits == std::string_view::npos || !scan::is_digit(line[digits])) return false;
  const size_t dot = line.find_first_not_of("0123456789", digits);
  return dot != std::string_view::npos && line[dot] == '.' && dot + 1 < line.size() && scan::is_digit(line[dot + 1]);
}

// A line detection looks at, without the NULs before it (the parse skips them too); false for
// blank and indented lines: indented lines continue a record in every format, and say nothing
// about which. A right-aligned number of seconds (strace -r) is the start of a record.
bool sniffed_line(std::string_view& line) {
  if (!line.empty() && line[0] == '\0') line.remove_prefix(std::min(line.find_first_not_of('\0'), line.size()));
  return !line.empty() && ((line[0] != ' ' && line[0] != '\t') || starts_with_aligned_seconds(line));
}

}  // namespace

SniffResult sniff_format(std::string_view text, const std::vector<const Parser*>& parsers) {
  constexpr int kMaxLines = 64;
  constexpr size_t kMaxBytes = 256 * 1024;
  constexpr double kMinScore = 0.3;
  constexpr double kMinMargin = 0.2;
  // Per parser: the lines it recognises, and the lines held against it. A line it does not
  // recognise is held against it, unless the format takes continuation lines, one of its records
  // came before, and no other format recognises the line either: then it is the next line of
  // that record (a stack trace after an error), and a file whose first lines are a format's
  // records is that format however long its records are.
  std::vector<int> hits(parsers.size(), 0), misses(parsers.size(), 0);
  std::vector<char> matched(parsers.size()), seen_record(parsers.size(), 0);
  int considered = 0;
  const std::string_view head = text.substr(0, kMaxBytes);
  for_each_line(head, [&](uint32_t, size_t, std::string_view line) {
    if (considered >= kMaxLines || !sniffed_line(line)) return;
    ++considered;
    bool any = false;
    for (size_t i = 0; i < parsers.size(); ++i) any |= (matched[i] = parsers[i]->matches(line)) != 0;
    for (size_t i = 0; i < parsers.size(); ++i) {
      if (matched[i]) {
        ++hits[i];
        seen_record[i] = 1;
      } else if (!(parsers[i]->takes_continuations() && seen_record[i] && !any)) {
        ++misses[i];
      }
    }
  });
  SniffResult r;
  r.lines_considered = considered;
  if (considered == 0) return r;
  const Parser* best = nullptr;
  double best_score = 0;
  for (size_t i = 0; i < parsers.size(); ++i) {
    const Parser* p = parsers[i];
    const double score = hits[i] ? static_cast<double>(hits[i]) / (hits[i] + misses[i]) : 0.0;
    const bool better = score > best_score || (score == best_score && best && score > 0 &&
                                               p->specificity() > best->specificity());
    if (better) {
      if (best) {
        r.runner_up = best;
        r.runner_up_score = best_score;
      }
      best = p;
      best_score = score;
    } else if (score > r.runner_up_score || (!r.runner_up && score > 0)) {
      r.runner_up = p;
      r.runner_up_score = score;
    }
  }
  r.score = best_score;
  // The runner-up margin: lines the runner-up claims and the winner does not make the
  // detection ambiguous (a generic format claiming the same lines as a specific one does not).
  // Within kMinMargin of the winner, the file is "not recognised" rather than parsed wrongly.
  double contested = 0;
  if (best && r.runner_up && r.runner_up_score > 0) {
    int only_runner_up = 0, seen = 0;
    for_each_line(head, [&](uint32_t, size_t, std::string_view line) {
      if (seen >= kMaxLines || !sniffed_line(line)) return;
      ++seen;
      if (r.runner_up->matches(line) && !best->matches(line)) ++only_runner_up;
    });
    contested = static_cast<double>(only_runner_up) / considered;
  }
  if (best_score >= kMinScore && best_score - contested >= kMinMargin) {
    r.parser = best;
  } else {
    r.runner_up = best;
    r.runner_up_score = best_score;
  }
  return r;
}

}  // namespace hindcast
