// The outputs a person or a pipeline reads, from the real binary: the Timesketch, ECS and CSV
// exports parsed back, the terminal summary and its colours, the progress bar, and output
// safety (escape sequences in log lines and file names, markup in log text, nothing executed).
#include <gtest/gtest.h>
#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <fstream>
#include <cctype>
#include <sstream>

#include "bench/log_generator.h"
#include "tests/support/support.h"

namespace hindcast::test {
namespace {
namespace fs = std::filesystem;

std::string sample() { return repo_dir() + "/sample_logs/seed-classic"; }

fs::path temp_dir(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("hindcast-outputs-" + name + "-" + std::to_string(getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

std::string str(simdjson::dom::element e) { return std::string(std::string_view(e.get_string().value())); }

// RFC 4180, as a CSV reader reads it: quoted fields may hold commas, quotes ("") and newlines.
std::vector<std::vector<std::string>> read_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false, was_quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += '"', ++i;
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"') {
      if (!field.empty()) throw std::runtime_error("quote inside an unquoted field at byte " + std::to_string(i));
      quoted = was_quoted = true;
    } else if (c == ',') {
      rows.back().push_back(std::move(field)), field.clear(), was_quoted = false;
    } else if (c == '\n') {
      rows.back().push_back(std::move(field)), field.clear(), was_quoted = false;
      rows.emplace_back();
    } else {
      if (was_quoted) throw std::runtime_error("text after a closing quote at byte " + std::to_string(i));
      field += c;
    }
  }
  if (quoted) throw std::runtime_error("unterminated quoted field");
  if (rows.back().empty() && field.empty()) rows.pop_back();
  return rows;
}

// YYYY-MM-DDTHH:MM:SS[.fraction]+00:00 (no std::regex: GCC 12 warns inside it under -O2).
bool iso8601_utc(const std::string& s) {
  const std::string shape = "dddd-dd-ddTdd:dd:dd";
  if (s.size() < shape.size() + 6) return false;
  for (size_t i = 0; i < shape.size(); ++i)
    if (shape[i] == 'd' ? !std::isdigit(static_cast<unsigned char>(s[i])) : s[i] != shape[i]) return false;
  size_t i = shape.size();
  if (s[i] == '.') {
    const size_t start = ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == start || i - start > 9) return false;
  }
  return s.substr(i) == "+00:00";
}

long count_events(const std::string& path) { return std::stol(run_hindcast({"timeline", path, "--format", "count"}).out); }

TEST(Exports, TimesketchLinesCarryTheImportersRequiredFields) {
  const CommandResult r = run_hindcast({"timeline", sample(), "--format", "timesketch"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = lines_of(r.out);
  EXPECT_EQ(static_cast<long>(lines.size()), count_events(sample()));
  // Timesketch's JSONL importer needs message, datetime (ISO 8601) and timestamp_desc.
  simdjson::dom::parser parser;
  bool saw_request = false, saw_syscall = false, saw_deploy = false;
  for (const std::string& line : lines) {
    simdjson::dom::element e;
    ASSERT_EQ(parser.parse(simdjson::padded_string(line)).get(e), simdjson::SUCCESS) << line;
    EXPECT_FALSE(str(e["message"]).empty()) << line;
    EXPECT_TRUE(iso8601_utc(str(e["datetime"]))) << line;
    EXPECT_FALSE(str(e["timestamp_desc"]).empty()) << line;
    EXPECT_EQ(str(e["source_file"]).rfind(sample(), 0), 0u) << line;
    EXPECT_GT(int64_t(e["source_line"]), 0) << line;
    EXPECT_GT(int64_t(e["timestamp"]), 1'600'000'000'000'000) << line;  // µs
    if (str(e["timestamp_desc"]) == "Request Received") {
      saw_request = true;
      EXPECT_GE(int64_t(e["status"]), 100) << line;
      EXPECT_FALSE(str(e["method"]).empty()) << line;
      EXPECT_FALSE(str(e["url"]).empty()) << line;
    }
    if (e["syscall"].error() == simdjson::SUCCESS) saw_syscall = true;
    if (e["program"].error() == simdjson::SUCCESS && str(e["program"]) == "deploy") {
      saw_deploy = true;
      EXPECT_EQ(str(e["host"]), "www1");
      EXPECT_EQ(int64_t(e["pid"]), 7805);
      EXPECT_EQ(str(e["datetime"]), "2023-11-03T13:00:43+00:00");
      EXPECT_EQ(int64_t(e["source_line"]), 8);
    }
  }
  EXPECT_TRUE(saw_request && saw_syscall && saw_deploy);
}

TEST(Exports, EcsUsesElasticCommonSchemaNames) {
  const CommandResult r = run_hindcast({"timeline", sample(), "--format", "ecs"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::parser parser;
  size_t requests = 0, failures = 0, processes = 0;
  for (const std::string& line : lines_of(r.out)) {
    simdjson::dom::element e;
    ASSERT_EQ(parser.parse(simdjson::padded_string(line)).get(e), simdjson::SUCCESS) << line;
    EXPECT_EQ(str(e["@timestamp"]).back(), 'Z');
    EXPECT_FALSE(str(e["message"]).empty());
    EXPECT_EQ(str(e["event"]["kind"]), "event");
    EXPECT_FALSE(str(e["event"]["original"]).empty());
    EXPECT_EQ(str(e["log"]["file"]["path"]).rfind(sample(), 0), 0u);
    EXPECT_GT(int64_t(e["hindcast"]["line"]), 0);
    if (e["event"]["category"].error() == simdjson::SUCCESS && str(e["event"]["category"].at(0)) == "web") {
      ++requests;
      EXPECT_GE(int64_t(e["http"]["response"]["status_code"]), 100);
      EXPECT_FALSE(str(e["http"]["request"]["method"]).empty());
      EXPECT_FALSE(str(e["url"]["original"]).empty());
      EXPECT_FALSE(str(e["source"]["address"]).empty());
      EXPECT_EQ(str(e["event"]["type"].at(0)), "access");
    }
    if (e["error"].error() == simdjson::SUCCESS) {
      ++failures;
      EXPECT_FALSE(str(e["error"]["code"]).empty());  // ENOENT, ...
    }
    if (e["process"].error() == simdjson::SUCCESS && e["host"].error() == simdjson::SUCCESS) {
      ++processes;
      EXPECT_FALSE(str(e["host"]["name"]).empty());
    }
  }
  EXPECT_EQ(requests, 1674u);
  EXPECT_GT(failures, 800u);
  EXPECT_GT(processes, 20u);
}

TEST(Exports, CsvHasAHeaderAndEveryRowItsColumns) {
  const CommandResult r = run_hindcast({"timeline", sample(), "--format", "csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = read_csv(r.out);
  ASSERT_FALSE(rows.empty());
  const std::vector<std::string>& header = rows.front();
  EXPECT_EQ(header.front(), "time");
  EXPECT_EQ(static_cast<long>(rows.size()) - 1, count_events(sample()));
  auto column = [&](const std::string& name) { return std::find(header.begin(), header.end(), name) - header.begin(); };
  for (const std::string name : {"source", "line", "text", "host", "program", "pid", "status", "url", "errno", "path"})
    EXPECT_LT(column(name), static_cast<long>(header.size())) << name;
  bool deploy = false;
  for (size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), header.size()) << "row " << i;
    if (rows[i][column("program")] == "deploy") {
      deploy = true;
      EXPECT_EQ(rows[i][column("line")], "8");
      EXPECT_EQ(rows[i][column("pid")], "7805");
      EXPECT_EQ(rows[i][column("host")], "www1");
    }
  }
  EXPECT_TRUE(deploy);
}

// A log line with ANSI and OSC escapes, markup and shell syntax; a file name with a newline and
// an escape; an unknown file whose name carries an escape (it is named in a warning).
fs::path hostile_logs() {
  const fs::path d = temp_dir("hostile");
  fs::copy_file(sample() + "/access.log", d / "access.log");
  fs::copy_file(sample() + "/error.log", d / "error.log");
  std::ifstream in(sample() + "/syslog");
  std::ofstream out(d / "sys\nlog\x1b[31m\x1b]0;title\x07");
  int n = 0;
  for (std::string line; std::getline(in, line);) {
    if (++n == 8)
      line.replace(line.find("release"), 7,
                   "release \x1b[2J\x1b]0;pwned\x07\x1b[31m <script>alert(1)</script> **x** | $(touch " + (d / "pwned").string() +
                       ") `touch " + (d / "pwned2").string() + "`");
    out << line << '\n';
  }
  // Times, but no format hindcast knows: a log it cannot read, named in a warning (text without
  // any time would be listed as not a log instead).
  std::ofstream(d / "notes\x1b[41m.txt") << "at 10:00:01 not a log\n";
  return d;
}

void expect_inert(const std::string& out, const std::string& what) {
  EXPECT_EQ(out.find('\x1b'), std::string::npos) << what;
  EXPECT_EQ(out.find('\x07'), std::string::npos) << what;
}

TEST(OutputSafety, EscapesInLogLinesAndFileNamesNeverReachTheOutput) {
  const fs::path d = hostile_logs();
  const std::string dir = d.string();
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"analyze", dir},
           {"analyze", dir, "--format", "json"},
           {"analyze", dir, "--format", "html"},
           {"analyze", dir, "--summary", "always", "--color", "never"},
           {"timeline", dir},
           {"timeline", dir, "--format", "csv"},
           {"timeline", dir, "--format", "jsonl"},
           {"timeline", dir, "--format", "timesketch"},
           {"timeline", dir, "--format", "ecs"},
           {"sniff", dir}}) {
    const CommandResult r = run_hindcast(args, dir);
    std::string what;
    for (const auto& a : args) what += a.substr(0, 20) + " ";
    ASSERT_EQ(r.exit_code, 0) << what << r.err;
    expect_inert(r.out, what + "(stdout)");
    expect_inert(r.err, what + "(stderr)");
    EXPECT_NE(r.err.find("notes\\x1b[41m.txt"), std::string::npos) << r.err;  // named, escape visible
  }
  // The file name's newline is shown as \n, so the text timeline keeps one event per line.
  const CommandResult text = run_hindcast({"timeline", dir}, dir);
  for (const std::string& line : lines_of(text.out)) EXPECT_TRUE(line.starts_with("2023-11-03T")) << line;
  EXPECT_NE(text.out.find("sys\\nlog\\x1b[31m\\x1b]0;title\\x07:8  "), std::string::npos);
  // The JSON keeps the exact bytes, escaped.
  EXPECT_NE(run_hindcast({"analyze", dir, "--format", "json"}).out.find("sys\\nlog\\u001b[31m\\u001b]0;title\\u0007"), std::string::npos);
  // HTML: markup from the log is text.
  const std::string html = run_hindcast({"analyze", dir, "--format", "html"}).out;
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  // Nothing in a log is executed, and nothing is written anywhere but -o.
  EXPECT_FALSE(fs::exists(d / "pwned"));
  EXPECT_FALSE(fs::exists(d / "pwned2"));
  size_t files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(d)) ++files;
  EXPECT_EQ(files, 4u);
  fs::remove_all(d);
}

// Runs `command` under a pseudo-terminal (util-linux script), so isatty(stdout) is true.
std::string run_in_terminal(const std::string& command) {
  const std::string cmd = "script -qec '" + command + "' /dev/null 2>&1";
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  pclose(p);
  return out;
}

TEST(Terminal, SummaryFirstAtATerminalWithColourUnlessNoColor) {
  const std::string bin = hindcast_binary() + " analyze " + sample() + " --progress never";
  const std::string colour = run_in_terminal(bin);
  ASSERT_NE(colour.find("Postmortem (draft): missing file on 2023-11-03"), std::string::npos) << colour.substr(0, 500);
  EXPECT_EQ(colour.find("\x1b[1m"), 0u) << "the summary comes first, in bold";
  EXPECT_NE(colour.find("root cause"), std::string::npos);
  EXPECT_LT(colour.find("root cause"), colour.find("# Postmortem"));
  const std::string plain = run_in_terminal("NO_COLOR=1 " + bin);
  EXPECT_NE(plain.find("root cause"), std::string::npos);
  EXPECT_EQ(plain.find('\x1b'), std::string::npos) << "NO_COLOR";
  EXPECT_EQ(run_in_terminal(bin + " --color never").find('\x1b'), std::string::npos);
  EXPECT_EQ(run_in_terminal("NO_COLOR=1 " + bin + " --color always").find("\x1b[1m"), 0u) << "the option wins";
  // Diagnostics on standard error follow NO_COLOR and --color too.
  const std::string warn = hindcast_binary() + " timeline /nonexistent/hindcast --format count";
  EXPECT_NE(run_in_terminal(warn).find("\x1b["), std::string::npos);
  EXPECT_EQ(run_in_terminal("NO_COLOR=1 " + warn).find('\x1b'), std::string::npos);
  EXPECT_EQ(run_in_terminal(warn + " --color never").find('\x1b'), std::string::npos);
  // With -o the report goes to the file and the terminal gets the summary and where it went.
  const fs::path d = temp_dir("summary");
  const std::string with_file = run_in_terminal(bin + " --format html -o " + (d / "r.html").string());
  EXPECT_NE(with_file.find((d / "r.html").string()), std::string::npos);
  EXPECT_EQ(with_file.find("<html"), std::string::npos);
  EXPECT_EQ(read_file((d / "r.html").string()).rfind("<!DOCTYPE html>", 0), 0u);
  fs::remove_all(d);
  // In a pipe: the report only.
  const CommandResult piped = run_hindcast({"analyze", sample()});
  EXPECT_EQ(piped.out.rfind("# Postmortem (draft)", 0), 0u);
  EXPECT_EQ(piped.out.find('\x1b'), std::string::npos);
  EXPECT_EQ(run_hindcast({"analyze", sample(), "--summary", "sometimes"}).exit_code, 1);
}

TEST(Terminal, ProgressBarForBigInputsNeverInPipes) {
  const fs::path d = temp_dir("progress");
  const std::string big = (d / "syslog").string();
  bench::generate_log(bench::LogKind::kSyslog, big, 110 << 20, 2, 11);
  const CommandResult always = run_hindcast({"timeline", big, "--format", "count", "--progress", "always"});
  ASSERT_EQ(always.exit_code, 0) << always.err;
  EXPECT_NE(always.err.find("\r\x1b[K["), std::string::npos) << always.err.substr(0, 200);
  EXPECT_NE(always.err.find(" MB "), std::string::npos);
  EXPECT_EQ(always.err.substr(always.err.size() - 4), "\r\x1b[K") << "the bar is cleared at the end";
  // auto: stderr is a pipe here, so no bar; nor with CI set, nor with --progress never.
  EXPECT_EQ(run_hindcast({"timeline", big, "--format", "count"}).err.find('\r'), std::string::npos);
  EXPECT_EQ(run_hindcast({"timeline", big, "--format", "count", "--progress", "never"}).err.find('\r'), std::string::npos);
  fs::remove_all(d);
}

// ============================================================================================
// The parsers helper's block (issue 28, item 12): ECS fields as ECS defines them.

// ECS 8.11's expected event.type values for the categories hindcast writes.
bool ecs_type_expected(std::string_view category, std::string_view type) {
  static const std::map<std::string_view, std::vector<std::string_view>> kExpected = {
      {"web", {"access", "error", "info"}},
      {"process", {"access", "change", "end", "info", "start"}},
      {"package", {"access", "change", "deletion", "info", "installation", "start"}},
      {"network", {"access", "allowed", "connection", "denied", "end", "info", "protocol", "start"}},
      {"file", {"access", "change", "creation", "deletion", "info"}},
      {"api", {"access", "admin", "allowed", "change", "creation", "deletion", "denied", "end", "info", "start", "user"}}};
  const auto it = kExpected.find(category);
  return it != kExpected.end() && std::find(it->second.begin(), it->second.end(), type) != it->second.end();
}

// Issue 28, item 12: log.level carried journald's priority numbers, destination.address held
// "ip:port", accept()'s peer was a destination, event.type came without event.category, and
// error.message was strace's raw result ("-1 ECONNREFUSED (Connection refused)").
TEST(Exports, EcsFieldsAreWhatEcsDefines) {
  const fs::path d = temp_dir("ecs-fields");
  std::ofstream(d / "system.journal.json")
      << R"({"__REALTIME_TIMESTAMP":"1699016443000000","PRIORITY":"3","MESSAGE":"I/O error on sda","_HOSTNAME":"www1","SYSLOG_IDENTIFIER":"kernel","__CURSOR":"s=1"})" "\n"
      << R"({"__REALTIME_TIMESTAMP":"1699016444000000","PRIORITY":"6","MESSAGE":"started","_HOSTNAME":"www1","SYSLOG_IDENTIFIER":"systemd","__CURSOR":"s=2"})" "\n";
  std::ofstream(d / "trace.strace")
      << "13:00:45.000001 connect(3, {sa_family=AF_INET, sin_port=htons(11211), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = -1 ECONNREFUSED (Connection refused)\n"
      << "13:00:45.000002 connect(4, {sa_family=AF_INET6, sin6_port=htons(5432), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}, 28) = -1 ECONNREFUSED (Connection refused)\n"
      << "13:00:45.000003 accept4(5, {sa_family=AF_INET, sin_port=htons(51234), sin_addr=inet_addr(\"10.0.0.9\")}, [128 => 16], SOCK_CLOEXEC) = 6\n"
      << "13:00:45.000004 openat(AT_FDCWD, \"/etc/app.conf\", O_RDONLY) = -1 ENOENT (No such file or directory)\n"
      << "13:00:45.000005 unlink(\"/tmp/app.lock\") = 0\n"
      << "13:00:45.000006 getpid() = 1234\n";
  const CommandResult r = run_hindcast({"timeline", d.string(), "--format", "ecs", "--date", "2023-11-03"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::parser parser;
  std::map<std::string, std::string> seen;  // what each case gave, by its message
  size_t typed = 0;
  for (const std::string& line : lines_of(r.out)) {
    simdjson::dom::element e;
    ASSERT_EQ(parser.parse(simdjson::padded_string(line)).get(e), simdjson::SUCCESS) << line;
    if (e["event"]["type"].error() == simdjson::SUCCESS) {
      ++typed;
      ASSERT_EQ(e["event"]["category"].error(), simdjson::SUCCESS) << "a type without its category: " << line;
      EXPECT_TRUE(ecs_type_expected(str(e["event"]["category"].at(0)), str(e["event"]["type"].at(0)))) << line;
    }
    const std::string msg = str(e["message"]);
    if (msg == "I/O error on sda") {
      EXPECT_EQ(str(e["log"]["level"]), "err") << line;
      EXPECT_EQ(int64_t(e["log"]["syslog"]["severity"]["code"]), 3) << line;
      seen["priority"] = line;
    } else if (msg == "started") {
      EXPECT_EQ(str(e["log"]["level"]), "info") << line;
      EXPECT_EQ(int64_t(e["log"]["syslog"]["severity"]["code"]), 6) << line;
    } else if (msg.starts_with("connect(3")) {
      EXPECT_EQ(str(e["destination"]["address"]), "127.0.0.1") << line;
      EXPECT_EQ(int64_t(e["destination"]["port"]), 11211) << line;
      EXPECT_EQ(str(e["error"]["code"]), "ECONNREFUSED") << line;
      EXPECT_EQ(str(e["error"]["message"]), "Connection refused") << line;
      EXPECT_EQ(str(e["event"]["category"].at(0)), "network") << line;
      seen["connect"] = line;
    } else if (msg.starts_with("connect(4")) {
      EXPECT_EQ(str(e["destination"]["address"]), "::1") << line;
      EXPECT_EQ(int64_t(e["destination"]["port"]), 5432) << line;
    } else if (msg.starts_with("accept4")) {
      EXPECT_EQ(str(e["source"]["address"]), "10.0.0.9") << line;
      EXPECT_EQ(int64_t(e["source"]["port"]), 51234) << line;
      EXPECT_NE(e["destination"].error(), simdjson::SUCCESS) << "the peer of accept() is the source: " << line;
      seen["accept"] = line;
    } else if (msg.starts_with("openat")) {
      EXPECT_EQ(str(e["error"]["message"]), "No such file or directory") << line;
      EXPECT_EQ(str(e["event"]["category"].at(0)), "file") << line;
      EXPECT_EQ(str(e["file"]["path"]), "/etc/app.conf") << line;
    } else if (msg.starts_with("unlink")) {
      EXPECT_EQ(str(e["event"]["type"].at(0)), "deletion") << line;
    } else if (msg.starts_with("getpid")) {
      EXPECT_EQ(str(e["event"]["category"].at(0)), "api") << line;
    }
  }
  EXPECT_EQ(seen.size(), 3u);
  EXPECT_EQ(typed, 6u) << r.out;  // every system call; the journal's messages have no category
  // The seed case's every event: a type always with its category, one ECS expects.
  const CommandResult seed = run_hindcast({"timeline", sample(), "--format", "ecs"});
  for (const std::string& line : lines_of(seed.out)) {
    simdjson::dom::element e;
    ASSERT_EQ(parser.parse(simdjson::padded_string(line)).get(e), simdjson::SUCCESS) << line;
    if (e["event"]["type"].error() != simdjson::SUCCESS) continue;
    ASSERT_EQ(e["event"]["category"].error(), simdjson::SUCCESS) << line;
    ASSERT_TRUE(ecs_type_expected(str(e["event"]["category"].at(0)), str(e["event"]["type"].at(0)))) << line;
    if (e["destination"]["port"].error() == simdjson::SUCCESS) {  // the port apart, not in the address
      const std::string address = str(e["destination"]["address"]);
      ASSERT_FALSE(address.starts_with('[')) << line;
      ASSERT_FALSE(address.ends_with(":" + std::to_string(int64_t(e["destination"]["port"])))) << line;
    }
  }
  fs::remove_all(d);
}

}  // namespace
}  // namespace hindcast::test
