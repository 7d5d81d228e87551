"""A deploy run as root leaves var/cache owned by root (0755): every page's cache write fails with
EACCES and the app throws, 500 on PHP pages; the deploy tool's fix-permissions step puts it back.
nginx + PHP-FPM, traditional syslog, Europe/Dublin (IST +0100), no strace."""
import os
from stacks import nginx_site
from website import line_of

START, ZONE, STACK = "2026-07-14 16:10:00", "Europe/Dublin", "nginx+php-fpm"
CACHE = """<?php
// page cache
function cache_put($key, $value) {
    $file = APP_ROOT . '/var/cache/' . md5($key) . '.html';
    if (file_put_contents($file, $value) === false) {
        throw new RuntimeException('cannot write cache file ' . $file);
    }
}
function data_rows($id) {
    $rows = [['id' => $id, 'name' => 'route ' . $id]];
    cache_put('rows' . $id, json_encode($rows));
    return $rows;
}
"""


def scenario(lab):
    web = lab.host("dub-edge-2", syslog="traditional")
    root = "/srv/liffey-bikes"
    site, fpm, nginx, _ = nginx_site(lab, web, 18404, root, "liffeybikes", "liffeybikes.example.ie", rate=12,
                                     libs=("config", "template"), backend={"module": "pagecache", "code": CACHE})
    os.makedirs(site.path("var/cache"), exist_ok=True)
    os.system("chown -R www-data:www-data %s" % site.path("var"))
    lab.sleep(18)
    lab.mark("trigger_utc")
    web.program("deploy", "liffey-bikes: release 2026.07.14-2 activated by root (rsync --delete, 14 files)")
    os.system("chown -R root:root %s && chmod 755 %s" % (site.path("var/cache"), site.path("var/cache")))
    lab.failing("nginx/error.log", r"Permission denied")
    lab.failing("nginx/access.log", r'" 500 ')
    lab.sleep(40)
    lab.mark("fix_utc")
    web.program("deploy", "liffey-bikes: fix-permissions: chown -R www-data:www-data /srv/liffey-bikes/var")
    os.system("chown -R www-data:www-data %s" % site.path("var"))
    lab.sleep(15)
    lab.set(root_cause_kind="permission_denied", root_cause_file=site.path("app/pagecache.php"),
            root_cause_line=line_of(CACHE, "file_put_contents"), bad_path=site.path("var/cache"), errno="EACCES",
            root_cause_object=site.path("var/cache"), expected_status=500, trigger_kind="deploy", trigger_program="deploy",
            resolution_kind="rollback", resolution_utc=lab.truth["fix_utc"], incident_kind="errors", hosts="dub-edge-2")
