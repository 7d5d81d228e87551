#include "parsers/access_log_format.h"

#include "engine/core/scan.h"
#include "engine/core/timestamps.h"

namespace hindcast {
namespace {

using Field = AccessLogPlan::Field;

Field field_for(std::string_view arg, char directive, bool final_status) {
  (void)final_status;
  switch (directive) {
    case 'h': case 'a': return Field::kClient;
    case 'l': return Field::kIdent;
    case 'u': return Field::kUser;
    case 't':
      if (arg == "sec") return Field::kEpochSec;
      if (arg == "msec") return Field::kEpochMsec;
      if (arg == "usec") return Field::kEpochUsec;
      return arg.empty() ? Field::kTime : Field::kIgnored;
    case 'r': return Field::kRequest;
    case 'D': return Field::kLatencyUs;
    case 'T':
      if (arg == "ms") return Field::kLatencyMs;
      if (arg == "us") return Field::kLatencyUs;
      return Field::kLatencySec;
    case 's': return Field::kStatus;
    case 'b': case 'B': case 'O': case 'I': return Field::kBytes;
    case 'v': case 'V': return Field::kVhost;
    case 'm': return Field::kMethod;
    case 'U': return Field::kPath;
    case 'q': return Field::kQuery;
    case 'H': return Field::kProtocol;
    case 'i':
      if (arg == "Referer") return Field::kReferer;
      if (arg == "User-Agent" || arg == "User-agent") return Field::kUserAgent;
      return Field::kIgnored;
    default: return Field::kIgnored;
  }
}

bool epoch(std::string_view v, int64_t unit_ns, AccessRecord* r) {
  return read_epoch_in(v, unit_ns, &r->stamp) == StampStatus::kOk;
}

// "[03/Nov/2023:09:00:03 -0400]"
bool clf_time(std::string_view v, AccessRecord* r) {
  scan::Cursor c{v};
  return c.skip('[') && read_clf(c, &r->stamp) == StampStatus::kOk && c.skip(']') && c.done();
}

int64_t latency(std::string_view v, int64_t us_per_unit) {
  scan::Cursor c{v};
  uint64_t n;
  if (!c.number(&n, 15)) return -1;
  int64_t frac = 0;
  int nd = 0;
  if (c.skip('.') && !c.fraction_ns(&frac, &nd)) return -1;
  if (!c.done()) return -1;
  return static_cast<int64_t>(n) * us_per_unit + frac * us_per_unit / kNanosPerSecond;
}

}  // namespace

Result<AccessLogPlan> AccessLogPlan::compile(std::string_view f) {
  AccessLogPlan plan;
  plan.format_ = std::string(f);
  std::string literal;
  for (size_t i = 0; i < f.size(); ++i) {
    if (f[i] != '%') {
      if (f[i] == '\\' && i + 1 < f.size() && f[i + 1] == '"') ++i;  // \" as written in apache.conf
      literal += f[i];
      continue;
    }
    if (++i >= f.size()) return make_error(ErrorCode::kInvalidValue, "--access-format: '%' at the end");
    if (f[i] == '%') {
      literal += '%';
      continue;
    }
    std::string_view arg;
    if (f[i] == '>' || f[i] == '<') ++i;  // %>s: the final status
    if (i < f.size() && f[i] == '{') {
      const size_t close = f.find('}', i);
      if (close == std::string_view::npos)
        return make_error(ErrorCode::kInvalidValue, "--access-format: unclosed %{ in \"" + std::string(f) + "\"");
      arg = f.substr(i + 1, close - i - 1);
      i = close + 1;
    }
    if (i >= f.size()) return make_error(ErrorCode::kInvalidValue, "--access-format: directive without a letter");
    if (!literal.empty()) {
      plan.steps_.push_back({true, literal, Field::kIgnored, false});
      literal.clear();
    }
    const bool quoted = !plan.steps_.empty() && plan.steps_.back().literal && plan.steps_.back().text.ends_with('"');
    plan.steps_.push_back({false, "", field_for(arg, f[i], true), quoted});
  }
  if (!literal.empty()) plan.steps_.push_back({true, literal, Field::kIgnored, false});
  bool has_time = false;
  for (const Step& s : plan.steps_)
    has_time |= !s.literal && (s.field == Field::kTime || s.field == Field::kEpochSec || s.field == Field::kEpochMsec ||
                               s.field == Field::kEpochUsec);
  if (!has_time)
    return make_error(ErrorCode::kInvalidValue, "--access-format \"" + std::string(f) + "\" has no time (%t)");
  return plan;
}

bool AccessLogPlan::decode(std::string_view line, AccessRecord* r) const {
  *r = AccessRecord{};
  size_t i = 0;
  bool has_time = false;
  for (size_t k = 0; k < steps_.size(); ++k) {
    const Step& s = steps_[k];
    if (s.literal) {
      if (line.substr(i, s.text.size()) != s.text) return false;
      i += s.text.size();
      continue;
    }
    // Where the field ends: at the next literal (for %t, at its closing bracket).
    size_t end;
    const Step* next = k + 1 < steps_.size() ? &steps_[k + 1] : nullptr;
    if (s.field == Field::kTime) {
      end = line.find(']', i);
      if (end == std::string_view::npos) return false;
      ++end;
    } else if (!next) {
      end = line.size();
    } else if (!next->literal) {
      end = line.find(' ', i);  // two adjacent fields: split at a space
      if (end == std::string_view::npos) end = line.size();
    } else if (s.quoted && next->text.starts_with('"')) {
      // Inside quotes: the closing quote is the one followed by the rest of the next literal
      // and then something that is not more of this field.
      end = i;
      while (true) {
        end = line.find(next->text, end);
        if (end == std::string_view::npos) return false;
        const size_t after = end + next->text.size();
        if (after >= line.size() || next->text.size() > 1 || line[after] != ' ') break;
        if (k + 2 < steps_.size() && !steps_[k + 2].literal) {
          const char ch = line[after + 1 < line.size() ? after + 1 : after];
          if (scan::is_digit(ch) || ch == '-' || ch == '"') break;
        } else {
          break;
        }
        ++end;
      }
    } else {
      end = line.find(next->text, i);
      if (end == std::string_view::npos) return false;
    }
    const std::string_view v = line.substr(i, end - i);
    switch (s.field) {
      case Field::kClient: r->client = v; break;
      case Field::kIdent: r->ident = v; break;
      case Field::kUser: r->user = v; break;
      case Field::kTime: if (!clf_time(v, r)) return false; has_time = true; break;
      case Field::kEpochSec: if (!epoch(v, kNanosPerSecond, r)) return false; has_time = true; break;
      case Field::kEpochMsec: if (!epoch(v, 1'000'000, r)) return false; has_time = true; break;
      case Field::kEpochUsec: if (!epoch(v, 1'000, r)) return false; has_time = true; break;
      case Field::kRequest: {
        r->request = v;
        const size_t sp1 = v.find(' '), sp2 = v.rfind(' ');
        if (sp1 != std::string_view::npos) {
          r->method = v.substr(0, sp1);
          r->target = sp2 > sp1 ? v.substr(sp1 + 1, sp2 - sp1 - 1) : v.substr(sp1 + 1);
          if (sp2 > sp1) r->protocol = v.substr(sp2 + 1);
        }
        break;
      }
      case Field::kStatus: {
        scan::Cursor c{v};
        unsigned st;
        if (c.digits(3, &st) && c.done()) r->status = static_cast<uint16_t>(st);
        else if (v != "-") return false;
        break;
      }
      case Field::kBytes: r->bytes = v; break;
      case Field::kReferer: r->referer = v; break;
      case Field::kUserAgent: r->user_agent = v; break;
      case Field::kVhost: r->vhost = v; break;
      case Field::kMethod: r->method = v; break;
      case Field::kPath: r->target = v; break;
      case Field::kProtocol: r->protocol = v; break;
      case Field::kLatencyUs: r->latency_us = latency(v, 1); break;
      case Field::kLatencyMs: r->latency_us = latency(v, 1000); break;
      case Field::kLatencySec: r->latency_us = latency(v, 1'000'000); break;
      case Field::kQuery:
      case Field::kIgnored: break;
    }
    i = end;
  }
  return has_time && i == line.size();
}

bool CustomAccessParser::decode(const Source&, std::string_view text, Record& out) const {
  AccessRecord a;
  if (!plan_->decode(text, &a)) return false;
  fill_request_record(a, out);
  return true;
}

bool CustomAccessParser::matches(std::string_view line) const {
  AccessRecord r;
  return plan_->decode(line, &r);
}


const AccessLogPlan& ssl_request_log_plan() {
  static const AccessLogPlan plan = *AccessLogPlan::compile(R"(%t %h %{SSL_PROTOCOL}x %{SSL_CIPHER}x "%r" %b)");
  return plan;
}

}  // namespace hindcast
