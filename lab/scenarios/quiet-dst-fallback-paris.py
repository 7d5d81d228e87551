"""A quiet day across the autumn clock change (03:00 CEST -> 02:00 CET: the hour 02:00-03:00 happens
twice).  Unattended-upgrades upgrades tzdata (dpkg.log, apt/history.log), PostgreSQL writes its timed
checkpoints, a Bingbot crawls, nothing fails.  nginx + PHP-FPM + PostgreSQL on one host, binary journal,
Europe/Paris, 8 req/s."""
from services import Postgres
from stacks import nginx_site
from website import pdo_backend
from traffic import CRAWLERS
import noise

START, ZONE, STACK = "2026-10-25 02:58:45", "Europe/Paris", "nginx+php-fpm+postgresql"


def scenario(lab):
    app = lab.host("par-app-2", syslog="journal")
    pg = Postgres(lab, app, 19611, cluster="librairie", extra={"checkpoint_timeout": "30s", "log_checkpoints": "on"})
    assert pg.start()
    pg.seed_items("librairie", "librairie", "livre", 400)
    site, fpm, nginx, _ = nginx_site(lab, app, 19612, "/var/www/librairie-du-marais", "librairie", "librairie-marais.example.fr",
                                     rate=8, libs=("config", "template"),
                                     backend=pdo_backend("pgsql", 19611, "librairie", "librairie", ""))
    noise.crawler(lab, 19612, "librairie-marais.example.fr", site, ["157.55.39.%d" % i for i in (12, 57, 201)],
                  agent=CRAWLERS[1], rate=1, name="bingbot")
    lab.sleep(20)
    app.systemd("Starting apt-daily-upgrade.service - Daily apt upgrade and clean activities...")
    lab.sleep(3)
    app.dpkg_upgrade("tzdata", "2025b-0+deb12u1", "2025b-0+deb12u2", arch="all")
    lab.mark("noise_package_upgrade_utc")
    lab.sleep(2)
    app.systemd("apt-daily-upgrade.service: Deactivated successfully.")
    app.systemd("Finished apt-daily-upgrade.service - Daily apt upgrade and clean activities.")
    while lab.now() < lab.window_start + 150:      # past 01:00Z, the switch, and a minute of CET
        lab.sleep(2)
    lab.set(hosts="par-app-2", incident_kind="", root_cause_kind="", trigger_kind="", resolution_kind="",
            noise_dst_switch_utc="2026-10-25T01:00:00.000000000Z")
