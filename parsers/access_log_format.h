// Apache LogFormat strings compiled once into a field plan, then executed per line with plain
// string scanning (no regex per line).
//
//   auto plan = AccessLogPlan::compile(R"(%v %h %l %u %t "%r" %>s %b %D)");
//   AccessRecord r;
//   if (plan && plan->decode(line, &r)) ...
//
// Supported directives: %h %a %{c}a %l %u %t %{sec}t %{msec}t %{usec}t %r %s %>s %b %B %O %I
// %D %T %{ms}T %{us}T %v %V %p %m %U %q %H %{Referer}i %{User-Agent}i, and any other %{...}X or %X as a
// field that is read and ignored. A field ends where the literal text that follows it in the
// format begins; a field between double quotes may itself contain quotes (Apache does not
// always escape them) and ends at the quote that is followed by the rest of the format.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/error.h"
#include "parsers/apache_access.h"

namespace hindcast {

class AccessLogPlan {
 public:
  static Result<AccessLogPlan> compile(std::string_view format);
  bool decode(std::string_view line, AccessRecord* out) const;
  const std::string& format() const { return format_; }

  enum class Field { kClient, kIdent, kUser, kTime, kEpochSec, kEpochMsec, kEpochUsec, kRequest, kStatus,
                     kBytes, kReferer, kUserAgent, kVhost, kMethod, kPath, kQuery, kProtocol, kLatencyUs, kLatencyMs,
                     kLatencySec, kIgnored };
  struct Step {
    bool literal;
    std::string text;  // the literal text
    Field field;
    bool quoted;       // the field sits between double quotes
  };

 private:
  std::string format_;
  std::vector<Step> steps_;
};

// The access-log parser for a user's --access-format. Same format name as the built-in one
// ("apache-access"), and more specific, so it wins detection where its plan fits.
class CustomAccessParser final : public Parser {
 public:
  explicit CustomAccessParser(std::shared_ptr<const AccessLogPlan> plan) : plan_(std::move(plan)) {}
  std::string_view format() const override { return "apache-access"; }
  bool matches(std::string_view line) const override;
  int specificity() const override { return 40; }
  void parse_chunk(const Source& source, size_t begin, size_t end, ParsedChunk& out) const override {
    parse_access_chunk(source, begin, end, plan_.get(), out);
  }
  bool decode(const Source& source, std::string_view text, Record& out) const override;
  const std::shared_ptr<const AccessLogPlan>& plan() const { return plan_; }

 private:
  std::shared_ptr<const AccessLogPlan> plan_;
};

// mod_ssl's ssl_request_log: "%t %h %{SSL_PROTOCOL}x %{SSL_CIPHER}x \"%r\" %b".
const AccessLogPlan& ssl_request_log_plan();

}  // namespace hindcast
