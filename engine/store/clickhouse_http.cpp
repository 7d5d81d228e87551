#include "engine/store/clickhouse_http.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <mutex>
#include <thread>

namespace hindcast::store {
namespace {

constexpr size_t kMaxErrorBody = 64 << 10;   // an error answer kept for its message
constexpr long kTransferBuffer = 1 << 20;    // bytes per read/write callback: fewer calls per MB

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// ClickHouse error codes worth another attempt: the server was busy, not wrong.
bool transient_server_error(std::string_view body) {
  for (std::string_view code : {"Code: 252,", "Code: 202,", "Code: 209,", "Code: 210,", "Code: 159,"})
    if (body.find(code) != std::string_view::npos) return true;
  return false;
}

bool transient_transport_error(CURLcode c) {
  switch (c) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
      return true;
    default:
      return false;
  }
}

// The server's message: its first line, bounded (the CLI makes it printable).
std::string first_line(std::string_view body) {
  const size_t nl = body.find('\n');
  std::string line(body.substr(0, std::min<size_t>(nl == std::string_view::npos ? body.size() : nl, 400)));
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
}

struct Transfer {
  CURL* curl = nullptr;
  long status = 0;
  std::string error_body;
  const BodyConsumer* consume = nullptr;
  bool handed_on = false;       // a piece of a 200 answer reached the consumer
  bool consumer_stopped = false;
  BodyProducer produce;
  std::string display_name;
};

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::string_view h(data, size * n);
  constexpr std::string_view kName = "x-clickhouse-server-display-name:";
  if (h.size() > kName.size() &&
      std::equal(kName.begin(), kName.end(), h.begin(), [](char a, char b) { return a == (b | (b >= 'A' && b <= 'Z' ? 0x20 : 0)); })) {
    std::string_view v = h.substr(kName.size());
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' ')) v.remove_suffix(1);
    t->display_name = std::string(v);
  }
  return size * n;
}

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t bytes = size * n;
  if (t->status == 0) curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &t->status);
  if (t->status == 200 && t->consume) {
    t->handed_on = true;
    if (!(*t->consume)(std::string_view(data, bytes))) {
      t->consumer_stopped = true;
      return 0;  // aborts the transfer (CURLE_WRITE_ERROR)
    }
    return bytes;
  }
  if (t->error_body.size() < kMaxErrorBody) t->error_body.append(data, std::min(bytes, kMaxErrorBody - t->error_body.size()));
  return bytes;
}

size_t on_read(char* out, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  return t->produce ? t->produce(out, size * n) : 0;
}

struct Outcome {
  bool ok = false;
  bool transient = false;
  bool handed_on = false;
  std::string message;
};

}  // namespace

struct ClickHouseHttp::State {
  CURL* curl = nullptr;
  CURLU* base = nullptr;
  std::string printable_url;
  std::string display_name;
  RetryPolicy retry;
  ~State() {
    if (curl) curl_easy_cleanup(curl);
    if (base) curl_url_cleanup(base);
  }

  // The base URL with `query` (when given) and the settings appended as parameters.
  std::string url_with(std::string_view sql, const std::vector<std::pair<std::string, std::string>>& settings) const {
    CURLU* u = curl_url_dup(base);
    auto append = [&](const std::string& kv) { curl_url_set(u, CURLUPART_QUERY, kv.c_str(), CURLU_APPENDQUERY | CURLU_URLENCODE); };
    if (!sql.empty()) append("query=" + std::string(sql));
    for (const auto& [k, v] : settings) append(k + "=" + v);
    char* s = nullptr;
    std::string out;
    if (curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK && s) out = s;
    curl_free(s);
    curl_url_cleanup(u);
    return out;
  }

