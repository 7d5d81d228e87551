"""A deploy ships an .htaccess with 'RewriteEngin On': Apache answers 500 to every request under the
site (static files too) until the deploy tool rolls back.  Apache + mod_php, RSYSLOG_FileFormat, +0530."""
from stacks import apache_site
from website import line_of

START, ZONE, STACK = "2026-09-21 11:40:00", "Asia/Kolkata", "apache+mod_php"


def scenario(lab):
    web = lab.host("blr-web-04")
    root = "/var/www/chaipoint-orders"
    site, apache, _ = apache_site(lab, web, 18303, root, "chaipoint-orders", "orders.chaipoint.example.in", rate=22,
                                  libs=("config", "menu", "template"), title="Orders")
    good = "RewriteEngine On\nRewriteBase /\nRewriteRule ^menu/([0-9]+)$ item.php?id=$1 [L,QSA]\n"
    site.put(".htaccess", good)
    lab.sleep(18)
    lab.mark("trigger_utc")
    web.program("capistrano", "deploy orders.chaipoint.example.in release 20260921061800 (rev 4e1c9a7) finished: 3 files updated (.htaccess, app/menu.php, assets/site.css)")
    bad = "RewriteEngin On\nRewriteBase /\nRewriteRule ^menu/([0-9]+)$ item.php?id=$1 [L,QSA]\n"
    site.put(".htaccess", bad)
    lab.failing("apache2/error.log", r"Invalid command 'RewriteEngin'")
    lab.failing("apache2/access.log", r'" 500 ')
    lab.sleep(35)
    lab.mark("fix_utc")
    web.program("capistrano", "rollback orders.chaipoint.example.in to release 20260920133012 (rev 91b02de)")
    site.put(".htaccess", good)
    lab.sleep(15)
    lab.set(root_cause_kind="config_syntax", root_cause_file=site.path(".htaccess"), root_cause_line=line_of(bad, "RewriteEngin"),
            root_cause_object=site.path(".htaccess"), expected_status=500, trigger_kind="deploy", trigger_program="capistrano",
            resolution_kind="rollback", resolution_utc=lab.truth["fix_utc"], incident_kind="errors", hosts="blr-web-04")
