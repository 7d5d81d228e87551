"""Two hosts.  The stock API on inv-hnl-2 stops answering for about a minute (its nginx is frozen:
SIGSTOP stands in for a stalled VM), so connections open and nothing comes back.  /item.php on the
web host calls it with a 2 s timeout and answers 503 with curl's "Operation timed out after 2000
milliseconds"; the rest of the site is fine.  Nothing was changed and nobody acts: the API resumes by
itself (SIGCONT).  nginx + PHP-FPM (web-hnl-1, RSYSLOG_FileFormat), nginx (inv-hnl-2, traditional
syslog).  Pacific/Honolulu (HST -1000), 12 req/s."""
import signal
import subprocess
from services import Nginx
from stacks import nginx_site

START, ZONE, STACK = "2026-08-25 16:12:00", "Pacific/Honolulu", "nginx+php-fpm"
ITEM = """<?php
require __DIR__ . '/app/bootstrap.php';
$id = (int)($_GET['id'] ?? 1);
$url = 'http://inventory.kona-internal:20031/v2/stock/' . $id;
$ch = curl_init($url);
curl_setopt_array($ch, [CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT_MS => 2000,
    CURLOPT_RESOLVE => ['inventory.kona-internal:20031:127.0.0.1']]);
$body = curl_exec($ch);
if ($body === false) {
    http_response_code(503);
    error_log('stock lookup failed: ' . $url . ': ' . curl_error($ch) . ' (curl ' . curl_errno($ch) . ')');
    render('Item ' . $id, '<p>Stock information is unavailable.</p>');
    exit;
}
render('Item ' . $id, '<p>' . htmlspecialchars($body) . '</p>');
"""


def scenario(lab):
    inv = lab.host("inv-hnl-2", syslog="traditional")
    web = lab.host("web-hnl-1")
    block = ("server {\n\tlisten 127.0.0.1:20031;\n\tserver_name inventory.kona-internal;\n\tlocation /v2/stock/ {\n"
             "\t\tdefault_type application/json;\n\t\treturn 200 '{\"in_stock\":true}';\n\t}\n}\n")
    api = Nginx(lab, inv, "inventory", block)
    assert api.start(port=20031)
    nginx_site(lab, web, 20032, "/var/www/kona-surf-rentals", "konasurf", "kona-surf.example.com", rate=12,
               libs=("config", "template"), extra_files={"item.php": ITEM})
    lab.sleep(18)
    family = [api.proc.pid] + [int(k) for k in subprocess.run(["pgrep", "-P", str(api.proc.pid)], stdout=subprocess.PIPE,
                                                              text=True).stdout.split()]
    lab.mark("fault_utc")
    for p in family:
        subprocess.run(["kill", "-STOP", str(p)])
    lab.failing("nginx/error.log", r"stock lookup failed", host="web-hnl-1")
    lab.failing("nginx/access.log", r'"GET /item\.php\S* HTTP/1\.1" 503 ', host="web-hnl-1")
    lab.sleep(55)
    for p in family:
        subprocess.run(["kill", "-CONT", str(p)])
    lab.mark("fix_utc")
    lab.sleep(20)
    lab.set(root_cause_kind="dependency_down", root_cause_object="inventory.kona-internal:20031",
            dependency="inventory.kona-internal:20031", root_cause_host="inv-hnl-2", symptom_host="web-hnl-1", expected_status=503,
            trigger_kind="none", resolution_kind="recovered", resolution_utc=lab.truth["fix_utc"], incident_kind="partial",
            scope_urls="/item.php", hosts="inv-hnl-2,web-hnl-1", failing_code_file="/var/www/kona-surf-rentals/item.php")
