"""The two web stacks as one call each, so a scenario states only what differs."""
from services import Apache, Nginx, PhpFpm, php_server
from website import Site
from traffic import Traffic, Monitor


def apache_site(lab, host, port, root, name, server_name, site=None, rate=10, monitor="/", apache=None, traffic=True, **site_kw):
    site = site or Site(lab, root, **site_kw)
    a = Apache(lab, host, port, server_name, root, name, **(apache or {}))
    assert a.start(), "apache did not start"
    t = Traffic(lab, port, site.paths(), rate=rate, host_header=server_name).start() if traffic else None
    if monitor:
        Monitor(lab, host, port, monitor, host_header=server_name).start()
    return site, a, t


def nginx_site(lab, host, port, root, name, server_name, site=None, rate=10, monitor="/", fpm=None, nginx=None,
               extra_location="", fpm_start=None, traffic=True, **site_kw):
    site = site or Site(lab, root, **site_kw)
    sock = "/run/php/php8.2-fpm-%s.sock" % name
    f = PhpFpm(lab, host, name, sock, **(fpm or {}))
    n = Nginx(lab, host, name, php_server(port, server_name, root, "unix:" + sock, extra=extra_location), **(nginx or {}))
    assert f.start(**(fpm_start or {})), "php-fpm did not start"
    assert n.start(port=port), "nginx did not start"
    t = Traffic(lab, port, site.paths(), rate=rate, host_header=server_name).start() if traffic else None
    if monitor:
        Monitor(lab, host, port, monitor, host_header=server_name).start()
    return site, f, n, t
