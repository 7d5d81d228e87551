"""A nightly export fills the small data volume: cron starts export-orders, which writes a 6 MB CSV into
/srv/golestan-data/exports on a 6 MB filesystem (a tmpfs stands in for the volume).  Every item page
writes its fragment cache to /srv/golestan-data/cache and the app throws when the write fails
(file_put_contents: "possibly out of free disk space"; strace on PHP-FPM shows write() = -1 ENOSPC):
500 on item pages.  The job compresses its file and deletes the CSV 40 s later, and the pages recover
by themselves.  nginx + PHP-FPM, RSYSLOG_FileFormat, strace -f -tt -T on PHP-FPM, Asia/Tehran (+0330)."""
import os
import subprocess
import threading
from stacks import nginx_site
from services import Strace
from website import line_of

START, ZONE, STACK = "2026-05-06 02:14:30", "Asia/Tehran", "nginx+php-fpm"
DATA = "/srv/golestan-data"
CACHE = """<?php
// fragment cache on the data volume
function cache_put($key, $value) {
    $file = '%s/cache/' . $key . '.html';
    if (file_put_contents($file, $value) === false) {
        throw new RuntimeException('fragment cache: cannot write ' . $file);
    }
}
function data_rows($id) {
    $rows = [['id' => $id, 'name' => 'carpet ' . $id, 'notes' => str_repeat('hand-knotted wool ', 40)]];
    if (basename($_SERVER['SCRIPT_NAME']) === 'item.php') {
        cache_put('item-' . $id . '-' . bin2hex(random_bytes(4)), json_encode($rows));
    }
    return $rows;
}
""" % DATA


def scenario(lab):
    web = lab.host("thr-web-2")
    lab.owned(DATA)
    os.makedirs(DATA, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m,mode=0755", "tmpfs", DATA], check=True)
    os.makedirs(DATA + "/cache")
    os.makedirs(DATA + "/exports")
    subprocess.run(["chown", "www-data:www-data", DATA + "/cache"], check=True)
    site, fpm, nginx, _ = nginx_site(lab, web, 19811, "/var/www/golestan-rugs", "golestan", "golestan-rugs.example.ir", rate=14,
                                     libs=("config", "template"), backend={"module": "fragments", "code": CACHE})
    lab.sleep(15)
    st = Strace(lab, web, [fpm.proc.pid], flags=("-f", "-tt", "-T"), children=True)
    lab.sleep(5)
    web.cron("root", "/usr/local/bin/export-orders --out %s/exports" % DATA)
    lab.mark("trigger_utc")
    out = DATA + "/exports/orders-20260506.csv"
    job_pid = lab.fake_pid()
    written = 0
    with open(out, "wb", buffering=0) as f:       # the job: rows until the volume is full
        try:
            for i in range(20000):
                f.write(("%d,2026-05-05,IR-%06d,%s\n" % (i, i * 7, "x" * 480)).encode())
                f.flush()
                written += 1
        except OSError as e:
            web.log("export-orders", "export failed after %d rows: [Errno %d] %s: '%s'" % (written, e.errno, e.strerror, out),
                    pid=job_pid, facility="cron", severity="err", imitated=True)
    lab.failing("nginx/error.log", r"possibly out of free disk space|fragment cache: cannot write")
    lab.failing("nginx/access.log", r'"GET /item\.php\S* HTTP/1\.1" 500 ')
    lab.sleep(20)
    st.stop()
    lab.sleep(18)
    os.unlink(out)      # the job's cleanup: compress elsewhere, drop the CSV
    lab.mark("fix_utc")
    web.log("export-orders", "wrote 0 rows to %s.gz (partial export removed)" % out, pid=job_pid, facility="cron", imitated=True)
    lab.sleep(20)
    lab.set(root_cause_kind="disk_full", root_cause_object=DATA, mount_point=DATA, errno="ENOSPC", expected_status=500,
            trigger_kind="cron", trigger_program="CRON", resolution_kind="recovered", resolution_utc=lab.truth["fix_utc"],
            incident_kind="partial", scope_urls="/item.php", hosts="thr-web-2", failing_code_file=site.path("app/fragments.php"),
            filesystem="tmpfs")
