"""certbot's timer renews the certificate, but the renewal's deploy hook copies the new certificate
without its new key; the hook's `systemctl restart nginx` then fails (ExecStartPre: "SSL_CTX_use_PrivateKey
... key values mismatch") and the HTTPS site is down (connection refused) until an admin installs the
matching key and starts nginx.  nginx + PHP-FPM over TLS at 3 req/s, traditional syslog, Asia/Colombo (+0530)."""
import shutil
from services import make_cert, php_server
from stacks import nginx_site

START, ZONE, STACK = "2026-09-17 04:12:00", "Asia/Colombo", "nginx+php-fpm"
LIVE = "/etc/letsencrypt/live/ceylon-spice.example.lk"


def scenario(lab):
    web = lab.host("cmb-web-1", syslog="traditional")
    lab.owned("/etc/letsencrypt")
    cert, key = LIVE + "/fullchain.pem", LIVE + "/privkey.pem"
    make_cert(lab, "ceylon-spice.example.lk", cert, key)
    new_cert, new_key = lab.scratch + "/renewed/fullchain.pem", lab.scratch + "/renewed/privkey.pem"
    make_cert(lab, "ceylon-spice.example.lk", new_cert, new_key)
    site, fpm, nginx, traffic = nginx_site(lab, web, 20140, "/var/www/ceylon-spice", "ceylonspice", "ceylon-spice.example.lk",
                                           rate=3, libs=("config", "template"), monitor=None, traffic=False)
    nginx.write_site(php_server(20140, "ceylon-spice.example.lk", site.root, "unix:/run/php/php8.2-fpm-ceylonspice.sock",
                                ssl=(cert, key)))
    nginx.stop()
    assert nginx.start(announce=False, port=20140)
    from traffic import Traffic, Monitor
    Traffic(lab, 20140, site.paths(), rate=3, host_header="ceylon-spice.example.lk", tls=True).start()
    Monitor(lab, web, 20140, "/", host_header="ceylon-spice.example.lk", ssl=True).start()
    lab.sleep(20)
    web.systemd("Starting certbot.service - Certbot...")
    lab.mark("trigger_utc")
    shutil.copy(new_cert, cert)      # the hook copies the certificate, not the key
    nginx.stop(announce=True)
    nginx.start_refused()
    web.log("certbot", "Hook 'deploy-hook' reported error code 1", pid=lab.fake_pid(), facility="daemon", severity="err", imitated=True)
    web.systemd("certbot.service: Deactivated successfully.")
    web.systemd("Finished certbot.service - Certbot.")
    lab.failing("syslog", r"key values mismatch|check_http\[\d+\]: .*(Unable to open TCP socket|Connection refused)")
    lab.sleep(40)
    pid = web.sudo("perera", "/usr/bin/cp /etc/letsencrypt/archive/ceylon-spice.example.lk/privkey7.pem %s" % key)
    shutil.copy(new_key, key)
    web.sudo_close(pid)
    lab.mark("fix_utc")
    nginx.start_by_admin("perera", 20140)
    lab.sleep(15)
    lab.set(root_cause_kind="tls_failure", root_cause_object=key, root_cause_file=key, expected_status="", trigger_kind="cron",
            trigger_program="systemd", resolution_kind="restart", resolution_utc=lab.truth["restart_utc"], incident_kind="down",
            hosts="cmb-web-1", certificate=cert)
