"""Two hosts.  The kernel OOM-kills PostgreSQL's postmaster on the database host (nothing changed: a
report query grew the page cache pressure); postgresql@15-teak has no Restart=, so the cluster stays
down to the end of the logs.  Every page on the web host fails with PDO's "Connection refused" (500).
Never fixed.  Cause on db-rgn-1 (RSYSLOG_FileFormat + PostgreSQL log), symptom on web-rgn-2 (nginx +
PHP-FPM, RFC 5424).  Asia/Yangon (+0630, a half-hour offset)."""
import signal
from services import Postgres
from stacks import nginx_site
from website import pdo_backend

START, ZONE, STACK = "2026-04-09 14:36:00", "Asia/Yangon", "nginx+php-fpm+postgresql"


def scenario(lab):
    db = lab.host("db-rgn-1")
    web = lab.host("web-rgn-2", syslog="rfc5424")
    pg = Postgres(lab, db, 20015, cluster="teak")
    assert pg.start()
    pg.seed_items("teak", "teak_web", "lot", 400)
    nginx_site(lab, web, 20016, "/var/www/teak-auctions", "teakauctions", "teak-auctions.example.mm", rate=7,
               libs=("config", "template"), backend=pdo_backend("pgsql", 20015, "teak", "teak_web", ""))
    lab.sleep(20)
    lab.mark("fault_utc")
    pid = pg.proc.pid
    db.kernel("postgres invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0")
    db.kernel("Out of memory: Killed process %d (postgres) total-vm:2284196kB, anon-rss:1533708kB, file-rss:0kB, shmem-rss:10240kB, UID:105 pgtables:3452kB oom_score_adj:0" % pid)
    pg.proc.signal(signal.SIGKILL)
    pg.proc.wait(5)
    u = pg.unit_name
    db.systemd("%s: A process of this unit has been killed by the OOM killer." % u, "warning")
    db.systemd("%s: Main process exited, code=killed, status=9/KILL" % u, "notice")
    db.systemd("%s: Failed with result 'oom-kill'." % u, "warning")
    db.systemd("%s: Consumed 12.604s CPU time." % u)
    lab.failing("nginx/error.log", r"Connection refused", host="web-rgn-2")
    lab.failing("nginx/access.log", r'" 500 ', host="web-rgn-2")
    lab.sleep(55)
    lab.set(root_cause_kind="crash", signal="SIGKILL", root_cause_object="postgres", root_cause_host="db-rgn-1",
            symptom_host="web-rgn-2", dependency="127.0.0.1:20015", dependency_service=u, dependency_errno="ECONNREFUSED",
            expected_status=500, trigger_kind="none", resolution_kind="never_fixed", incident_kind="errors",
            hosts="db-rgn-1,web-rgn-2", crash_cause="oom_kill", failing_code_file="/var/www/teak-auctions/app/db.php")
