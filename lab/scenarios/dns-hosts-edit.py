"""The app reaches its database by name (pgsql-primary.lan, from /etc/hosts).  An admin tidies
/etc/hosts with sudo and deletes that line; the resolver then asks DNS, which has no such name:
every page fails with libpq's "could not translate host name" (500).  The admin puts the line back.
nginx + PHP-FPM + PostgreSQL on one host; PHP-FPM runs with its own /etc/hosts and /etc/resolv.conf
(a mount namespace stands in for the host's files).  RFC 5424 syslog, America/Bogota (-0500)."""
import os
from services import Postgres
from stacks import nginx_site
from website import pdo_backend

START, ZONE, STACK = "2026-02-03 19:05:00", "America/Bogota", "nginx+php-fpm+postgresql"
HOSTS = "127.0.0.1\tlocalhost\n127.0.1.1\tbog-app-5\n%s::1\tlocalhost ip6-localhost ip6-loopback\nff02::1\tip6-allnodes\n"
LINE = "127.0.0.1\tpgsql-primary.lan pgsql-primary\n"


def scenario(lab):
    app = lab.host("bog-app-5", syslog="rfc5424")
    pg = Postgres(lab, app, 19318, cluster="tienda")
    assert pg.start()
    pg.psql("CREATE ROLE tienda LOGIN; CREATE DATABASE tienda OWNER tienda;")
    pg.psql("CREATE TABLE items (id int primary key, name text); INSERT INTO items SELECT g, 'producto ' || g FROM generate_series(1, 300) g;"
            " GRANT SELECT ON items TO tienda;", db="tienda")
    hosts = os.path.join(lab.scratch, "etc-hosts")
    resolv = os.path.join(lab.scratch, "etc-resolv.conf")
    open(hosts, "w").write(HOSTS % LINE)
    open(resolv, "w").write("search lan\nnameserver 127.0.0.1\noptions timeout:1 attempts:1\n")
    nginx_site(lab, app, 19319, "/var/www/tienda-andina", "tiendaandina", "tienda-andina.example.co", rate=8,
               libs=("config", "template"), backend=pdo_backend("pgsql", 19318, "tienda", "tienda", "", host="pgsql-primary.lan"),
               fpm_start={"binds": [(hosts, "/etc/hosts"), (resolv, "/etc/resolv.conf")]})
    lab.sleep(15)
    pid = app.sudo("lmorales", "/usr/bin/vim /etc/hosts")
    lab.sleep(3)
    lab.mark("trigger_utc")
    with open(hosts, "r+") as f:     # in place: the bind mount keeps the inode
        f.seek(0); f.write(HOSTS % ""); f.truncate()
    app.sudo_close(pid)
    lab.failing("nginx/error.log", r"could not translate host name")
    lab.failing("nginx/access.log", r'" 500 ')
    lab.sleep(40)
    pid = app.sudo("lmorales", "/usr/bin/vim /etc/hosts")
    lab.sleep(2)
    lab.mark("fix_utc")
    with open(hosts, "r+") as f:
        f.seek(0); f.write(HOSTS % LINE); f.truncate()
    app.sudo_close(pid)
    lab.sleep(15)
    lab.set(root_cause_kind="dns_failure", root_cause_object="pgsql-primary.lan", root_cause_file="/etc/hosts",
            dependency="pgsql-primary.lan:19318", expected_status=500, trigger_kind="sudo_edit", trigger_program="sudo",
            resolution_kind="rollback", resolution_utc=lab.truth["fix_utc"], incident_kind="errors", hosts="bog-app-5",
            failing_code_file="/var/www/tienda-andina/app/db.php")
