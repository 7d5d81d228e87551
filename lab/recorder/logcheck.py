"""Timestamps of every recorded log line: the SELF-CHECK (no line outside the faked window: a daemon
that escaped libfaketime writes the real date) and the measurement of incident_start/_end from the
lines that were actually written."""
import datetime as dt
import os
import re
import subprocess
from zoneinfo import ZoneInfo

from core import iso

MON = {m: i + 1 for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())}

R_ACCESS = re.compile(r"\[(\d\d)/(\w{3})/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-]\d\d)(\d\d)\]")
R_APACHE_ERR = re.compile(r"^\[\w{3} (\w{3}) (\d\d) (\d\d):(\d\d):(\d\d)\.(\d+) (\d{4})\]")
R_NGINX_ERR = re.compile(r"^(\d{4})/(\d\d)/(\d\d) (\d\d):(\d\d):(\d\d) ")
R_FPM = re.compile(r"^\[(\d\d)-(\w{3})-(\d{4}) (\d\d):(\d\d):(\d\d)(?:\.(\d+))?\]")
R_ISO_LOCAL = re.compile(r"^(\d{4})-(\d\d)-(\d\d)[ T] ?(\d{1,2}):(\d\d):(\d\d)(?:\.(\d+))?(?: |$)")
R_REDIS = re.compile(r"^\d+:\w (\d\d) (\w{3}) (\d{4}) (\d\d):(\d\d):(\d\d)\.(\d+) ")
R_TRAD = re.compile(r"^(\w{3}) ([ \d]\d) (\d\d):(\d\d):(\d\d) ")
R_RFC3339 = re.compile(r"^(?:<\d+>1 )?(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) ")
R_ZONE = re.compile(r"(?:(GMT|UTC)|([+-])(\d\d)(\d\d)?) ")
R_APT = re.compile(r"^(?:Start|End)-Date: (\d{4})-(\d\d)-(\d\d)  (\d\d):(\d\d):(\d\d)")
R_STRACE = re.compile(r"^(?:\d+ +)?(?:(\d\d):(\d\d):(\d\d)\.(\d+)|(\d{9,10})\.(\d+)) ")


class Resolver:
    def __init__(self, zone, lo, hi):
        self.tz = ZoneInfo(zone)
        self.lo, self.hi = lo, hi
        self.mid = (lo + hi) / 2

    def local(self, y, mo, d, h, mi, s, frac="0"):
        frac = float("0." + (frac or "0"))
        best = None
        for fold in (0, 1):
            try:
                t = dt.datetime(y, mo, d, h, mi, s, tzinfo=self.tz, fold=fold).timestamp() + frac
            except ValueError:
                return None
            if best is None or abs(t - self.mid) < abs(best - self.mid):
                if self.lo <= t <= self.hi or best is None or not (self.lo <= best <= self.hi):
                    best = t
        return best

    def dates(self):
        seen, t = [], self.lo
        while t <= self.hi + 86400:
            d = dt.datetime.fromtimestamp(t, self.tz).date()
            if d not in seen:
                seen.append(d)
            t += 3600
        return seen

    def time_of_day(self, h, mi, s, frac):
        cands = [self.local(d.year, d.month, d.day, h, mi, s, frac) for d in self.dates()]
        cands = [c for c in cands if c is not None]
        inside = [c for c in cands if self.lo <= c <= self.hi]
        return (inside or sorted(cands, key=lambda c: abs(c - self.mid)))[0]


