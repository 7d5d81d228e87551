#include "tests/support/clickhouse_server.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <random>
#include <stdexcept>

#include "tests/support/support.h"

namespace hindcast::test {
namespace {

std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) throw std::runtime_error("cannot run " + cmd);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  if (pclose(p) != 0) throw std::runtime_error(cmd + " failed: " + out);
  return out;
}

std::string script() { return repo_dir() + "/tests/clickhouse/server.sh"; }

}  // namespace

ClickHouseServer::ClickHouseServer(const std::string& role, const std::vector<int>& shard_tcp_ports) {
  std::random_device rd;
  name_ = "hindcast-test-" + std::to_string(getpid()) + "-" + role + "-" + std::to_string(rd() % 1000000);
  dir_ = (std::filesystem::temp_directory_path() / name_).string();
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
  std::string cmd = "'" + script() + "' start '" + dir_ + "' '" + name_ + "'";
  for (int p : shard_tcp_ports) cmd += " " + std::to_string(p);
  const std::string ports = run(cmd + " 2>&1");
  if (std::sscanf(ports.c_str(), "%d %d", &http_port_, &tcp_port_) != 2)
    throw std::runtime_error("server.sh start printed no ports: " + ports);
  running_ = true;
}

ClickHouseServer::~ClickHouseServer() {
  try {
    stop();
  } catch (...) {
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void ClickHouseServer::stop() {
  if (!running_) return;
  running_ = false;
  run("'" + script() + "' stop '" + dir_ + "' 2>&1");
}

std::string ClickHouseServer::query(const std::string& sql) {
  auto ch = store::ClickHouseHttp::open(url(), {.attempts = 1});
  if (!ch) throw std::runtime_error(ch.error().message);
  auto answer = ch->query(sql);
  if (!answer) throw std::runtime_error(sql + ": " + answer.error().message);
  if (ch->server_display_name() != name_)
    throw std::runtime_error("the answer came from " + ch->server_display_name() + ", not " + name_);
  return *answer;
}

}  // namespace hindcast::test
