#include "bench/log_generator.h"
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace hindcast::bench {
namespace {

struct Rng {
  uint64_t s;
  uint64_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  uint32_t below(uint32_t n) { return static_cast<uint32_t>(next() % n); }
};

constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr const char* kDays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};  // 1970-01-01 was a Thursday
constexpr const char* kPaths[] = {"/", "/index.php", "/?p=12", "/wp-login.php", "/index.php?page_id=2", "/health.txt",
                                  "/wp-content/themes/plain/style.css", "/wp-content/uploads/logo.png", "/feed/",
                                  "/missing-page.html", "/robots.txt", "/wp-json/wp/v2/posts?per_page=10"};
constexpr const char* kAgents[] = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "curl/7.88.1",
    "Googlebot/2.1 (+http://www.google.com/bot.html)", "check_http/v2.3.3 (monitoring-plugins 2.3.3)"};
constexpr const char* kPrograms[] = {"CRON", "check_http", "systemd", "sshd", "kernel", "postfix/smtpd", "dhclient"};

// Civil date from days since the epoch (Howard Hinnant's algorithm).
void civil(int64_t z, int* y, int* m, int* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = static_cast<int>(yoe + era * 400 + (*m <= 2));
}

struct Writer {
  FILE* f;
  std::string buf;
  size_t written = 0;
  explicit Writer(const std::string& path) : f(std::fopen(path.c_str(), "wb")) {
    if (!f) {
      std::perror(path.c_str());
      std::exit(1);
    }
    buf.reserve(1 << 22);
  }
  void line(const char* s, int n) {
    buf.append(s, static_cast<size_t>(n));
    written += static_cast<size_t>(n);
    if (buf.size() > (1 << 22) - 8192) flush();
  }
  void flush() {
    std::fwrite(buf.data(), 1, buf.size(), f);
    buf.clear();
  }
  ~Writer() {
    flush();
    std::fclose(f);
  }
};

constexpr int kOffsetHours = -5;  // the server's zone: EST, no DST change inside the period
constexpr int64_t kStart = 1704110400;  // 2024-01-01T12:00:00Z

// Local broken-down time of a UTC second plus microseconds.
struct Local {
  int y, mo, d, h, mi, s, wday;
};
Local local_of(int64_t utc) {
  const int64_t t = utc + kOffsetHours * 3600;
  const int64_t days = t / 86400, sod = t % 86400;
  Local l{};
  civil(days, &l.y, &l.mo, &l.d);
  l.h = static_cast<int>(sod / 3600);
  l.mi = static_cast<int>(sod / 60 % 60);
  l.s = static_cast<int>(sod % 60);
  l.wday = static_cast<int>(days % 7);
  return l;
}

// A scenario laid on one generator's period: when the incident is, and this generator's share of
// the deaths (`share` of every `stride` deaths, evenly spaced), emitted before the line they precede.
struct Plan {
  const Scenario& sc;
  int64_t span_us, incident_begin, incident_end;
  uint64_t share = 0, next = 0;
  int stride = 3, offset = 0;
  Plan(const Scenario& s, int64_t span, int which)
      : sc(s), span_us(span), incident_begin(static_cast<int64_t>(s.incident_begin * static_cast<double>(span))),
        incident_end(static_cast<int64_t>(s.incident_end * static_cast<double>(span))), offset(which) {
    share = s.deaths / 3 + (static_cast<uint64_t>(which) < s.deaths % 3 ? 1 : 0);
  }
  bool in_incident(int64_t us) const { return incident_end > incident_begin && us >= incident_begin && us < incident_end; }
  // The next death due at or before `us`: its time and a pid no other death has, or false.
  bool death_due(int64_t us, int64_t* at, unsigned* pid) {
    if (next >= share) return false;
    const int64_t t = static_cast<int64_t>((static_cast<double>(next) + 0.5) * static_cast<double>(span_us) / static_cast<double>(share));
    if (t > us) return false;
    *at = t;
    *pid = static_cast<unsigned>(10000 + next * static_cast<uint64_t>(stride) + static_cast<uint64_t>(offset));
    ++next;
    return true;
  }
};

