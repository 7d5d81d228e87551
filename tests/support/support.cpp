#include "tests/support/support.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "engine/core/time.h"

namespace hindcast::test {

std::string repo_dir() { return HINDCAST_SOURCE_DIR; }

std::string shared_dir() {
  if (const char* env = std::getenv("HINDCAST_SHARED")) return env;
  return std::filesystem::weakly_canonical(std::filesystem::path(HINDCAST_SOURCE_DIR) / ".." / "shared").string();
}

std::string hindcast_binary() { return HINDCAST_BINARY; }

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

namespace {
std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}
}  // namespace

CommandResult run_hindcast(const std::vector<std::string>& args, const std::string& cwd, int time_limit_s) {
  char err_path[] = "/tmp/hindcast-test-stderr-XXXXXX";
  const int fd = mkstemp(err_path);
  if (fd >= 0) close(fd);
  std::string cmd = cwd.empty() ? "" : "cd " + quote(cwd) + " && ";
  if (time_limit_s > 0) cmd += "timeout -k 5 " + std::to_string(time_limit_s) + " ";
  cmd += quote(hindcast_binary());
  for (const auto& a : args) cmd += " " + quote(a);
  cmd += " 2>";
  cmd += quote(err_path);
  CommandResult r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = pclose(p);
  const bool timed_out = time_limit_s > 0 && WIFEXITED(status) && WEXITSTATUS(status) >= 124;
  r.exit_code = WIFEXITED(status) && !timed_out ? WEXITSTATUS(status) : -1;
  r.err = read_file(err_path);
  std::remove(err_path);
  return r;
}

std::map<std::string, std::string> read_truth(const std::string& case_dir) {
  std::map<std::string, std::string> m;
  std::ifstream f(case_dir + "/truth.env");
  if (!f) throw std::runtime_error("no truth.env in " + case_dir);
  std::string line;
  while (std::getline(f, line)) {
    const size_t eq = line.find('=');
    if (eq != std::string::npos) m[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return m;
}

int64_t parse_time_ns(const std::string& text) {
  Instant t;
  if (!parse_rfc3339(text, &t)) throw std::runtime_error("not an RFC 3339 time: " + text);
  return t.ns;
}

}  // namespace hindcast::test

namespace hindcast::test {
std::string normalize_report(std::string text) {
  const std::string from = std::string("hindcast ") + HINDCAST_VERSION;
  for (size_t p = text.find(from); p != std::string::npos; p = text.find(from, p)) {
    text.replace(p, from.size(), "hindcast <version>");
  }
  return text;
}
}  // namespace hindcast::test
