"""An old typo in a PHP-FPM pool (pm.max_chidren) is read for the first time when a package upgrade
restarts php8.2-fpm: the pool does not start, nginx answers 502 to every PHP page until an admin
fixes the line with sudo and restarts.  nginx + PHP-FPM, RFC 5424 syslog, half-hour zone (-0230)."""
from services import Nginx, PhpFpm, php_server
from website import Site
from traffic import Traffic, Monitor

START, ZONE, STACK = "2026-06-09 10:05:00", "America/St_Johns", "nginx+php-fpm"


def scenario(lab):
    app = lab.host("app-lis1", syslog="rfc5424")
    root = "/srv/harbourline/public"
    site = Site(lab, root, libs=("settings", "routes", "template"), title="Harbourline Ferries")
    sock = "/run/php/php8.2-fpm-harbourline.sock"
    fpm = PhpFpm(lab, app, "harbourline", sock, max_children=6)
    nginx = Nginx(lab, app, "harbourline", php_server(18202, "harbourline.example.ca", root, "unix:" + sock))
    fpm.start()
    nginx.start(port=18202)
    Traffic(lab, 18202, site.paths(), rate=8, host_header="harbourline.example.ca").start()
    Monitor(lab, app, 18202, "/", host_header="harbourline.example.ca").start()
    lab.sleep(20)

    app.systemd("Starting apt-daily-upgrade.service - Daily apt upgrade and clean activities...")
    lab.sleep(2)
    lab.mark("trigger_utc")
    app.dpkg_upgrade("php8.2-fpm", "8.2.36-1~deb12u1", "8.2.37-1~deb12u1")
    typo_line = 10
    lines = fpm.write_pool(typo=(typo_line - 1, "pm.max_chidren = 12"))
    fpm.stop(announce=True)
    lab.failing("nginx/error.log", r"connect\(\) to unix:.* failed")
    lab.failing("nginx/access.log", r'" 502 ')
    up = fpm.start(announce=True)
    assert not up
    fpm.proc.wait(5)
    app.systemd("php8.2-fpm.service: Main process exited, code=exited, status=78/CONFIG", "notice")
    app.systemd("php8.2-fpm.service: Failed with result 'exit-code'.", "warning")
    app.systemd("Failed to start php8.2-fpm.service - The PHP 8.2 FastCGI Process Manager.", "err")
    lab.sleep(2)
    app.systemd("apt-daily-upgrade.service: Deactivated successfully.")
    app.systemd("Finished apt-daily-upgrade.service - Daily apt upgrade and clean activities.")
    lab.sleep(40)

    pid = app.sudo("mkeating", "/usr/bin/vi /etc/php/8.2/fpm/pool.d/harbourline.conf")
    lab.sleep(3)
    app.sudo_close(pid)
    fpm.write_pool()
    lab.mark("fix_utc")
    app.sudo("mkeating", "/usr/bin/systemctl restart php8.2-fpm")
    lab.mark("restart_utc")
    assert fpm.start(announce=True)
    lab.sleep(20)
    lab.set(root_cause_kind="config_syntax", root_cause_file=fpm.pool_file, root_cause_line=typo_line,
            root_cause_object=fpm.pool_file, expected_status=502, trigger_kind="package_upgrade", trigger_program="dpkg",
            trigger_package="php8.2-fpm:amd64 8.2.36-1~deb12u1 -> 8.2.37-1~deb12u1", resolution_kind="restart",
            resolution_utc=lab.truth["restart_utc"], incident_kind="errors", hosts="app-lis1",
            dependency="unix:" + sock, fix_action="pm.max_chidren -> pm.max_children + systemctl restart php8.2-fpm")
    assert lines[typo_line - 1].startswith("pm.max_chidren")