// Letters only (so no masking takes them for numbers or ids): 4096 words of two syllables.
std::string word(uint32_t k) {
  static constexpr const char* kSyllables[] = {
      "ba", "be", "bi", "bo", "bu", "ca", "ce", "ci", "co", "cu", "da", "de", "di", "do", "du", "fa",
      "fe", "fi", "fo", "fu", "ga", "ge", "gi", "go", "gu", "ha", "he", "hi", "ho", "hu", "ka", "ke",
      "ki", "ko", "ku", "la", "le", "li", "lo", "lu", "ma", "me", "mi", "mo", "mu", "na", "ne", "ni",
      "no", "nu", "pa", "pe", "pi", "po", "pu", "ra", "re", "ri", "ro", "ru", "sa", "se", "si", "so"};
  return std::string(kSyllables[k & 63]) + kSyllables[(k >> 6) & 63];
}

// Error message number `k` (< 2^24), distinct from every other: two of its words spell k after
// an odd multiplier scrambles it (a bijection mod 2^24), so neighbours differ from the first word.
int distinct_error(char* out, size_t size, uint64_t k, Rng& rng) {
  const uint32_t m = static_cast<uint32_t>((k * 0x9E3779B1ULL) & 0xFFFFFF);
  const std::string a = word(m & 4095), b = word(m >> 12), c = word(rng.below(4096)), d = word(rng.below(4096));
  return std::snprintf(out, size,
                       "PHP Warning:  %s_%s(): %s cache %s failed for %s_%s in /srv/site/wp-content/plugins/%s-%s/%s.php on line %u",
                       a.c_str(), b.c_str(), c.c_str(), d.c_str(), b.c_str(), c.c_str(), d.c_str(), a.c_str(), b.c_str(),
                       rng.below(4000) + 1);
}

void gen_access(const std::string& path, size_t bytes, int64_t span_us, Rng& rng, Plan& plan) {
  Writer w(path);
  char line[1024];
  const size_t approx_lines = bytes / 190 + 1;
  for (size_t i = 0; w.written < bytes; ++i) {
    const int64_t us = static_cast<int64_t>(i * (static_cast<double>(span_us) / approx_lines)) - rng.below(2'000'000);
    const Local l = local_of(kStart + (us < 0 ? 0 : us) / 1'000'000);
    const uint32_t r = rng.below(100);
    int status = r < 78 ? 200 : r < 92 ? 404 : r < 96 ? 304 : r < 99 ? 500 : 403;
    // In the incident most pages answer 500 (the object cache is gone), a few 503 (workers busy).
    if (plan.in_incident(us) && status == 200) status = rng.below(10) < 9 ? 500 : 503;
    const int n = std::snprintf(line, sizeof line,
                                "%u.%u.%u.%u - - [%02d/%s/%04d:%02d:%02d:%02d %+03d00] \"GET %s HTTP/1.1\" %d %u \"%s\" \"%s\"\n",
                                rng.below(223) + 1, rng.below(256), rng.below(256), rng.below(256), l.d, kMonths[l.mo - 1],
                                l.y, l.h, l.mi, l.s, kOffsetHours, kPaths[rng.below(12)], status, rng.below(40000) + 100,
                                rng.below(2) ? "-" : "http://127.0.0.1:8088/", kAgents[rng.below(6)]);
    w.line(line, n);
  }
}

// "[Mon Jan 01 07:00:00.123456 2024] [MODULE:LEVEL] [pid P:tid P] " of an error-log line.
int error_prefix(char* out, size_t size, int64_t us, const char* module_level, unsigned pid) {
  const Local l = local_of(kStart + us / 1'000'000);
  return std::snprintf(out, size, "[%s %s %02d %02d:%02d:%02d.%06lld %04d] [%s] [pid %u:tid %u] ", kDays[(l.wday + 7) % 7],
                       kMonths[l.mo - 1], l.d, l.h, l.mi, l.s, static_cast<long long>(us % 1'000'000), l.y, module_level, pid, pid);
}

