"""Two hosts.  The quote page on the web host calls the rates API on api-lon-2 over HTTPS; the API's
certificate expires inside the window (nobody changed anything).  From that second every /quote.php
fails with curl's "SSL certificate problem: certificate has expired" (502 from the app); the rest of
the site is fine.  An admin on the API host installs a renewed certificate and reloads nginx.
nginx + PHP-FPM (web-lon-4, RSYSLOG_FileFormat) and nginx (api-lon-2, traditional).  Europe/London (BST)."""
import os
from services import Nginx, make_cert
from stacks import nginx_site

START, ZONE, STACK = "2026-06-30 23:59:20", "Europe/London", "nginx+php-fpm"
QUOTE = """<?php
require __DIR__ . '/app/bootstrap.php';
$ch = curl_init('https://rates.thames-api.internal:19522/v1/rates?from=GBP&to=EUR');
curl_setopt_array($ch, [CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT => 3, CURLOPT_CAINFO => '/etc/ssl/certs/thames-rates-ca.pem',
    CURLOPT_RESOLVE => ['rates.thames-api.internal:19522:127.0.0.1']]);
$body = curl_exec($ch);
if ($body === false) {
    http_response_code(502);
    error_log('rates API unavailable: ' . curl_error($ch) . ' (errno ' . curl_errno($ch) . ')');
    render('Quote', '<p>Quotes are unavailable right now.</p>');
    exit;
}
render('Quote', '<pre>' . htmlspecialchars($body) . '</pre>');
"""


def scenario(lab):
    api = lab.host("api-lon-2", syslog="traditional")
    web = lab.host("web-lon-4")
    certdir = lab.owned("/etc/ssl/thames-rates")
    cert, key = certdir + "/rates.crt", certdir + "/rates.key"
    expiry = int(lab.clock.now()) + 26
    make_cert(lab, "rates.thames-api.internal", cert, key, not_after_epoch=expiry)
    ca = lab.owned("/etc/ssl/certs/thames-rates-ca.pem")
    os.system("cp %s %s" % (cert, ca))
    block = ("server {\n\tlisten 127.0.0.1:19522 ssl;\n\tserver_name rates.thames-api.internal;\n\tssl_certificate %s;\n"
             "\tssl_certificate_key %s;\n\tlocation /v1/rates {\n\t\tdefault_type application/json;\n"
             "\t\treturn 200 '{\"from\":\"GBP\",\"to\":\"EUR\",\"rate\":1.1712}';\n\t}\n}\n" % (cert, key))
    apin = Nginx(lab, api, "thames-rates", block)
    assert apin.start(port=19522)
    site, fpm, nginx, traffic = nginx_site(lab, web, 19523, "/var/www/thames-quotes", "thamesquotes", "quotes.thames.example.co.uk",
                                           rate=12, libs=("config", "template"), extra_files={"quote.php": QUOTE})
    traffic.paths.append(("/quote.php", 20))
    traffic.weights.append(20)
    lab.set(trigger_utc=__import__("core").iso(expiry))
    lab.failing("nginx/error.log", r"certificate has expired", host="web-lon-4")
    lab.failing("nginx/access.log", r'"GET /quote\.php HTTP/1\.1" 502 ', host="web-lon-4")
    while lab.clock.now() < expiry + 40:
        lab.sleep(1)
    pid = api.sudo("olusegun", "/usr/bin/cp /home/olusegun/rates-2026.crt /etc/ssl/thames-rates/rates.crt")
    make_cert(lab, "rates.thames-api.internal", cert, key)
    os.system("cp %s %s" % (cert, ca))
    api.sudo_close(pid)
    lab.mark("fix_utc")
    api.sudo("olusegun", "/usr/bin/systemctl reload nginx")
    lab.mark("restart_utc")
    apin.reload()
    lab.sleep(15)
    lab.set(root_cause_kind="tls_failure", root_cause_object=cert, root_cause_file=cert, root_cause_host="api-lon-2",
            symptom_host="web-lon-4", dependency="rates.thames-api.internal:19522", cert_not_after_utc=__import__("core").iso(expiry),
            scope_urls="/quote.php", expected_status=502, trigger_kind="cert_expiry", resolution_kind="restart",
            resolution_utc=lab.truth["restart_utc"], incident_kind="partial", hosts="api-lon-2,web-lon-4",
            failing_code_file=site.path("quote.php"))