def stamp(kind, line, r):
    """UTC epoch of one line, or None if the line carries no timestamp (a continuation)."""
    if kind == "access":
        m = R_ACCESS.search(line)
        if not m:
            return None
        d, mo, y, h, mi, s, oh, om = m.groups()
        off = int(oh) * 3600 + (1 if oh[0] != "-" else -1) * int(om) * 60
        return dt.datetime(int(y), MON[mo], int(d), int(h), int(mi), int(s), tzinfo=dt.timezone.utc).timestamp() - off
    if kind == "apache_error":
        m = R_APACHE_ERR.match(line)
        if not m:
            return None
        mo, d, h, mi, s, us, y = m.groups()
        return r.local(int(y), MON[mo], int(d), int(h), int(mi), int(s), us)
    if kind == "nginx_error":
        m = R_NGINX_ERR.match(line)
        if not m:
            return None
        return r.local(*map(int, m.groups()))
    if kind == "fpm":
        m = R_FPM.match(line)
        if not m:
            return None
        d, mo, y, h, mi, s, frac = m.groups()
        return r.local(int(y), MON[mo], int(d), int(h), int(mi), int(s), frac)
    if kind == "iso_local":
        m = R_ISO_LOCAL.match(line)
        if not m:
            return None
        y, mo, d, h, mi, s, frac = m.groups()
        # PostgreSQL's %m names its zone; before log_timezone is read (a config file it refuses) it is GMT
        z = R_ZONE.match(line, m.end())
        if z:
            utc = dt.datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), tzinfo=dt.timezone.utc).timestamp()
            utc += float("0." + (frac or "0"))
            if z.group(1):
                return utc
            sign = -1 if z.group(2) == "-" else 1
            return utc - sign * (int(z.group(3)) * 3600 + int(z.group(4) or 0) * 60)
        return r.local(int(y), int(mo), int(d), int(h), int(mi), int(s), frac)
    if kind == "redis":
        m = R_REDIS.match(line)
        if not m:
            return None
        d, mo, y, h, mi, s, frac = m.groups()
        return r.local(int(y), MON[mo], int(d), int(h), int(mi), int(s), frac)
    if kind == "syslog":
        m = R_RFC3339.match(line)
        if m:
            return dt.datetime.fromisoformat(m.group(1).replace("Z", "+00:00")).timestamp()
        m = R_TRAD.match(line)
        if not m:
            return None
        mo, d, h, mi, s = m.groups()
        years = sorted({dd.year for dd in r.dates()})
        cands = [r.local(y, MON[mo], int(d), int(h), int(mi), int(s)) for y in years]
        cands = [c for c in cands if c is not None]
        return min(cands, key=lambda c: abs(c - r.mid))
    if kind == "apt":
        m = R_APT.match(line)
        if not m:
            return None
        return r.local(*map(int, m.groups()))
    if kind == "strace":
        m = R_STRACE.match(line)
        if not m:
            return None
        h, mi, s, us, ep, frac = m.groups()
        if ep:
            return float(ep + "." + frac)
        return r.time_of_day(int(h), int(mi), int(s), us)
    raise ValueError(kind)


def kind_of(rel):
    base = os.path.basename(rel)
    if base.startswith("access.log") or base.endswith("access.log"):
        return "access"
    if rel.startswith("apache2/"):
        return "apache_error"
    if rel.startswith("nginx/"):
        return "nginx_error"
    if base.startswith("php8.2-fpm"):
        return "fpm"
    if rel.startswith(("postgresql/", "mysql/")) or base.startswith("dpkg.log"):
        return "iso_local"
    if rel.startswith("redis/"):
        return "redis"
    if rel.startswith("apt/"):
        return "apt"
    if base.startswith("strace") or rel.startswith("strace/"):
        return "strace"
    if base.endswith(".journal"):
        return "journal"
    return "syslog"


def lines_of(path, kind):
    """(line number, text, epoch or None)."""
    if kind == "journal":
        out = subprocess.run(["journalctl", "--file", path, "-o", "export", "--no-pager"],
                             stdout=subprocess.PIPE, check=True).stdout.decode("utf-8", "replace")
        n = 0
        for block in out.split("\n\n"):
            f = dict(l.split("=", 1) for l in block.splitlines() if "=" in l)
            if "__REALTIME_TIMESTAMP" in f:
                n += 1
                yield n, f.get("SYSLOG_IDENTIFIER", "") + ": " + f.get("MESSAGE", ""), int(f["__REALTIME_TIMESTAMP"]) / 1e6
        return
    with open(path, encoding="utf-8", errors="replace") as fh:
        for n, text in enumerate(fh, 1):
            yield n, text.rstrip("\n"), None


