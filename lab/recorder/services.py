"""Real Debian 12 daemons on 127.0.0.1, each under the fake clock, each stopped by its pid.

Configuration that a real host keeps under /etc (vhosts, pools) is written to its real Debian path
with a name unique to the case (so error lines name /etc/nginx/sites-enabled/<site>), and removed
at the end; everything else lives in the scratch directory.
"""
import os
import signal
import subprocess
import time
import socket

from core import Proc, LIBFAKETIME

APACHE_MODS = ["mpm_prefork", "authz_core", "authz_host", "authn_core", "access_compat", "alias", "dir",
               "mime", "rewrite", "remoteip", "setenvif", "headers", "deflate", "filter", "env"]
UNIT = {
    "apache2": "apache2.service - The Apache HTTP Server",
    "nginx": "nginx.service - A high performance web server and a reverse proxy server",
    "php-fpm": "php8.2-fpm.service - The PHP 8.2 FastCGI Process Manager",
    "postgresql": "postgresql@15-main.service - PostgreSQL Cluster 15-main",
    "mariadb": "mariadb.service - MariaDB 10.11.19 database server",
    "redis": "redis-server.service - Advanced key-value store",
    "memcached": "memcached.service - memcached daemon",
}


def wait_port(port, timeout=20, host="127.0.0.1", proc=None):
    end = time.time() + timeout
    while time.time() < end:
        if proc is not None and not proc.alive():
            return False
        try:
            socket.create_connection((host, port), 0.5).close()
            return True
        except OSError:
            time.sleep(0.1)
    return False


def wait_path(path, timeout=20, proc=None):
    end = time.time() + timeout
    while time.time() < end:
        if proc is not None and not proc.alive():
            return False
        if os.path.exists(path):
            return True
        time.sleep(0.1)
    return False


class Service:
    unit_key = None

    def __init__(self, lab, host):
        self.lab, self.host = lab, host
        self.proc = None
        self.dir = os.path.join(lab.scratch, "svc", host.name, self.__class__.__name__.lower())
        os.makedirs(self.dir, exist_ok=True)
        lab.services.append(self)
        # The daemon runs in a mount namespace of its own where the host's log tree is /var/log and its
        # scratch state sits at the Debian path (ns_bind), so every path it logs or opens (strace) is
        # the one a stock host shows, never /tmp/lab-<case>/...
        self.binds = [(host.logroot, "/var/log")]

    def ns_bind(self, src, dst):
        os.makedirs(src, exist_ok=True)
        if not os.path.exists(dst):
            os.makedirs(dst)
            self.lab.owned(dst)
        self.binds.append((src, dst))
        return dst

    @property
    def unit(self):
        return UNIT[self.unit_key]

    @property
    def unit_name(self):
        return self.unit.split(" ")[0]

    def systemd_started(self):
        self.host.systemd("Starting %s..." % self.unit)
        self.host.systemd("Started %s." % self.unit)

    def systemd_stopped(self):
        self.host.systemd("Stopping %s..." % self.unit)

    def systemd_deactivated(self, cpu="1.204s"):
        self.host.systemd("%s: Deactivated successfully." % self.unit_name)
        self.host.systemd("Stopped %s." % self.unit)
        self.host.systemd("%s: Consumed %s CPU time." % (self.unit_name, cpu))

    def stop(self, announce=False):
        if self.proc and self.proc.alive():
            if announce:
                self.systemd_stopped()
            self.proc.signal(self.stop_signal)
            self.proc.wait(20)
            if announce:
                self.systemd_deactivated()

    stop_signal = signal.SIGTERM

    def systemd_failed_start(self):
        """systemd's lines when the unit's start (ExecStartPre or the daemon) exits 1."""
        self.host.systemd("%s: Control process exited, code=exited, status=1/FAILURE" % self.unit_name, "notice")
        self.host.systemd("%s: Failed with result 'exit-code'." % self.unit_name, "warning")
        self.host.systemd("Failed to start %s." % self.unit, "err")

    def restart(self, **kw):
        self.stop(announce=False)
        self.lab.host_restart = True
        self.host.systemd("Stopping %s..." % self.unit)
        self.host.systemd("%s: Deactivated successfully." % self.unit_name)
        self.host.systemd("Stopped %s." % self.unit)
        return self.start(**kw)


