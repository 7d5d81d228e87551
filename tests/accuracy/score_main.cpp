// hindcast-score: scores `hindcast analyze --format json` reports against truth.env (score.h).
//
//   hindcast-score score REPORT.json TRUTH.env [--case NAME] [--logs DIR] [--json FILE]
//       one TSV line per criterion on stdout: case kind criterion result expected got note;
//       --logs: the case's logs, for the window of cases whose truth has no incident_start_utc;
//       --json: append the case's summary (one JSON object per line) to FILE.
//       Exit 0 when every applicable criterion passed, 1 when one failed.
//   hindcast-score table SCORES.tsv...
//       the table per root-cause kind and in total, quiet days, and per criterion.
//   hindcast-score check SCORES.tsv EXPECTED.tsv [--case NAME]
//       fails (exit 1) on a failure not listed in EXPECTED.tsv and on a listed one that passed.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/accuracy/score.h"

using namespace hindcast::accuracy;

namespace {

int usage() {
  std::cerr << "usage: hindcast-score score REPORT.json TRUTH.env [--case NAME] [--logs DIR] [--json FILE]\n"
               "       hindcast-score table SCORES.tsv...\n"
               "       hindcast-score check SCORES.tsv EXPECTED.tsv [--case NAME]\n";
  return 2;
}

bool slurp(const std::string& path, std::string* out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  std::stringstream ss;
  ss << f.rdbuf();
  *out = ss.str();
  return true;
}

// Splits argv into positional arguments and --key value options.
struct Args {
  std::vector<std::string> positional;
  std::string case_name, logs, json;
  bool ok = true;
};
Args parse_args(int argc, char** argv, int from) {
  Args a;
  for (int i = from; i < argc; ++i) {
    const std::string s = argv[i];
    auto value = [&](std::string* into) {
      if (i + 1 >= argc) a.ok = false;
      else *into = argv[++i];
    };
    if (s == "--case") value(&a.case_name);
    else if (s == "--logs") value(&a.logs);
    else if (s == "--json") value(&a.json);
    else if (s.rfind("--", 0) == 0) a.ok = false;
    else a.positional.push_back(s);
  }
  return a;
}

int score_command(const Args& a) {
  if (a.positional.size() != 2) return usage();
  std::string report, truth_text;
  slurp(a.positional[0], &report);  // a missing report scores as unreadable: every criterion fails
  if (!slurp(a.positional[1], &truth_text)) {
    std::cerr << "hindcast-score: cannot read " << a.positional[1] << "\n";
    return 2;
  }
  Truth truth = parse_truth(truth_text);
  if (!a.logs.empty()) truth.failing_window = failing_window_from_access_logs(a.logs, truth.get("expected_status"));
  const std::string name = a.case_name.empty() ? truth.get("scenario") : a.case_name;
  const CaseScore s = score_report(report, truth);
  for (const auto& c : s.criteria) std::cout << tsv_line(name, s, c) << '\n';
  if (!a.json.empty()) {
    std::ofstream out(a.json, std::ios::app);
    out << summary_json(name, s) << '\n';
  }
  return s.passed() == s.applicable() ? 0 : 1;
}

int table_command(const Args& a) {
  if (a.positional.empty()) return usage();
  std::vector<ScoreLine> lines;
  for (const auto& p : a.positional) {
    std::string text;
    if (!slurp(p, &text)) {
      std::cerr << "hindcast-score: cannot read " << p << "\n";
      return 2;
    }
    auto more = parse_score_lines(text);
    lines.insert(lines.end(), more.begin(), more.end());
  }
  std::cout << accuracy_table(lines);
  return 0;
}

int check_command(const Args& a) {
  if (a.positional.size() != 2) return usage();
  std::string scores, expected;
  if (!slurp(a.positional[0], &scores) || !slurp(a.positional[1], &expected)) {
    std::cerr << "hindcast-score: cannot read " << a.positional[0] << " or " << a.positional[1] << "\n";
    return 2;
  }
  const CheckOutcome o = check_expected(parse_score_lines(scores), parse_expected_failures(expected), a.case_name);
  for (const auto& e : o.expected) std::cout << e << '\n';
  for (const auto& p : o.problems) std::cout << p << '\n';
  return o.ok() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  const std::string command = argv[1];
  const Args a = parse_args(argc, argv, 2);
  if (!a.ok) return usage();
  if (command == "score") return score_command(a);
  if (command == "table") return table_command(a);
  if (command == "check") return check_command(a);
  return usage();
}
