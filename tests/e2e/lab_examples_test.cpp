// The findings issue's examples, each on a real recording of the lab (lab/cases/*.tar.zst): the
// case is extracted to a temporary directory, its truth.env moved out of the logs (the engine never
// sees it) and read here, and the report is checked against what the recorder did and measured.
#include <gtest/gtest.h>
#include <simdjson.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <map>
#include <string>
#include <vector>

#include "tests/support/support.h"

namespace hindcast::test {
namespace {

std::string str(simdjson::dom::element e) { return std::string(std::string_view(e.get_string().value())); }
std::string str_or_null(simdjson::dom::element e) { return e.is_null() ? "null" : str(e); }
constexpr int64_t kSecond = 1'000'000'000;

// One extracted lab case: its logs (without truth.env), its truth and the JSON report.
class LabCase {
 public:
  explicit LabCase(const std::string& name) {
    char tmpl[] = "/tmp/hindcast-lab-XXXXXX";
    const char* made = mkdtemp(tmpl);
    if (!made) throw std::runtime_error("mkdtemp failed");
    dir_ = made;
    logs_ = dir_ + "/logs";
    std::filesystem::create_directories(logs_);
    const std::string archive = repo_dir() + "/lab/cases/" + name + ".tar.zst";
    if (!std::filesystem::exists(archive)) throw std::runtime_error(archive + " is missing");
    const std::string cmd = "tar --zstd -xf '" + archive + "' -C '" + logs_ + "'";
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("could not extract " + archive);
    std::filesystem::rename(logs_ + "/truth.env", dir_ + "/truth.env");
    truth_ = read_truth(dir_);
  }
  ~LabCase() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  LabCase(const LabCase&) = delete;
  LabCase& operator=(const LabCase&) = delete;

  const std::string& logs() const { return logs_; }
  std::string truth(const std::string& key) const {
    const auto it = truth_.find(key);
    return it == truth_.end() ? "" : it->second;
  }
  // The report of `hindcast analyze` on the whole case (every host's directory at once).
  simdjson::dom::element analyze() {
    const CommandResult r = run_hindcast({"analyze", "--format", "json", logs_});
    if (r.exit_code != 0) throw std::runtime_error("analyze failed: " + r.err);
    json_ = simdjson::padded_string(r.out);
    return parser_.parse(json_).value();
  }