def site_dir(lab, path):
    top = path
    while not os.path.exists(os.path.dirname(top)):
        top = os.path.dirname(top)
    if not os.path.exists(top):
        lab.owned(top)
    os.makedirs(path, exist_ok=True)
    return path


class Apache(Service):
    unit_key = "apache2"

    def __init__(self, lab, host, port, server_name, docroot, vhost_name, mpm="prefork", max_workers=16,
                 php=True, extra_vhost="", extra_main="", php_values=None, loglevel="warn", mods=(), errorlog=None):
        super().__init__(lab, host)
        self.port, self.server_name, self.docroot = port, server_name, docroot
        self.vhost_file = lab.owned("/etc/apache2/sites-enabled/%s.conf" % vhost_name)
        host.path("apache2/error.log")
        self.run = self.ns_bind(os.path.join(self.dir, "run"), "/var/run/apache2")
        self.ns_bind(os.path.join(self.dir, "lock"), "/var/lock/apache2")
        # the case's apache2.conf is /etc/apache2/apache2.conf inside the namespace: the compiled-in
        # default, so AH00094 names no -d/-f
        self.binds.append((os.path.join(self.dir, "apache2.conf"), "/etc/apache2/apache2.conf"))
        logs = "/var/log/apache2"
        errorlog = errorlog or "%s/error.log" % logs
        mods = APACHE_MODS + list(mods)
        main = ["DefaultRuntimeDir /var/run/apache2", "Mutex file:/var/lock/apache2 default", "PidFile /var/run/apache2/apache2.pid",
                "Timeout 300", "KeepAlive On", "MaxKeepAliveRequests 100", "KeepAliveTimeout 5",
                "User www-data", "Group www-data", "HostnameLookups Off", "ServerName %s" % server_name,
                "ErrorLog %s" % errorlog, "LogLevel %s" % loglevel]
        for m in mods:
            main.append("LoadModule %s_module /usr/lib/apache2/modules/mod_%s.so" % (m, m))
        if php:
            main.append("LoadModule php_module /usr/lib/apache2/modules/libphp8.2.so")
            main.append('<FilesMatch ".+\\.ph(?:ar|p|tml)$">\n    SetHandler application/x-httpd-php\n</FilesMatch>')
        main += ["<IfModule mpm_prefork_module>", "StartServers 3", "MinSpareServers 3", "MaxSpareServers 6",
                 "MaxRequestWorkers %d" % max_workers, "MaxConnectionsPerChild 0", "</IfModule>",
                 "Listen 127.0.0.1:%d" % port, "TypesConfig /etc/mime.types",
                 "DirectoryIndex index.html index.php", "AccessFileName .htaccess",
                 '<FilesMatch "^\\.ht">\n    Require all denied\n</FilesMatch>',
                 "<Directory />\n    Options FollowSymLinks\n    AllowOverride None\n    Require all denied\n</Directory>",
                 'LogFormat "%h %l %u %t \\"%r\\" %>s %O \\"%{Referer}i\\" \\"%{User-Agent}i\\"" combined',
                 'LogFormat "%v:%p %h %l %u %t \\"%r\\" %>s %O \\"%{Referer}i\\" \\"%{User-Agent}i\\"" vhost_combined',
                 "ServerTokens OS", "ServerSignature On", "TraceEnable Off", extra_main,
                 "IncludeOptional %s" % self.vhost_file]
        with open(os.path.join(self.dir, "apache2.conf"), "w") as f:
            f.write("\n".join(main) + "\n")
        pv = "".join("    php_admin_value %s %s\n" % kv for kv in (php_values or {}).items())
        vhost = ("<VirtualHost 127.0.0.1:%d>\n    ServerName %s\n    ServerAdmin webmaster@%s\n    DocumentRoot %s\n"
                 "    <Directory %s>\n        Options FollowSymLinks\n        AllowOverride All\n        Require all granted\n"
                 "    </Directory>\n    RemoteIPHeader X-Forwarded-For\n    RemoteIPInternalProxy 127.0.0.1\n%s"
                 "    ErrorLog %s\n    CustomLog %s/access.log combined\n%s</VirtualHost>\n"
                 % (port, server_name, server_name, docroot, docroot, pv, errorlog, logs, extra_vhost))
        self.write_vhost(vhost)

    def write_vhost(self, text):
        with open(self.vhost_file, "w") as f:
            f.write(text)

    def argv(self, *extra):
        return ["/usr/sbin/apache2"] + list(extra)

    def start(self, announce=True, expect_up=True):
        self.proc = Proc(self.lab, self.host, self.argv("-DFOREGROUND"), ident="apachectl", binds=self.binds)
        up = wait_port(self.port, 10, proc=self.proc) if expect_up else False
        if announce:
            if up:
                self.systemd_started()
            else:
                self.host.systemd("Starting %s..." % self.unit)
        return up

    def graceful(self):
        self.host.systemd("Reloading %s..." % self.unit)
        self.proc.signal(signal.SIGUSR1)
        time.sleep(0.3)
        self.host.systemd("Reloaded %s." % self.unit)

    stop_signal = signal.SIGWINCH   # graceful-stop, like apachectl graceful-stop... SIGTERM below

    def stop(self, announce=False):
        if self.proc and self.proc.alive():
            if announce:
                self.systemd_stopped()
            self.proc.signal(signal.SIGTERM)
            self.proc.wait(20)
            if announce:
                self.systemd_deactivated()


