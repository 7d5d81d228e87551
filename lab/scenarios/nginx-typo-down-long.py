"""An admin adds a location with sudo, mistypes fastcgi_pass as fastcgi_pas and restarts nginx: the
ExecStartPre test fails, nginx stays down (connection refused, no access-log lines) for about 18
minutes until the admin notices, fixes the line and starts it.  Idle time is compressed by stepping
the fake clock.  nginx + PHP-FPM, binary journal, America/Halifax (AST -0400)."""
from stacks import nginx_site
from services import php_server
from website import line_of

START, ZONE, STACK = "2026-12-15 03:10:00", "America/Halifax", "nginx+php-fpm"
STEPPING = True


def scenario(lab):
    web = lab.host("yhz-www-1", syslog="journal")
    site, fpm, nginx, traffic = nginx_site(lab, web, 19420, "/var/www/fundy-tides", "fundytides", "fundy-tides.example.ca", rate=5,
                                           libs=("config", "template"))
    lab.sleep(15)
    sock = "unix:/run/php/php8.2-fpm-fundytides.sock"
    bad = php_server(19420, "fundy-tides.example.ca", site.root, sock,
                     extra="\tlocation /tides/ {\n\t\tinclude snippets/fastcgi-php.conf;\n\t\tfastcgi_pas %s;\n\t}\n\n" % sock)
    pid = web.sudo("cmacneil", "/usr/bin/vim /etc/nginx/sites-enabled/fundytides")
    lab.sleep(3)
    nginx.write_site(bad)
    web.sudo_close(pid)
    lab.mark("trigger_utc")
    web.sudo("cmacneil", "/usr/bin/systemctl restart nginx")
    nginx.stop(announce=True)
    nginx.start_refused()
    lab.failing("journal", r"unknown directive \"fastcgi_pas\"|check_http: HTTP CRITICAL - Unable to open TCP socket")
    for _ in range(9):
        lab.sleep(4)
        lab.clock.step(115)
    lab.sleep(4)
    pid = web.sudo("cmacneil", "/usr/bin/vim /etc/nginx/sites-enabled/fundytides")
    lab.sleep(2)
    nginx.write_site(bad.replace("fastcgi_pas ", "fastcgi_pass "))
    web.sudo_close(pid)
    lab.mark("fix_utc")
    nginx.start_by_admin("cmacneil", 19420)
    lab.sleep(15)
    lab.set(root_cause_kind="config_syntax", root_cause_file=nginx.site_file, root_cause_line=line_of(bad, "fastcgi_pas "),
            root_cause_object=nginx.site_file, expected_status="", trigger_kind="sudo_edit", trigger_program="sudo",
            resolution_kind="restart", resolution_utc=lab.truth["restart_utc"], incident_kind="down", hosts="yhz-www-1")