void gen_error(const std::string& path, size_t bytes, int64_t span_us, Rng& rng, Plan& plan) {
  Writer w(path);
  char line[2048];
  const Scenario& sc = plan.sc;
  const size_t approx_lines = bytes / (sc.distinct_errors ? 250 : 300) + 1;
  uint64_t distinct = 0;
  const auto deaths_until = [&](int64_t us) {
    int64_t died_at;
    unsigned died;
    while (plan.death_due(us, &died_at, &died)) {
      int n = error_prefix(line, sizeof line, died_at, "core:notice", 6999);
      n += std::snprintf(line + n, sizeof line - static_cast<size_t>(n), "AH00052: child pid %u exit signal Segmentation fault (11)\n", died);
      w.line(line, n);
    }
  };
  for (size_t i = 0; w.written < bytes; ++i) {
    const int64_t us = static_cast<int64_t>(i * (static_cast<double>(span_us) / approx_lines));
    const Local l = local_of(kStart + us / 1'000'000);
    deaths_until(us);
    const unsigned pid = 7000 + rng.below(60);
    int n;
    if (sc.distinct_errors) {
      n = error_prefix(line, sizeof line, us, "php:warn", pid);
      n += std::snprintf(line + n, sizeof line - static_cast<size_t>(n), "[client %u.%u.%u.%u:0] ", rng.below(223) + 1, rng.below(256),
                         rng.below(256), rng.below(256));
      n += distinct_error(line + n, sizeof line - static_cast<size_t>(n) - 1, distinct++ % sc.distinct_errors, rng);
      line[n++] = '\n';
      w.line(line, n);
      continue;
    }
    if (plan.in_incident(us) && rng.below(10) < 8) {
      const bool fatal = rng.below(3) != 0;
      n = error_prefix(line, sizeof line, us, fatal ? "php:error" : "php:warn", pid);
      n += std::snprintf(line + n, sizeof line - static_cast<size_t>(n), "[client %u.%u.%u.%u:0] %s\n", rng.below(223) + 1,
                         rng.below(256), rng.below(256), rng.below(256),
                         fatal ? "PHP Fatal error:  Uncaught RuntimeException: Object cache unavailable: memcached 127.0.0.1:11211: "
                                 "Connection refused (111) in /srv/site/wp-content/object-cache.php:9\\nStack trace:\\n#0 "
                                 "/srv/site/wp-settings.php(137): wp_cache_init()\\n#1 {main}\\n  thrown in "
                                 "/srv/site/wp-content/object-cache.php on line 9, referer: http://127.0.0.1:8088/"
                               : "PHP Warning:  fsockopen(): Unable to connect to 127.0.0.1:11211 (Connection refused) in "
                                 "/srv/site/wp-content/object-cache.php on line 7, referer: http://127.0.0.1:8088/");
      w.line(line, n);
      continue;
    }
    const uint32_t r = rng.below(10);
    if (r < 6) {
      n = std::snprintf(line, sizeof line,
                        "[%s %s %02d %02d:%02d:%02d.%06lld %04d] [php:warn] [pid %u:tid %u] [client %u.%u.%u.%u:0] PHP Warning:  "
                        "Undefined array key \"page_id\" in /srv/site/wp-includes/class-wp-query.php on line %u, referer: http://127.0.0.1:8088/\n",
                        kDays[(l.wday + 7) % 7], kMonths[l.mo - 1], l.d, l.h, l.mi, l.s, static_cast<long long>(us % 1'000'000), l.y,
                        pid, pid, rng.below(223) + 1, rng.below(256), rng.below(256), rng.below(256), rng.below(4000));
    } else if (r < 9) {
      n = std::snprintf(line, sizeof line,
                        "[%s %s %02d %02d:%02d:%02d.%06lld %04d] [core:error] [pid %u:tid %u] [client %u.%u.%u.%u:0] AH00128: File does not exist: /srv/site/missing-page-%u.html\n",
                        kDays[(l.wday + 7) % 7], kMonths[l.mo - 1], l.d, l.h, l.mi, l.s, static_cast<long long>(us % 1'000'000), l.y,
                        pid, pid, rng.below(223) + 1, rng.below(256), rng.below(256), rng.below(256), rng.below(100));
    } else {
      n = std::snprintf(line, sizeof line,
                        "[%s %s %02d %02d:%02d:%02d.%06lld %04d] [mpm_prefork:notice] [pid %u:tid %u] AH00163: Apache/2.4.71 (Debian) configured -- resuming normal operations\n",
                        kDays[(l.wday + 7) % 7], kMonths[l.mo - 1], l.d, l.h, l.mi, l.s, static_cast<long long>(us % 1'000'000), l.y,
                        pid, pid);
    }
    w.line(line, n);
  }
  deaths_until(INT64_MAX);  // those due after the last line (the period's lines ran short of it)
}