class PhpFpm(Service):
    unit_key = "php-fpm"
    stop_signal = signal.SIGQUIT

    def __init__(self, lab, host, pool, listen, max_children=8, pm="dynamic", php_values=None, extra="",
                 log_level="notice", slowlog=False):
        super().__init__(lab, host)
        self.pool, self.listen = pool, listen
        self.pool_file = lab.owned("/etc/php/8.2/fpm/pool.d/%s.conf" % pool)
        self.conf = lab.owned("/etc/php/8.2/fpm/php-fpm-%s.conf" % pool)
        with open(self.conf, "w") as f:
            f.write("[global]\npid = %s/php-fpm.pid\nerror_log = %s\nlog_level = %s\ninclude=%s\n"
                    % (self.dir, "/var/log/php8.2-fpm.log", log_level, self.pool_file))
        self.settings = dict(max_children=max_children, pm=pm, php_values=php_values or {}, extra=extra, slowlog=slowlog)
        self.write_pool()

    def write_pool(self, typo=None):
        s = self.settings
        lines = ["[%s]" % self.pool, "user = www-data", "group = www-data", "listen = %s" % self.listen,
                 "listen.owner = www-data", "listen.group = www-data", "listen.mode = 0660",
                 "pm = %s" % s["pm"], "pm.max_children = %d" % s["max_children"], "pm.start_servers = %d" % min(2, s["max_children"]),
                 "pm.min_spare_servers = 1", "pm.max_spare_servers = %d" % min(3, s["max_children"])]
        if s["slowlog"]:
            lines += ["slowlog = /var/log/php8.2-fpm.slow.log", "request_slowlog_timeout = 2s"]
        for k, v in s["php_values"].items():
            lines.append("php_admin_value[%s] = %s" % (k, v))
        if s["extra"]:
            lines.append(s["extra"])
        # clear_env (the default) would take libfaketime's variables from the workers
        lines += ["env[%s] = %s" % kv for kv in sorted(self.lab.clock.env().items())]
        if typo:
            lines.insert(typo[0], typo[1])
        with open(self.pool_file, "w") as f:
            f.write("\n".join(lines) + "\n")
        return lines

    def start(self, announce=True, binds=None, nofile=None):
        self.proc = Proc(self.lab, self.host, ["/usr/sbin/php-fpm8.2", "--nodaemonize", "--fpm-config", self.conf],
                         ident="php-fpm8.2", binds=self.binds + list(binds or []), nofile=nofile)
        if self.listen.startswith("/"):
            up = wait_path(self.listen, 8, self.proc)
        else:
            up = wait_port(int(self.listen.rsplit(":", 1)[1]), 8, proc=self.proc)
        time.sleep(0.2)
        up = up and self.proc.alive()
        if announce:
            self.host.systemd("Starting %s..." % self.unit)
            if up:
                self.host.systemd("Started %s." % self.unit)
        return up

    def reload(self):
        self.host.systemd("Reloading %s..." % self.unit)
        self.proc.signal(signal.SIGUSR2)
        time.sleep(1.0)
        self.host.systemd("Reloaded %s." % self.unit)


