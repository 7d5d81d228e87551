"""What happens on a quiet day and must not be reported: scanners, crawlers, cron, routine reloads, a
deploy that breaks nothing.  Each source marks noise_<name>_* in truth.env from what it did."""
from traffic import Traffic, CRAWLERS

SCAN_PATHS = ["/.env", "/.git/config", "/.git/HEAD", "/wp-config.php.bak", "/config.php~", "/phpinfo.php", "/info.php",
              "/server-status", "/.aws/credentials", "/backup.sql", "/db.sql.gz", "/admin/", "/phpmyadmin/index.php",
              "/pma/", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", "/cgi-bin/luci", "/actuator/env",
              "/.DS_Store", "/wp-content/debug.log", "/api/.env", "/laravel/.env", "/.svn/entries", "/xmlrpc.php",
              "/old/wp-admin/install.php", "/boaform/admin/formLogin", "/HNAP1/", "/owa/auth/logon.aspx"]


def scanner(lab, port, host_header, address, agent, seconds=20, rate=12, name="scanner"):
    """A vulnerability scanner from one address: a burst of 404s for well-known paths."""
    t = Traffic(lab, port, {p: 1 for p in SCAN_PATHS}, rate=rate, clients=[address], agents=[agent], host_header=host_header,
                threads=6, name=name, max_requests=int(rate * seconds * 1.5) + 5, referer="")
    lab.mark("noise_%s_start_utc" % name)
    t.start()
    lab.sleep(seconds)
    t.stop()
    lab.mark("noise_%s_end_utc" % name)
    lab.set(**{"noise_%s_address" % name: address, "noise_%s_requests" % name: len(t.results)})
    return t


def crawler(lab, port, host_header, site, addresses, agent=CRAWLERS[0], rate=2, name="crawler"):
    """A well-behaved search-engine crawler over the site's own pages; runs until the case ends."""
    paths = {k: v for k, v in site.paths(notfound=0.02).items()}
    t = Traffic(lab, port, paths, rate=rate, clients=addresses, agents=[agent], host_header=host_header, threads=4,
                name=name, max_requests=int(rate * 900))
    lab.mark("noise_%s_start_utc" % name)
    lab.set(**{"noise_%s_agent" % name: agent})
    return t.start()


def cron(lab, host, user, command, name="cron"):
    host.cron(user, command)
    lab.mark("noise_%s_utc" % name)