  // One request: POST `body` (or the producer's stream), the answer to the consumer or kept.
  Outcome perform(const std::string& url, std::string_view body, BodyProducer produce, const BodyConsumer* consume) {
    curl_easy_reset(curl);  // keeps the live connection
    Transfer t;
    t.curl = curl;
    t.consume = consume;
    t.produce = std::move(produce);
    char curl_error[CURL_ERROR_SIZE] = {0};
    curl_slist* headers = curl_slist_append(nullptr, "Expect:");  // no 100-continue round trip
    if (t.produce) headers = curl_slist_append(headers, "Transfer-Encoding: chunked");
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);   // a stalled transfer fails after
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 600L);  // ten minutes without a byte
    curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_error);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_BUFFERSIZE, kTransferBuffer);
    curl_easy_setopt(curl, CURLOPT_UPLOAD_BUFFERSIZE, kTransferBuffer);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
    if (t.produce) {
      curl_easy_setopt(curl, CURLOPT_READFUNCTION, on_read);
      curl_easy_setopt(curl, CURLOPT_READDATA, &t);
    } else {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    }
    const CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &t.status);
    if (!t.display_name.empty()) display_name = t.display_name;
    Outcome o;
    o.handed_on = t.handed_on;
    if (t.status != 0 && t.status != 200) {  // the server answered, and refused (even if the upload broke off)
      o.message = "HTTP " + std::to_string(t.status) + ": " + first_line(t.error_body);
      o.transient = t.status == 502 || t.status == 503 || t.status == 504 || transient_server_error(t.error_body);
      return o;
    }
    if (rc != CURLE_OK) {
      if (t.consumer_stopped) {
        o.message = "the answer was refused by its reader";
        return o;
      }
      o.message = curl_error[0] ? curl_error : curl_easy_strerror(rc);
      o.transient = transient_transport_error(rc);
      return o;
    }
    o.ok = true;
    return o;
  }

  // perform() with the retry policy; `attempt` runs one attempt.
  Result<void> with_retries(const std::function<Outcome()>& attempt) {
    Outcome o;
    int tries = 0;
    for (int backoff = retry.first_backoff_ms; tries < std::max(1, retry.attempts); backoff *= 2) {
      ++tries;
      o = attempt();
      if (o.ok) return {};
      if (!o.transient || o.handed_on || tries >= retry.attempts) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(backoff));
    }
    return make_error(ErrorCode::kRemote, "ClickHouse at " + printable_url + ": " + o.message +
                                              (tries > 1 ? " (" + std::to_string(tries) + " attempts)" : ""));
  }
};

ClickHouseHttp::ClickHouseHttp(std::unique_ptr<State> s) : state_(std::move(s)) {}
ClickHouseHttp::ClickHouseHttp(ClickHouseHttp&&) noexcept = default;
ClickHouseHttp& ClickHouseHttp::operator=(ClickHouseHttp&&) noexcept = default;
ClickHouseHttp::~ClickHouseHttp() = default;

Result<ClickHouseHttp> ClickHouseHttp::open(const std::string& url, RetryPolicy retry) {
  init_curl_once();
  auto s = std::make_unique<State>();
  s->retry = retry;
  s->base = curl_url();
  if (!s->base || curl_url_set(s->base, CURLUPART_URL, url.c_str(), 0) != CURLUE_OK)
    return make_error(ErrorCode::kUsage, "--clickhouse " + url + ": not a URL (e.g. http://127.0.0.1:8123/)");
  char* scheme = nullptr;
  curl_url_get(s->base, CURLUPART_SCHEME, &scheme, 0);
  const std::string sch = scheme ? scheme : "";
  curl_free(scheme);
  if (sch != "http" && sch != "https")
    return make_error(ErrorCode::kUsage, "--clickhouse " + url + ": ClickHouse's HTTP interface takes http:// or https:// URLs");
  CURLU* shown = curl_url_dup(s->base);
  curl_url_set(shown, CURLUPART_PASSWORD, nullptr, 0);
  char* text = nullptr;
  if (curl_url_get(shown, CURLUPART_URL, &text, 0) == CURLUE_OK && text) s->printable_url = text;
  curl_free(text);
  curl_url_cleanup(shown);
  s->curl = curl_easy_init();
  if (!s->curl) return make_error(ErrorCode::kRemote, "libcurl could not start a session");
  return ClickHouseHttp(std::move(s));
}

Result<std::string> ClickHouseHttp::query(std::string_view sql, const std::vector<std::pair<std::string, std::string>>& settings) {
  std::string answer;
  const BodyConsumer keep = [&](std::string_view piece) {
    answer.append(piece);
    return true;
  };
  const std::string url = state_->url_with("", settings);
  auto done = state_->with_retries([&] {
    answer.clear();
    return state_->perform(url, sql, nullptr, &keep);
  });
  if (!done) return std::unexpected(done.error());
  return answer;
}

Result<void> ClickHouseHttp::insert(std::string_view sql, const std::function<BodyProducer()>& make_body,
                                    const std::vector<std::pair<std::string, std::string>>& settings) {
  const std::string url = state_->url_with(sql, settings);
  return state_->with_retries([&] { return state_->perform(url, {}, make_body(), nullptr); });
}

Result<void> ClickHouseHttp::select(std::string_view sql, const BodyConsumer& consume,
                                    const std::vector<std::pair<std::string, std::string>>& settings) {
  const std::string url = state_->url_with("", settings);
  return state_->with_retries([&] { return state_->perform(url, sql, nullptr, &consume); });
}

const std::string& ClickHouseHttp::server_display_name() const { return state_->display_name; }
const std::string& ClickHouseHttp::printable_url() const { return state_->printable_url; }

}  // namespace hindcast::store
