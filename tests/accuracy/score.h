// Scoring one `hindcast analyze --format json` report against the truth.env its case was
// recorded with: the measuring half of the accuracy benchmark (docs/accuracy.md says what each
// criterion checks and why its tolerance is what it is).
//
//   Truth truth = read_truth_file("case/truth.env");
//   truth.failing_window = failing_window_from_access_logs("case/", truth.expected_status);  // optional
//   CaseScore s = score_report(report_json_text, truth);
//   for (const Criterion& c : s.criteria) std::cout << tsv_line("case", s, c) << '\n';
//
// The scorer reads the report with simdjson and times with its own RFC 3339 reader: it is an
// independent reading of the contract (../shared/report-schema.md), not the engine's code.
// Everything here is a value type; no global state.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hindcast::accuracy {

constexpr int64_t kSecond = 1'000'000'000;

// RFC 3339 (`2023-11-03T13:00:43Z`, `…43.260863183Z`, `…43+09:00`) → ns since the epoch.
std::optional<int64_t> parse_rfc3339_ns(std::string_view text);
// An access-log stamp `03/Nov/2023:09:00:45 -0400` → ns since the epoch.
std::optional<int64_t> parse_access_stamp_ns(std::string_view text);

// truth.env: KEY=VALUE lines. `get` gives "" for an absent key and for an empty value alike:
// ../shared/incidents/README.md says a key that does not apply has an empty value.
struct Truth {
  std::map<std::string, std::string> keys;
  // First and last request answered with expected_status, read from the case's access logs by
  // the caller (first recorded cases, whose truth.env has no incident_start_utc/_end_utc).
  std::optional<std::pair<int64_t, int64_t>> failing_window;

  std::string get(const std::string& key) const;
  bool has(const std::string& key) const { return !get(key).empty(); }
};
Truth parse_truth(std::string_view text);
Truth read_truth_file(const std::string& path);

// Scans every file named access.log* (plain text) under `dir` for lines whose status is
// `status`; nullopt when there is none or status is empty.
std::optional<std::pair<int64_t, int64_t>> failing_window_from_access_logs(const std::string& dir,
                                                                           const std::string& status);

// The root-cause kind the truth names (root_cause_kind), or for the first recorded cases, which
// predate that key, the one their errno / root_cause_file imply; "" for a day without incident.
std::string truth_kind(const Truth& truth);

enum class Result { pass, fail, not_applicable };
std::string_view result_name(Result r);  // "pass", "fail", "n/a"

struct Criterion {
  std::string name;      // incident, window, kind, object, errno, file_line, trigger, resolution, resolution_kind
  Result result = Result::not_applicable;
  std::string expected;  // from the truth, in words or values
  std::string got;       // from the report
  std::string note;      // why it failed, the offset measured, the tolerance used
};

struct CaseScore {
  std::string kind;   // truth_kind(), or "quiet"
  bool quiet = false;
  std::vector<Criterion> criteria;  // always the same names in the same order
  int passed() const;
  int applicable() const;
};

// The window tolerance for an incident of this true length: max(5 s, 10 % of it).
int64_t window_tolerance_ns(int64_t true_duration_ns);
constexpr int64_t kTriggerToleranceNs = 1 * kSecond;
constexpr int64_t kResolutionActionToleranceNs = 2 * kSecond;

// Scores one report (its JSON text; an unreadable or empty report fails every applicable criterion).
CaseScore score_report(std::string_view report_json, const Truth& truth);

// case, kind, criterion, result, expected, got, note (tabs and newlines in values become spaces).
std::string tsv_line(const std::string& case_name, const CaseScore& score, const Criterion& c);
std::string summary_json(const std::string& case_name, const CaseScore& score);

// One scored line read back from a TSV.
struct ScoreLine {
  std::string case_name, kind, criterion, result, expected, got, note;
};
std::vector<ScoreLine> parse_score_lines(std::string_view tsv);

// The table per root-cause kind and in total, plus the quiet days and a row per criterion.
std::string accuracy_table(const std::vector<ScoreLine>& lines);

// lab/expected-failures.tsv: case, criterion, reason.
struct ExpectedFailure {
  std::string case_name, criterion, reason;
};
std::vector<ExpectedFailure> parse_expected_failures(std::string_view tsv);

// Compares scored lines with the expected failures. A failing criterion not listed, a listed one
// that passes ("unexpectedly passed, remove it from expected-failures.tsv") or is n/a, and a listed
// case that was not scored are problems. With `only_case`, entries of other cases are ignored.
struct CheckOutcome {
  std::vector<std::string> problems;
  std::vector<std::string> expected;  // expected failures seen, with their reasons
  bool ok() const { return problems.empty(); }
};
CheckOutcome check_expected(const std::vector<ScoreLine>& lines, const std::vector<ExpectedFailure>& expected,
                            const std::string& only_case = "");

}  // namespace hindcast::accuracy