def all_lines(lab):
    lo, hi = lab.window_start - 2.0, lab.window_end + 2.0
    r = Resolver(lab.clock.zone, lo, hi)
    for hname, h in lab.hosts.items():
        for dirpath, _, files in os.walk(h.logroot):
            for fn in sorted(files):
                p = os.path.join(dirpath, fn)
                rel = os.path.relpath(p, h.logroot)
                kind = kind_of(rel)
                for n, text, t in lines_of(p, kind):
                    if t is None:
                        t = stamp(kind, text, r)
                    yield hname, rel, n, text, t


def check_window(lab):
    lo, hi = lab.window_start - 2.0, lab.window_end + 2.0
    problems, counts = [], {}
    for hname, rel, n, text, t in all_lines(lab):
        c = counts.setdefault("%s:%s" % (hname, rel), [0, 0])
        if t is None:
            c[1] += 1
            continue
        c[0] += 1
        if not (lo <= t <= hi):
            problems.append("%s:%s:%d %s (at %s; window %s..%s)" % (hname, rel, n, text[:160], iso(t), iso(lo), iso(hi)))
    for k, (dated, undated) in counts.items():
        if dated == 0 and undated > 0:
            problems.append("%s: %d lines and none dated" % (k, undated))
    summary = ", ".join("%s=%d" % (k, v[0] + v[1]) for k, v in sorted(counts.items()))
    return problems, summary


def measure(lab):
    """incident_start_utc / incident_end_utc: the first and last line matching the scenario's
    failure signatures, from the logs as written (never the client's give-up time)."""
    if not lab.signatures:
        return
    after = lab.truth.get("trigger_utc") or lab.truth.get("fault_utc")
    lo = dt.datetime.fromisoformat(after.replace("Z", "")[:26]).replace(tzinfo=dt.timezone.utc).timestamp() - 1.0 if after else 0
    hits = []
    pats = [(h, rel, re.compile(p)) for h, rel, p in lab.signatures]
    for hname, rel, n, text, t in all_lines(lab):
        if t is None or t < lo:
            continue
        for h, prel, pat in pats:
            if (h is None or h == hname) and (rel == prel or rel.startswith(prel + "/")) and pat.search(text):
                hits.append(t)
                break
    if not hits:
        raise RuntimeError("no line matched the failure signatures: the fault did not show")
    # Whole-second stamps (access logs, nginx, traditional syslog) are floors of the real instant: a
    # sub-second line in the same second is the better measure of the first failure.
    fine = [t for t in hits if t % 1]
    coarse = [t for t in hits if not t % 1]
    first = min(hits)
    if coarse and fine and min(fine) < min(coarse) + 1:
        first = min(fine)
    lab.truth.setdefault("incident_start_utc", iso(first))
    if lab.truth.get("resolution_kind") == "never_fixed":
        lab.truth.setdefault("incident_end_utc", "")
    else:
        lab.truth.setdefault("incident_end_utc", iso(max(hits)))
    lab.truth.setdefault("failure_lines", str(len(hits)))
    # What the clients saw inside the incident.
    s = min(hits)
    e = max(hits)
    total = failed = 0
    for tr in lab.traffics:
        res = getattr(tr, "results", None)
        if res is None:
            res = tr.traffic.results
        for r in res:
            if s - 1 <= r[0] <= e + 1:
                total += 1
                if r[4] is not None or (r[3] or 0) >= lab.fail_status_min:
                    failed += 1
    lab.truth.setdefault("requests_in_incident", str(total))
    lab.truth.setdefault("requests_failed", str(failed))