void gen_syslog(const std::string& path, size_t bytes, int64_t span_us, Rng& rng, const char* host, Plan& plan) {
  Writer w(path);
  char line[1024];
  const Scenario& sc = plan.sc;
  const size_t approx_lines = bytes / 110 + 1;
  bool outage_told = false, restart_told = false;
  const auto deaths_until = [&](int64_t us) {
    int64_t died_at;
    unsigned died;
    while (plan.death_due(us, &died_at, &died)) {
      const Local d = local_of(kStart + died_at / 1'000'000);
      const int n = std::snprintf(line, sizeof line,
                                  "%s %2d %02d:%02d:%02d %s kernel: [%lld.%06lld] apache2[%u]: segfault at 7ffe1f43cff8 ip 00007f3a2b4c5d6e "
                                  "sp 00007ffe1f43d000 error 6 in libphp8.2.so[7f3a2b200000+3c5000] likely on CPU 1 (core 1, socket 0)\n",
                                  kMonths[d.mo - 1], d.d, d.h, d.mi, d.s, host, static_cast<long long>(died_at / 1'000'000 + 86400),
                                  static_cast<long long>(died_at % 1'000'000), died);
      w.line(line, n);
    }
  };
  for (size_t i = 0; w.written < bytes; ++i) {
    const int64_t us = static_cast<int64_t>(i * (static_cast<double>(span_us) / approx_lines));
    const Local l = local_of(kStart + us / 1'000'000);
    if (sc.repeated_alert) {
      const int n = std::snprintf(line, sizeof line, "%s %2d %02d:%02d:%02d %s nagios4[811]: SERVICE ALERT: %s;HTTP;CRITICAL;HARD;3;"
                                  "CRITICAL - Socket timeout after 10 seconds\n", kMonths[l.mo - 1], l.d, l.h, l.mi, l.s, host, host);
      w.line(line, n);
      continue;
    }
    deaths_until(us);
    if (plan.in_incident(us) && !outage_told) {  // the cause: the OOM killer takes memcached
      outage_told = true;
      static constexpr const char* kOutage[] = {
          "kernel: [86512.441210] Out of memory: Killed process 811 (memcached) total-vm:1677720kB, anon-rss:1048576kB, file-rss:0kB, shmem-rss:0kB, UID:110 pgtables:2200kB oom_score_adj:0",
          "systemd[1]: memcached.service: A process of this unit has been killed by the OOM killer.",
          "systemd[1]: memcached.service: Main process exited, code=killed, status=9/KILL",
          "systemd[1]: memcached.service: Failed with result 'oom-kill'."};
      for (const char* m : kOutage) {
        const int n = std::snprintf(line, sizeof line, "%s %2d %02d:%02d:%02d %s %s\n", kMonths[l.mo - 1], l.d, l.h, l.mi, l.s, host, m);
        w.line(line, n);
      }
    }
    if (plan.incident_end > plan.incident_begin && us >= plan.incident_end && !restart_told) {
      restart_told = true;
      const int n = std::snprintf(line, sizeof line, "%s %2d %02d:%02d:%02d %s systemd[1]: Started memcached.service - memcached daemon.\n",
                                  kMonths[l.mo - 1], l.d, l.h, l.mi, l.s, host);
      w.line(line, n);
    }
    const char* prog = kPrograms[rng.below(7)];
    const unsigned pid = 1000 + rng.below(30000);
    const char* msg = prog[1] == 'R' ? "(root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)"
                      : prog[1] == 'h' ? (plan.in_incident(us) ? "HTTP CRITICAL: HTTP/1.1 500 Internal Server Error - 512 bytes in 0.004 second response time"
                                                                : "HTTP OK: HTTP/1.1 200 OK - www.example.org/")
                      : prog[1] == 'y' ? "Started session-42.scope - Session 42 of User root."
                      : prog[1] == 's' ? "Accepted publickey for deploy from 10.0.0.5 port 52144 ssh2: ED25519 SHA256:abc"
                                       : "connect from unknown[10.1.2.3]";
    const int n = std::snprintf(line, sizeof line, "%s %2d %02d:%02d:%02d %s %s[%u]: %s\n", kMonths[l.mo - 1], l.d,
                                l.h, l.mi, l.s, host, prog, pid, msg);
    w.line(line, n);
  }
  deaths_until(INT64_MAX);  // those due after the last line (the period's lines ran short of it)
}

