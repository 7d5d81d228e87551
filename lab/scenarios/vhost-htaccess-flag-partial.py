"""One Apache serves two shops.  A deploy to the second (outlet) ships an .htaccess whose RewriteRule
has a mistyped flag ([R=301,LL]); Apache refuses the file, so every request to that vhost is a 500
("RewriteRule: unknown flag 'LL'"), static files included, while the main shop is untouched (partial,
one vhost; its requests are in Debian's other_vhosts_access.log).  The deploy tool rolls back 2 min later.  Apache + mod_php, RFC 5424 syslog, America/Caracas
(-0400), 30 req/s on the main vhost, 6 on the outlet."""
import os
from stacks import apache_site
from website import Site
from traffic import Traffic

START, ZONE, STACK = "2026-10-08 08:20:00", "America/Caracas", "apache+mod_php"
OUTLET_VHOST = ("<VirtualHost 127.0.0.1:20121>\n    ServerName outlet.orinoco-market.example.ve\n    DocumentRoot {root}\n"
                "    <Directory {root}>\n        Options FollowSymLinks\n        AllowOverride All\n        Require all granted\n"
                "    </Directory>\n    RemoteIPHeader X-Forwarded-For\n    RemoteIPInternalProxy 127.0.0.1\n"
                "    ErrorLog /var/log/apache2/error.log\n    CustomLog /var/log/apache2/other_vhosts_access.log vhost_combined\n</VirtualHost>\n")
HTACCESS_GOOD = "RewriteEngine On\nRewriteRule ^ofertas/?$ /index.php [L]\n"
HTACCESS_BAD = "RewriteEngine On\nRewriteRule ^ofertas/?$ /index.php [L]\nRewriteRule ^promo/(.*)$ /item.php?id=$1 [R=301,LL]\n"


def scenario(lab):
    web = lab.host("ccs-web-2", syslog="rfc5424")
    outlet_root = "/var/www/orinoco-outlet"
    outlet = Site(lab, outlet_root, libs=("config", "template"), title="Orinoco Outlet", extra_files={".htaccess": HTACCESS_GOOD})
    outlet_conf = lab.owned("/etc/apache2/sites-enabled/orinoco-outlet.conf")
    with open(outlet_conf, "w") as f:
        f.write(OUTLET_VHOST.format(root=outlet_root))
    site, apache, _ = apache_site(lab, web, 20121, "/var/www/orinoco-market", "orinoco-market", "orinoco-market.example.ve", rate=30,
                                  libs=("config", "cart", "template"), apache={"extra_main": "IncludeOptional %s" % outlet_conf,
                                                                              "max_workers": 24})
    Traffic(lab, 20121, outlet.paths(), rate=6, host_header="outlet.orinoco-market.example.ve", name="outlet").start()
    lab.sleep(20)
    outlet.deploy(web, "deploy", "orinoco-outlet: release 41 live: 1 file changed (.htaccess)", ".htaccess", HTACCESS_BAD)
    lab.failing("apache2/error.log", r"RewriteRule: unknown flag")
    lab.failing("apache2/other_vhosts_access.log", r'" 500 ')
    lab.sleep(120)
    outlet.deploy(web, "deploy", "orinoco-outlet: rollback to release 40: 1 file changed (.htaccess)", ".htaccess", HTACCESS_GOOD,
                  mark="fix_utc")
    lab.sleep(15)
    lab.set(root_cause_kind="config_syntax", root_cause_object=outlet.path(".htaccess"), root_cause_file=outlet.path(".htaccess"),
            root_cause_line=3, expected_status=500, trigger_kind="deploy", trigger_program="deploy", resolution_kind="rollback",
            resolution_utc=lab.truth["fix_utc"], incident_kind="partial", scope_vhost="outlet.orinoco-market.example.ve",
            hosts="ccs-web-2")
