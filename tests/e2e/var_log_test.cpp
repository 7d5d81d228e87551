// A copy of a Debian 12 host's /var/log, as an SRE takes it off a broken machine: the system log
// only in a binary journal file (built here from an export stream with systemd-journal-remote: no
// journald needed), the package logs, nginx and PHP-FPM, rotations compressed with xz and zstd,
// and the files that are not logs (empty btmp/lastlog, binary wtmp, a README symlink that leads
// nowhere in the copy). The story: php8.2-fpm is upgraded at 09:59:20, its restart fails on the
// new configuration, nginx answers 502 from 10:00 until PHP-FPM is started again at 10:05.
#include <gtest/gtest.h>
#include <simdjson.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "tests/support/support.h"

namespace hindcast::test {
namespace {
namespace fs = std::filesystem;

constexpr const char* kJournalRemote = "/lib/systemd/systemd-journal-remote";

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

std::string two(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }
// 2024-01-05 at h:m:s in the notations the logs use (the host's clock is UTC).
std::string clf(int h, int m, int s) { return "05/Jan/2024:" + two(h) + ":" + two(m) + ":" + two(s) + " +0000"; }
std::string nginx_time(int h, int m, int s) { return "2024/01/05 " + two(h) + ":" + two(m) + ":" + two(s); }

// nginx access lines every `step` seconds in [from, to) (seconds of the day).
std::string access_lines(int from, int to, int step, int status) {
  std::string out;
  for (int t = from, k = 0; t < to; t += step, ++k) {
    const std::string client = "192.0.2." + std::to_string(10 + k % 200);
    out += client + " - - [" + clf(t / 3600, t / 60 % 60, t % 60) + "] \"GET /index.php?p=" + std::to_string(k % 7) +
           " HTTP/1.1\" " + std::to_string(status) + (status == 200 ? " 5120" : " 157") +
           " \"-\" \"Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0\"\n";
  }
  return out;
}

// One journal export-format entry (systemd's JOURNAL_EXPORT_FORMATS.md).
std::string export_entry(int64_t realtime_us, int64_t monotonic_us, const std::string& ident, int pid, int priority,
                         const std::string& message, const std::string& unit = "") {
  std::string e = "__REALTIME_TIMESTAMP=" + std::to_string(realtime_us) + "\n__MONOTONIC_TIMESTAMP=" +
                  std::to_string(monotonic_us) + "\n_BOOT_ID=5f0f4e4a2b1c4d8e9f00112233445566\n_HOSTNAME=www1\n" +
                  "SYSLOG_IDENTIFIER=" + ident + "\n_PID=" + std::to_string(pid) + "\nPRIORITY=" + std::to_string(priority) +
                  "\n_TRANSPORT=journal\nMESSAGE=" + message + "\n";
  if (!unit.empty()) e += "UNIT=" + unit + "\n_SYSTEMD_UNIT=init.scope\n";
  return e + "\n";
}

fs::path build_var_log() {
  const fs::path root = fs::temp_directory_path() / ("hindcast-varlog-" + std::to_string(getpid()));
  fs::remove_all(root);
  const fs::path log = root / "var" / "log";
  fs::create_directories(log);

  // The journal: a quiet morning, then PHP-FPM's failed restart and its later start.
  const int64_t day = 1704412800LL * 1'000'000;  // 2024-01-05T00:00:00Z in µs
  auto at = [&](int h, int m, int s) { return day + (h * 3600LL + m * 60 + s) * 1'000'000; };
  const int64_t boot = at(7, 58, 0);
  std::string exp;
  auto entry = [&](int h, int m, int s, const std::string& ident, int pid, int prio, const std::string& msg,
                   const std::string& unit = "") {
    exp += export_entry(at(h, m, s), at(h, m, s) - boot, ident, pid, prio, msg, unit);
  };
  entry(8, 0, 0, "systemd", 1, 6, "Started php8.2-fpm.service - The PHP 8.2 FastCGI Process Manager.", "php8.2-fpm.service");
  entry(8, 0, 1, "systemd", 1, 6, "Started nginx.service - A high performance web server and a reverse proxy server.", "nginx.service");
  entry(9, 17, 1, "CRON", 2101, 6, "(root) CMD (cd / && run-parts --report /etc/cron.hourly)");
  entry(9, 59, 22, "systemd", 1, 6, "Stopping php8.2-fpm.service - The PHP 8.2 FastCGI Process Manager...", "php8.2-fpm.service");
  entry(9, 59, 23, "systemd", 1, 4, "php8.2-fpm.service: Main process exited, code=exited, status=78/CONFIG", "php8.2-fpm.service");
  entry(9, 59, 23, "systemd", 1, 3, "php8.2-fpm.service: Failed with result 'exit-code'.", "php8.2-fpm.service");
  entry(9, 59, 23, "systemd", 1, 3, "Failed to start php8.2-fpm.service - The PHP 8.2 FastCGI Process Manager.", "php8.2-fpm.service");
  entry(10, 5, 1, "systemd", 1, 6, "Started php8.2-fpm.service - The PHP 8.2 FastCGI Process Manager.", "php8.2-fpm.service");
  write(root / "export.txt", exp);
  const fs::path journal = log / "journal" / "3d1219c7c4c5404aaa1f6d2a48adfda4" / "system.journal";
  fs::create_directories(journal.parent_path());
  const std::string cmd = std::string(kJournalRemote) + " --output=" + journal.string() + " " +
                          (root / "export.txt").string() + " >/dev/null 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  fs::remove(root / "export.txt");

  // What changed: dpkg, APT, update-alternatives, unattended-upgrades (days before: routine).
  write(log / "dpkg.log",
        "2024-01-02 06:25:10 startup archives unpack\n"
        "2024-01-02 06:25:10 upgrade libssl3:amd64 3.0.11-1~deb12u1 3.0.11-1~deb12u2\n"
        "2024-01-02 06:25:11 status installed libssl3:amd64 3.0.11-1~deb12u2\n"
        "2024-01-05 09:59:20 startup archives unpack\n"
        "2024-01-05 09:59:20 upgrade php8.2-fpm:amd64 8.2.7-1~deb12u1 8.2.26-1~deb12u1\n"
        "2024-01-05 09:59:20 status half-configured php8.2-fpm:amd64 8.2.7-1~deb12u1\n"
        "2024-01-05 09:59:21 status unpacked php8.2-fpm:amd64 8.2.26-1~deb12u1\n"
        "2024-01-05 09:59:22 startup packages configure\n"
        "2024-01-05 09:59:22 configure php8.2-fpm:amd64 8.2.26-1~deb12u1 <none>\n"
        "2024-01-05 09:59:22 status installed php8.2-fpm:amd64 8.2.26-1~deb12u1\n");
  write(log / "apt" / "history.log",
        "\nStart-Date: 2024-01-02  06:25:09\nCommandline: /usr/bin/unattended-upgrade\n"
        "Upgrade: libssl3:amd64 (3.0.11-1~deb12u1, 3.0.11-1~deb12u2)\nEnd-Date: 2024-01-02  06:25:12\n"
        "\nStart-Date: 2024-01-05  09:59:19\nCommandline: apt-get install --only-upgrade php8.2-fpm\n"
        "Requested-By: admin (1000)\nUpgrade: php8.2-fpm:amd64 (8.2.7-1~deb12u1, 8.2.26-1~deb12u1)\n"
        "End-Date: 2024-01-05  09:59:24\n");
  write(log / "apt" / "term.log",
        "\nLog started: 2024-01-05  09:59:19\n"
        "Preparing to unpack .../php8.2-fpm_8.2.26-1~deb12u1_amd64.deb ...\n"
        "Unpacking php8.2-fpm (8.2.26-1~deb12u1) over (8.2.7-1~deb12u1) ...\n"
        "Setting up php8.2-fpm (8.2.26-1~deb12u1) ...\n"
        "Job for php8.2-fpm.service failed because the control process exited with error code.\n"
        "invoke-rc.d: initscript php8.2-fpm, action \"restart\" failed.\n"
        "Log ended: 2024-01-05  09:59:24\n");
  write(log / "alternatives.log",
        "update-alternatives 2023-11-20 14:02:11: run with --install /usr/bin/php php /usr/bin/php8.2 82 --slave /usr/share/man/man1/php.1.gz php.1.gz /usr/share/man/man1/php8.2.1.gz\n"
        "update-alternatives 2023-11-20 14:02:11: link group php updated to point to /usr/bin/php8.2\n");
  write(log / "unattended-upgrades" / "unattended-upgrades.log",
        "2024-01-02 06:25:01,123 INFO Starting unattended upgrades script\n"
        "2024-01-02 06:25:05,234 INFO Packages that will be upgraded: libssl3\n"
        "2024-01-02 06:25:13,456 INFO All upgrades installed\n");
  write(log / "unattended-upgrades" / "unattended-upgrades-dpkg.log",
        "Log started: 2024-01-02  06:25:09\n"
        "Preparing to unpack .../libssl3_3.0.11-1~deb12u2_amd64.deb ...\n"
        "Unpacking libssl3:amd64 (3.0.11-1~deb12u2) over (3.0.11-1~deb12u1) ...\n"
        "Setting up libssl3:amd64 (3.0.11-1~deb12u2) ...\n"
        "Log ended: 2024-01-02  06:25:12\n\n");

  // nginx: two compressed rotations (xz, zstd) and the live log with the 502 burst.
  write(root / "access.log.2", access_lines(9 * 3600, 9 * 3600 + 1800, 10, 200));
  write(root / "access.log.1", access_lines(9 * 3600 + 1800, 9 * 3600 + 3000, 10, 200));
  fs::create_directories(log / "nginx");
  EXPECT_EQ(std::system(("xz -c " + (root / "access.log.2").string() + " > " + (log / "nginx" / "access.log.2.xz").string()).c_str()), 0);
  EXPECT_EQ(std::system(("zstd -q -c " + (root / "access.log.1").string() + " > " + (log / "nginx" / "access.log.1.zst").string()).c_str()), 0);
  write(log / "nginx" / "access.log",
        access_lines(9 * 3600 + 3000, 10 * 3600, 10, 200) + access_lines(10 * 3600, 10 * 3600 + 300, 2, 502) +
            access_lines(10 * 3600 + 300, 10 * 3600 + 900, 10, 200));
  std::string errors = nginx_time(8, 0, 1) + " [notice] 811#811: using the \"epoll\" event method\n" +
                       nginx_time(8, 0, 1) + " [notice] 811#811: start worker processes\n";
  for (int t = 10 * 3600, k = 0; t < 10 * 3600 + 300; t += 2, ++k)
    errors += nginx_time(t / 3600, t / 60 % 60, t % 60) + " [crit] 812#812: *" + std::to_string(100 + k) +
              " connect() to unix:/run/php/php8.2-fpm.sock failed (2: No such file or directory) while connecting to upstream, client: 192.0.2." +
              std::to_string(10 + k % 200) + ", server: _, request: \"GET /index.php HTTP/1.1\", upstream: \"fastcgi://unix:/run/php/php8.2-fpm.sock:\", host: \"www.example.org\"\n";
  write(log / "nginx" / "error.log", errors);
  write(log / "php8.2-fpm.log",
        "[05-Jan-2024 08:00:00] NOTICE: fpm is running, pid 640\n"
        "[05-Jan-2024 08:00:00] NOTICE: ready to handle connections\n"
        "[05-Jan-2024 09:59:22] NOTICE: Terminating ...\n"
        "[05-Jan-2024 09:59:22] NOTICE: exiting, bye-bye!\n"
        "[05-Jan-2024 09:59:23] ERROR: [/etc/php/8.2/fpm/pool.d/www.conf:113] unknown entry 'pm.max_childs'\n"
        "[05-Jan-2024 09:59:23] ERROR: Unable to include /etc/php/8.2/fpm/pool.d/www.conf from /etc/php/8.2/fpm/php-fpm.conf at line 143\n"
        "[05-Jan-2024 09:59:23] ERROR: failed to load configuration file '/etc/php/8.2/fpm/php-fpm.conf'\n"
        "[05-Jan-2024 09:59:23] ERROR: FPM initialization failed\n"
        "[05-Jan-2024 10:05:01] NOTICE: fpm is running, pid 4242\n"
        "[05-Jan-2024 10:05:01] NOTICE: ready to handle connections\n");
  fs::remove(root / "access.log.1");
  fs::remove(root / "access.log.2");

  // Not logs.
  write(log / "btmp", "");
  write(log / "lastlog", "");
  std::string wtmp(384 * 2, '\0');
  wtmp[0] = 2;  // BOOT_TIME
  std::memcpy(&wtmp[44], "~", 1);
  wtmp[384] = 7;  // USER_PROCESS
  std::memcpy(&wtmp[384 + 8], "pts/0", 5);
  write(log / "wtmp", wtmp);
  fs::create_symlink("../../usr/share/doc/systemd/README.logs", log / "README");
  return root;
}

TEST(VarLog, EveryFileDetectedEveryLineReadAndTheUpgradeIsTheTrigger) {
  ASSERT_TRUE(fs::exists(kJournalRemote)) << "systemd-journal-remote is missing (scripts/install-deps.sh test installs it)";
  const fs::path root = build_var_log();
  const std::string dir = (root / "var" / "log").string();

  const CommandResult r = run_hindcast({"analyze", dir, "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Not logs: one summary line, never a warning per file.
  for (const char* name : {"btmp", "lastlog", "wtmp", "README", "format not recognised"})
    EXPECT_EQ(r.err.find(name), std::string::npos) << name << " in:\n" << r.err;
  EXPECT_NE(r.err.find("4 files are not a log"), std::string::npos) << r.err;

  simdjson::dom::parser parser;
  const simdjson::padded_string json(r.out);
  const simdjson::dom::element report = parser.parse(json).value();
  const std::map<std::string, std::string> expected = {
      {"journal/3d1219c7c4c5404aaa1f6d2a48adfda4/system.journal", "journald-json"},
      {"dpkg.log", "dpkg"},
      {"apt/history.log", "apt-history"},
      {"apt/term.log", "apt-term"},
      {"alternatives.log", "alternatives"},
      {"unattended-upgrades/unattended-upgrades.log", "python-logging"},
      {"unattended-upgrades/unattended-upgrades-dpkg.log", "apt-term"},
      {"nginx/access.log.2.xz", "apache-access"},
      {"nginx/access.log.1.zst", "apache-access"},
      {"nginx/access.log", "apache-access"},
      {"nginx/error.log", "nginx-error"},
      {"php8.2-fpm.log", "php-fpm"},
  };
  std::map<std::string, std::string> seen;
  const simdjson::dom::array sources = report["sources"].get_array().value();
  for (simdjson::dom::element s : sources) {
    const std::string path(std::string_view(s["path"].get_string().value()));
    const std::string rel = path.substr(dir.size() + 1);
    seen[rel] = std::string(std::string_view(s["format"].get_string().value()));
    SCOPED_TRACE(rel);
    const uint64_t lines = s["lines"].get_uint64().value(), events = s["events"].get_uint64().value(),
                   skipped = s["skipped"].get_uint64().value(), cont = s["continuation_lines"].get_uint64().value();
    EXPECT_GT(events, 0u);
    EXPECT_EQ(lines, events + cont + skipped) << "a line went missing";
    const simdjson::dom::array skips = s["skipped_examples"].get_array().value();
    for (simdjson::dom::element k : skips)
      EXPECT_TRUE(std::string_view(k["reason"].get_string().value()).starts_with("blank line"));  // explained
  }
  EXPECT_EQ(seen, expected);

  // The incident is the 502 burst; the upgrade of php8.2-fpm right before it is the trigger.
  const simdjson::dom::element incident = report["incident"];
  ASSERT_FALSE(incident.is_null());
  // It starts with PHP-FPM's failed start (09:59:23) or the first 502 (10:00:00).
  const int64_t start = parse_time_ns(std::string(std::string_view(incident["start"].get_string().value())));
  EXPECT_GE(start, parse_time_ns("2024-01-05T09:59:23Z"));
  EXPECT_LE(start, parse_time_ns("2024-01-05T10:00:00Z"));
  const simdjson::dom::element trigger = report["trigger"];
  ASSERT_FALSE(trigger.is_null()) << r.out;
  const std::string message(std::string_view(trigger["message"].get_string().value()));
  const std::string source(std::string_view(trigger["source"].get_string().value()));
  EXPECT_NE(message.find("php8.2-fpm"), std::string::npos) << message;
  EXPECT_TRUE(source.ends_with("/dpkg.log") || source.ends_with("/apt/history.log")) << source;
  EXPECT_LT(parse_time_ns(std::string(std::string_view(trigger["time"].get_string().value()))), start);

  // sniff lists the non-logs once, with the reason.
  const CommandResult sniff = run_hindcast({"sniff", dir});
  EXPECT_EQ(sniff.exit_code, 0);
  for (const char* line : {"/btmp  (empty)", "/lastlog  (empty)", "/wtmp  (binary login records (utmp/wtmp/btmp))",
                           "/README  (symbolic link to ../../usr/share/doc/systemd/README.logs, which does not exist here)"})
    EXPECT_NE(sniff.out.find(line), std::string::npos) << line << " in:\n" << sniff.out;
  EXPECT_NE(sniff.out.find("compressed: xz"), std::string::npos);
  EXPECT_NE(sniff.out.find("compressed: zstd"), std::string::npos);
  if (!HasFailure() && !std::getenv("HINDCAST_KEEP_VARLOG")) fs::remove_all(root);  // kept to look at otherwise
}

// Issue 28, item 7: a journal next to its archived `.journal~` copy doubled every count. The same
// entry (seqnum_id and seqnum) is counted once, the copy's repeats are skipped lines with the
// reason; another journal's entries (its own seqnum_id) are all read.
TEST(VarLog, AJournalBesideItsArchivedCopyIsCountedOnce) {
  ASSERT_TRUE(fs::exists(kJournalRemote));
  const fs::path root = fs::temp_directory_path() / ("hindcast-journal-copy-" + std::to_string(getpid()));
  fs::remove_all(root);
  const auto journal = [&](const fs::path& path, int entries, const std::string& what) {
    std::string exp;
    for (int i = 0; i < entries; ++i)
      exp += export_entry(1704448800LL * 1'000'000 + i * 1'000'000LL, 5'000'000 + i * 1'000'000LL, "app", 100, 6,
                          what + " " + std::to_string(i));
    write(root / "export.txt", exp);
    ASSERT_EQ(std::system((std::string(kJournalRemote) + " --output=" + path.string() + " " +
                           (root / "export.txt").string() + " >/dev/null 2>&1").c_str()),
              0);
    fs::remove(root / "export.txt");
  };
  const fs::path dir = root / "journal" / "3d1219c7c4c5404aaa1f6d2a48adfda4";
  fs::create_directories(dir);
  journal(dir / "system.journal", 300, "request");
  journal(dir / "user-1000.journal", 20, "user job");
  fs::copy_file(dir / "system.journal", dir / "system@0005e3c1a2b3c4d5-1f2e3d4c5b6a7988.journal~");
  const CommandResult count = run_hindcast({"timeline", "--format", "count", root.string()});
  EXPECT_EQ(count.out, "320\n") << count.err;
  EXPECT_NE(count.err.find(".journal~: 300 journal entries are also in " + (dir / "system.journal").string()), std::string::npos)
      << count.err;
  const CommandResult sniff = run_hindcast({"sniff", root.string()});
  EXPECT_NE(sniff.out.find("skipped:    300 × the same journal entry as in"), std::string::npos) << sniff.out;
  fs::remove_all(root);
}

// A journal copied while it was being written, or cut short: the entries before the cut are
// read (sd-journal refuses such a file; its objects are walked), and the loss is counted.
TEST(VarLog, TruncatedJournalKeepsTheReadableEntriesAndCountsTheLost) {
  ASSERT_TRUE(fs::exists(kJournalRemote));
  const fs::path root = fs::temp_directory_path() / ("hindcast-journal-" + std::to_string(getpid()));
  fs::remove_all(root);
  fs::create_directories(root);
  std::string exp;
  const int64_t t0 = 1704448800LL * 1'000'000;
  for (int i = 0; i < 400; ++i)
    exp += export_entry(t0 + i * 1'000'000LL, 5'000'000 + i * 1'000'000LL, "app", 100 + i % 7, 6,
                        "request " + std::to_string(i) + " handled");
  write(root / "export.txt", exp);
  const fs::path full = root / "full.journal";
  ASSERT_EQ(std::system((std::string(kJournalRemote) + " --output=" + full.string() + " " + (root / "export.txt").string() +
                         " >/dev/null 2>&1").c_str()),
            0);
  const CommandResult whole = run_hindcast({"timeline", full.string(), "--format", "count"});
  EXPECT_EQ(whole.out, "400\n") << whole.err;
  // Evidence lines are entry ordinals: the same entry has the same line in every run.
  const CommandResult jsonl = run_hindcast({"timeline", full.string(), "--format", "jsonl"});
  EXPECT_NE(jsonl.out.find("\"line\":37,"), std::string::npos);
  EXPECT_NE(jsonl.out.find("request 36 handled"), std::string::npos);

  // Cut the file 60 bytes before its last object ends: the tail is lost.
  std::string bytes = read_file(full.string());
  uint64_t tail = 0;
  std::memcpy(&tail, bytes.data() + 136, 8);  // header: tail_object_offset
  ASSERT_GT(tail, 0u);
  write(root / "cut.journal", bytes.substr(0, tail - 200));
  const CommandResult cut = run_hindcast({"sniff", (root / "cut.journal").string()});
  EXPECT_EQ(cut.exit_code, 0) << cut.err;
  EXPECT_NE(cut.err.find("damaged or truncated journal file"), std::string::npos) << cut.err;
  EXPECT_NE(cut.err.find("of 400 entries read"), std::string::npos) << cut.err;
  EXPECT_NE(cut.out.find("format:     journald-json"), std::string::npos) << cut.out;
  fs::remove_all(root);
}

// dmesg saved next to the logs counts seconds since boot; the journal's copies of the same kernel
// messages give the boot time, and the dmesg lines join the UTC timeline at their instant.
TEST(VarLog, DmesgAnchoredOnTheJournalsBootTime) {
  ASSERT_TRUE(fs::exists(kJournalRemote));
  const fs::path root = fs::temp_directory_path() / ("hindcast-dmesg-" + std::to_string(getpid()));
  fs::remove_all(root);
  fs::create_directories(root);
  const int64_t boot_us = 1704438000LL * 1'000'000;  // 2024-01-05T07:00:00Z
  struct Kmsg {
    int64_t mono_us;
    const char* text;
  } const kmsgs[] = {
      {1'234'567, "EXT4-fs (sda1): mounted filesystem with ordered data mode. Quota mode: none."},
      {10'864'123'456, "Out of memory: Killed process 4321 (php-fpm8.2) total-vm:1048576kB, anon-rss:524288kB, file-rss:0kB, shmem-rss:0kB, UID:33 pgtables:2048kB oom_score_adj:0"},
      {10'865'000'001, "php-fpm8.2[4400]: segfault at 0 ip 00007f1e2a3b4c5d sp 00007ffd1e2f3a40 error 4 in libc.so.6[7f1e2a300000+155000]"},
  };
  std::string exp, dmesg;
  for (const Kmsg& k : kmsgs) {
    // journald reads the kernel's messages a little after they were written.
    exp += export_entry(boot_us + k.mono_us + 900, k.mono_us + 900, "kernel", 0, 3, k.text);
    char stamp[32];
    std::snprintf(stamp, sizeof stamp, "[%5lld.%06lld] ", static_cast<long long>(k.mono_us / 1'000'000),
                  static_cast<long long>(k.mono_us % 1'000'000));
    dmesg += std::string(stamp) + k.text + "\n";
  }
  write(root / "export.txt", exp);
  ASSERT_EQ(std::system((std::string(kJournalRemote) + " --output=" + (root / "system.journal").string() + " " +
                         (root / "export.txt").string() + " >/dev/null 2>&1").c_str()),
            0);
  fs::remove(root / "export.txt");
  write(root / "dmesg.txt", dmesg);
  const CommandResult r = run_hindcast({"timeline", root.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // 07:00:00 + 10864.123456 s = 10:01:04.123456, the boot time being the median estimate.
  EXPECT_NE(r.out.find("2024-01-05T10:01:04.12"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("dmesg.txt:2"), std::string::npos) << r.out;
  const CommandResult sniff = run_hindcast({"sniff", root.string()});
  EXPECT_NE(sniff.out.find("anchored on the boot time 2024-01-05T07:00:00.000900Z"), std::string::npos) << sniff.out;
  EXPECT_EQ(sniff.out.find("no absolute time"), std::string::npos) << sniff.out;
  fs::remove_all(root);
}

// kern.log (rsyslog) embeds the kernel's since-boot stamp in each line: the same messages in a
// saved dmesg give the boot time without any journal.
TEST(VarLog, DmesgAnchoredOnKernLog) {
  const fs::path root = fs::temp_directory_path() / ("hindcast-kernlog-" + std::to_string(getpid()));
  fs::remove_all(root);
  write(root / "kern.log",
        "Jan  5 07:00:01 www1 kernel: [    1.234567] EXT4-fs (sda1): mounted filesystem with ordered data mode. Quota mode: none.\n"
        "Jan  5 10:01:04 www1 kernel: [10864.123456] Out of memory: Killed process 4321 (php-fpm8.2) total-vm:1048576kB\n"
        "Jan  5 10:01:05 www1 kernel: [10865.000001] php-fpm8.2[4400]: segfault at 0 ip 00007f1e2a3b4c5d sp 00007ffd1e2f3a40 error 4\n");
  write(root / "dmesg.txt",
        "[    1.234567] EXT4-fs (sda1): mounted filesystem with ordered data mode. Quota mode: none.\n"
        "[10864.123456] Out of memory: Killed process 4321 (php-fpm8.2) total-vm:1048576kB\n"
        "[10865.000001] php-fpm8.2[4400]: segfault at 0 ip 00007f1e2a3b4c5d sp 00007ffd1e2f3a40 error 4\n");
  const CommandResult sniff = run_hindcast({"sniff", root.string(), "--year", "2024"});
  EXPECT_EQ(sniff.exit_code, 0) << sniff.err;
  EXPECT_NE(sniff.out.find("anchored on the boot time 2024-01-05T06:59:59"), std::string::npos) << sniff.out;
  EXPECT_NE(sniff.out.find("kern.log (2 kernel messages in both, median)"), std::string::npos) << sniff.out;
  fs::remove_all(root);
}

// The issue's acceptance: `hindcast sniff /var/log` on the machine the tests run on reads every
// text log present: none is "format not recognised", every line is read or counted with a reason.
TEST(VarLog, ThisMachinesVarLogIsReadOrExplained) {
  const CommandResult r = run_hindcast({"sniff", "/var/log"});
  ASSERT_EQ(r.exit_code, 0) << r.err;  // a Debian host with packages installed has dpkg.log at least
  EXPECT_EQ(r.err.find("format not recognised"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("format:     unknown"), std::string::npos) << r.out;
  size_t pos = 0, sources = 0;
  while ((pos = r.out.find("\n  lines:      ", pos)) != std::string::npos) {
    pos += 15;
    unsigned long long lines = 0, events = 0, cont = 0, skipped = 0;
    ASSERT_EQ(std::sscanf(r.out.c_str() + pos, "%llu (%llu events, %llu continuation, %llu skipped)", &lines, &events,
                          &cont, &skipped),
              4);
    EXPECT_EQ(lines, events + cont + skipped);
    ++sources;
  }
  EXPECT_GT(sources, 0u) << r.out;
}

// .xz and .zst rotations read like plain files; cut short, they keep what was decoded and say
// what was lost, as .gz does.
TEST(VarLog, CompressedRotationsAndTheirDamage) {
  const fs::path root = fs::temp_directory_path() / ("hindcast-xz-" + std::to_string(getpid()));
  fs::remove_all(root);
  fs::create_directories(root);
  write(root / "plain", access_lines(9 * 3600, 10 * 3600, 1, 200));  // 3600 lines
  ASSERT_EQ(std::system(("xz -c " + (root / "plain").string() + " > " + (root / "a.xz").string()).c_str()), 0);
  ASSERT_EQ(std::system(("zstd -q -c " + (root / "plain").string() + " > " + (root / "a.zst").string()).c_str()), 0);
  for (const char* name : {"a.xz", "a.zst"}) {
    SCOPED_TRACE(name);
    const CommandResult whole = run_hindcast({"timeline", (root / name).string(), "--format", "count"});
    EXPECT_EQ(whole.out, "3600\n") << whole.err;
    const std::string bytes = read_file((root / name).string());
    write(root / (std::string("cut-") + name), bytes.substr(0, bytes.size() * 2 / 3));
    const CommandResult cut = run_hindcast({"timeline", (root / (std::string("cut-") + name)).string(), "--format", "count"});
    EXPECT_EQ(cut.exit_code, 0) << cut.err;
    EXPECT_NE(cut.err.find("the part before it is used"), std::string::npos) << cut.err;
    const long n = std::stol(cut.out);
    EXPECT_GT(n, 100);
    EXPECT_LT(n, 3600);
  }
  fs::remove_all(root);
}

// An nginx log_format given in nginx's own syntax: a layout no built-in format reads.
TEST(VarLog, NginxLogFormatGivenAsIs) {
  const fs::path root = fs::temp_directory_path() / ("hindcast-nginxfmt-" + std::to_string(getpid()));
  fs::remove_all(root);
  write(root / "access.log",
        "1704448802.123 192.0.2.10 \"GET /index.php HTTP/1.1\" 502 157 rt=0.001 www.example.org\n"
        "1704448803.456 192.0.2.11 \"GET / HTTP/1.1\" 200 5120 rt=0.120 www.example.org\n");
  const CommandResult plain = run_hindcast({"timeline", root.string(), "--format", "count"});
  EXPECT_EQ(plain.exit_code, 2) << plain.out;  // nothing readable without the format
  const std::string fmt = R"($msec $remote_addr "$request" $status $body_bytes_sent rt=$request_time $host)";
  const CommandResult r = run_hindcast({"timeline", root.string(), "--access-format", fmt, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"time\":\"2024-01-05T10:00:02.123Z\""), std::string::npos) << r.out << r.err;
  EXPECT_NE(r.out.find("\"kind\":\"http_request\""), std::string::npos) << r.out;
  fs::remove_all(root);
}

}  // namespace
}  // namespace hindcast::test
