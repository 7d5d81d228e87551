"""Two hosts.  On the database host an admin edits postgresql.conf with sudo (max_connections = 2O0,
a letter O) and restarts the cluster: PostgreSQL refuses the file and stays down.  On the web host every
page fails with PDO's "Connection refused" (500) until the admin fixes the line and starts the cluster.
Cause on db-ade-1 (journal), symptom on web-ade-3 (RSYSLOG_FileFormat).  Australia/Adelaide (+1030)."""
from services import Postgres
from stacks import nginx_site
from website import pdo_backend

START, ZONE, STACK = "2026-01-12 09:12:00", "Australia/Adelaide", "nginx+php-fpm+postgresql"


def scenario(lab):
    web = lab.host("web-ade-3")
    db = lab.host("db-ade-1", syslog="journal")
    pg = Postgres(lab, db, 18505, cluster="ledger")
    assert pg.start()
    pg.psql("CREATE ROLE ledger_app LOGIN; CREATE DATABASE ledger OWNER ledger_app;")
    pg.psql("CREATE TABLE items (id int primary key, name text); INSERT INTO items SELECT g, 'entry ' || g FROM generate_series(1, 500) g;"
            " GRANT SELECT ON items TO ledger_app;", db="ledger")
    nginx_site(lab, web, 18506, "/var/www/ledger-portal", "ledgerportal", "portal.ledger.example.au", rate=9,
               libs=("config", "template"), backend=pdo_backend("pgsql", 18505, "ledger", "ledger_app", ""))
    lab.sleep(18)

    pid = db.sudo("tnguyen", "/usr/bin/vim /etc/postgresql/15/ledger/postgresql.conf")
    lab.sleep(4)
    lines = pg.write_conf(typo=("max_connections", "2O0"))
    db.sudo_close(pid)
    lab.mark("trigger_utc")
    db.sudo("tnguyen", "/usr/bin/systemctl restart postgresql@15-ledger")
    pg.stop(announce=True)
    up = pg.start()
    assert not up
    pg.systemd_failed_start()
    lab.failing("nginx/error.log", r"Connection refused", host="web-ade-3")
    lab.failing("nginx/access.log", r'" 500 ', host="web-ade-3")
    lab.sleep(40)

    pid = db.sudo("tnguyen", "/usr/bin/vim /etc/postgresql/15/ledger/postgresql.conf")
    lab.sleep(3)
    pg.write_conf()
    db.sudo_close(pid)
    lab.mark("fix_utc")
    db.sudo("tnguyen", "/usr/bin/systemctl start postgresql@15-ledger")
    assert pg.start()
    lab.mark("restart_utc")
    lab.sleep(15)
    lab.set(root_cause_kind="config_syntax", root_cause_file=pg.etc + "/postgresql.conf",
            root_cause_line=[i for i, l in enumerate(lines, 1) if l.startswith("max_connections")][0],
            root_cause_object=pg.etc + "/postgresql.conf", root_cause_host="db-ade-1", symptom_host="web-ade-3",
            dependency="127.0.0.1:18505", dependency_service="postgresql@15-ledger.service", dependency_errno="ECONNREFUSED",
            expected_status=500, trigger_kind="sudo_edit", trigger_program="sudo", resolution_kind="dependency_restored",
            resolution_utc=lab.truth["restart_utc"], incident_kind="errors", hosts="db-ade-1,web-ade-3",
            failing_code_file="/var/www/ledger-portal/app/db.php")
