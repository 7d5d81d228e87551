"""A deploy changes the gallery renderer so that a gallery without images expands itself again through
array_map() without end: the PHP-FPM child overflows its C stack and dies of SIGSEGV on every
/gallery.php?id=57 (nginx: 502, upstream reset).  Other URLs are fine.  Rolled back after 45 s.
nginx + PHP-FPM, strace -ff -ttt on the pool, RSYSLOG_FileFormat, America/Toronto (EDT)."""
import subprocess
from services import Strace
from stacks import nginx_site
from website import line_of

START, ZONE, STACK = "2026-10-02 21:48:00", "America/Toronto", "nginx+php-fpm"
GOOD = """<?php
require __DIR__ . '/app/bootstrap.php';
function expand_gallery($g) {
    if (!$g['images']) {
        return '<p>empty gallery</p>';
    }
    return implode('', array_map(fn($i) => "<img src=/img/$i.jpg>", $g['images']));
}
$id = (int)($_GET['id'] ?? 1);
$g = ['id' => $id, 'images' => $id == 57 ? [] : range(1, 3)];
render('Gallery ' . $id, expand_gallery($g));
"""
BAD = GOOD.replace("        return '<p>empty gallery</p>';", "        return implode('', array_map('expand_gallery', [$g]));")


def scenario(lab):
    web = lab.host("yyz-app-7")
    site, fpm, nginx, traffic = nginx_site(lab, web, 18709, "/var/www/northlake-photo", "northlake", "photo.northlake.example.ca",
                                           rate=12, fpm={"max_children": 5}, libs=("config", "template"))
    site.put("gallery.php", GOOD)
    traffic.paths.append(((lambda rnd: "/gallery.php?id=%d" % rnd.choice([12, 31, 57, 57, 64, 80])), 12))
    traffic.weights.append(12)
    lab.sleep(15)
    lab.mark("trigger_utc")
    web.program("deploy", "northlake-photo: deployed 1f3e2a9 (\"gallery: nested galleries\") - 1 file changed: gallery.php")
    site.put("gallery.php", BAD)
    lab.failing("php8.2-fpm.log", r"SIGSEGV")
    lab.failing("nginx/error.log", r"upstream")
    lab.sleep(8)
    kids = subprocess.run(["pgrep", "-P", str(fpm.proc.pid)], stdout=subprocess.PIPE, text=True).stdout.split()
    st = Strace(lab, web, [fpm.proc.pid] + kids, name="strace.out", flags=("-f", "-ttt", "-T"), per_pid=True)
    lab.sleep(30)
    lab.mark("fix_utc")
    web.program("deploy", "northlake-photo: rollback to 9c0d771 - 1 file changed: gallery.php")
    site.put("gallery.php", GOOD)
    lab.sleep(8)
    st.stop()
    lab.sleep(8)
    lab.set(root_cause_kind="crash", signal="SIGSEGV", root_cause_file=site.path("gallery.php"),
            root_cause_line=line_of(BAD, "array_map('expand_gallery'"), root_cause_object=site.path("gallery.php"),
            bad_url="/gallery.php?id=57", scope_urls="/gallery.php?id=57", expected_status=502, trigger_kind="deploy",
            trigger_program="deploy", resolution_kind="rollback", resolution_utc=lab.truth["fix_utc"], incident_kind="partial",
            hosts="yyz-app-7")
