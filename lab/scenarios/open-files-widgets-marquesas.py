"""A deploy ships a sidebar that opens one fragment file per widget and never closes them; the pool
runs with rlimit_files = 48, so every page with the sidebar (/ and /index.php) fails with
"fopen(...): Failed to open stream: Too many open files" (EMFILE) and a 500; other pages are fine.
The deploy tool rolls back 25 s later.  nginx + PHP-FPM, traditional syslog, Pacific/Marquesas (-0930)."""
from stacks import nginx_site
from website import line_of

START, ZONE, STACK = "2026-01-27 06:02:00", "Pacific/Marquesas", "nginx+php-fpm"
INDEX_GOOD = """<?php
require __DIR__ . '/app/bootstrap.php';
render('Ua Pou Dive', '<p>dives and boats</p>');
"""
INDEX_BAD = """<?php
require __DIR__ . '/app/bootstrap.php';
$parts = [];
$open = [];
foreach (glob(__DIR__ . '/widgets/*.html') as $w) {
    $fh = fopen($w, 'r');
    if ($fh === false) {
        throw new RuntimeException('sidebar: cannot open widget ' . $w);
    }
    $parts[] = fgets($fh);
    $open[] = $fh;      // kept for the lazy footer render: never closed before the request ends
}
render('Ua Pou Dive', '<p>dives and boats</p><aside>' . implode('', $parts) . '</aside>');
"""


def scenario(lab):
    web = lab.host("nhv-web-1", syslog="traditional")
    widgets = {"widgets/w%02d.html" % i: "<div>widget %d</div>\n" % i for i in range(64)}
    widgets["index.php"] = INDEX_GOOD
    site, fpm, nginx, _ = nginx_site(lab, web, 19961, "/var/www/uapou-dive", "uapoudive", "uapou-dive.example.pf", rate=16,
                                     libs=("config", "template"), extra_files=widgets,
                                     fpm={"extra": "rlimit_files = 48"})
    lab.sleep(20)
    site.deploy(web, "deploy", "uapou-dive: release r512 live: 1 file changed (index.php)", "index.php", INDEX_BAD)
    for rel, pattern in (("nginx/error.log", r"Too many open files"), ("nginx/access.log", r'"GET /(index\.php)? HTTP/1\.1" 500 ')):
        lab.failing(rel, pattern)
    lab.sleep(25)
    site.deploy(web, "deploy", "uapou-dive: rollback to r511: 1 file changed (index.php)", "index.php", INDEX_GOOD, mark="fix_utc")
    lab.sleep(20)
    lab.set(root_cause_kind="resource_limit", root_cause_object="open files", limit="rlimit_files", limit_value=48, errno="EMFILE",
            root_cause_file=site.path("index.php"), root_cause_line=line_of(INDEX_BAD, "fopen("), expected_status=500,
            trigger_kind="deploy", trigger_program="deploy", resolution_kind="rollback", resolution_utc=lab.truth["fix_utc"],
            incident_kind="partial", scope_urls="/,/index.php", hosts="nhv-web-1")
