"""A partner's new integration starts pulling /export.php every half second; each export builds the
whole catalogue in memory and hits memory_limit (64M): "Allowed memory size ... exhausted", 500 for
that client only.  It gives up after 40 s.  Apache + mod_php whose ErrorLog is piped to logger, so
the host has only the access log and the journal.  Asia/Tehran (+0330)."""
from stacks import apache_site
from traffic import Traffic
from website import line_of

START, ZONE, STACK = "2026-11-03 13:25:00", "Asia/Tehran", "apache+mod_php"
EXPORT = """<?php
require __DIR__ . '/app/bootstrap.php';
$since = $_GET['since'] ?? '2026-01-01';
$rows = [];
for ($i = 0; $i < 2000000; $i++) {
    $rows[] = ['id' => $i, 'sku' => sprintf('SKU-%08d', $i), 'since' => $since];
}
header('Content-Type: application/json');
echo json_encode(array_slice($rows, 0, 10));
"""


def scenario(lab):
    web = lab.host("thr-shop-01", syslog="journal")
    sock = web.sock_path
    site, apache, _ = apache_site(
        lab, web, 18911, "/var/www/golestan-market", "golestan", "market.golestan.example.ir", rate=10,
        libs=("config", "template"), extra_files={"export.php": EXPORT},
        apache={"php_values": {"memory_limit": "64M"},
                "errorlog": '"|/usr/bin/logger -t apache2 -p local7.info -u %s"' % sock})
    lab.sleep(15)
    lab.mark("trigger_utc")
    client = Traffic(lab, 18911, {(lambda rnd: "/export.php?since=2026-11-0%d" % rnd.randrange(1, 4)): 1}, rate=2,
                     clients=["203.0.113.77"], agents=["ReportSync/2.1 (+https://partner.example.com/sync)"],
                     host_header="market.golestan.example.ir", threads=3, name="partner").start()
    lab.failing("journal", r"Allowed memory size of 67108864 bytes exhausted")
    lab.failing("apache2/access.log", r'"GET /export\.php\S* HTTP/1\.1" 500 ')
    lab.sleep(40)
    lab.mark("fix_utc")     # the client gives up (stop() then waits for its requests in flight)
    client.stop()
    lab.sleep(15)
    lab.set(root_cause_kind="resource_limit", limit="memory_limit", limit_value="64M", root_cause_file=site.path("export.php"),
            root_cause_line=line_of(EXPORT, "$rows[] ="), root_cause_object="memory_limit", scope_urls="/export.php",
            culprit_user_agent="ReportSync/2.1 (+https://partner.example.com/sync)", culprit_addresses="203.0.113.77",
            culprit_path="/export.php", expected_status=500, trigger_kind="new_client", resolution_kind="recovered",
            resolution_utc=lab.truth["fix_utc"], incident_kind="partial", hosts="thr-shop-01")
