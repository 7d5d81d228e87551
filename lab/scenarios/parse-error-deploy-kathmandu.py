"""A deploy ships app/helpers.php with a stray closing brace: every PHP page is a PHP Parse error (500)
from the next opcache revalidation; static files are fine.  The deploy tool rolls back 70 s later.
nginx + PHP-FPM at 40 req/s, traditional syslog, no strace, Asia/Kathmandu (+0545)."""
from stacks import nginx_site
from website import line_of

START, ZONE, STACK = "2026-03-14 18:44:10", "Asia/Kathmandu", "nginx+php-fpm"
BAD = """<?php
// helpers
function helpers_ready() { return true; }
function money($n) {
    return 'NPR ' . number_format($n, 2);
}
    }
function slug($s) { return strtolower(preg_replace('/[^a-z0-9]+/i', '-', $s)); }
"""


def scenario(lab):
    web = lab.host("ktm-web-1", syslog="traditional")
    site, fpm, nginx, _ = nginx_site(lab, web, 19905, "/var/www/himal-treks", "himaltreks", "himal-treks.example.np", rate=40,
                                     libs=("config", "helpers", "template"), fpm={"max_children": 12})
    good = site.files["app/helpers.php"]
    lab.sleep(20)
    site.deploy(web, "deploy", "himal-treks: release 2026.03.14-2 (a41c9e0) is live: 1 file changed (app/helpers.php)",
                "app/helpers.php", BAD)
    for rel, pattern in (("nginx/error.log", r"PHP Parse error"), ("nginx/access.log", r'" 500 ')):
        lab.failing(rel, pattern)
    lab.sleep(70)
    site.deploy(web, "deploy", "himal-treks: rollback to release 2026.03.14-1 (77d02bb): 1 file changed (app/helpers.php)",
                "app/helpers.php", good, mark="fix_utc")
    lab.sleep(20)
    lab.set(root_cause_kind="php_parse_error", root_cause_file=site.path("app/helpers.php"), root_cause_line=line_of(BAD, "    }"),
            root_cause_object=site.path("app/helpers.php"), expected_status=500, trigger_kind="deploy", trigger_program="deploy",
            resolution_kind="rollback", resolution_utc=lab.truth["fix_utc"], incident_kind="errors", hosts="ktm-web-1")