class Nginx(Service):
    unit_key = "nginx"

    def __init__(self, lab, host, site_name, server_blocks, worker_connections=768, extra_http="", user="www-data",
                 error_log=None):
        super().__init__(lab, host)
        self.site_file = lab.owned("/etc/nginx/sites-enabled/%s" % site_name)
        # the case's nginx.conf is /etc/nginx/nginx.conf inside the namespace (nginx -t names it)
        self.conf = os.path.join(self.dir, "nginx.conf")
        host.path("nginx/error.log")
        logs = "/var/log/nginx"
        self.logs = logs
        tmp = self.ns_bind(os.path.join(self.dir, "lib"), "/var/lib/nginx")
        with open(self.conf, "w") as f:
            # nginx clears its workers' environment: libfaketime must keep finding its variables
            f.write("".join("env %s;\n" % k for k in sorted(lab.clock.env())))
            f.write("user %s;\nworker_processes 2;\npid %s/nginx.pid;\nerror_log %s;\n"
                    "events {\n\tworker_connections %d;\n}\nhttp {\n\tsendfile on;\n\ttcp_nopush on;\n"
                    "\ttypes_hash_max_size 2048;\n\tinclude /etc/nginx/mime.types;\n\tdefault_type application/octet-stream;\n"
                    "\tssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;\n\tssl_prefer_server_ciphers on;\n"
                    "\taccess_log %s/access.log;\n\tgzip on;\n\tclient_body_temp_path %s/body;\n\tfastcgi_temp_path %s/fcgi;\n"
                    "\tproxy_temp_path %s/proxy;\n\tuwsgi_temp_path %s/uwsgi;\n\tscgi_temp_path %s/scgi;\n"
                    "\tset_real_ip_from 127.0.0.1;\n\treal_ip_header X-Forwarded-For;\n%s\n\tinclude %s;\n}\n"
                    % (user, "/var/lib/nginx", error_log or logs + "/error.log", worker_connections, logs, tmp, tmp, tmp, tmp, tmp, extra_http, self.site_file))
        self.binds.append((self.conf, "/etc/nginx/nginx.conf"))
        self.write_site(server_blocks)

    def write_site(self, text):
        with open(self.site_file, "w") as f:
            f.write(text)

    def start(self, announce=True, port=None, nofile=None):
        self.proc = Proc(self.lab, self.host, ["/usr/sbin/nginx", "-g", "daemon off;"],
                         ident="nginx", nofile=nofile, binds=self.binds)
        up = wait_port(port, 8, proc=self.proc) if port else (time.sleep(1.0) or self.proc.alive())
        up = up and self.proc.alive()
        if announce:
            self.host.systemd("Starting %s..." % self.unit)
            if up:
                self.host.systemd("Started %s." % self.unit)
        return up

    def test_config(self):
        """nginx -t, as systemd's ExecStartPre runs it: its output goes to the journal."""
        p = Proc(self.lab, self.host, ["/usr/sbin/nginx", "-t", "-q", "-g", "daemon on; master_process on;"],
                 ident="nginx", binds=self.binds)
        return p.wait(10) == 0

    def start_refused(self):
        """systemctl (re)start with a configuration nginx -t rejects: ExecStartPre fails, nginx stays down."""
        self.host.systemd("Starting %s..." % self.unit)
        assert not self.test_config()
        self.systemd_failed_start()

    def start_by_admin(self, user, port):
        """`sudo systemctl start nginx` once the configuration is right again: ExecStartPre, then nginx."""
        self.host.sudo(user, "/usr/bin/systemctl start nginx")
        assert self.test_config()
        assert self.start(port=port)
        self.lab.mark("restart_utc")

    def reload(self):
        self.host.systemd("Reloading %s..." % self.unit)
        self.proc.signal(signal.SIGHUP)
        time.sleep(0.5)
        self.host.systemd("Reloaded %s." % self.unit)

    stop_signal = signal.SIGQUIT