void gen_strace(const std::string& path, size_t bytes, int64_t span_us, Rng& rng, Plan& plan) {
  Writer w(path);
  char line[2048];
  const size_t approx_lines = bytes / 130 + 1;
  const auto deaths_until = [&](int64_t us) {
    int64_t died_at;
    unsigned died;
    while (plan.death_due(us, &died_at, &died)) {
      const Local d = local_of(kStart + died_at / 1'000'000);
      const long long f = died_at % 1'000'000;
      int n = std::snprintf(line, sizeof line, "%-5u %02d:%02d:%02d.%06lld --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x7ffe1f43cff8} ---\n",
                            died, d.h, d.mi, d.s, f);
      w.line(line, n);
      n = std::snprintf(line, sizeof line, "%-5u %02d:%02d:%02d.%06lld +++ killed by SIGSEGV +++\n", died, d.h, d.mi, d.s, f);
      w.line(line, n);
    }
  };
  for (size_t i = 0; w.written < bytes; ++i) {
    const int64_t us = static_cast<int64_t>(i * (static_cast<double>(span_us) / approx_lines));
    const Local l = local_of(kStart + us / 1'000'000);
    deaths_until(us);
    const unsigned pid = 7086 + rng.below(4);
    const long long frac = us % 1'000'000;
    int n;
    if (plan.in_incident(us) && rng.below(2)) {  // memcached is gone: every connect to it refused
      n = std::snprintf(line, sizeof line,
                        "%-5u %02d:%02d:%02d.%06lld connect(13, {sa_family=AF_INET, sin_port=htons(11211), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = -1 ECONNREFUSED (Connection refused) <0.000021>\n",
                        pid, l.h, l.mi, l.s, frac);
      w.line(line, n);
      continue;
    }
    const uint32_t r = rng.below(20);
    if (r < 8) {
      n = std::snprintf(line, sizeof line,
                        "%-5u %02d:%02d:%02d.%06lld newfstatat(AT_FDCWD, \"/srv/site/wp-content/uploads/%u.png\", {st_mode=S_IFREG|0644, st_size=%u, ...}, AT_SYMLINK_NOFOLLOW) = 0 <0.000003>\n",
                        pid, l.h, l.mi, l.s, frac, rng.below(5000), rng.below(90000));
    } else if (r < 12) {
      n = std::snprintf(line, sizeof line,
                        "%-5u %02d:%02d:%02d.%06lld openat(AT_FDCWD, \"/srv/site/.htaccess\", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory) <0.000004>\n",
                        pid, l.h, l.mi, l.s, frac);
    } else if (r < 15) {
      n = std::snprintf(line, sizeof line,
                        "%-5u %02d:%02d:%02d.%06lld read(12, \"GET /index.php HTTP/1.1\\r\\nHost: 127.0.0.1:8088\\r\\n\\r\\n\", 8000) = 48 <0.000006>\n",
                        pid, l.h, l.mi, l.s, frac);
    } else if (r < 17) {
      n = std::snprintf(line, sizeof line, "%-5u %02d:%02d:%02d.%06lld accept4(5,  <unfinished ...>\n", pid, l.h, l.mi, l.s, frac);
      w.line(line, n);
      n = std::snprintf(line, sizeof line,
                        "%-5u %02d:%02d:%02d.%06lld <... accept4 resumed>{sa_family=AF_INET, sin_port=htons(%u), sin_addr=inet_addr(\"127.0.0.1\")}, [128 => 16], SOCK_CLOEXEC) = 12 <0.0%05u>\n",
                        pid, l.h, l.mi, l.s, frac, rng.below(60000), rng.below(99999));
    } else {
      n = std::snprintf(line, sizeof line, "%-5u %02d:%02d:%02d.%06lld fcntl(12, F_SETFL, O_RDWR|O_NONBLOCK) = 0 <0.000002>\n",
                        pid, l.h, l.mi, l.s, frac);
    }
    w.line(line, n);
  }
  deaths_until(INT64_MAX);  // those due after the last line (the period's lines ran short of it)
}

