// A ClickHouse server of a test's own (tests/clickhouse/server.sh): started in a fresh temporary
// directory on 127.0.0.1, known by a display name no other server has, stopped by its pid when
// the object goes (declare a Distributed table's coordinator after its shards, so it stops first).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "engine/store/clickhouse_http.h"

namespace hindcast::test {

class ClickHouseServer {
 public:
  // `role` names it (with the test's pid); `shard_tcp_ports` make it the coordinator of a
  // cluster `hindcast_shards` of those servers. Throws std::runtime_error when it cannot start.
  explicit ClickHouseServer(const std::string& role, const std::vector<int>& shard_tcp_ports = {});
  ~ClickHouseServer();
  ClickHouseServer(const ClickHouseServer&) = delete;
  ClickHouseServer& operator=(const ClickHouseServer&) = delete;

  void stop();
  std::string url() const { return "http://127.0.0.1:" + std::to_string(http_port_) + "/"; }
  int tcp_port() const { return tcp_port_; }
  const std::string& display_name() const { return name_; }
  // A query that must succeed (the test's own setup and checks): its answer, or a throw.
  std::string query(const std::string& sql);

 private:
  std::string dir_, name_;
  int http_port_ = 0, tcp_port_ = 0;
  bool running_ = false;
};

}  // namespace hindcast::test
