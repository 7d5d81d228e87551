"""A quiet day at a busy shop: 45 req/s, Bingbot and AhrefsBot crawl, a scanner posts to /xmlrpc.php and
walks well-known paths, and an admin restarts Apache with sudo after a routine check (a second or two
with the port closed; nothing else).  Apache + mod_php + Redis, RSYSLOG_FileFormat,
Australia/Darwin (ACST +0930, a half-hour offset, no DST)."""
from services import Redis
from stacks import apache_site
from website import redis_backend
from traffic import CRAWLERS
import noise

START, ZONE, STACK = "2026-09-03 13:20:00", "Australia/Darwin", "apache+mod_php+redis"


def scenario(lab):
    web = lab.host("drw-shop-1")
    r = Redis(lab, web, 19702)
    assert r.start()
    site, apache, traffic = apache_site(lab, web, 19703, "/var/www/top-end-outfitters", "topend", "topend-outfitters.example.au",
                                        rate=45, libs=("config", "catalog", "template"), backend=redis_backend(19702),
                                        apache={"max_workers": 24})
    noise.crawler(lab, 19703, "topend-outfitters.example.au", site, ["157.55.39.%d" % i for i in (4, 88)], agent=CRAWLERS[1],
                  rate=1, name="bingbot")
    noise.crawler(lab, 19703, "topend-outfitters.example.au", site, ["54.36.148.%d" % i for i in (10, 11, 12, 13)],
                  agent=CRAWLERS[2], rate=2, name="ahrefsbot")
    lab.sleep(15)
    noise.scanner(lab, 19703, "topend-outfitters.example.au", "45.95.147.236", "python-requests/2.31.0", seconds=15, rate=10)
    lab.sleep(10)
    pid = web.sudo("kwilliams", "/usr/sbin/apache2ctl configtest")
    web.sudo_close(pid)
    lab.sleep(2)
    web.sudo("kwilliams", "/usr/bin/systemctl restart apache2")
    lab.mark("noise_restart_utc")
    assert apache.restart()
    lab.sleep(30)
    noise.cron(lab, web, "root", "command -v debian-sa1 > /dev/null && debian-sa1 1 1", name="cron_sa1")
    lab.sleep(15)
    lab.set(hosts="drw-shop-1", incident_kind="", root_cause_kind="", trigger_kind="", resolution_kind="")