// `journalctl -o json` lines: the journal's own fields, as journald writes them for a web host.
void gen_journald_json(const std::string& path, size_t bytes, int64_t span_us, Rng& rng, const char* host) {
  Writer w(path);
  char line[2048];
  const size_t approx_lines = bytes / 560 + 1;
  static constexpr const char* kUnits[] = {"cron.service", "apache2.service", "ssh.service", "systemd-logind.service", "php8.2-fpm.service"};
  static constexpr const char* kIds[] = {"CRON", "apache2", "sshd", "systemd-logind", "php-fpm"};
  static constexpr const char* kMessages[] = {"(root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)",
                                              "AH00558: apache2: Could not reliably determine the server's fully qualified domain name",
                                              "Accepted publickey for deploy from 10.0.0.5 port 52144 ssh2: ED25519 SHA256:abc",
                                              "New session 42 of user root.",
                                              "[pool www] child 8123 exited with code 0 after 3600.012 seconds from start"};
  for (size_t i = 0; w.written < bytes; ++i) {
    const int64_t us = static_cast<int64_t>(i * (static_cast<double>(span_us) / approx_lines));
    const unsigned k = rng.below(5), pid = 1000 + rng.below(30000);
    const long long realtime = (kStart * 1'000'000LL) + us;
    const int n = std::snprintf(line, sizeof line,
        "{\"__CURSOR\":\"s=6b3c1e0f8f7d4b2aa0e4c1f1d2e3f4a5;i=%zx;b=0f1e2d3c4b5a69788796a5b4c3d2e1f0;m=%llx;t=%llx;x=%llx\","
        "\"__REALTIME_TIMESTAMP\":\"%lld\",\"__MONOTONIC_TIMESTAMP\":\"%lld\",\"_BOOT_ID\":\"0f1e2d3c4b5a69788796a5b4c3d2e1f0\","
        "\"PRIORITY\":\"%u\",\"SYSLOG_FACILITY\":\"3\",\"_UID\":\"0\",\"_GID\":\"0\",\"_TRANSPORT\":\"syslog\","
        "\"_HOSTNAME\":\"%s\",\"SYSLOG_IDENTIFIER\":\"%s\",\"_PID\":\"%u\",\"_COMM\":\"%s\",\"_SYSTEMD_UNIT\":\"%s\","
        "\"MESSAGE\":\"%s\",\"_SOURCE_REALTIME_TIMESTAMP\":\"%lld\"}\n",
        i, static_cast<long long>(us), realtime, static_cast<long long>(i * 7919), realtime, static_cast<long long>(us),
        k == 1 ? 4u : 6u, host, kIds[k], pid, kIds[k], kUnits[k], kMessages[k], realtime - 3);
    w.line(line, n);
  }
}

}  // namespace

void generate_log(LogKind kind, const std::string& path, size_t bytes, double hours, uint64_t seed, const std::string& host,
                  const Scenario& scenario) {
  const int64_t span_us = static_cast<int64_t>(hours * 3600e6);
  Rng rng{seed * 0x9E3779B97F4A7C15ULL + 1 + static_cast<uint64_t>(kind)};
  // The deaths' thirds: the error log's, the kernel's (syslog) and strace's.
  Plan plan(scenario, span_us, kind == LogKind::kError ? 0 : kind == LogKind::kSyslog ? 1 : 2);
  if (kind == LogKind::kAccess || kind == LogKind::kJournaldJson) plan.share = 0;
  switch (kind) {
    case LogKind::kAccess: gen_access(path, bytes, span_us, rng, plan); break;
    case LogKind::kError: gen_error(path, bytes, span_us, rng, plan); break;
    case LogKind::kSyslog: gen_syslog(path, bytes, span_us, rng, host.c_str(), plan); break;
    case LogKind::kStrace: gen_strace(path, bytes, span_us, rng, plan); break;
    case LogKind::kJournaldJson: gen_journald_json(path, bytes, span_us, rng, host.c_str()); break;
  }
}
}  // namespace hindcast::bench
