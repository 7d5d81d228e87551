"""A deploy run with umask 077 ships a new stylesheet that only root can read (0600): nginx answers 403 for
the new stylesheet ("open() ... failed (13: Permission denied)"), pages still render (partial).
The admin runs chmod with sudo 50 s later.  nginx + PHP-FPM, RFC 5424 syslog, Asia/Kabul (+0430), 10 req/s."""
import os
from stacks import nginx_site

START, ZONE, STACK = "2026-11-02 09:31:00", "Asia/Kabul", "nginx+php-fpm"


def scenario(lab):
    web = lab.host("kbl-www-3", syslog="rfc5424")
    site, fpm, nginx, _ = nginx_site(lab, web, 19921, "/var/www/bamiyan-crafts", "bamiyan", "bamiyan-crafts.example.af", rate=10,
                                     libs=("config", "template"))
    lab.sleep(18)
    lab.mark("trigger_utc")
    web.program("deploy", "bamiyan-crafts: rsync of release 2026-11-02.1 done: 1 file changed (assets/site.css)")
    for rel in ("assets/site.css",):
        site.put(rel, site.files[rel] + "/* 2026-11-02.1 */\n", mode=0o600)
        os.chown(site.path(rel), 0, 0)
    lab.failing("nginx/error.log", r"\(13: Permission denied\)")
    lab.failing("nginx/access.log", r'"GET /assets/\S+ HTTP/1\.1" 403 ')
    lab.sleep(50)
    pid = web.sudo("hamidi", "/usr/bin/chmod -R a+rX /var/www/bamiyan-crafts/assets")
    lab.mark("fix_utc")
    for rel in ("assets/site.css",):
        os.chmod(site.path(rel), 0o644)
    web.sudo_close(pid)
    lab.sleep(20)
    lab.set(root_cause_kind="permission_denied", root_cause_object=site.path("assets/site.css"), bad_path=site.path("assets/site.css"),
            errno="EACCES", expected_status=403, trigger_kind="deploy", trigger_program="deploy", resolution_kind="rollback",
            resolution_utc=lab.truth["fix_utc"], incident_kind="partial", scope_urls="/assets/site.css", hosts="kbl-www-3")