 private:
  std::string dir_, logs_;
  std::map<std::string, std::string> truth_;
  simdjson::dom::parser parser_;
  simdjson::padded_string json_;
};

int64_t time_of(simdjson::dom::element e) { return parse_time_ns(str(e)); }

std::vector<simdjson::dom::element> array_of(simdjson::dom::element e) {
  std::vector<simdjson::dom::element> out;
  if (e.is_array())
    for (simdjson::dom::element x : e.get_array()) out.push_back(x);
  return out;
}

// A database OOM-killed on one host, every page on another answering 500: the root cause is the
// kill, on the database's host; the chain runs from it through the refused connections to the
// symptom on the web host; the kill is the cause, not the change that set it off (the recorder
// made no change: the truth's trigger is none).
TEST(LabExamples, OomKilledDatabaseIsTheDeepestLinkOfAChainAcrossHosts) {
  LabCase c("mariadb-oom-dst-multihost");
  ASSERT_EQ(c.truth("trigger_kind"), "none");
  const simdjson::dom::element rep = c.analyze();
  ASSERT_FALSE(rep["root_cause"].is_null());
  const simdjson::dom::element rc = rep["root_cause"];
  EXPECT_EQ(str(rc["kind"]), c.truth("root_cause_kind"));
  EXPECT_EQ(str(rc["object"]), c.truth("root_cause_object"));
  EXPECT_EQ(str_or_null(rc["host"]), c.truth("root_cause_host"));
  EXPECT_EQ(str_or_null(rc["signal"]), c.truth("signal"));

  const std::vector<simdjson::dom::element> chain = array_of(rc["chain"]);
  ASSERT_GE(chain.size(), 3u);
  EXPECT_EQ(str(chain.front()["kind"]), c.truth("root_cause_kind"));
  EXPECT_EQ(str_or_null(chain.front()["host"]), c.truth("root_cause_host"));
  bool refused_on_web = false;
  for (size_t i = 1; i + 1 < chain.size(); ++i)
    refused_on_web |= str(chain[i]["kind"]) == "dependency_down" && str_or_null(chain[i]["host"]) == c.truth("symptom_host");
  EXPECT_TRUE(refused_on_web) << "no dependency_down link on the web host between the kill and the 500s";
  EXPECT_EQ(str_or_null(chain.back()["host"]), c.truth("symptom_host"));
  for (const simdjson::dom::element& link : chain) EXPECT_FALSE(array_of(link["evidence"]).empty()) << str(link["kind"]);

  EXPECT_TRUE(rep["trigger"].is_null()) << "the kill is not a change: " << str(rep["trigger"]["message"]);
  std::vector<std::string> hosts;
  for (const simdjson::dom::element& h : array_of(rep["incident"]["hosts"])) hosts.push_back(str(h));
  EXPECT_NE(std::find(hosts.begin(), hosts.end(), c.truth("root_cause_host")), hosts.end());
  EXPECT_NE(std::find(hosts.begin(), hosts.end(), c.truth("symptom_host")), hosts.end());
}

// A cron job whose command was never seen before starts a second before the failures: its CMD
// line is the trigger (the start of the job, not a report of its failure).
TEST(LabExamples, ANewCronCommandIsTheTrigger) {
  LabCase c("redis-maxmemory-cron");
  ASSERT_EQ(c.truth("trigger_kind"), "cron");
  const simdjson::dom::element rep = c.analyze();
  ASSERT_FALSE(rep["trigger"].is_null());
  const int64_t off = time_of(rep["trigger"]["time"]) - parse_time_ns(c.truth("trigger_utc"));
  EXPECT_LE(std::llabs(off), kSecond) << "trigger off by " << off / 1e9 << " s";
  EXPECT_NE(str(rep["trigger"]["message"]).find("CMD ("), std::string::npos) << str(rep["trigger"]["message"]);
  EXPECT_EQ(str_or_null(rep["trigger"]["program"]), c.truth("trigger_program"));
  // Never fixed inside the logs: no resolution is invented.
  ASSERT_EQ(c.truth("resolution_kind"), "never_fixed");
  EXPECT_TRUE(rep["resolution"].is_null());
}

// PHP-FPM refuses a pool file with a typo and exits; nginx then finds no socket (ENOENT) for every
// request. The syntax error the service printed as it exited is the root cause and the missing
// socket a link after it, not a rival; FPM's two lines about the one error (the file:line and its
// "failed to load configuration") are one candidate, not two.
TEST(LabExamples, TheSyntaxErrorAServicePrintedAsItExitedOutranksTheMissingSocket) {
  LabCase c("fpm-pool-typo-upgrade");
  const simdjson::dom::element rep = c.analyze();
  ASSERT_FALSE(rep["root_cause"].is_null());
  const simdjson::dom::element rc = rep["root_cause"];
  EXPECT_EQ(str(rc["kind"]), c.truth("root_cause_kind"));
  ASSERT_EQ(c.truth("root_cause_kind"), "config_syntax");
  EXPECT_EQ(str(rc["referenced_from"]["file"]), c.truth("root_cause_file"));
  EXPECT_EQ(std::to_string(int64_t(rc["referenced_from"]["line"].get_int64().value())), c.truth("root_cause_line"));

  const std::vector<simdjson::dom::element> chain = array_of(rc["chain"]);
  size_t syntax_at = chain.size(), socket_at = chain.size();
  for (size_t i = 0; i < chain.size(); ++i) {
    if (str(chain[i]["kind"]) == "config_syntax" && syntax_at == chain.size()) syntax_at = i;
    if (str(chain[i]["kind"]) == "dependency_down" && socket_at == chain.size()) socket_at = i;
  }
  ASSERT_LT(syntax_at, chain.size());
  ASSERT_LT(socket_at, chain.size()) << "the missing socket is not a link of the chain";
  EXPECT_LT(syntax_at, socket_at);
  for (const simdjson::dom::element& h : array_of(rc["hypotheses"])) {
    EXPECT_NE(str(h["kind"]), "config_syntax") << "the one error became a second candidate: " << str(h["object"]);
    EXPECT_NE(str(h["kind"]), "dependency_down") << "the missing socket is ranked as a rival: " << str(h["object"]);
  }
}


void expect_within(int64_t actual, const std::string& truth_time, int64_t tolerance, const std::string& what) {
  const int64_t off = actual - parse_time_ns(truth_time);
  EXPECT_LE(std::llabs(off), tolerance) << what << " off by " << static_cast<double>(off) / kSecond << " s";
}

// One route fails (every /search.php request answers 500 with a PHP fatal error never seen
// before) while the rest of the site is served: a few percent of all requests, yet a partial
// incident scoped to that route, with the fatal error as its cause and the deploy that changed
// the file as its trigger; never fixed inside the logs.
TEST(LabExamples, AFailureConfinedToOneRouteIsAPartialIncident) {
  LabCase c("php-fatal-search-partial");
  ASSERT_EQ(c.truth("incident_kind"), "partial");
  const simdjson::dom::element rep = c.analyze();
  ASSERT_FALSE(rep["incident"].is_null()) << "no incident";
  const simdjson::dom::element inc = rep["incident"];
  EXPECT_EQ(str(inc["kind"]), "partial");
  const std::vector<simdjson::dom::element> urls = array_of(inc["scope"]["urls"]);
  ASSERT_EQ(urls.size(), 1u);
  const std::string route = str(urls.front());
  EXPECT_EQ(route.substr(0, route.find('?')), c.truth("scope_urls"));
  EXPECT_LT(double(inc["impact"]["failed_ratio"].get_double().value()), 0.2) << "not a small share of the traffic";
  EXPECT_TRUE(inc["end"].is_null()) << "never fixed, yet an end: " << str(inc["end"]);
  expect_within(time_of(inc["start"]), c.truth("incident_start_utc"), 2 * kSecond, "incident start");

  const simdjson::dom::element rc = rep["root_cause"];
  ASSERT_FALSE(rc.is_null());
  EXPECT_EQ(str(rc["kind"]), c.truth("root_cause_kind"));
  EXPECT_EQ(str(rc["referenced_from"]["file"]), c.truth("root_cause_file"));
  EXPECT_EQ(std::to_string(int64_t(rc["referenced_from"]["line"].get_int64().value())), c.truth("root_cause_line"));
  ASSERT_FALSE(rep["trigger"].is_null());
  expect_within(time_of(rep["trigger"]["time"]), c.truth("trigger_utc"), kSecond, "trigger");
  EXPECT_EQ(str_or_null(rep["trigger"]["program"]), c.truth("trigger_program"));
}

// An administrator edits /etc/hosts with sudo vim and the site fails as the editor saves and
// exits; the same admin's next edit mends it. sudo logs each command as it starts: the change
// and its undoing took effect when their PAM sessions closed, a few seconds later.
TEST(LabExamples, AnEditTakesEffectWhenItsEditorExits) {
  LabCase c("dns-hosts-edit");
  ASSERT_EQ(c.truth("trigger_kind"), "sudo_edit");
  const simdjson::dom::element rep = c.analyze();
  ASSERT_FALSE(rep["root_cause"].is_null());
  EXPECT_EQ(str(rep["root_cause"]["kind"]), c.truth("root_cause_kind"));
  ASSERT_FALSE(rep["trigger"].is_null());
  expect_within(time_of(rep["trigger"]["time"]), c.truth("trigger_utc"), kSecond, "trigger");
  EXPECT_EQ(str_or_null(rep["trigger"]["program"]), c.truth("trigger_program"));
  EXPECT_NE(str(rep["trigger"]["message"]).find("COMMAND="), std::string::npos) << "the command is what is cited";
  ASSERT_FALSE(rep["resolution"].is_null());
  expect_within(time_of(rep["resolution"]["time"]), c.truth("resolution_utc"), kSecond, "resolution");
}

// nginx refuses a typo in its site file and stays down for 18 minutes; the admin mends the file,
// then starts nginx. The edit alone ended nothing: the start of the service that could not run is
// the resolution, a restart.
TEST(LabExamples, AFixOfAServiceThatCouldNotStartTakesEffectWithItsStart) {
  LabCase c("nginx-typo-down-long");
  ASSERT_EQ(c.truth("resolution_kind"), "restart");
  const simdjson::dom::element rep = c.analyze();
  ASSERT_FALSE(rep["incident"].is_null());
  EXPECT_EQ(str(rep["incident"]["kind"]), c.truth("incident_kind"));
  ASSERT_FALSE(rep["root_cause"].is_null());
  EXPECT_EQ(str(rep["root_cause"]["kind"]), c.truth("root_cause_kind"));
  ASSERT_FALSE(rep["resolution"].is_null());
  EXPECT_EQ(str(rep["resolution"]["kind"]), "restart");
  expect_within(time_of(rep["resolution"]["time"]), c.truth("restart_utc"), 2 * kSecond, "resolution");
}

// A slow API behind the application: every failing page's PHP message, relayed by nginx from the
// FastCGI backend, names the address that timed out (curl 28), and the pool then fills up (its
// "reached pm.max_children" is the workers waiting). The root cause is that address, not the
// FastCGI socket nginx relayed the message through, and not the pool's limit.
TEST(LabExamples, TheDependencyARelayedMessageNamesIsTheCauseNotTheRelaysSocket) {
  LabCase c("api-stall-recovered-multihost");
  const simdjson::dom::element rep = c.analyze();
  ASSERT_FALSE(rep["root_cause"].is_null());
  const simdjson::dom::element rc = rep["root_cause"];
  EXPECT_EQ(str(rc["kind"]), c.truth("root_cause_kind"));
  EXPECT_EQ(str(rc["object"]), c.truth("root_cause_object"));
  EXPECT_EQ(str(rc["object"]).find(".sock"), std::string::npos);
}

// A deploy made a directory unreadable; the admin's chmod of that directory (no restart, no
// redeploy) ended the 403s: the resolution is that command, a hand-made revert of the trigger's
// effect on the root cause's object, not "recovered with no action logged".
TEST(LabExamples, AnAdminsCommandOnTheRootCausesObjectIsTheFix) {
  LabCase c("nginx-assets-eacces-kabul");
  ASSERT_EQ(c.truth("resolution_kind"), "rollback");
  const simdjson::dom::element rep = c.analyze();
  ASSERT_FALSE(rep["resolution"].is_null());
  EXPECT_EQ(str(rep["resolution"]["action"]), "revert");
  EXPECT_NE(str(rep["resolution"]["message"]).find("chmod"), std::string::npos) << str(rep["resolution"]["message"]);
  expect_within(time_of(rep["resolution"]["time"]), c.truth("resolution_utc"), kSecond, "resolution");
}

// memcached listens on a port nobody assigned; the application's exception names it
// ("memcached 127.0.0.1:19731: CONNECTION FAILURE"). Its start again is the dependency restored.
TEST(LabExamples, ADependencyOnAnUnassignedPortIsKnownByTheNameItIsCalledBy) {
  LabCase c("memcached-stopped-saopaulo");
  ASSERT_EQ(c.truth("resolution_kind"), "dependency_restored");
  const simdjson::dom::element rep = c.analyze();
  ASSERT_FALSE(rep["root_cause"].is_null());
  EXPECT_EQ(str(rep["root_cause"]["object"]), c.truth("root_cause_object"));
  ASSERT_FALSE(rep["resolution"].is_null());
  EXPECT_EQ(str(rep["resolution"]["kind"]), "dependency_restored");
  expect_within(time_of(rep["resolution"]["time"]), c.truth("resolution_utc"), kSecond, "resolution");
}

// nginx refused a key that did not match its certificate; the admin copied the right key back,
// then started nginx: the start of the server whose own key it was is the resolution (a restart,
// with the copy cited as the fix it needed), not the copy alone.
TEST(LabExamples, AKeyRestoredThenTheServerStartedIsARestart) {
  LabCase c("tls-key-mismatch-certbot");
  ASSERT_EQ(c.truth("resolution_kind"), "restart");
  const simdjson::dom::element rep = c.analyze();
  ASSERT_FALSE(rep["resolution"].is_null());
  EXPECT_EQ(str(rep["resolution"]["kind"]), "restart");
  expect_within(time_of(rep["resolution"]["time"]), c.truth("restart_utc"), kSecond, "resolution");
}

// A cron job filled the volume and, at its end, deleted its own partial output: the volume emptied
// with nobody acting. The job's report of what it removed is its own end, not a revert of the
// trigger (which was that job starting): the resolution is "recovered", no action.
TEST(LabExamples, AJobsReportOfItsOwnCleanupIsNoRevert) {
  LabCase c("disk-full-export-cron");
  ASSERT_EQ(c.truth("resolution_kind"), "recovered");
  ASSERT_EQ(c.truth("trigger_kind"), "cron");
  const simdjson::dom::element rep = c.analyze();
  ASSERT_FALSE(rep["resolution"].is_null());
  EXPECT_EQ(str(rep["resolution"]["kind"]), "recovered");
  EXPECT_NE(str(rep["resolution"]["action"]), "revert") << str(rep["resolution"]["message"]);
  expect_within(time_of(rep["resolution"]["time"]), c.truth("resolution_utc"), 5 * kSecond, "resolution");
}

// The site's own PHP-FPM is OOM-killed; nginx then finds its FastCGI socket refused. The pool is the
// web server's backend on the same host (nginx's "while connecting to upstream"), part of the
// server, not a dependency behind it: its start again is a restart, as for a refused pool file;
// a database killed on another host and started again is a dependency restored.
TEST(LabExamples, TheWebServersOwnBackendStartedAgainIsARestart) {
  LabCase fpm("fpm-oom-journal-nairobi");
  ASSERT_EQ(fpm.truth("resolution_kind"), "restart");
  simdjson::dom::element rep = fpm.analyze();
  ASSERT_FALSE(rep["resolution"].is_null());
  EXPECT_EQ(str(rep["resolution"]["kind"]), "restart") << str(rep["resolution"]["message"]);
  LabCase db("mariadb-oom-dst-multihost");
  ASSERT_EQ(db.truth("resolution_kind"), "dependency_restored");
  rep = db.analyze();
  ASSERT_FALSE(rep["resolution"].is_null());
  EXPECT_EQ(str(rep["resolution"]["kind"]), "dependency_restored") << str(rep["resolution"]["message"]);
}

// A report job opens ten PostgreSQL sessions a second before the database refuses connections: a
// database user never seen before in the logs, whose held sessions filled the slots (a handful
// against the web pool's hundreds, so not by its share of the traffic). Its first session is the
// trigger, a new client, on the database's host; the limit names it.
TEST(LabExamples, ANewDatabaseClientIsTheTriggerOfAConnectionLimit) {
  LabCase c("pg-max-connections-multihost");
  ASSERT_EQ(c.truth("trigger_kind"), "new_client");
  const simdjson::dom::element rep = c.analyze();
  ASSERT_FALSE(rep["root_cause"].is_null());
  EXPECT_EQ(str(rep["root_cause"]["kind"]), "resource_limit");
  ASSERT_FALSE(rep["trigger"].is_null());
  expect_within(time_of(rep["trigger"]["time"]), c.truth("trigger_utc"), kSecond, "trigger");
  EXPECT_EQ(str_or_null(rep["trigger"]["host"]), c.truth("root_cause_host"));
  EXPECT_NE(str(rep["root_cause"]["summary"]).find("never seen before"), std::string::npos) << str(rep["root_cause"]["summary"]);
}

// A renewal timer starts certbot; its deploy hook restarts nginx with a key that does not match the
// certificate, and certbot reports the hook failed. Nothing in certbot's lines names the key file:
// the tie is that the program the unit ran failed as the failures began, in words never seen
// outside the incident. The trigger is certbot's start, not nginx's own restart (the failing
// server's start is how the failure showed).
TEST(LabExamples, AUnitWhoseProgramFailedWithTheOnsetIsTheTrigger) {
  LabCase c("tls-key-mismatch-certbot");
  ASSERT_EQ(c.truth("trigger_kind"), "cron");
  const simdjson::dom::element rep = c.analyze();
  ASSERT_FALSE(rep["trigger"].is_null());
  expect_within(time_of(rep["trigger"]["time"]), c.truth("trigger_utc"), kSecond, "trigger");
  EXPECT_NE(str(rep["trigger"]["message"]).find("certbot"), std::string::npos) << str(rep["trigger"]["message"]);
}

// An upstream's certificate expires with nobody acting: no line marks the instant, no action is
// logged. The trigger is the expiry itself, stated as inferred and cited to the first line saying
// the certificate had expired (the latest the expiry can have been), not "no trigger".
TEST(LabExamples, AnExpiredCertificateIsATriggerWithNoAction) {
  LabCase c("tls-upstream-expired-multihost");
  ASSERT_EQ(c.truth("trigger_kind"), "cert_expiry");
  const simdjson::dom::element rep = c.analyze();
  ASSERT_FALSE(rep["trigger"].is_null());
  expect_within(time_of(rep["trigger"]["time"]), c.truth("trigger_utc"), kSecond, "trigger");
  EXPECT_NE(str(rep["trigger"]["message"]).find("expired with no change logged"), std::string::npos)
      << str(rep["trigger"]["message"]);
  EXPECT_GT(rep["trigger"]["line"].get_int64().value(), 0);
}

// An export job fills a small volume; the site's cache writes then fail with ENOSPC on dozens of
// files in one directory. The cause is one filesystem, its members the files: one root cause, not
// a hypothesis per file.
TEST(LabExamples, WritesFailingForLackOfSpaceAreOneFilesystem) {
  LabCase c("disk-full-export-cron");
  ASSERT_EQ(c.truth("root_cause_kind"), "disk_full");
  const simdjson::dom::element rep = c.analyze();
  ASSERT_FALSE(rep["root_cause"].is_null());
  const simdjson::dom::element rc = rep["root_cause"];
  EXPECT_EQ(str(rc["kind"]), "disk_full");
  EXPECT_EQ(str(rc["errno"]), "ENOSPC");
  EXPECT_EQ(str(rc["object"]), c.truth("root_cause_object"));
  EXPECT_GE(rc["members"].get_int64().value(), 5);
  for (const simdjson::dom::element& h : array_of(rc["hypotheses"]))
    EXPECT_NE(str(h["kind"]), "disk_full") << "a second disk_full hypothesis: " << str_or_null(h["object"]);
}

}  // namespace
}  // namespace hindcast::test
