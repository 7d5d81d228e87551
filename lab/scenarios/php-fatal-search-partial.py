"""A deploy ships a search page that calls a function the release forgot (search_highlight()): every
/search.php request is a PHP Fatal error (500); the rest of the site is fine.  Never fixed inside the
logs.  Apache + mod_php, RFC 5424 syslog, Pacific/Chatham (+1345)."""
from stacks import apache_site
from website import line_of

START, ZONE, STACK = "2026-04-22 15:30:00", "Pacific/Chatham", "apache+mod_php"
BAD = """<?php
require __DIR__ . '/app/bootstrap.php';
$q = $_GET['q'] ?? '';
$rows = [['id' => strlen($q), 'name' => $q]];
$html = '';
foreach ($rows as $r) {
    $html .= '<li>' . search_highlight($r['name'], $q) . '</li>';
}
render('Search', '<ul>' . $html . '</ul>');
"""


def scenario(lab):
    web = lab.host("cht-www", syslog="rfc5424")
    site, apache, _ = apache_site(lab, web, 18810, "/var/www/wharekauri-tours", "wharekauri", "tours.wharekauri.example.nz",
                                  rate=6, libs=("config", "bookings", "template"))
    lab.sleep(15)
    lab.mark("trigger_utc")
    web.program("ansible-playbook", "PLAY [web] *** TASK [deploy site] *** changed: [cht-www] => /var/www/wharekauri-tours/search.php")
    site.put("search.php", BAD)
    lab.failing("apache2/error.log", r"Call to undefined function search_highlight")
    lab.failing("apache2/access.log", r'"GET /search\.php\S* HTTP/1\.1" 500 ')
    lab.sleep(50)
    lab.set(root_cause_kind="php_fatal", root_cause_file=site.path("search.php"), root_cause_line=line_of(BAD, "search_highlight"),
            root_cause_object=site.path("search.php"), scope_urls="/search.php", expected_status=500, trigger_kind="deploy",
            trigger_program="ansible-playbook", resolution_kind="never_fixed", incident_kind="partial", hosts="cht-www")
