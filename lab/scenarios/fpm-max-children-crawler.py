"""A new crawler walks the slow /report.php pages (2 s each) with up to 30 parallel connections; the pool has
pm.max_children = 4, the FPM log says "server reached pm.max_children setting (4)", every PHP request
waits in the listen queue and nginx gives 504 after fastcgi_read_timeout (6 s).  An admin raises the
limit with sudo and reloads php8.2-fpm.  nginx + PHP-FPM, RSYSLOG_FileFormat, Europe/Madrid (CEST)."""
from stacks import nginx_site
from traffic import Traffic

START, ZONE, STACK = "2026-05-19 08:15:00", "Europe/Madrid", "nginx+php-fpm"
REPORT = "<?php\nrequire __DIR__ . '/app/bootstrap.php';\nusleep(2000000);\nrender('Report', '<p>monthly figures</p>');\n"
LOC = "\tfastcgi_read_timeout 6s;\n"


def scenario(lab):
    web = lab.host("mad-web-3")
    site, fpm, nginx, _ = nginx_site(lab, web, 19012, "/var/www/tajo-rentals", "tajorentals", "tajo-rentals.example.es",
                                     rate=10, fpm={"max_children": 4, "pm": "dynamic"}, libs=("config", "template"),
                                     extra_files={"report.php": REPORT}, nginx={"extra_http": LOC})
    lab.sleep(15)
    lab.mark("trigger_utc")
    ua = "Mozilla/5.0 (compatible; DataForSeoBot/1.0; +https://dataforseo.com/dataforseo-bot)"
    bot = Traffic(lab, 19012, {(lambda rnd: "/report.php?month=%d" % rnd.randrange(1, 300)): 1}, rate=3.5,
                  clients=["136.243.220.%d" % i for i in (209, 211, 212)], agents=[ua], host_header="tajo-rentals.example.es",
                  threads=30, name="crawler").start()
    lab.failing("php8.2-fpm.log", r"server reached pm.max_children")
    lab.failing("nginx/access.log", r'" 504 ')
    lab.sleep(40)
    pid = web.sudo("jgarcia", "/usr/bin/nano /etc/php/8.2/fpm/pool.d/tajorentals.conf")
    lab.sleep(2)
    web.sudo_close(pid)
    fpm.settings["max_children"] = 24
    fpm.write_pool()
    lab.mark("fix_utc")
    web.sudo("jgarcia", "/usr/bin/systemctl reload php8.2-fpm")
    lab.mark("restart_utc")
    fpm.reload()
    lab.sleep(20)
    bot.stop()
    lab.set(root_cause_kind="resource_limit", limit="pm.max_children", limit_value=4, root_cause_object="pm.max_children",
            root_cause_file=fpm.pool_file, culprit_user_agent=ua, culprit_addresses="136.243.220.209,136.243.220.211,136.243.220.212",
            culprit_path="/report.php", expected_status=504, trigger_kind="new_client", resolution_kind="restart",
            resolution_utc=lab.truth["restart_utc"], incident_kind="errors", hosts="mad-web-3",
            fix_action="pm.max_children = 24 + systemctl reload php8.2-fpm")
