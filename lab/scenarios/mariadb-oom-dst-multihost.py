"""Two hosts, across the US spring-forward (02:00 CST -> 03:00 CDT).  The kernel OOM-kills mariadbd on
the database host; systemd restarts it (Restart=on-abort) after InnoDB recovery.  Meanwhile every page
on the web host fails with PDO's [2002] Connection refused.  Nothing triggered it.  Apache + mod_php +
MariaDB; db host writes /var/log/mysql/error.log and traditional syslog, web host RFC 5424."""
import signal
from services import MariaDB
from stacks import apache_site
from website import pdo_backend

START, ZONE, STACK = "2026-03-08 01:59:25", "America/Chicago", "apache+mod_php+mariadb"


def scenario(lab):
    db = lab.host("mdb-ord-2", syslog="traditional")
    web = lab.host("shop-ord-1", syslog="rfc5424")
    mdb = MariaDB(lab, db, 18607)
    assert mdb.start()
    mdb.sql("CREATE DATABASE parts; CREATE USER 'parts_web'@'127.0.0.1' IDENTIFIED BY 'Wq7-parts'; "
            "GRANT SELECT ON parts.* TO 'parts_web'@'127.0.0.1'; CREATE TABLE parts.items (id int primary key, name varchar(64));"
            "INSERT INTO parts.items SELECT seq, concat('part ', seq) FROM parts.seq_1_to_500;")
    apache_site(lab, web, 18608, "/var/www/midwest-parts", "midwest-parts", "parts.midwest.example.com", rate=14,
                libs=("config", "catalog", "template"), backend=pdo_backend("mysql", 18607, "parts", "parts_web", "Wq7-parts"))
    lab.sleep(22)

    pid = mdb.proc.pid
    lab.mark("fault_utc")
    db.kernel("mariadbd invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0")
    db.kernel("Out of memory: Killed process %d (mariadbd) total-vm:3481220kB, anon-rss:1912448kB, file-rss:0kB, shmem-rss:0kB, UID:106 pgtables:4388kB oom_score_adj:0" % pid)
    mdb.proc.signal(signal.SIGKILL)
    mdb.proc.wait(5)
    db.systemd("mariadb.service: A process of this unit has been killed by the OOM killer.", "warning")
    db.systemd("mariadb.service: Main process exited, code=killed, status=9/KILL", "notice")
    db.systemd("mariadb.service: Failed with result 'oom-kill'.", "warning")
    db.systemd("mariadb.service: Consumed 41.207s CPU time.")
    lab.failing("apache2/error.log", r"\[2002\] Connection refused", host="shop-ord-1")
    lab.failing("apache2/access.log", r'" 500 ', host="shop-ord-1")
    lab.sleep(5)
    db.systemd("mariadb.service: Scheduled restart job, restart counter is at 1.")
    db.systemd("Stopped mariadb.service - MariaDB 10.11.19 database server.")
    lab.mark("restart_utc")
    assert mdb.start()
    lab.sleep(20)
    lab.set(root_cause_kind="crash", signal="SIGKILL", root_cause_object="mariadbd", root_cause_host="mdb-ord-2",
            symptom_host="shop-ord-1", dependency="127.0.0.1:18607", dependency_service="mariadb.service", dependency_errno="ECONNREFUSED",
            expected_status=500, trigger_kind="none", resolution_kind="dependency_restored", resolution_utc=lab.truth["restart_utc"],
            incident_kind="errors", hosts="mdb-ord-2,shop-ord-1", crash_cause="oom_kill",
            failing_code_file="/var/www/midwest-parts/app/db.php")
