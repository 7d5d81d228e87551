"""Real HTTP traffic from many client addresses (sent as X-Forwarded-For, read by mod_remoteip or
nginx's realip), bounded in count and time; every answer is recorded with the fake time."""
import http.client
import queue
import random
import ssl
import threading
import time

BROWSERS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0",
]
CRAWLERS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)",
]


def addresses(seed, n, v6=0.08):
    r = random.Random(seed)
    out = []
    for i in range(n):
        if r.random() < v6:
            out.append("2001:db8:%x:%x::%x" % (r.randrange(65536), r.randrange(65536), r.randrange(1, 65536)))
        else:
            first = r.choice([24, 31, 37, 46, 62, 77, 81, 84, 86, 91, 93, 98, 104, 109, 151, 176, 178, 185, 188, 195, 203, 212, 217])
            out.append("%d.%d.%d.%d" % (first, r.randrange(256), r.randrange(256), r.randrange(1, 255)))
    return out


class Traffic:
    """rate requests/s (Poisson arrivals) over `paths` {path: weight} (a path may be ("POST", path, body))."""

    def __init__(self, lab, port, paths, rate, clients=120, seed=None, agents=None, host_header=None,
                 threads=12, timeout=10.0, tls=False, referer=None, name="traffic", max_requests=40000):
        self.lab, self.port, self.rate = lab, port, rate
        self.paths = list(paths.items())
        self.weights = [w for _, w in self.paths]
        self.rnd = random.Random(seed if seed is not None else hash(lab.case + name))
        self.clients = addresses(self.rnd.random(), clients) if isinstance(clients, int) else list(clients)
        self.agents = agents or BROWSERS
        self.host_header = host_header
        self.timeout, self.tls, self.name = timeout, tls, name
        self.referer = referer or "https://%s/" % (host_header or "127.0.0.1")
        self.q = queue.Queue()
        self.results = []
        self.stop_ev = threading.Event()
        self.max_requests = max_requests
        self.sent = 0
        self.threads = [threading.Thread(target=self._worker, daemon=True) for _ in range(threads)]
        self.sched = threading.Thread(target=self._schedule, daemon=True)
        lab.traffics.append(self)

    def start(self):
        for t in self.threads:
            t.start()
        self.sched.start()
        return self

    def _schedule(self):
        nxt = time.time()
        while not self.stop_ev.is_set() and self.sent < self.max_requests:
            if self.rate <= 0:
                time.sleep(0.1)
                nxt = time.time()
                continue
            nxt += self.rnd.expovariate(self.rate)
            d = nxt - time.time()
            if d > 0:
                time.sleep(min(d, 0.5))
                if d > 0.5:
                    continue
            path = self.rnd.choices(self.paths, self.weights)[0][0]
            self.q.put((path, self.rnd.choice(self.clients), self.rnd.choice(self.agents)))
            self.sent += 1

    def _worker(self):
        while not self.stop_ev.is_set():
            try:
                path, client, agent = self.q.get(timeout=0.2)
            except queue.Empty:
                continue
            self.request(path, client, agent)

    def request(self, path, client, agent):
        method, body = "GET", None
        if isinstance(path, tuple):
            method, path, body = path
        if callable(path):
            path = path(self.rnd)
        t0 = self.lab.now()
        status, err = None, None
        try:
            if self.tls:
                ctx = ssl.create_default_context()
                ctx.check_hostname = False
                ctx.verify_mode = ssl.CERT_NONE
                c = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=self.timeout, context=ctx)
            else:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            headers = {"User-Agent": agent, "X-Forwarded-For": client, "Connection": "close",
                       "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
            if self.host_header:
                headers["Host"] = self.host_header
            if self.referer and self.rnd.random() < 0.4:
                headers["Referer"] = self.referer
            if body is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            c.request(method, path, body=body, headers=headers)
            r = c.getresponse()
            r.read()
            status = r.status
            c.close()
        except Exception as e:   # refused, reset, timeout: the client saw no answer
            err = type(e).__name__
        self.results.append((t0, self.lab.now(), path, status, err, client))

    def set_rate(self, rate):
        self.rate = rate

    def stop(self):
        self.stop_ev.set()
        for t in self.threads:
            if t.is_alive():
                t.join(self.timeout + 1)

    def failures(self, bad=lambda status, err: err is not None or (status or 0) >= 500):
        return [r for r in self.results if bad(r[3], r[4])]


class Monitor:
    """The real check_http plugin (monitoring-plugins 2.3.3) every `every` s, in the background so a
    check that hangs does not delay the next; its last output line goes to syslog under check_http."""

    def __init__(self, lab, host, port, path="/", every=10.0, host_header=None, timeout=10, client="10.20.0.5", ssl=False):
        self.ssl = ssl
        self.lab, self.host, self.port, self.path, self.every = lab, host, port, path, every
        self.host_header, self.timeout, self.client = host_header or "localhost", timeout, client
        self.stop_ev = threading.Event()
        self.t = threading.Thread(target=self._run, daemon=True)
        self.results = []
        lab.traffics.append(self)

    def start(self):
        self.t.start()
        return self

    def _run(self):
        while not self.stop_ev.wait(self.every):
            threading.Thread(target=self._check, daemon=True).start()

    def _check(self):
        import subprocess
        t0 = self.lab.now()
        r = subprocess.run(["/usr/lib/nagios/plugins/check_http", "-H", self.host_header, "-I", "127.0.0.1",
                            "-p", str(self.port), "-u", self.path, "-t", str(self.timeout),
                            "-k", "X-Forwarded-For: " + self.client] + (["-S", "--sni"] if self.ssl else []), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        out = r.stdout.decode("utf-8", "replace").strip().splitlines()
        msg = out[-1] if out else "UNKNOWN"
        self.results.append((t0, self.lab.now(), self.path, 200 if r.returncode == 0 else None,
                             None if r.returncode == 0 else "check_http %d" % r.returncode, self.client))
        self.host.log("check_http", msg, pid=self.lab.fake_pid(), facility="user", severity="notice")

    def stop(self):
        self.stop_ev.set()
