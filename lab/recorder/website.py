"""A small PHP site written per case: pages that load a bootstrap and its libraries, optionally a
database (PDO pgsql / mysql) or a cache (Memcached, Redis), plus static files.  Names vary per case."""
import os
import random
import subprocess

from services import site_dir


class Site:
    def __init__(self, lab, root, libs=("config", "helpers", "template"), backend=None, title="Site",
                 extra_files=None, owner="root"):
        self.lab, self.root, self.libs, self.backend, self.title = lab, root, list(libs), backend, title
        site_dir(lab, root)
        self.files = {}
        inc = "app"
        self.inc = inc
        boot = ["<?php", "// bootstrap: every page loads this first", "define('APP_ROOT', dirname(__DIR__));"]
        for lib in self.libs:
            boot.append("require_once APP_ROOT . '/%s/%s.php';" % (inc, lib))
        if backend:
            boot.append("require_once APP_ROOT . '/%s/%s.php';" % (inc, backend["module"]))
        self.put("%s/bootstrap.php" % inc, "\n".join(boot) + "\n")
        for lib in self.libs:
            self.put("%s/%s.php" % (inc, lib), "<?php\n// %s\nfunction %s_ready() { return true; }\n" % (lib, lib.replace("-", "_")))
        self.put("%s/template.php" % inc,
                 "<?php\nfunction render($title, $body) {\n    header('Content-Type: text/html; charset=UTF-8');\n"
                 "    echo \"<!doctype html><html><head><title>$title</title><link rel=stylesheet href=/assets/site.css></head>\";\n"
                 "    echo \"<body><h1>$title</h1>$body</body></html>\\n\";\n}\n")
        if "template" not in self.libs:
            self.libs.append("template")
            boot.insert(3, "require_once APP_ROOT . '/%s/template.php';" % inc)
            self.put("%s/bootstrap.php" % inc, "\n".join(boot) + "\n")
        data = "$rows = data_rows($id);" if backend else "$rows = [['id' => $id, 'name' => 'item ' . $id]];"
        self.put("index.php", "<?php\nrequire __DIR__ . '/%s/bootstrap.php';\n$id = 1;\n%s\nrender('%s', '<p>' . count($rows) . ' items</p>');\n"
                 % (inc, data, title))
        self.put("item.php", "<?php\nrequire __DIR__ . '/%s/bootstrap.php';\n$id = (int)($_GET['id'] ?? 1);\n%s\n"
                 "render('%s item ' . $id, '<p>' . htmlspecialchars(json_encode($rows)) . '</p>');\n" % (inc, data, title))
        self.put("search.php", "<?php\nrequire __DIR__ . '/%s/bootstrap.php';\n$q = $_GET['q'] ?? '';\n$id = strlen($q);\n%s\n"
                 "render('Search', '<p>' . count($rows) . ' results for ' . htmlspecialchars($q) . '</p>');\n" % (inc, data))
        self.put("health.txt", "ok\n")
        self.put("robots.txt", "User-agent: *\nDisallow: /search.php\n")
        self.put("assets/site.css", "body{font-family:sans-serif;margin:2em}\n" * 40)
        self.put("assets/app.js", "document.addEventListener('DOMContentLoaded',function(){});\n" * 60)
        self.put("favicon.ico", "\0" * 318)
        if backend:
            self.put("%s/%s.php" % (inc, backend["module"]), backend["code"])
        for rel, text in (extra_files or {}).items():
            self.put(rel, text)
        subprocess.run(["chown", "-R", owner + ":" + owner, root])

    def put(self, rel, text, mode=0o644):
        p = os.path.join(self.root, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)
        os.chmod(p, mode)
        self.files[rel] = text
        return p

    def deploy(self, host, tool, message, rel, text, mark="trigger_utc"):
        """A deploy tool's line (logger-style, imitated), then the file it ships; marks the instant."""
        self.lab.mark(mark)
        host.program(tool, message)
        return self.put(rel, text)

    def path(self, rel):
        return os.path.join(self.root, rel)

    def paths(self, php=1.0, static=1.0, notfound=0.06):
        r = random.Random(self.root)
        words = ["lamp", "chair", "boots", "coffee", "tent", "router", "desk", "kettle", "jacket", "bike"]
        return {
            "/": 18 * php, "/index.php": 3 * php,
            (lambda rnd: "/item.php?id=%d" % rnd.randrange(1, 400)): 16 * php,
            (lambda rnd: "/search.php?q=%s" % rnd.choice(words)): 6 * php,
            "/assets/site.css": 14 * static, "/assets/app.js": 12 * static, "/favicon.ico": 6 * static,
            "/robots.txt": 1 * static, "/health.txt": 1 * static,
            "/apple-touch-icon.png": 60 * notfound, "/wp-login.php": 20 * notfound, "/.env": 10 * notfound,
            "/old-catalogue.html": 10 * notfound,
        }


def pdo_backend(driver, port, dbname, user, password, host="127.0.0.1", extra_dsn=""):
    dsn = "%s:host=%s;port=%d;dbname=%s%s" % (driver, host, port, dbname, extra_dsn)
    code = ("<?php\n// database access\nfunction db() {\n    static $pdo = null;\n    if ($pdo === null) {\n"
            "        $pdo = new PDO('%s', '%s', '%s', [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION, PDO::ATTR_TIMEOUT => 3]);\n"
            "    }\n    return $pdo;\n}\nfunction data_rows($id) {\n"
            "    $st = db()->prepare('SELECT id, name FROM items WHERE id <= ? ORDER BY id LIMIT 5');\n"
            "    $st->execute([$id + 4]);\n    return $st->fetchAll(PDO::FETCH_ASSOC);\n}\n" % (dsn, user, password))
    return {"module": "db", "code": code}


def redis_backend(port, host="127.0.0.1", write=False):
    code = ("<?php\n// cache access\nfunction cache() {\n    static $r = null;\n    if ($r === null) {\n        $r = new Redis();\n"
            "        $r->connect('%s', %d, 2.0);\n    }\n    return $r;\n}\nfunction data_rows($id) {\n"
            "    $key = 'item:' . $id;\n    $v = cache()->get($key);\n    if ($v === false) {\n"
            "        $v = json_encode([['id' => $id, 'name' => 'item ' . $id, 'pad' => str_repeat('x', 2048)]]);\n"
            "        cache()->setex($key, 3600, $v);\n    }\n%s    return json_decode($v, true);\n}\n"
            % (host, port, "    cache()->setex('view:' . bin2hex(random_bytes(8)), 86400, str_repeat('v', 4096));\n" if write else ""))
    return {"module": "cache", "code": code}


def memcached_backend(port, host="127.0.0.1"):
    code = ("<?php\n// cache access\nfunction cache() {\n    static $m = null;\n    if ($m === null) {\n        $m = new Memcached();\n"
            "        $m->addServer('%s', %d);\n    }\n    return $m;\n}\nfunction data_rows($id) {\n"
            "    $v = cache()->get('item:' . $id);\n    if ($v === false) {\n        if (cache()->getResultCode() != Memcached::RES_NOTFOUND) {\n"
            "            throw new RuntimeException('cache unavailable: memcached %s:%d: ' . cache()->getResultMessage());\n        }\n"
            "        $v = [['id' => $id, 'name' => 'item ' . $id]];\n        cache()->set('item:' . $id, $v, 600);\n    }\n"
            "    return $v;\n}\n" % (host, port, host, port))
    return {"module": "cache", "code": code}


def line_of(text, needle):
    """1-based line number of the first line of text containing needle."""
    for n, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return n
    raise ValueError(needle)