class Postgres(Service):
    """A cluster initialised per case; every process (postmaster and each backend it forks) carries
    LD_PRELOAD/FAKETIME because setpriv keeps the environment (sudo and su would scrub it)."""
    unit_key = "postgresql"
    stop_signal = signal.SIGINT     # fast shutdown, as pg_ctlcluster stop

    @property
    def unit(self):
        return "postgresql@15-%s.service - PostgreSQL Cluster 15-%s" % (self.cluster, self.cluster)

    def __init__(self, lab, host, port, max_connections=100, extra=None, cluster="main"):
        super().__init__(lab, host)
        self.cluster = cluster
        self.etc = "/etc/postgresql/15/%s" % cluster
        assert not os.path.exists(self.etc), self.etc + " exists: pick another cluster name"
        os.makedirs(self.etc)
        lab.owned(self.etc)
        self.port = port
        self.data = os.path.join(self.dir, "data")
        self.sockdir = os.path.join(self.dir, "sock")
        os.makedirs(self.sockdir, exist_ok=True)
        subprocess.run(["chown", "-R", "postgres:postgres", self.dir], check=True)
        # initdb on a faked clock five weeks before the window: the cluster's "database system was shut
        # down at ..." (its last checkpoint) must not carry the real date of the recording
        # (set after setpriv, as Proc does: a root setpriv under libfaketime would own its semaphore)
        env = dict(os.environ, TZ=lab.clock.zone, LANG="C.UTF-8")
        fake = ["LD_PRELOAD=" + LIBFAKETIME, "FAKETIME_DISABLE_SHM=1", "FAKETIME_DONT_FAKE_MONOTONIC=1",
                "FAKETIME=%+.0f" % (lab.clock.start_epoch - 37 * 86400 - time.time())]
        subprocess.run(["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--", "/usr/bin/env"] + fake + [
                        "/usr/lib/postgresql/15/bin/initdb", "-D", self.data, "-A", "trust", "-U", "postgres",
                        "--encoding=UTF8", "--locale=C.UTF-8"], check=True, env=env, stdout=subprocess.DEVNULL)
        self.logfile = host.path("postgresql/postgresql-15-%s.log" % cluster)
        # inside the namespace: the cluster where Debian keeps it, the socket in /var/run/postgresql
        self.ns_data = self.ns_bind(self.data, "/var/lib/postgresql/15/%s" % cluster)
        self.ns_bind(self.sockdir, "/var/run/postgresql")
        self.settings = {"port": str(port), "listen_addresses": "'127.0.0.1'", "unix_socket_directories": "'/var/run/postgresql'",
                         "max_connections": str(max_connections), "shared_buffers": "16MB",
                         "log_line_prefix": "'%m [%p] %q%u@%d '", "log_timezone": "'%s'" % lab.clock.zone,
                         "timezone": "'%s'" % lab.clock.zone, "cluster_name": "'15/%s'" % cluster, "data_directory": "'%s'" % self.ns_data, "datestyle": "'iso, mdy'",
                         "dynamic_shared_memory_type": "posix", "logging_collector": "off"}
        self.settings.update(extra or {})
        self.write_conf()

    def write_conf(self, typo=None):
        """/etc/postgresql/15/<cluster>/postgresql.conf; typo = (key, raw value) written as is."""
        lines = ["# PostgreSQL configuration file (cluster 15/%s)" % self.cluster]
        for k, v in self.settings.items():
            lines.append("%s = %s" % (k, typo[1] if typo and typo[0] == k else v))
        with open(os.path.join(self.etc, "postgresql.conf"), "w") as f:
            f.write("\n".join(lines) + "\n")
        return lines

    def start(self, announce=True):
        if announce:
            self.host.systemd("Starting %s..." % self.unit)
        logged_from = os.path.getsize(self.logfile) if os.path.exists(self.logfile) else 0
        self.proc = Proc(self.lab, self.host, ["/usr/lib/postgresql/15/bin/postgres", "-D", self.ns_data,
                          "-c", "config_file=%s/postgresql.conf" % self.etc],
                         user="postgres", stderr_file=self.logfile, env={"LANG": "C.UTF-8", "PGTZ": self.lab.clock.zone},
                         select_shim=True, binds=self.binds)
        up = wait_port(self.port, 20, proc=self.proc) and self._ready(logged_from)
        if announce and up:
            self.host.systemd("Started %s." % self.unit)
        return up

    def _ready(self, offset, timeout=20):
        """The port opens before recovery ends; a client connecting then is refused with a logged
        'FATAL:  the database system is starting up' no stock start shows.  Wait for the cluster's own
        'ready to accept connections' line instead."""
        end = time.time() + timeout
        while time.time() < end and self.proc.alive():
            with open(self.logfile, "rb") as f:
                f.seek(offset)
                if b"ready to accept connections" in f.read():
                    return True
            time.sleep(0.1)
        return False

    def psql(self, sql, db="postgres", user="postgres"):
        for _ in range(40):     # the port opens before the cluster accepts connections
            try:
                return self._psql(sql, db, user)
            except RuntimeError as e:
                if "starting up" not in str(e):
                    raise
                time.sleep(0.25)
        return self._psql(sql, db, user)

    def seed_items(self, db, owner, label, rows, readers=()):
        """A database owned by `owner` with the sample `items` table the site's PDO backend reads."""
        self.psql("CREATE ROLE %s LOGIN; CREATE DATABASE %s OWNER %s;" % (owner, db, owner))
        self.psql("CREATE TABLE items (id int primary key, name text); INSERT INTO items SELECT g, '%s ' || g FROM"
                  " generate_series(1, %d) g; GRANT SELECT ON items TO %s;" % (label, rows, ", ".join((owner,) + tuple(readers))), db=db)

    def _psql(self, sql, db, user):
        env = dict(os.environ)
        fake = ["%s=%s" % kv for kv in sorted(self.lab.clock.env().items())]
        r = subprocess.run(["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--",
                               "/usr/bin/env"] + fake + ["/usr/lib/postgresql/15/bin/psql", "-X", "-q", "-h", self.sockdir, "-p", str(self.port),
                               "-U", user, "-d", db, "-v", "ON_ERROR_STOP=1"] + [a for st in sql.split(";") if st.strip() for a in ("-c", st)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            raise RuntimeError("psql: " + r.stderr)
        return r


class MariaDB(Service):
    unit_key = "mariadb"

    def __init__(self, lab, host, port, to_journal=False, extra=()):
        super().__init__(lab, host)
        self.port = port
        self.data = os.path.join(self.dir, "data")
        run = os.path.join(self.dir, "run")
        self.sock = os.path.join(run, "mysqld.sock")   # /run/mysqld/mysqld.sock inside the namespace
        self.ns_bind(run, "/run/mysqld")
        os.makedirs(self.data, exist_ok=True)
        self.binds.append((self.data, "/var/lib/mysql"))
        subprocess.run(["chown", "-R", "mysql:mysql", self.dir], check=True)
        subprocess.run(["mariadb-install-db", "--no-defaults", "--user=mysql", "--datadir=" + self.data,
                        "--auth-root-authentication-method=normal", "--skip-test-db"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.to_journal = to_journal
        self.extra = list(extra)

    def start(self, announce=True):
        if announce:
            self.host.systemd("Starting %s..." % self.unit)
        argv = ["/usr/sbin/mariadbd", "--no-defaults", "--datadir=/var/lib/mysql", "--socket=/run/mysqld/mysqld.sock",
                "--port=%d" % self.port, "--bind-address=127.0.0.1", "--user=mysql", "--pid-file=/run/mysqld/mysqld.pid",
                "--innodb-buffer-pool-size=16M", "--skip-name-resolve", "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_general_ci"] + self.extra
        if self.to_journal:
            self.proc = Proc(self.lab, self.host, argv, ident="mariadbd", binds=self.binds)
        else:
            err = self.host.path("mysql/error.log")
            subprocess.run(["chown", "mysql:adm", os.path.dirname(err)])
            self.proc = Proc(self.lab, self.host, argv + ["--log-error=/var/log/mysql/error.log"], ident="mariadbd",
                             binds=self.binds)
        up = wait_port(self.port, 30)
        if announce and up:
            self.host.systemd("Started %s." % self.unit)
        return up

    def sql(self, sql):
        env = dict(os.environ)
        env.update(self.lab.clock.env())
        r = subprocess.run(["mariadb", "--no-defaults", "-uroot", "-S", self.sock, "-e", sql],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            raise RuntimeError("mariadb: " + r.stderr)
        return r


class Redis(Service):
    unit_key = "redis"

    def __init__(self, lab, host, port, maxmemory=None, policy="noeviction"):
        super().__init__(lab, host)
        self.port = port
        subprocess.run(["chown", "-R", "redis:redis", self.dir], check=True)
        # redis-server (its jemalloc) cannot start under libfaketime ("unexpected recursive calls to
        # clock_gettime()"): it runs on the real clock and its log, which would carry the real date, is
        # not kept.  A limitation of the lab, documented in lab/README.md.
        logf = os.path.join(self.dir, "redis-server.log")
        self.conf = os.path.join(self.dir, "redis.conf")
        with open(self.conf, "w") as f:
            f.write("bind 127.0.0.1 -::1\nport %d\ndaemonize no\nsupervised no\nloglevel notice\nlogfile %s\n"
                    "dir %s\nsave \"\"\nappendonly no\n" % (port, logf, self.dir))
            if maxmemory:
                f.write("maxmemory %s\nmaxmemory-policy %s\n" % (maxmemory, policy))
        subprocess.run(["chown", "redis:redis", self.conf])

    def start(self, announce=True):
        if announce:
            self.host.systemd("Starting %s..." % self.unit)
        self.proc = Proc(self.lab, self.host, ["/usr/bin/redis-server", self.conf], user="redis", ident="redis-server",
                         fake=False, stderr_file=os.path.join(self.dir, "stdout"))
        up = wait_port(self.port, 10)
        if announce and up:
            self.host.systemd("Started %s." % self.unit)
        return up


class Memcached(Service):
    unit_key = "memcached"

    def __init__(self, lab, host, port, mem=64, conns=1024):
        super().__init__(lab, host)
        self.port, self.mem, self.conns = port, mem, conns

    def start(self, announce=True):
        if announce:
            self.host.systemd("Starting %s..." % self.unit)
        self.proc = Proc(self.lab, self.host, ["/usr/bin/memcached", "-m", str(self.mem), "-p", str(self.port), "-u", "memcache",
                                               "-l", "127.0.0.1", "-c", str(self.conns)],
                         ident="systemd-memcached-wrapper")
        up = wait_port(self.port, 5)
        if announce and up:
            self.host.systemd("Started %s." % self.unit)
        return up


class Strace:
    """strace attached to running pids; output under var/log/ (the admin's choice of place)."""

    def __init__(self, lab, host, pids, name="strace.log", flags=("-f", "-tt", "-T"), per_pid=False, children=False):
        self.lab = lab
        if children:    # -f follows new forks only: the workers already running are attached by pid
            pids = list(pids) + [int(k) for p in pids for k in subprocess.run(
                ["pgrep", "-P", str(p)], stdout=subprocess.PIPE, text=True).stdout.split()]
        out = host.path(name)
        argv = ["strace"] + list(flags) + (["-ff"] if per_pid else []) + ["-s", "200", "-o", out]
        for p in pids:
            argv += ["-p", str(p)]
        self.proc = Proc(lab, host, argv, ident="strace", stderr_file=os.path.join(lab.scratch, "strace.stderr"))
        time.sleep(0.5)
        lab.mark("strace_attached_utc")

    def stop(self):
        self.proc.signal(signal.SIGINT)
        self.proc.wait(10)


def php_server(port, server_name, root, fastcgi, extra="", ssl=None):
    """A Debian-style nginx server block for a PHP site behind PHP-FPM (snippets/fastcgi-php.conf)."""
    listen = "listen 127.0.0.1:%d%s;" % (port, " ssl" if ssl else "")
    tls = ("\tssl_certificate %s;\n\tssl_certificate_key %s;\n" % ssl) if ssl else ""
    upstream = fastcgi if fastcgi.startswith(("unix:", "127.", "localhost")) or ":" in fastcgi else fastcgi
    return ("server {\n\t%s\n\tserver_name %s;\n%s\troot %s;\n\tindex index.php index.html;\n\n"
            "\tlocation / {\n\t\ttry_files $uri $uri/ =404;\n\t}\n\n%s"
            "\tlocation ~ \\.php$ {\n\t\tinclude snippets/fastcgi-php.conf;\n\t\tfastcgi_pass %s;\n\t}\n\n"
            "\tlocation ~ /\\.ht {\n\t\tdeny all;\n\t}\n}\n" % (listen, server_name, tls, root, extra, upstream))


def make_cert(lab, cn, cert, key, not_after_epoch=None, days=90):
    """A self-signed certificate made by openssl under libfaketime, so that notAfter is not_after_epoch."""
    os.makedirs(os.path.dirname(cert), exist_ok=True)
    env = dict(os.environ)
    if not not_after_epoch:     # issued an hour ago on the case's clock (never the real date: "not yet valid")
        not_after_epoch = lab.clock.now() - 3600 + days * 86400
    env.update({"LD_PRELOAD": LIBFAKETIME, "FAKETIME_DISABLE_SHM": "1",
                "FAKETIME": "%+.3f" % (not_after_epoch - days * 86400 - time.time())})
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", str(days), "-subj", "/CN=" + cn, "-addext", "subjectAltName=DNS:" + cn],
                   check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
