// What messages mean: real lines from the recorded incidents and from the software's own
// documentation and test suites (Apache, PHP, nginx, systemd, the kernel, MySQL clients).
#include <gtest/gtest.h>

#include "engine/findings/path_similarity.h"
#include "engine/findings/templates.h"
#include "engine/findings/vocabulary.h"

namespace hindcast {
namespace {

TEST(Vocabulary, PhpWarningNamesMissingPathErrnoAndReference) {
  // seed-classic error.log (the ", referer:" suffix is split off by the error-log decoder).
  const MessageFacts f = read_message_text(
      "PHP Warning:  require(/srv/devgen-site/wp-includes/class-wp-locale.phpp): Failed to open stream: No such file or "
      "directory in /srv/devgen-site/wp-settings.php on line 134");
  EXPECT_EQ(f.meaning, Meaning::kMissingFile);
  EXPECT_EQ(f.path, "/srv/devgen-site/wp-includes/class-wp-locale.phpp");
  EXPECT_EQ(f.errno_name, "ENOENT");
  ASSERT_TRUE(f.referenced_from.has_value());
  EXPECT_EQ(f.referenced_from->file, "/srv/devgen-site/wp-settings.php");
  EXPECT_EQ(f.referenced_from->line, 134u);
}

TEST(Vocabulary, PhpFatalKeepsTheFailedPath) {
  const MessageFacts f = read_message_text(
      "PHP Fatal error:  Uncaught Error: Failed opening required '/srv/devgen-site/wp-includes/class-wp-locale.phpp' "
      "(include_path='.:/usr/share/php') in /srv/devgen-site/wp-settings.php:134");
  EXPECT_EQ(f.meaning, Meaning::kPhpFatal);
  EXPECT_EQ(f.path, "/srv/devgen-site/wp-includes/class-wp-locale.phpp");
}

TEST(Vocabulary, ParseErrorNamesFileAndLine) {
  const MessageFacts f = read_message_text("PHP Parse error:  Unmatched '}' in /srv/devgen-site/wp-includes/formatting.php on line 8");
  EXPECT_EQ(f.meaning, Meaning::kPhpParseError);
  EXPECT_EQ(f.detail, "Unmatched '}'");
  ASSERT_TRUE(f.referenced_from.has_value());
  EXPECT_EQ(f.referenced_from->file, "/srv/devgen-site/wp-includes/formatting.php");
  EXPECT_EQ(f.referenced_from->line, 8u);
}

TEST(Vocabulary, AprErrnoPrefixAndTheFirstPathNotTheDirectoryHint) {
  // htaccess-eacces error.log: the path that failed comes first; the quoted directory is advice.
  const MessageFacts f = read_message_text(
      "(13)Permission denied: [client 2001:db8:e49d::3cb9:0] AH00529: /srv/devgen-site/.htaccess pcfg_openfile: unable "
      "to check htaccess file, ensure it is readable and that '/srv/devgen-site/' is executable");
  EXPECT_EQ(f.meaning, Meaning::kPermissionDenied);
  EXPECT_EQ(f.errno_name, "EACCES");
  EXPECT_EQ(f.path, "/srv/devgen-site/.htaccess");
}

TEST(Vocabulary, DependencyRefusedWithItsAddress) {
  // cache-down-after-upgrade error.log: the warning and the fatal error both name it.
  MessageFacts f = read_message_text(
      "PHP Warning:  fsockopen(): Unable to connect to 127.0.0.1:11211 (Connection refused) in "
      "/var/www/blog.example.com/wp-content/object-cache.php on line 7");
  EXPECT_EQ(f.meaning, Meaning::kDependencyDown);
  EXPECT_EQ(f.endpoint, "127.0.0.1:11211");
  EXPECT_EQ(f.errno_name, "ECONNREFUSED");
  f = read_message_text(
      "PHP Fatal error:  Uncaught RuntimeException: Object cache unavailable: memcached 127.0.0.1:11211: Connection "
      "refused (111) in /var/www/blog.example.com/wp-content/object-cache.php:9");
  EXPECT_EQ(f.meaning, Meaning::kDependencyDown);
  EXPECT_EQ(f.endpoint, "127.0.0.1:11211");
  // nginx's wording (nginx docs), a unix socket upstream.
  f = read_message_text(
      "*5 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.1, server: _, "
      "request: \"GET / HTTP/1.1\", upstream: \"fastcgi://unix:/run/php/php8.2-fpm.sock:\"");
  EXPECT_EQ(f.meaning, Meaning::kDependencyDown);
  EXPECT_EQ(f.endpoint, "/run/php/php8.2-fpm.sock");
  // A MySQL client.
  f = read_message_text("PHP Warning:  mysqli_real_connect(): (HY000/2002): Can't connect to local MySQL server through socket '/run/mysqld/mysqld.sock' (2)");
  EXPECT_EQ(f.meaning, Meaning::kDependencyDown);
  EXPECT_EQ(f.endpoint, "/run/mysqld/mysqld.sock");
}

TEST(Vocabulary, LimitsNameTheirSetting) {
  // capacity-spike error.log; PHP-FPM's and PHP's own wording.
  EXPECT_EQ(read_message_text("AH00161: server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting").setting,
            "MaxRequestWorkers");
  const MessageFacts fpm = read_message_text("[pool www] server reached pm.max_children setting (5), consider raising it");
  EXPECT_EQ(fpm.meaning, Meaning::kResourceLimit);
  EXPECT_EQ(fpm.setting, "pm.max_children");
  const MessageFacts mem = read_message_text(
      "PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in /x/a.php on line 3");
  EXPECT_EQ(mem.meaning, Meaning::kResourceLimit);
  EXPECT_EQ(mem.setting, "memory_limit");
  EXPECT_EQ(read_message_text("accept4() failed (24: Too many open files)").meaning, Meaning::kResourceLimit);
}

TEST(Vocabulary, CrashesNameTheSignal) {
  // segfault-recursion error.log; the kernel's and systemd's wording.
  MessageFacts f = read_message_text("AH00052: child pid 14533 exit signal Segmentation fault (11)");
  EXPECT_EQ(f.meaning, Meaning::kCrash);
  EXPECT_EQ(f.signal, "SIGSEGV");
  f = read_message_text("php-fpm8.2[4711]: segfault at 0 ip 00007f3a2c8d1e2a sp 00007ffd1c4c3f80 error 4 in libc.so.6[7f3a2c7a0000+155000]");
  EXPECT_EQ(f.meaning, Meaning::kCrash);
  EXPECT_EQ(f.signal, "SIGSEGV");
  f = read_message_text("Out of memory: Killed process 2314 (mysqld) total-vm:2345612kB, anon-rss:1234567kB");
  EXPECT_EQ(f.meaning, Meaning::kCrash);
  EXPECT_EQ(f.service, "mysqld");
  Record r;
  r.program = "systemd";
  r.message = "php8.2-fpm.service: Main process exited, code=killed, status=11/SEGV";
  f = read_message(r);
  EXPECT_EQ(f.meaning, Meaning::kCrash);
  EXPECT_EQ(f.signal, "SIGSEGV");
  EXPECT_EQ(f.service, "php8.2-fpm.service");
}

TEST(Vocabulary, AGracefulStopIsNoCrash) {
  // Every recorded case's error.log ends with Apache's own stop.
  EXPECT_EQ(read_message_text("AH00169: caught SIGTERM, shutting down").meaning, Meaning::kServiceStopped);
  EXPECT_EQ(read_message_text("AH00171: Graceful restart requested, doing restart").meaning, Meaning::kServiceRestarted);
}

TEST(Vocabulary, ConfigurationErrors) {
  MessageFacts f = read_message_text(
      "/var/www/site/.htaccess: Invalid command 'RewriteEngin', perhaps misspelled or defined by a module not included "
      "in the server configuration");
  EXPECT_EQ(f.meaning, Meaning::kConfigSyntax);
  EXPECT_EQ(f.path, "/var/www/site/.htaccess");
  EXPECT_EQ(f.setting, "RewriteEngin");
  f = read_message_text("AH00526: Syntax error on line 12 of /etc/apache2/sites-enabled/blog.conf:");
  EXPECT_EQ(f.meaning, Meaning::kConfigSyntax);
  ASSERT_TRUE(f.referenced_from.has_value());
  EXPECT_EQ(f.referenced_from->line, 12u);
  f = read_message_text("unknown directive \"proxy_passs\" in /etc/nginx/sites-enabled/default:42");
  EXPECT_EQ(f.meaning, Meaning::kConfigSyntax);
  EXPECT_EQ(f.setting, "proxy_passs");
}

TEST(Vocabulary, ServiceManagerAndMonitors) {
  // cache-down-after-upgrade syslog (systemd), check_http's own output.
  Record r;
  r.program = "systemd";
  r.message = "memcached.service: Failed with result 'exit-code'.";
  MessageFacts f = read_message(r);
  EXPECT_EQ(f.meaning, Meaning::kServiceFailed);
  EXPECT_EQ(f.service, "memcached.service");
  r.message = "Started memcached.service - memcached daemon.";
  EXPECT_EQ(read_message(r).meaning, Meaning::kServiceStarted);
  r.message = "Reloading apache2.service - The Apache HTTP Server...";
  EXPECT_EQ(read_message(r).meaning, Meaning::kServiceRestarted);
  EXPECT_EQ(read_message_text("CRITICAL - Socket timeout after 10 seconds").meaning, Meaning::kMonitorFailing);
  EXPECT_EQ(read_message_text("HTTP CRITICAL: HTTP/1.0 500 Internal Server Error - 185 bytes in 0.001 second response time").meaning,
            Meaning::kMonitorFailing);
  EXPECT_EQ(read_message_text("HTTP OK: HTTP/1.1 200 OK - 203 bytes in 0.001 second response time").meaning, Meaning::kMonitorOk);
  // "BROKEN" contains OK; it is not a passing check.
  EXPECT_NE(read_message_text("pipe BROKEN while writing").meaning, Meaning::kMonitorOk);
  EXPECT_EQ(read_message_text("SERVICE ALERT: www1;HTTP;CRITICAL;HARD;3;Connection refused").meaning, Meaning::kMonitorFailing);
}

TEST(Vocabulary, ClientErrorsAreNotCauses) {
  EXPECT_EQ(read_message_text("AH01630: client denied by server configuration: /var/www/blog.example.com/").meaning,
            Meaning::kClientError);
  EXPECT_EQ(read_message_text("AH00128: File does not exist: /var/www/blog.example.com/.env").meaning, Meaning::kClientError);
  EXPECT_FALSE(cause_kind(Meaning::kClientError).has_value());
}

TEST(Vocabulary, ServicesOfEndpoints) {
  EXPECT_EQ(service_of_endpoint("127.0.0.1:11211"), "memcached");
  EXPECT_EQ(service_of_endpoint("[::1]:5432"), "postgresql");
  EXPECT_EQ(service_of_endpoint("/run/mysqld/mysqld.sock"), "mysqld");
  EXPECT_TRUE(same_service("memcached.service", "memcached"));
  EXPECT_TRUE(same_service("mariadb.service", "mysqld"));
  EXPECT_TRUE(same_service("php8.2-fpm.service", "php8.2-fpm"));
  EXPECT_FALSE(same_service("apache2.service", "memcached"));
  // A port nobody assigned: the server is the word the address is named with (lab
  // memcached-stopped-saopaulo, an application's exception; and the wordings of other clients).
  EXPECT_EQ(read_message_text("PHP Fatal error:  Uncaught RuntimeException: cache unavailable: memcached 127.0.0.1:19731: "
                              "CONNECTION FAILURE in /var/www/feira-paulista/app/cache.php:15")
                .service,
            "memcached");
  EXPECT_EQ(read_message_text("Redis server at 10.0.0.3:6380 went away").service, "redis");
  EXPECT_EQ(read_message_text("upstream timed out while reading from 10.0.0.3:8081").service, "");
}

// A daemon's trailing "d" is one letter more or less of the same name (mysqld, mariadbd), not a
// suffix to strip: stripping it made httpd "http", and the apache2/httpd alias (Debian's unit,
// Red Hat's program) never matched. Fails on the stem same_service had before 11725ca.
TEST(Vocabulary, ApacheUnitIsTheHttpdProgram) {
  EXPECT_TRUE(same_service("apache2.service", "httpd"));
  EXPECT_TRUE(same_service("httpd.service", "apache2"));
  EXPECT_TRUE(same_service("httpd", "apache2.service"));
  EXPECT_TRUE(same_service("httpd.service", "httpd"));
  EXPECT_TRUE(same_service("mariadbd", "mysql"));
  EXPECT_FALSE(same_service("httpd.service", "nginx"));
}

// One reading of a path in free text, for a message's failed path, a change's named file and an
// action's terms (three copies before, each with its own delimiters).
TEST(Vocabulary, PathsInAMessage) {
  using V = std::vector<std::string_view>;
  EXPECT_EQ(paths_in("release 3 to /srv/app: 1 file changed (/srv/app/lib/x.php)"), (V{"/srv/app", "/srv/app/lib/x.php"}));
  EXPECT_EQ(paths_in("open() \"/var/www/html/index.php\" failed (13: Permission denied)"), (V{"/var/www/html/index.php"}));
  EXPECT_EQ(paths_in("chown -R www-data '/var/cache/app', then [/etc/x];/etc/y."), (V{"/var/cache/app", "/etc/x", "/etc/y"}));
  EXPECT_EQ(paths_in("COMMAND=/usr/bin/systemctl restart php8.2-fpm"), (V{"/usr/bin/systemctl"}));
  EXPECT_EQ(paths_in("GET /index.php?a=b/c HTTP/1.1"), (V{"/index.php?a=b/c"}));  // HTTP/1.1 is relative
  EXPECT_EQ(paths_in("unix:/run/php/php8.2-fpm.sock"), (V{"/run/php/php8.2-fpm.sock"}));
  EXPECT_TRUE(paths_in("2/3 workers busy, 10.0.0.0/8 / . no path").empty());
  // relative: a word holding a '/' from its start, '=' beginning one
  EXPECT_EQ(paths_in("deployed app/routes/web.php and file=lib/x.php", true), (V{"app/routes/web.php", "lib/x.php"}));
  EXPECT_EQ(paths_in("deployed app/routes/web.php", false), V{});
}

TEST(Templates, NumbersPathsAndAddressesAreMasked) {
  TemplateMiner m;
  const uint32_t a = m.add("php", "PHP Warning:  require(/a/b.phpp): Failed to open stream: No such file or directory in /a/s.php on line 134");
  const uint32_t b = m.add("php", "PHP Warning:  require(/c/d.phpp): Failed to open stream: No such file or directory in /a/s.php on line 99");
  EXPECT_EQ(a, b);
  const uint32_t c = m.add("mpm_prefork", "AH00052: child pid 14533 exit signal Segmentation fault (11)");
  const uint32_t d = m.add("mpm_prefork", "AH00052: child pid 14597 exit signal Segmentation fault (11)");
  EXPECT_EQ(c, d);
  EXPECT_NE(a, c);
  // The same words from another writer are another template.
  EXPECT_NE(m.add("core", "AH00052: child pid 1 exit signal Segmentation fault (11)"), c);
  // Different wording of the same length: not joined.
  const uint32_t ok = m.add("check_http", "HTTP OK: HTTP/1.1 200 OK - 203 bytes in 0.001 second response time");
  const uint32_t bad = m.add("check_http", "HTTP CRITICAL: HTTP/1.0 500 Internal Server Error - 185 bytes in 0.001 second");
  EXPECT_NE(ok, bad);
  EXPECT_EQ(m.text(c), "<*> child pid <*> exit signal Segmentation fault <*>");
}

TEST(PathSimilarity, EditDistanceAndIntendedPath) {
  EXPECT_EQ(edit_distance("class-wp-locale.phpp", "class-wp-locale.php"), 1);
  EXPECT_EQ(edit_distance("wp-settigns.php", "wp-settings.php"), 1);
  EXPECT_EQ(edit_distance("", "abc"), 3);
  const std::unordered_set<std::string> existing = {"/srv/site/wp-includes/class-wp-locale.php", "/srv/other/x.php"};
  EXPECT_EQ(find_intended_path("/srv/site/wp-includes/class-wp-locale.phpp", existing),
            "/srv/site/wp-includes/class-wp-locale.php");
  EXPECT_FALSE(find_intended_path("/srv/site/missing-page.html", existing).has_value());
}

// Kernel lines of a failing disk or filesystem (the wording of fs/ext4/super.c, fs/xfs,
// fs/btrfs, block/blk-core.c and fs/buffer.c): errors whatever the line's priority, with the
// device named; ordinary kernel chatter is not.
TEST(Vocabulary, KernelStorageFailuresNameTheDevice) {
  struct Case {
    const char* line;
    const char* device;
    const char* errno_name;
  };
  const Case cases[] = {
      {"EXT4-fs error (device sda1): ext4_find_entry:1463: inode #2: comm nginx: reading directory lblock 0", "sda1", "EIO"},
      {"EXT4-fs (sda1): Remounting filesystem read-only", "sda1", "EROFS"},
      {"blk_update_request: I/O error, dev sda, sector 1234567 op 0x1:(WRITE) flags 0x800 phys_seg 1 prio class 0", "sda", "EIO"},
      {"I/O error, dev nvme0n1, sector 2048 op 0x0:(READ) flags 0x80700 phys_seg 1 prio class 2", "nvme0n1", "EIO"},
      {"Buffer I/O error on dev dm-0, logical block 0, lost async page write", "dm-0", "EIO"},
      {"XFS (dm-0): metadata I/O error in \"xfs_trans_read_buf_map\" at daddr 0x2 len 1 error 5", "dm-0", "EIO"},
      {"BTRFS error (device vdb): bdev /dev/vdb errs: wr 1, rd 0, flush 0, corrupt 0, gen 0", "vdb", "EIO"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.line);
    const MessageFacts f = read_message_text(c.line);
    EXPECT_EQ(f.meaning, Meaning::kOtherError);
    EXPECT_EQ(f.device, c.device);
    EXPECT_EQ(f.errno_name, c.errno_name);
  }
  for (const char* quiet : {"EXT4-fs (sda1): mounted filesystem with ordered data mode. Quota mode: none.",
                            "XFS (dm-0): Ending clean mount", "PHP Warning:  fwrite(): I/O error while writing"}) {
    SCOPED_TRACE(quiet);
    EXPECT_TRUE(read_message_text(quiet).device.empty());
  }
}


// Lab recordings (tls-upstream-expired-multihost, dns-hosts-edit): nginx relays PHP's errors.
TEST(Vocabulary, TlsFailureRelayedByTheWebServerNamesNotItsFastCgiSocket) {
  Record r;
  r.message = "FastCGI sent in stderr: \"PHP message: rates API unavailable: SSL certificate problem: certificate has "
              "expired (errno 60)\" while reading response header from upstream";
  r.endpoint = "/run/php/php8.2-fpm-thamesquotes.sock";
  const MessageFacts f = read_message(r);
  EXPECT_EQ(f.meaning, Meaning::kTlsFailure);
  EXPECT_EQ(f.certificate, "") << "the relay's socket is not the peer whose certificate expired";
  EXPECT_EQ(cause_kind(f.meaning), CauseKind::kTlsFailure);
}

TEST(Vocabulary, DnsFailureNamesTheHostThatDidNotResolve) {
  const MessageFacts f = read_message_text(
      "FastCGI sent in stderr: \"PHP message: PHP Fatal error:  Uncaught PDOException: SQLSTATE[08006] [7] could not "
      "translate host name \"pgsql-primary.lan\" to address: Temporary failure in name resolution in "
      "/var/www/tienda-andina/app/db.php:6");
  EXPECT_EQ(f.meaning, Meaning::kDnsFailure);
  EXPECT_EQ(f.name, "pgsql-primary.lan");
  EXPECT_EQ(cause_kind(f.meaning), CauseKind::kDnsFailure);
}


// Lab recording pg-conf-typo-multihost: PostgreSQL refusing its configuration at start.
TEST(Vocabulary, PostgresSyntaxErrorNamesFileAndLine) {
  const MessageFacts f = read_message_text(
      "syntax error in file \"/etc/postgresql/15/ledger/postgresql.conf\" line 5, near token \"0\"");
  EXPECT_EQ(f.meaning, Meaning::kConfigSyntax);
  ASSERT_TRUE(f.referenced_from.has_value());
  EXPECT_EQ(f.referenced_from->file, "/etc/postgresql/15/ledger/postgresql.conf");
  EXPECT_EQ(f.referenced_from->line, 5u);
  const MessageFacts g = read_message_text("configuration file \"/etc/postgresql/15/ledger/postgresql.conf\" contains errors");
  EXPECT_EQ(g.meaning, Meaning::kConfigSyntax);
  EXPECT_EQ(g.path, f.path) << "the two lines are one cause: one object";
}

TEST(Vocabulary, AFatalErrorAfterALimitsErrnoIsThatLimit) {
  // lab open-files-widgets-marquesas, nginx error.log: PHP-FPM's open-files limit was reached; the
  // application's RuntimeException is how the code gave up, not the cause.
  const MessageFacts f = read_message_text(
      "FastCGI sent in stderr: \"PHP message: PHP Warning:  fopen(/var/www/uapou-dive/widgets/w38.html): Failed to open "
      "stream: Too many open files in /var/www/uapou-dive/index.php on line 6; PHP message: PHP Fatal error:  Uncaught "
      "RuntimeException: sidebar: cannot open widget /var/www/uapou-dive/widgets/w38.html in /var/www/uapou-dive/index.php:8");
  EXPECT_EQ(f.meaning, Meaning::kResourceLimit);
  EXPECT_EQ(f.errno_name, "EMFILE");
  EXPECT_EQ(f.setting, "open files");
  ASSERT_TRUE(f.referenced_from.has_value());
  EXPECT_EQ(f.referenced_from->file, "/var/www/uapou-dive/index.php");
  // The same fatal error with no errno before it stays a fatal error.
  EXPECT_EQ(read_message_text("PHP Fatal error:  Uncaught RuntimeException: sidebar: cannot open widget "
                              "/var/www/uapou-dive/widgets/w38.html in /var/www/uapou-dive/index.php:8")
                .meaning,
            Meaning::kPhpFatal);
}

TEST(Vocabulary, ApacheRefusingAnHtaccessFileIsItsConfiguration) {
  // lab vhost-htaccess-flag-partial, error.log [core:alert]: the directive's own parser refused it.
  MessageFacts f = read_message_text(
      "[client 24.184.133.86:0] /var/www/orinoco-outlet/.htaccess: RewriteRule: unknown flag 'LL'");
  EXPECT_EQ(f.meaning, Meaning::kConfigSyntax);
  EXPECT_EQ(f.path, "/var/www/orinoco-outlet/.htaccess");
  EXPECT_EQ(f.setting, "RewriteRule");
  // Apache's wording for a section it cannot read ("<IfModule takes one argument").
  f = read_message_text("/srv/site/.htaccess: <IfModule takes one argument, Container for directives");
  EXPECT_EQ(f.meaning, Meaning::kConfigSyntax);
  EXPECT_EQ(f.path, "/srv/site/.htaccess");
  // An unreadable .htaccess is a permission problem, not its syntax (htaccess-eacces).
  f = read_message_text(
      "(13)Permission denied: [client 2001:db8:e49d::3cb9:0] AH00529: /srv/devgen-site/.htaccess pcfg_openfile: unable "
      "to check htaccess file, ensure it is readable and that '/srv/devgen-site/' is executable");
  EXPECT_EQ(f.meaning, Meaning::kPermissionDenied);
}

TEST(Vocabulary, ARelayedMessageNamesTheBackendsDependencyNotTheRelay) {
  // lab api-stall-recovered-multihost, nginx error.log: libcurl's timeout as the application
  // passed it on (no errno text), relayed from PHP-FPM's stderr.
  const MessageFacts f = read_message_text(
      "*1032 FastCGI sent in stderr: \"PHP message: stock lookup failed: http://inventory.kona-internal:20031/v2/stock/7: "
      "Operation timed out after 2000 milliseconds with 0 bytes received (curl 28)\" while reading response header from "
      "upstream, client: 10.9.0.4, server: kona, request: \"GET /item.php?id=7 HTTP/1.1\", upstream: "
      "\"fastcgi://unix:/run/php/php8.2-fpm-konasurf.sock:\", host: \"kona\"");
  EXPECT_EQ(f.meaning, Meaning::kDependencyDown);
  EXPECT_EQ(f.endpoint, "inventory.kona-internal:20031");
  // nginx's own failure to reach the backend names the backend's socket.
  EXPECT_EQ(read_message_text("connect() to unix:/run/php/php8.2-fpm.sock failed (111: Connection refused) while "
                              "connecting to upstream, client: 127.0.0.1, upstream: \"fastcgi://unix:/run/php/php8.2-fpm.sock:\"")
                .endpoint,
            "/run/php/php8.2-fpm.sock");
}

}  // namespace
}  // namespace hindcast
