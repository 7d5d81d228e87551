// The renderers on hand-made reports: escaping of hostile text (control characters, bidi,
// Markdown and HTML markup) in every output, the request series, and the action items per
// root-cause kind (written per kind, quoting the report's own object, never per incident).
#include <gtest/gtest.h>
#include <simdjson.h>

#include <sstream>
#include <set>

#include "engine/report/html_report.h"
#include "engine/report/json_report.h"
#include "engine/report/json_text.h"
#include "engine/report/markdown_report.h"
#include "engine/report/postmortem.h"
#include "engine/report/safe_text.h"
#include "engine/report/series.h"

namespace hindcast {
namespace {

const LatencyOf no_latency = [](const Request&) { return int64_t{-1}; };

// ESC [ 2 J (clear screen), OSC 0 (set title) ended by BEL, a C1 CSI (U+009B), a right-to-left
// override, and Markdown/HTML markup.
const std::string kHostile =
    "x\x1b[2J\x1b]0;pwned\x07 \xc2\x9b" "31m \xe2\x80\xae" "evil <script>alert(1)</script> **b** [l](javascript:x) `c` | d\nnext";

ResolvedTime at(int64_t s, uint8_t precision = 0) { return ResolvedTime{Instant{s * kNanosPerSecond}, 0, precision}; }

TEST(SafeText, ControlCharactersBecomeVisibleEscapes) {
  EXPECT_EQ(printable("a\x1b[2Jb\n\r\x07"), "a\\x1b[2Jb\\n\\r\\x07");
  EXPECT_EQ(printable("tab\tstays, é stays"), "tab\tstays, é stays");
  EXPECT_EQ(printable("\xc2\x9b"), "\\u009b");              // C1 CSI as UTF-8
  EXPECT_EQ(printable("\x9b"), "\\x9b");                     // a raw C1 byte
  EXPECT_EQ(printable("\xe2\x80\xae"), "\\u202e");           // right-to-left override
  EXPECT_EQ(printable("\xff\xfe"), "\\xff\\xfe");            // not UTF-8
  EXPECT_TRUE(is_printable("plain /srv/x.php 200 \"GET /\""));
  EXPECT_FALSE(is_printable(kHostile));
  const std::string p = printable(kHostile);
  for (char c : p) EXPECT_TRUE(static_cast<unsigned char>(c) >= 0x20 || c == '\t') << static_cast<int>(c);
}

TEST(SafeText, MarkdownCannotOpenMarkup) {
  EXPECT_EQ(markdown_text("<script>"), "\\<script\\>");
  EXPECT_EQ(markdown_text("**b** [l](x) `c` | d ~~s~~ &amp;"), "\\*\\*b\\*\\* \\[l](x) \\`c\\` \\| d \\~\\~s\\~\\~ \\&amp;");
  EXPECT_EQ(markdown_text("snake_case_name and _emph_"), "snake_case_name and \\_emph\\_");
  EXPECT_EQ(markdown_code("a`b"), "``a`b``");
  EXPECT_EQ(markdown_code("``x``"), "``` ``x`` ```");
  EXPECT_EQ(markdown_code("line\nbreak"), "`line\\nbreak`");
}

TEST(SafeText, HtmlEscapesEverySpecialCharacter) {
  EXPECT_EQ(html_text("<a href=\"x\" onclick='y'>&</a>"), "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  EXPECT_EQ(html_text("\x1b[31m"), "\\x1b[31m");
}

TEST(SafeText, JsonEscapesC1AndBidiButKeepsText) {
  std::string out;
  append_json_string(out, "\x1b \xc2\x9b \x9b \xe2\x80\xae é");
  EXPECT_EQ(out, "\"\\u001b \\u009b \\u009b \\u202e é\"");
}

Report hostile_report() {
  Report r;
  r.generator = "hindcast test";
  r.inputs = {"logs/"};
  SourceReport s;
  s.path = "logs/sys\nlog\x1b[31m<b>";
  s.format = "syslog-rfc3164";
  s.lines = 3;
  s.time_basis = "explicit offset";
  r.sources.push_back(s);
  IncidentReport i;
  i.start = at(1000);
  i.end = at(1060);
  i.duration_s = 60;
  i.detected = at(1010);
  i.impact.requests_total = 10;
  i.impact.requests_failed = 5;
  i.impact.status_counts[500] = 5;
  i.impact.failing_urls = {kHostile};
  r.incident = i;
  RootCauseReport c;
  c.kind = "missing_file";
  c.object = kHostile;
  c.path = kHostile;
  c.summary = "The server tried to open " + kHostile;
  c.evidence.push_back({at(1001), s.path, 7, kHostile});
  r.root_cause = c;
  r.trigger = TriggerReport{at(995), s.path, 2, "www1", kHostile, kHostile};
  r.resolution = ResolutionReport{at(1060), "restart", "restart", s.path, 3, kHostile};
  r.timeline.push_back({at(995), s.path, 2, "trigger", "Change: " + kHostile});
  r.timeline.push_back({at(1000), s.path, 1, "incident_start", "Incident starts: " + kHostile});
  r.anomalies.push_back({"php_fatal", "error", at(1001), at(1002), 2, kHostile, {{at(1001), s.path, 7, kHostile}}});
  r.data_quality.push_back(kHostile);
  std::vector<Request> requests;
  for (int k = 0; k < 10; ++k) requests.push_back(Request{(1000 + k) * kNanosPerSecond, 0, 0, static_cast<uint16_t>(k < 5 ? 500 : 200)});
  r.request_series = request_series(requests, no_latency, Window{1000 * kNanosPerSecond, 1060 * kNanosPerSecond});
  r.postmortem = postmortem_of(r);
  return r;
}

// A Markdown line with its code spans removed and its backslash escapes dropped: what a
// renderer would read as markup. Our own markup (bold labels, list and table syntax) is left
// out by the caller's choice of characters.
std::string outside_code(const std::string& line) {
  std::string out;
  for (size_t i = 0; i < line.size();) {
    if (line[i] == '\\' && i + 1 < line.size()) {
      i += 2;
      continue;
    }
    if (line[i] == '`') {
      size_t n = 0;
      while (i + n < line.size() && line[i + n] == '`') ++n;
      const std::string fence(n, '`');
      size_t close = line.find(fence, i + n);
      while (close != std::string::npos && close + n < line.size() && line[close + n] == '`') close = line.find(fence, close + n + 1);
      if (close == std::string::npos) {
        out += line.substr(i);  // an unclosed fence is text: it shows up as markup here
        break;
      }
      i = close + n;
      continue;
    }
    if (!(line[i] == '*' && (line.compare(i, 2, "**") == 0))) out += line[i];
    else i += 1;  // our own bold labels
    ++i;
  }
  // Task boxes and placeholders are ours.
  for (const std::string ours : {"[ ]", "[TO FILL IN]"})
    for (size_t p; (p = out.find(ours)) != std::string::npos;) out.erase(p, ours.size());
  return out;
}

void expect_no_control_bytes(const std::string& out, const char* what) {
  for (size_t i = 0; i < out.size(); ++i) {
    const auto c = static_cast<unsigned char>(out[i]);
    ASSERT_FALSE((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) << what << ": byte " << int(c) << " at " << i;
  }
  EXPECT_EQ(out.find("\xc2\x9b"), std::string::npos) << what;
  EXPECT_EQ(out.find("\xe2\x80\xae"), std::string::npos) << what;
}

TEST(HostileText, MarkdownKeepsItsStructure) {
  const std::string md = render_markdown(hostile_report());
  expect_no_control_bytes(md, "markdown");
  // Headings are exactly the draft's own, in order: no log text starts a line with '#'.
  std::vector<std::string> headings;
  std::istringstream lines(md);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("## ")) headings.push_back(line.substr(3));
    EXPECT_EQ(outside_code(line).find_first_of("<>*[`"), std::string::npos) << line;
  }
  EXPECT_EQ(headings, (std::vector<std::string>{"Summary", "Impact", "Detection", "Root cause", "Trigger", "Resolution",
                                                "Timeline", "Action items", "Lessons learned", "Supporting information"}));
  // Table rows keep their column count despite '|' in the text.
  std::istringstream rows(md);
  for (std::string line; std::getline(rows, line);) {
    if (!line.starts_with("| ") || line.starts_with("| file")) continue;
    size_t cells = 0;
    for (size_t k = 0; k < line.size(); ++k)
      if (line[k] == '|' && (k == 0 || line[k - 1] != '\\')) ++cells;
    EXPECT_TRUE(cells == 6 || cells == 7) << line;
  }
}

TEST(HostileText, HtmlShowsTextAndLinksOnlyToItself) {
  const std::string html = render_html(hostile_report());
  expect_no_control_bytes(html, "html");
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  for (size_t p = html.find("href="); p != std::string::npos; p = html.find("href=", p + 1))
    EXPECT_EQ(html.substr(p, 7), "href=\"#") << html.substr(p, 40);  // anchors of this page only
  EXPECT_NE(html.find("default-src 'none'"), std::string::npos);  // CSP: no script, no network
}

TEST(HostileText, JsonStaysValidAndEscaped) {
  const std::string json = render_json(hostile_report());
  expect_no_control_bytes(json, "json");
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(simdjson::padded_string(json)).get(doc), simdjson::SUCCESS);
  EXPECT_EQ(std::string(std::string_view(doc["trigger"]["message"].get_string().value())), kHostile);
}

TEST(RequestSeries, OneBucketPerSecondWithLatency) {
  std::vector<Request> q;
  q.push_back(Request{10 * kNanosPerSecond + 1, 0, 0, 200});
  q.push_back(Request{10 * kNanosPerSecond + 2, 0, 0, 500});
  q.push_back(Request{10 * kNanosPerSecond + 3, 0, 0, 404});
  q.push_back(Request{12 * kNanosPerSecond, 0, 0, 302});
  q.push_back(Request{12 * kNanosPerSecond + 5, 0, 0, 101});
  const std::vector<int64_t> latency = {1000, 3000, 2000, -1, -1};  // µs, per request; -1: none
  const auto s = request_series(q, [&](const Request& r) { return latency[static_cast<size_t>(&r - q.data())]; }, std::nullopt);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->start_ns, 10 * kNanosPerSecond);
  EXPECT_EQ(s->bucket_seconds, 1);
  EXPECT_EQ(s->size(), 3u);
  EXPECT_EQ(s->status_2xx, (std::vector<uint32_t>{1, 0, 0}));
  EXPECT_EQ(s->status_3xx, (std::vector<uint32_t>{0, 0, 1}));
  EXPECT_EQ(s->status_4xx, (std::vector<uint32_t>{1, 0, 0}));
  EXPECT_EQ(s->status_5xx, (std::vector<uint32_t>{1, 0, 0}));
  EXPECT_EQ(s->status_other, (std::vector<uint32_t>{0, 0, 1}));
  EXPECT_TRUE(s->has_latency);
  EXPECT_DOUBLE_EQ(s->latency_p50_ms[0], 2.0);
  EXPECT_DOUBLE_EQ(s->latency_max_ms[0], 3.0);
  EXPECT_LT(s->latency_p50_ms[1], 0);
  EXPECT_FALSE(request_series({}, no_latency, std::nullopt));
}

TEST(RequestSeries, LongLogsPlotTheIncidentInBoundedBuckets) {
  std::vector<Request> q;
  for (int64_t t = 0; t < 86400; t += 3) q.push_back(Request{t * kNanosPerSecond, 0, 0, 200});
  // A day of logs, a 10-minute incident: the incident and 15 minutes either side, per second.
  const auto s = request_series(q, no_latency, Window{40000 * kNanosPerSecond, 40600 * kNanosPerSecond});
  ASSERT_TRUE(s);
  EXPECT_EQ(s->bucket_seconds, 1);
  EXPECT_EQ(s->start_ns, (40000 - kSeriesMarginSeconds) * kNanosPerSecond);
  EXPECT_EQ(static_cast<int64_t>(s->size()), 600 + 2 * kSeriesMarginSeconds + 1);
  // No incident: the whole day, with wider buckets, never more than kMaxSeriesBuckets bars.
  const auto all = request_series(q, no_latency, std::nullopt);
  EXPECT_EQ(all->bucket_seconds, 24);
  EXPECT_LE(static_cast<int64_t>(all->size()), kMaxSeriesBuckets);
  uint64_t n = 0;
  for (uint32_t v : all->status_2xx) n += v;
  EXPECT_EQ(n, q.size());
}

// Every root-cause kind gets its own items, typed, quoting the report's object; the wording
// around the quotes is the same whatever the object (a template per kind, not per incident).
TEST(ActionItems, PerKindQuotingTheObject) {
  const std::vector<std::string> kinds = {"missing_file", "permission_denied", "php_parse_error", "php_fatal", "config_syntax",
                                          "dependency_down", "disk_full", "resource_limit", "crash", "unknown"};
  for (const std::string& kind : kinds) {
    std::vector<std::string> wording;
    for (const std::string object : {"/var/www/a/b.php", "db.internal:5432"}) {
      Report r = hostile_report();
      r.trigger.reset();
      r.root_cause->kind = kind;
      r.root_cause->object = object;
      r.root_cause->path = object;
      r.root_cause->service = std::nullopt;
      r.root_cause->intended_path = std::nullopt;
      const Postmortem pm = postmortem_of(r);
      ASSERT_FALSE(pm.action_items.empty()) << kind;
      std::string plain;
      bool quoted = false;
      for (const ActionItem& a : pm.action_items) {
        EXPECT_TRUE(a.type == "mitigate" || a.type == "prevent" || a.type == "detect") << kind << ": " << a.type;
        EXPECT_EQ(a.owner, "[TO FILL IN]");
        EXPECT_FALSE(a.why.empty());
        for (const Phrase& p : a.text) {
          if (p.literal) quoted |= p.text == object;
          else plain += p.text;
        }
      }
      if (kind != "unknown") {
        EXPECT_TRUE(quoted) << kind << " quotes its object";
      }
      EXPECT_EQ(plain.find(object), std::string::npos) << kind;
      wording.push_back(plain);
    }
    EXPECT_EQ(wording[0], wording[1]) << kind << ": the same words whatever the object";
  }
}

TEST(Postmortem, DetectionGapAndNoIncident) {
  const Report r = hostile_report();
  ASSERT_TRUE(r.postmortem.detection.gap_s);
  EXPECT_DOUBLE_EQ(*r.postmortem.detection.gap_s, 10.0);
  ASSERT_TRUE(r.postmortem.root_cause_first_evidence);
  EXPECT_EQ(r.postmortem.root_cause_first_evidence->utc.ns, 1001 * kNanosPerSecond);
  Report quiet;
  quiet.generator = "hindcast test";
  quiet.postmortem = postmortem_of(quiet);
  EXPECT_EQ(quiet.postmortem.title, "Log review (draft): no incident found");
  EXPECT_TRUE(quiet.postmortem.action_items.empty());
  const std::string md = render_markdown(quiet);
  EXPECT_NE(md.find("## Detection\n\nNot applicable: no incident."), std::string::npos) << md;
  EXPECT_NE(render_html(quiet).find("<h2>Lessons learned</h2>"), std::string::npos);
}

}  // namespace
}  // namespace hindcast
