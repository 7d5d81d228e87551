"""A quiet day: nothing breaks.  A scanner bursts through 300 well-known paths (404s), Googlebot crawls
the catalogue, cron runs its jobs, logrotate reloads nginx (a real SIGHUP: the logs reopen) and the
monitor stays OK.  nginx + PHP-FPM, RFC 5424 syslog, Asia/Kolkata (+0530, a half-hour offset), 20 req/s."""
from stacks import nginx_site
import noise

START, ZONE, STACK = "2026-08-11 23:58:40", "Asia/Kolkata", "nginx+php-fpm"


def scenario(lab):
    web = lab.host("bom-web-07", syslog="rfc5424")
    site, fpm, nginx, _ = nginx_site(lab, web, 18931, "/var/www/chai-kart", "chaikart", "chaikart.example.in", rate=20,
                                     libs=("config", "cart", "template"))
    noise.crawler(lab, 18931, "chaikart.example.in", site, ["66.249.66.%d" % i for i in (1, 17, 68, 92)], rate=1.5,
                  name="googlebot")
    lab.sleep(12)
    noise.cron(lab, web, "root", "   cd / && run-parts --report /etc/cron.hourly", name="cron_hourly")
    lab.sleep(6)
    noise.scanner(lab, 18931, "chaikart.example.in", "185.224.128.17",
                  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/81.0.4044.129 Safari/537.36",
                  seconds=25, rate=12)
    lab.sleep(10)
    # midnight: logrotate's nginx stanza (postrotate: invoke-rc.d nginx rotate = SIGUSR1, reopen the logs)
    web.systemd("Starting logrotate.service - Rotate log files...")
    lab.mark("noise_logrotate_utc")
    nginx.proc.signal(__import__("signal").SIGUSR1)
    lab.sleep(1)
    web.systemd("logrotate.service: Deactivated successfully.")
    web.systemd("Finished logrotate.service - Rotate log files.")
    lab.sleep(12)
    noise.cron(lab, web, "www-data", "php /var/www/chai-kart/bin/cleanup-carts.php >/dev/null 2>&1", name="cron_cleanup")
    lab.sleep(25)
    lab.set(hosts="bom-web-07", incident_kind="", root_cause_kind="", trigger_kind="", resolution_kind="")
