"""A deploy renames app/pricing.php to app/Pricing.php; bootstrap's require fails (ENOENT) on every page.
Rolled back by the deploy tool 45 s later.  Apache 2.4 + mod_php, traditional syslog, no strace."""
import os
from services import Apache
from website import Site, line_of
from traffic import Traffic, Monitor

START, ZONE, STACK = "2026-02-17 14:20:00", "Europe/Amsterdam", "apache+mod_php"


def scenario(lab):
    web = lab.host("web-ams2", syslog="traditional")
    root = "/var/www/tessera-shop"
    site = Site(lab, root, libs=("config", "pricing", "cart", "template"), title="Tessera")
    apache = Apache(lab, web, 18101, "tessera.example.nl", root, "tessera-shop")
    apache.start()
    Traffic(lab, 18101, site.paths(), rate=15, host_header="tessera.example.nl").start()
    Monitor(lab, web, 18101, "/").start()
    lab.sleep(25)

    lab.mark("trigger_utc")
    web.program("deployer", "[tessera-shop] release 20260217142025 -> current: 2 files changed (app/Pricing.php, app/cart.php)")
    os.rename(site.path("app/pricing.php"), site.path("app/Pricing.php"))
    lab.failing("apache2/access.log", r'" 500 ')
    lab.failing("apache2/error.log", r"Failed opening required")
    lab.sleep(45)

    lab.mark("fix_utc")
    web.program("deployer", "[tessera-shop] rollback to release 20260216093114 -> current")
    os.rename(site.path("app/Pricing.php"), site.path("app/pricing.php"))
    lab.sleep(20)

    lab.set(root_cause_kind="missing_file", root_cause_file=site.path("app/bootstrap.php"),
            root_cause_line=line_of(site.files["app/bootstrap.php"], "/pricing.php"),
            bad_path=site.path("app/pricing.php"), errno="ENOENT", expected_status=500,
            trigger_kind="deploy", trigger_program="deployer", resolution_kind="rollback", incident_kind="errors",
            root_cause_object=site.path("app/pricing.php"), hosts="web-ams2")
