"""An admin means to stop memcached on the staging box and runs it on production: `sudo systemctl stop
memcached`.  Every page that reads the cache throws ("cache unavailable: memcached 127.0.0.1:19731:
... CONNECTION FAILURE" or "SERVER IS MARKED DEAD"), 500; static files are fine.  strace on Apache
shows connect() = -1 ECONNREFUSED.  The admin starts memcached again 45 s later.  Apache + mod_php +
memcached, RFC 5424 syslog, America/Sao_Paulo (-0300), 9 req/s."""
from services import Memcached, Strace
from stacks import apache_site
from website import memcached_backend

START, ZONE, STACK = "2026-07-21 21:05:00", "America/Sao_Paulo", "apache+mod_php+memcached"


def scenario(lab):
    web = lab.host("gru-web-4", syslog="rfc5424")
    mc = Memcached(lab, web, 19731)
    assert mc.start()
    site, apache, _ = apache_site(lab, web, 19732, "/var/www/feira-paulista", "feira", "feira-paulista.example.br", rate=9,
                                  libs=("config", "template"), backend=memcached_backend(19731))
    lab.sleep(18)
    web.sudo("rcosta", "/usr/bin/systemctl stop memcached")
    lab.mark("trigger_utc")
    mc.stop(announce=True)
    lab.failing("apache2/error.log", r"cache unavailable: memcached")
    lab.failing("apache2/access.log", r'" 500 ')
    lab.sleep(8)
    st = Strace(lab, web, [apache.proc.pid], flags=("-f", "-ttt", "-T"), children=True)
    lab.sleep(25)
    st.stop()
    lab.sleep(12)
    web.sudo("rcosta", "/usr/bin/systemctl start memcached")
    assert mc.start()
    lab.mark("restart_utc")
    lab.sleep(20)
    lab.set(root_cause_kind="dependency_down", root_cause_object="127.0.0.1:19731", dependency="127.0.0.1:19731",
            dependency_service="memcached.service", errno="ECONNREFUSED", expected_status=500, trigger_kind="sudo_command",
            trigger_program="sudo", resolution_kind="dependency_restored", resolution_utc=lab.truth["restart_utc"],
            incident_kind="errors", hosts="gru-web-4", failing_code_file=site.path("app/cache.php"))
