// Helpers for the tests: where the shared incidents and corpus are, running the real binary,
// reading a case's truth.env (only tests may read it), parsing the JSON report.
#pragma once
#include <map>
#include <string>
#include <vector>

namespace hindcast::test {

// ../shared next to the repository (or $HINDCAST_SHARED). Tests that need it fail when it is
// missing: CI always has it, and a silent skip would hide a broken check.
std::string shared_dir();
std::string repo_dir();
std::string hindcast_binary();

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
// Runs build/hindcast with the arguments (shell-quoted here), capturing stdout and stderr.
// `cwd`, when given, is the directory the command runs in; `time_limit_s`, when given, kills a
// run that takes longer (a hang fails its test instead of the suite), and exit_code is then -1.
CommandResult run_hindcast(const std::vector<std::string>& args, const std::string& cwd = "", int time_limit_s = 0);
// Replaces what changes between versions (the generator string) with a placeholder.
std::string normalize_report(std::string text);

std::map<std::string, std::string> read_truth(const std::string& case_dir);
// RFC 3339 -> ns since epoch (accepts up to 9 fractional digits). Throws on bad input.
int64_t parse_time_ns(const std::string& text);
std::string read_file(const std::string& path);

}  // namespace hindcast::test
