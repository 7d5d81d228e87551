#include "engine/report/postmortem.h"

#include <cmath>
#include <cstdio>

namespace hindcast {
namespace {

std::string utc(const ResolvedTime& t) { return format_rfc3339_utc(t.utc, t.precision); }

Phrase say(std::string s) { return {std::move(s), false}; }
Phrase quote(std::string s) { return {std::move(s), true}; }

class Items {
 public:
  void add(std::string type, std::vector<Phrase> text, std::string why) {
    ActionItem a;
    a.type = std::move(type);
    a.text = std::move(text);
    a.why = std::move(why);
    items.push_back(std::move(a));
  }
  std::vector<ActionItem> items;
};

std::string object_or(const RootCauseReport& c, const std::string& fallback) {
  return c.object ? *c.object : c.path ? *c.path : fallback;
}

std::string where(const FileLine& f) { return f.file + ":" + std::to_string(f.line); }

// What failed and what would have caught it, per kind of root cause.
void cause_items(const RootCauseReport& c, Items& out) {
  const std::string& k = c.kind;
  if (k == "missing_file") {
    const std::string obj = object_or(c, "the missing file");
    std::vector<Phrase> p{say("Check before a release goes live that every file its code includes or requires exists; ")};
    if (c.referenced_from) {
      p.push_back(quote(where(*c.referenced_from)));
      p.push_back(say(" required "));
    } else {
      p.push_back(say("the server needed "));
    }
    p.push_back(quote(obj));
    p.push_back(say(", which did not exist"));
    if (c.intended_path) {
      p.push_back(say(" (the near-identical "));
      p.push_back(quote(*c.intended_path));
      p.push_back(say(" does: a path typo)"));
    }
    p.push_back(say("."));
    out.add("prevent", std::move(p), "a file the server needed was missing (" + c.errno_name.value_or("ENOENT") + ")");
    out.add("detect", {say("Run a smoke test of the main entry points right after every release and roll back on a server error.")},
            "the first failing request would have failed the test");
  } else if (k == "permission_denied") {
    const std::string obj = object_or(c, "the file the server needed");
    out.add("prevent",
            {say("Make the owner and mode the web server needs on "), quote(obj),
             say(" part of configuration management, and review the jobs that change permissions there.")},
            "the server was denied access (" + c.errno_name.value_or("EACCES") + ")");
    out.add("detect", {say("Alert on permission errors (EACCES/EPERM) in the server's error log, not only on failing requests.")},
            "the error log named the denied path from the first failure");
  } else if (k == "php_parse_error") {
    const std::string obj = object_or(c, "the changed file");
    std::vector<Phrase> p{say("Run a syntax check (e.g. "), quote("php -l"), say(") on every changed file before it is deployed; "),
                          quote(c.referenced_from ? where(*c.referenced_from) : obj), say(" did not compile.")};
    out.add("prevent", std::move(p), "code that does not compile reached the server");
  } else if (k == "php_fatal") {
    out.add("prevent",
            {say("Add a test that runs the code path that failed at run time in "), quote(c.referenced_from ? where(*c.referenced_from) : object_or(c, "the application")),
             say(", and run it before each release.")},
            "code failed at run time");
    out.add("detect", {say("Alert on fatal errors in the application's error log.")}, "each failing request logged a fatal error");
  } else if (k == "config_syntax") {
    const std::string obj = object_or(c, "the configuration");
    std::vector<Phrase> p{say("Validate configuration before it is applied (the server's own check, e.g. "), quote("apachectl configtest"),
                          say(", and a test request for per-directory files); "),
                          quote(c.referenced_from ? where(*c.referenced_from) : obj), say(" held an invalid directive.")};
    out.add("prevent", std::move(p), "an invalid configuration was applied");
  } else if (k == "dependency_down") {
    const std::string obj = object_or(c, "the dependency");
    std::vector<Phrase> p{say("Monitor "), quote(obj)};
    if (c.service) {
      p.push_back(say(" and "));
      p.push_back(quote(*c.service));
    }
    p.push_back(say(" directly, with an alert, so the dependency's failure is seen before users see errors."));
    out.add("detect", std::move(p), "the server could not reach a dependency" + (c.errno_name ? " (" + *c.errno_name + ")" : std::string()));
    std::vector<Phrase> v{say("After any change to "), quote(c.service ? *c.service : obj),
                          say(" (upgrade, configuration, restart), verify that it runs and answers before the change is called done.")};
    out.add("prevent", std::move(v), "the dependency did not come back by itself");
    out.add("mitigate", {say("Degrade gracefully when "), quote(obj), say(" is unavailable (short time-outs, a cached or static answer) instead of failing every request.")},
            "every request that needed it failed");
  } else if (k == "disk_full") {
    const std::string obj = object_or(c, "the file system written to");
    out.add("detect", {say("Alert on free space and inodes of the file system holding "), quote(obj), say(" well before it is full.")},
            "writes failed for lack of space" + (c.errno_name ? " (" + *c.errno_name + ")" : std::string()));
    out.add("prevent", {say("Rotate, cap or move what grows under "), quote(obj), say(".")}, "the space ran out");
  } else if (k == "resource_limit") {
    const std::string obj = object_or(c, "the limit");
    out.add("detect", {say("Alert when "), quote(obj), say(" nears its limit (saturation), before requests fail.")}, "a limit was reached");
    out.add("prevent", {say("Size "), quote(obj), say(" from measured peak load with headroom, and load-test changes to it.")},
            "the load exceeded what the limit allows");
    out.add("mitigate", {say("Shed or rate-limit excess load (per client) so that reaching the limit slows a few requests instead of failing all.")},
            "one limit failed every request");
  } else if (k == "crash") {
    std::vector<Phrase> p{say("Reproduce the crash")};
    if (c.signal) {
      p.push_back(say(" ("));
      p.push_back(quote(*c.signal));
      p.push_back(say(")"));
    }
    p.push_back(say(" in a test environment"));
    if (c.url) {
      p.push_back(say(", replaying the request "));
      p.push_back(quote(*c.url));
    }
    if (c.object) {
      p.push_back(say(c.url ? " against " : ", running "));
      p.push_back(quote(*c.object));
    }
    p.push_back(say(", and fix the code or module that crashed."));
    out.add("prevent", std::move(p), "server processes died");
    out.add("detect", {say("Alert on server processes that die from a signal (the error log's child-exit lines, kernel segfault messages).")},
            "the crashes were logged from the first one");
    out.add("mitigate", {say("Keep core dumps of crashing server processes so the next crash can be diagnosed from its stack.")},
            "a crash without a core leaves only its signal");
  } else {
    out.add("detect",
            {say("Add the logging or tracing that would have named the cause (the hypotheses under Root cause are where the logs point).")},
            "the logs show the failure but not its cause");
  }
}

}  // namespace

std::string plain_text(const std::vector<Phrase>& phrases) {
  std::string s;
  for (const Phrase& p : phrases) s += p.text;
  return s;
}

std::string duration_text(double s) {
  char buf[64];
  if (s < 120) std::snprintf(buf, sizeof buf, "%.1f s", s);
  else if (s < 7200) std::snprintf(buf, sizeof buf, "%d min %d s", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  else std::snprintf(buf, sizeof buf, "%d h %d min", static_cast<int>(s) / 3600, static_cast<int>(s) / 60 % 60);
  return buf;
}

std::string root_cause_kind_words(const std::string& kind) {
  if (kind == "missing_file") return "missing file";
  if (kind == "permission_denied") return "permission denied";
  if (kind == "php_parse_error") return "PHP parse error";
  if (kind == "php_fatal") return "PHP fatal error";
  if (kind == "config_syntax") return "configuration error";
  if (kind == "dependency_down") return "dependency down";
  if (kind == "disk_full") return "disk full";
  if (kind == "resource_limit") return "resource limit reached";
  if (kind == "crash") return "server crashes";
  return kind;
}

Postmortem postmortem_of(const Report& r) {
  Postmortem pm;
  if (!r.incident) {
    pm.title = "Log review (draft): no incident found";
    pm.summary = "No burst of failing requests stands out from the access logs' own baseline" +
                 std::string(r.anomalies.empty() ? ", and no other anomaly was found." : "; the anomalies under Supporting information are listed for review.");
    pm.went_well = pm.went_wrong = pm.got_lucky = {"[TO FILL IN]"};
    return pm;
  }
  const IncidentReport& i = *r.incident;
  const std::string day = utc(i.start).substr(0, 10);
  std::string what = r.root_cause && r.root_cause->kind != "unknown" ? root_cause_kind_words(r.root_cause->kind)
                     : i.kind == "down"                               ? "outage"
                     : i.kind == "slow"                               ? "slow responses"
                     : i.kind == "partial"                            ? "partial outage"
                                                                      : "service failures";
  pm.title = "Postmortem (draft): " + what + " on " + day;

  // Summary: what, when, how bad, why, what set it off, what ended it.
  char ratio[32];
  std::snprintf(ratio, sizeof ratio, "%.1f%%", i.impact.failed_ratio * 100);
  std::string s = "From " + utc(i.start) + (i.end ? " to " + utc(*i.end) : " to the end of the logs (still failing)");
  if (i.duration_s) s += " (" + duration_text(*i.duration_s) + ")";
  s += ", " + std::to_string(i.impact.requests_failed) + " of " + std::to_string(i.impact.requests_total) + " requests failed (" +
       ratio + ").";
  if (i.impact.failed_checks) s += " " + std::to_string(*i.impact.failed_checks) + " health checks failed.";
  if (r.root_cause) s += " " + r.root_cause->summary;
  if (r.trigger) s += " It followed a change at " + utc(r.trigger->time) + ": " + r.trigger->message + ".";
  if (r.resolution)
    s += std::string(r.resolution->kind == "restart" ? " It ended with a service restart at "
                     : r.resolution->kind == "dependency_restored" ? " It ended when the failed dependency was started again at "
                                                                     : " The failures stopped at ") +
         utc(r.resolution->time) + ".";
  pm.summary = s;

  // Detection: first failure vs first alert.
  DetectionReport& d = pm.detection;
  d.first_failure = i.start;
  for (const TimelineEntry& e : r.timeline) {
    if (e.kind == "incident_start" && !d.first_failure_at) d.first_failure_at = Citation{e.source, e.line};
    if (e.kind == "detected" && !d.first_alert_at) d.first_alert_at = Citation{e.source, e.line};
    if (e.kind == "root_cause" && !pm.root_cause_first_evidence) pm.root_cause_first_evidence = e.time;
  }
  d.first_alert = i.detected;
  if (d.first_alert) {
    d.gap_s = static_cast<double>(d.first_alert->utc.ns - i.start.utc.ns) / kNanosPerSecond;
    d.how = *d.gap_s >= 0 ? "The first monitoring alert came " + duration_text(*d.gap_s) + " after the first failure."
                          : "The first monitoring alert came " + duration_text(-*d.gap_s) + " before the first failing request.";
  } else {
    d.how = "No monitoring alert appears in the logs: how the failure was noticed is not recorded there.";
  }
  // Without a root-cause entry on the timeline: the cause's first evidence that is not the
  // failing request the evidence chain opens with.
  if (!pm.root_cause_first_evidence && r.root_cause && r.root_cause->kind != "unknown")
    for (const Evidence& e : r.root_cause->evidence)
      if (!d.first_failure_at || e.source != d.first_failure_at->source || e.line != d.first_failure_at->line) {
        pm.root_cause_first_evidence = e.time;
        break;
      }

  // Action items: the cause's own, then detection and change safety.
  Items items;
  if (r.root_cause) cause_items(*r.root_cause, items);
  if (!d.first_alert) {
    items.add("detect", {say("Add a monitor that alerts on failing responses; none fired during this incident.")},
              "no alert appears in the logs");
  } else if (d.gap_s && *d.gap_s > 60) {
    items.add("detect", {say("Alert on the rate of failing responses from the access log: the first alert came " + duration_text(*d.gap_s) + " after the first failure.")},
              "the detection gap");
  } else {
    items.add("detect", {say("Alert on the rate of failing responses from the access log, not only on the periodic health check.")},
              "a health check samples one URL at intervals");
  }
  if (r.trigger) {
    std::vector<Phrase> p{say("Tie every change like the one at " + utc(r.trigger->time))};
    if (r.trigger->program) {
      p.push_back(say(" ("));
      p.push_back(quote(*r.trigger->program));
      p.push_back(say(")"));
    }
    p.push_back(say(" to an automatic health check and a one-command rollback."));
    items.add("mitigate", std::move(p), "the failures began right after a change");
  }
  pm.action_items = std::move(items.items);
  pm.went_well = {"[TO FILL IN] what worked in detection, response and recovery"};
  pm.went_wrong = {"[TO FILL IN] what made the impact larger or the recovery slower"};
  pm.got_lucky = {"[TO FILL IN] what limited the damage by chance"};
  return pm;
}

}  // namespace hindcast
