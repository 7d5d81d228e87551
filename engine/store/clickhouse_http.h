// A client of ClickHouse's HTTP interface, through libcurl (Debian ships no C++ ClickHouse
// client; the HTTP interface is the one every ClickHouse version keeps).
//
//   auto ch = ClickHouseHttp::open("http://127.0.0.1:8123/");
//   auto version = ch->query("SELECT version()");                 // small answers, DDL
//   ch->insert("INSERT INTO t FORMAT RowBinary", make_body);       // a chunked POST, body streamed
//   ch->select("SELECT ... FORMAT RowBinary", [](std::string_view piece) { ...; return true; });
//
// The query goes in the URL's `query` parameter for inserts (the body is the data) and in the
// body otherwise. Every answer's HTTP status is checked: anything but 200 is an error carrying
// the server's own first line ("Code: 60, e.displayText() = DB::Exception: Table ... doesn't
// exist"), made printable. A transfer that fails on the way (connection refused or reset, a
// timeout, a transient server error such as too many parts) is tried again a bounded number of
// times; an insert's body is then produced anew (`make_body` is called once per attempt).
//
// Not thread-safe: one object per thread (each keeps its own connection alive between requests).
// Movable, not copyable.
#pragma once
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/core/error.h"

namespace hindcast::store {

// Fills up to `capacity` bytes at `out` with the next piece of a request body; 0 ends it.
using BodyProducer = std::function<size_t(char* out, size_t capacity)>;
// Takes the next piece of an answer; false stops the transfer (the consumer's error wins).
using BodyConsumer = std::function<bool(std::string_view piece)>;

struct RetryPolicy {
  int attempts = 3;          // in all, the first included
  int first_backoff_ms = 500;  // doubled after each failed attempt
};

class ClickHouseHttp {
 public:
  // `url`: http[s]://[user[:password]@]host[:port][/][?database=...&setting=value]. Parameters
  // given in it are kept on every request (a database, settings).
  static Result<ClickHouseHttp> open(const std::string& url, RetryPolicy retry = {});
  ClickHouseHttp(ClickHouseHttp&&) noexcept;
  ClickHouseHttp& operator=(ClickHouseHttp&&) noexcept;
  ~ClickHouseHttp();

  // Runs `sql` and returns the whole answer (meant for small ones: DDL, counts, DESCRIBE).
  Result<std::string> query(std::string_view sql, const std::vector<std::pair<std::string, std::string>>& settings = {});
  // Runs an INSERT whose data `make_body()` produces, sent with chunked transfer encoding as it is
  // produced. `make_body` is called again for each retry.
  Result<void> insert(std::string_view sql, const std::function<BodyProducer()>& make_body,
                      const std::vector<std::pair<std::string, std::string>>& settings = {});
  // Runs `sql` and hands the answer to `consume` piece by piece as it arrives. Not retried once
  // a piece has been handed on (the consumer has seen part of an answer).
  Result<void> select(std::string_view sql, const BodyConsumer& consume,
                      const std::vector<std::pair<std::string, std::string>>& settings = {});

  // The server's display_name, from the X-ClickHouse-Server-Display-Name header of the last answer.
  const std::string& server_display_name() const;
  // The URL without its password, for messages.
  const std::string& printable_url() const;

 private:
  struct State;
  explicit ClickHouseHttp(std::unique_ptr<State> s);
  std::unique_ptr<State> state_;
};

}  // namespace hindcast::store
