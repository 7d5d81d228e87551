"""Two hosts.  A new reporting job on another machine opens 10 idle connections to PostgreSQL, whose
max_connections is 14 (3 reserved): the web host's pages need one connection each and most now fail
with "FATAL:  sorry, too many clients already" (500).  The job finishes after 40 s and it recovers.
The cluster logs connections (log_connections = on): the job's ten "connection authorized: user=fleet_report"
lines are the only trace of the new client.
Cause on pg-fra-1 (PostgreSQL log + RSYSLOG_FileFormat), symptom on web-fra-2 (Apache + mod_php).
Europe/Berlin (CET)."""
import subprocess, os
from services import Postgres
from stacks import apache_site
from website import pdo_backend

START, ZONE, STACK = "2026-12-01 07:45:00", "Europe/Berlin", "apache+mod_php+postgresql"
HOLD = "<?php $c = []; for ($i = 0; $i < 10; $i++) { $c[] = new PDO('pgsql:host=127.0.0.1;port=19216;dbname=fleet', 'fleet_report', ''); } sleep(40);\n"


def scenario(lab):
    db = lab.host("pg-fra-1")
    web = lab.host("web-fra-2")
    pg = Postgres(lab, db, 19216, max_connections=14, cluster="fleet", extra={"superuser_reserved_connections": "3",
                                                                                 "log_connections": "on"})
    assert pg.start()
    pg.psql("CREATE ROLE fleet_web LOGIN; CREATE ROLE fleet_report LOGIN; CREATE DATABASE fleet OWNER fleet_web;")
    pg.psql("CREATE TABLE items (id int primary key, name text); INSERT INTO items SELECT g, 'truck ' || g FROM generate_series(1, 300) g;"
            " GRANT SELECT ON items TO fleet_web, fleet_report;", db="fleet")
    apache_site(lab, web, 19217, "/var/www/fleetdesk", "fleetdesk", "fleetdesk.example.de", rate=25,
                libs=("config", "template"), backend=pdo_backend("pgsql", 19216, "fleet", "fleet_web", ""))
    lab.sleep(15)
    hold = os.path.join(lab.scratch, "report-job.php")
    open(hold, "w").write(HOLD)
    lab.mark("trigger_utc")
    env = dict(os.environ, **lab.clock.env())
    job = subprocess.Popen(["php8.2", hold], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lab.failing("postgresql/postgresql-15-fleet.log", r"too many clients already", host="pg-fra-1")
    lab.failing("apache2/access.log", r'" 500 ', host="web-fra-2")
    job.wait(60)
    lab.mark("fix_utc")
    lab.sleep(15)
    lab.set(root_cause_kind="resource_limit", limit="max_connections", limit_value=14, root_cause_object="max_connections",
            root_cause_host="pg-fra-1", symptom_host="web-fra-2", dependency="127.0.0.1:19216",
            dependency_service="postgresql@15-fleet.service", culprit_user="fleet_report", expected_status=500,
            trigger_kind="new_client", resolution_kind="recovered", resolution_utc=lab.truth["fix_utc"], incident_kind="errors",
            hosts="pg-fra-1,web-fra-2", failing_code_file="/var/www/fleetdesk/app/db.php")
