"""The recorder's core: the fake clock, hosts with their syslog, processes, systemd's lines, truth.

A scenario (lab/scenarios/<case>.py) builds a Lab, starts services on its hosts, drives traffic,
injects one fault and resolves it; the Lab measures and packs.  Python 3 standard library only.
"""
import datetime as dt
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import threading
import time
from zoneinfo import ZoneInfo

LIBFAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"
LAB_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def iso(epoch):
    """ISO-8601 UTC with ns, as ../shared/incidents/*/truth.env writes it."""
    whole = int(epoch // 1)
    ns = int(round((epoch - whole) * 1e9))
    if ns >= 1_000_000_000:
        whole, ns = whole + 1, ns - 1_000_000_000
    return dt.datetime.fromtimestamp(whole, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S") + ".%09dZ" % ns


class Clock:
    """fake = real + offset.  Every faked process reads the offset from FAKETIME (fixed) or, when the
    scenario steps the clock between phases, from a timestamp file re-read every second."""

    def __init__(self, start_local, zone, scratch, stepping=False):
        self.zone = zone
        self.tz = ZoneInfo(zone)
        start = dt.datetime.fromisoformat(start_local).replace(tzinfo=self.tz)
        self.start_epoch = start.timestamp()
        self.offset = self.start_epoch - time.time()
        self.stepping = stepping
        self.file = os.path.join(scratch, "faketime.rc")
        self._write()

    def _write(self):
        with open(self.file + ".new", "w") as f:
            f.write("%+.6f\n" % self.offset)
        os.replace(self.file + ".new", self.file)

    def now(self):
        return time.time() + self.offset

    def env(self):
        e = {"LD_PRELOAD": LIBFAKETIME, "FAKETIME_DONT_FAKE_MONOTONIC": "1", "TZ": self.zone, "FAKETIME_DISABLE_SHM": "1",
             "FAKETIME_DONT_RESET": "1"}
        if self.stepping:
            e["FAKETIME_TIMESTAMP_FILE"] = self.file
            e["FAKETIME_CACHE_DURATION"] = "1"
        else:
            e["FAKETIME"] = "%+.6f" % self.offset
        return e

    def step(self, seconds):
        """Jump every faked process's clock forward (idle time compressed)."""
        assert self.stepping, "step() needs Clock(stepping=True)"
        self.offset += seconds
        self._write()
        time.sleep(1.2)   # every process's cached offset expires

    def local(self, epoch, fmt):
        return dt.datetime.fromtimestamp(epoch, self.tz).strftime(fmt)


class Proc:
    """A process started under the fake clock; its stdout/stderr go to the host's syslog the way
    systemd's journal passes a unit's output on (ident[pid]: line), or to a file."""

    def __init__(self, lab, host, argv, ident=None, user=None, stderr_file=None, env=None, cwd="/",
                 nofile=None, binds=None, fake=True, select_shim=False):
        self.lab, self.host, self.ident = lab, host, ident or os.path.basename(argv[0])
        full = dict(os.environ)
        full.update(env or {})
        if fake:
            # set for the daemon's own exec only: a root helper (setpriv, prlimit, unshare) that loaded
            # libfaketime first would own its semaphore, which the daemon's user then cannot open
            fake_env = lab.clock.env()
            if select_shim:     # see faketime_select.c
                fake_env["LD_PRELOAD"] = lab.select_shim() + ":" + fake_env["LD_PRELOAD"]
            argv = ["/usr/bin/env"] + ["%s=%s" % kv for kv in sorted(fake_env.items())] + list(argv)
        pre = []
        if nofile:
            pre += ["prlimit", "--nofile=%d:%d" % (nofile, nofile), "--"]
        if user:
            pre += ["setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups", "--"]
        if binds:
            # a private mount namespace (unshare's default propagation): the daemon sees the case's
            # files at their Debian paths, the host's own /var/log, /etc/... stay as they are
            script = "".join('mount --bind "%s" "%s" && ' % (src, dst) for src, dst in binds)
            argv = ["unshare", "-m", "--", "sh", "-c", script + 'exec "$@"', "sh"] + pre + list(argv)
            pre = []
        if stderr_file:
            out = open(stderr_file, "ab")
            self.popen = subprocess.Popen(pre + list(argv), stdout=out, stderr=out, stdin=subprocess.DEVNULL,
                                          env=full, cwd=cwd, start_new_session=True)
            out.close()
        else:
            self.popen = subprocess.Popen(pre + list(argv), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                          stdin=subprocess.DEVNULL, env=full, cwd=cwd, start_new_session=True)
            threading.Thread(target=self._forward, daemon=True).start()
        self.pid = self.popen.pid
        lab.procs.append(self)

    def _forward(self):
        for raw in self.popen.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            if line.strip():
                self.host.log(self.ident, line, pid=self.pid, facility="daemon", severity="info")

    def signal(self, sig):
        try:
            os.kill(self.pid, sig)
        except ProcessLookupError:
            pass

    def alive(self):
        return self.popen.poll() is None

    def wait(self, timeout=15):
        try:
            return self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGKILL)
            return self.popen.wait(5)


FACILITY = {"kern": 0, "user": 1, "daemon": 3, "auth": 4, "syslog": 5, "cron": 9, "authpriv": 10, "local0": 16}
SEVERITY = {"emerg": 0, "alert": 1, "crit": 2, "err": 3, "warning": 4, "notice": 5, "info": 6, "debug": 7}

SYSLOG_TEMPLATES = {
    "traditional": "RSYSLOG_TraditionalFileFormat",
    "rsyslog": "RSYSLOG_FileFormat",           # Debian 12's default
    "rfc5424": "RSYSLOG_SyslogProtocol23Format",
}


class Host:
    """One machine: its log tree and an rsyslogd (under the fake clock) that writes
    var/log/syslog + auth.log + kern.log in the chosen format, or a binary journal instead."""

    def __init__(self, lab, name, syslog="rsyslog", ip="127.0.0.1"):
        self.lab, self.name, self.syslog_format, self.ip = lab, name, syslog, ip
        self.root = os.path.join(lab.scratch, "hosts", name)
        self.logroot = os.path.join(self.root, "var", "log")
        os.makedirs(self.logroot, exist_ok=True)
        self.sock_path = os.path.join(self.root, "dev-log")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.lock = threading.Lock()
        self._start_rsyslog()

    def path(self, rel):
        p = os.path.join(self.logroot, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        return p

    def _start_rsyslog(self):
        spool = os.path.join(self.root, "rsyslog-spool")
        os.makedirs(spool, exist_ok=True)
        conf = os.path.join(self.root, "rsyslog.conf")
        journal = self.syslog_format == "journal"
        lines = ['global(workDirectory="%s" localHostName="%s")' % (spool, self.name),
                 'module(load="imuxsock" SysSock.Use="off")',
                 'input(type="imuxsock" Socket="%s" UseSysTimeStamp="off")' % self.sock_path,
                 '$FileCreateMode 0640',
                 '$Umask 0022']
        if journal:
            lines.append('template(name="jsonl" type="list") { property(name="timereported" dateFormat="rfc3339")'
                         ' constant(value="\\t") property(name="pri") constant(value="\\t")'
                         ' property(name="programname") constant(value="\\t") property(name="procid")'
                         ' constant(value="\\t") property(name="msg" droplastlf="on") constant(value="\\n") }')
            lines.append('*.* action(type="omfile" file="%s" template="jsonl")' % os.path.join(self.root, "journal.tsv"))
        else:
            t = SYSLOG_TEMPLATES[self.syslog_format]
            lines.append('*.*;auth,authpriv.none action(type="omfile" file="%s" template="%s")' % (self.path("syslog"), t))
            lines.append('auth,authpriv.* action(type="omfile" file="%s" template="%s")' % (self.path("auth.log"), t))
            lines.append('kern.* action(type="omfile" file="%s" template="%s")' % (self.path("kern.log"), t))
        with open(conf, "w") as f:
            f.write("\n".join(lines) + "\n")
        self.rsyslog = Proc(self.lab, self, ["rsyslogd", "-n", "-f", conf, "-i", os.path.join(self.root, "rsyslogd.pid")],
                            ident="rsyslogd", stderr_file=os.path.join(self.root, "rsyslogd.stderr"))
        for _ in range(100):
            if os.path.exists(self.sock_path):
                break
            time.sleep(0.05)
        time.sleep(0.2)

    def log(self, ident, msg, pid=None, facility="daemon", severity="info", imitated=False):
        """One syslog datagram, as logger(1) or journald's forwarding would send it; rsyslog stamps it
        with its own (faked) receive time."""
        pri = FACILITY[facility] * 8 + SEVERITY[severity]
        # imuxsock would stamp with the kernel's (real) SO_TIMESTAMP: it is told to keep ours (UseSysTimeStamp off)
        now = self.lab.clock.now()
        stamp = self.lab.clock.local(now, "%Y-%m-%dT%H:%M:%S") + (".%06d" % int((now % 1) * 1e6)) + self.lab.clock.local(now, "%z")
        stamp = stamp[:-2] + ":" + stamp[-2:]
        tag = "%s[%d]" % (ident, pid) if pid is not None else ident
        data = ("<%d>%s %s: %s" % (pri, stamp, tag, msg)).encode("utf-8", "replace")
        with self.lock:
            for _ in range(50):
                try:
                    self.sock.sendto(data, self.sock_path)
                    break
                except (BlockingIOError, ConnectionRefusedError, FileNotFoundError):
                    time.sleep(0.02)
        if imitated:
            self.lab.imitated.setdefault(ident, 0)
            self.lab.imitated[ident] += 1

    # Lines of programs that cannot run here, worded as Debian 12 writes them.
    def systemd(self, msg, severity="info"):
        self.log("systemd", msg, pid=1, facility="daemon", severity=severity, imitated=True)

    def kernel(self, msg, severity="err"):
        up = time.time() - self.lab.real_start + 86400.0 * 3 + 1234.5
        self.log("kernel", "[%12.6f] %s" % (up, msg), facility="kern", severity=severity, imitated=True)

    def cron(self, user, command):
        pid = self.lab.fake_pid()
        self.log("CRON", "(%s) CMD (%s)" % (user, command), pid=pid, facility="cron", imitated=True)
        return pid

    def sudo(self, user, command, cwd=None):
        cwd = cwd or "/home/" + user
        self.log("sudo", "%8s : TTY=pts/0 ; PWD=%s ; USER=root ; COMMAND=%s" % (user, cwd, command),
                 facility="authpriv", severity="notice", imitated=True)
        pid = self.lab.fake_pid()
        self.log("sudo", "pam_unix(sudo:session): session opened for user root(uid=0) by %s(uid=1000)" % user,
                 pid=pid, facility="authpriv", imitated=True)
        return pid

    def sudo_close(self, pid):
        self.log("sudo", "pam_unix(sudo:session): session closed for user root", pid=pid,
                 facility="authpriv", imitated=True)

    def program(self, ident, msg, facility="user", severity="notice"):
        """A line a tool (deploy script, ansible) writes with logger: imitated by us the same way."""
        self.log(ident, msg, pid=self.lab.fake_pid(), facility=facility, severity=severity, imitated=True)

    def dpkg_upgrade(self, package, old, new, arch="amd64"):
        """dpkg.log and apt/history.log lines of an upgrade (dpkg itself cannot run a real upgrade here)."""
        c = self.lab.clock
        now = c.now()
        fmt = lambda t: c.local(t, "%Y-%m-%d %H:%M:%S")
        with open(self.path("dpkg.log"), "a") as f:
            f.write("%s startup archives unpack\n" % fmt(now))
            f.write("%s upgrade %s:%s %s %s\n" % (fmt(now), package, arch, old, new))
            f.write("%s status half-configured %s:%s %s\n" % (fmt(now), package, arch, old))
            f.write("%s status unpacked %s:%s %s\n" % (fmt(now), package, arch, old))
            f.write("%s status half-installed %s:%s %s\n" % (fmt(now), package, arch, old))
            f.write("%s status unpacked %s:%s %s\n" % (fmt(now + 0.4), package, arch, new))
            f.write("%s startup packages configure\n" % fmt(now + 0.5))
            f.write("%s configure %s:%s %s <none>\n" % (fmt(now + 0.5), package, arch, new))
            f.write("%s status unpacked %s:%s %s\n" % (fmt(now + 0.5), package, arch, new))
            f.write("%s status half-configured %s:%s %s\n" % (fmt(now + 0.5), package, arch, new))
            f.write("%s status installed %s:%s %s\n" % (fmt(now + 0.9), package, arch, new))
        with open(self.path("apt/history.log"), "a") as f:
            f.write("\nStart-Date: %s\n" % c.local(now - 2, "%Y-%m-%d  %H:%M:%S"))
            f.write("Commandline: /usr/bin/unattended-upgrade\n")
            f.write("Upgrade: %s:%s (%s, %s)\n" % (package, arch, old, new))
            f.write("End-Date: %s\n" % c.local(now + 1, "%Y-%m-%d  %H:%M:%S"))
        self.lab.imitated.setdefault("dpkg", 0)
        self.lab.imitated["dpkg"] += 1
        self.lab.imitated_files.add(os.path.relpath(self.path("dpkg.log"), self.logroot))
        self.lab.imitated_files.add("apt/history.log")
        return now

    def finish(self):
        time.sleep(0.5)
        self.rsyslog.signal(signal.SIGTERM)
        self.rsyslog.wait()
        if self.syslog_format == "journal":
            build_journal(self, os.path.join(self.root, "journal.tsv"), self.path("journal/%s/system.journal" % self.lab.machine_id(self.name)))
        for rel in ("kern.log", "auth.log"):
            p = os.path.join(self.logroot, rel)
            if os.path.exists(p) and os.path.getsize(p) == 0:
                os.unlink(p)


def build_journal(host, tsv, out):
    """Export stream (journal-export format) from what rsyslog received, then
    systemd-journal-remote -o FILE.journal - builds the binary journal."""
    boot = host.lab.boot_id(host.name)
    prio_names = {}
    chunks = []
    first_real = None
    if not os.path.exists(tsv):     # rsyslog received nothing (a scenario that failed early)
        open(tsv, "w").close()
    with open(tsv, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t", 4)
            if len(parts) < 5:
                continue
            stamp, pri, prog, pid, msg = parts
            if msg.startswith(" "):
                msg = msg[1:]
            if prog == "kernel" and msg.startswith("["):
                msg = msg.split("] ", 1)[-1]    # journald keeps the printk time as _SOURCE_MONOTONIC_TIMESTAMP
            t = dt.datetime.fromisoformat(stamp).timestamp()
            usec = int(round(t * 1e6))
            if first_real is None:
                first_real = usec
            mono = usec - first_real + 259_200_000_000
            pri = int(pri)
            fields = [("__REALTIME_TIMESTAMP", str(usec)), ("__MONOTONIC_TIMESTAMP", str(mono)),
                      ("_BOOT_ID", boot), ("_MACHINE_ID", host.lab.machine_id(host.name)), ("_HOSTNAME", host.name),
                      ("PRIORITY", str(pri & 7)), ("SYSLOG_FACILITY", str(pri >> 3)),
                      ("SYSLOG_IDENTIFIER", prog), ("MESSAGE", msg)]
            if pid and pid != "-":
                fields.append(("_PID", pid))
            if prog == "kernel":
                fields.append(("_TRANSPORT", "kernel"))
            elif prog == "systemd" and pid == "1":
                fields.append(("_TRANSPORT", "journal"))
            else:
                fields.append(("_TRANSPORT", "syslog"))
            chunks.append("".join("%s=%s\n" % kv for kv in fields) + "\n")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    if os.path.exists(out):
        os.unlink(out)
    r = subprocess.run(["/lib/systemd/systemd-journal-remote", "-o", out, "-"], input="".join(chunks).encode(),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0 or not os.path.exists(out):
        raise RuntimeError("systemd-journal-remote failed: %s" % r.stderr.decode()[-500:])
    del prio_names


class Lab:
    def __init__(self, case, start_local, zone, stepping=False):
        self.case = case
        self.scratch = "/tmp/lab-%s" % case
        if os.path.exists(self.scratch):
            shutil.rmtree(self.scratch)
        os.makedirs(self.scratch)
        self.real_start = time.time()
        self.clock = Clock(start_local, zone, self.scratch, stepping)
        self.window_start = self.clock.now()
        self.procs, self.hosts, self.services, self.traffics = [], {}, [], []
        self.imitated, self.imitated_files = {}, set()
        self.cleanup_paths = []
        self.truth = {}
        self._pid = 20000 + (abs(hash(case)) % 9000)
        self.signatures = []
        self.fail_status_min = 500

    def select_shim(self):
        """faketime_select.c compiled once per recording (PostgreSQL's postmaster needs it)."""
        so = os.path.join(self.scratch, "faketime_select.so")
        if not os.path.exists(so):
            src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "faketime_select.c")
            subprocess.run(["cc", "-O2", "-shared", "-fPIC", "-o", so, src], check=True)
            os.chmod(so, 0o755)
        return so

    def fake_pid(self):
        self._pid += 1 + (self._pid % 7)
        return self._pid

    def machine_id(self, name):
        import hashlib
        return hashlib.md5(("m" + self.case + name).encode()).hexdigest()

    def boot_id(self, name):
        import hashlib
        return hashlib.md5(("b" + self.case + name).encode()).hexdigest()

    def host(self, name, syslog="rsyslog"):
        h = Host(self, name, syslog)
        self.hosts[name] = h
        return h

    def owned(self, path):
        """A path outside the scratch dir (a site root, a vhost file) removed at the end."""
        self.cleanup_paths.append(path)
        return path

    def now(self):
        return self.clock.now()

    def mark(self, key, when=None):
        self.truth[key] = iso(self.now() if when is None else when)
        return self.truth[key]

    def set(self, **kv):
        for k, v in kv.items():
            self.truth[k] = "" if v is None else str(v)

    def sleep(self, seconds):
        time.sleep(seconds)

    def failing(self, rel, pattern, host=None):
        """A line that shows the failure: incident_start/end are measured from the logs by these."""
        self.signatures.append((host, rel, pattern))

    def run(self, scenario):
        code = 0
        try:
            scenario(self)
            self.end()
        except BaseException:
            import traceback
            traceback.print_exc()
            code = 1
        finally:
            self.teardown()
        if code:
            sys.exit(code)
        return self.finish()

    def end(self):
        for t in self.traffics:
            t.stop()
        for s in reversed(self.services):
            s.stop()
        self.window_end = self.clock.now()
        self.mark("end_utc", self.window_end)

    def teardown(self):
        for t in self.traffics:
            t.stop()
        for s in reversed(self.services):
            try:
                s.stop()
            except Exception:
                pass
        failed = None
        for h in self.hosts.values():
            try:
                h.finish()
            except Exception as e:     # still stop and remove everything below, then fail
                import traceback
                traceback.print_exc()
                failed = e
        for p in self.procs:
            if p.alive():
                p.signal(signal.SIGTERM)
                p.wait(5)
        for p in reversed(self.cleanup_paths):
            subprocess.run(["umount", "-l", p], stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
            if os.path.isdir(p) and not os.path.islink(p):
                shutil.rmtree(p, ignore_errors=True)
            elif os.path.lexists(p):
                os.unlink(p)
        if failed is not None:
            raise failed

    def finish(self):
        from logcheck import check_window, measure
        problems, counted = check_window(self)
        if problems:
            for p in problems[:30]:
                print("SELF-CHECK:", p, file=sys.stderr)
            print("SELF-CHECK FAILED: %d lines outside the window" % len(problems), file=sys.stderr)
            sys.exit(2)
        measure(self)
        self.write_truth()
        out = self.pack()
        print("recorded %s: %s (%d bytes); lines checked: %s" % (self.case, out, os.path.getsize(out), counted))
        return out

    TRUTH_ORDER = ["scenario", "zone", "root_cause_file", "root_cause_line", "bad_path", "errno", "trigger_utc",
                   "strace_attached_utc", "fix_utc", "restart_utc", "end_utc", "expected_status", "root_cause_kind"]

    def write_truth(self):
        t = dict(self.truth)
        t["scenario"] = self.case
        t["zone"] = self.clock.zone
        t.setdefault("start_utc", iso(self.window_start))
        if self.imitated:
            t["imitated"] = ",".join("%s:%d" % kv for kv in sorted(self.imitated.items()))
        if self.imitated_files:
            t["imitated_files"] = ",".join(sorted(self.imitated_files))
        keys = list(self.TRUTH_ORDER) + sorted(k for k in t if k not in self.TRUTH_ORDER)
        with open(os.path.join(self.scratch, "truth.env"), "w") as f:
            for k in keys:
                f.write("%s=%s\n" % (k, t.get(k, "")))

    def pack(self):
        out_dir = os.path.join(LAB_DIR, "cases")
        os.makedirs(out_dir, exist_ok=True)
        tar_path = os.path.join(self.scratch, "case.tar")
        multi = len(self.hosts) > 1
        with tarfile.open(tar_path, "w", format=tarfile.PAX_FORMAT) as tar:
            def add(path, arc):
                info = tar.gettarinfo(path, arc)
                info.uid = info.gid = 0
                info.uname = info.gname = "root"
                with open(path, "rb") as f:
                    tar.addfile(info, f)
            for name in sorted(self.hosts):
                h = self.hosts[name]
                for dirpath, dirs, files in os.walk(h.logroot):
                    dirs.sort()
                    for fn in sorted(files):
                        p = os.path.join(dirpath, fn)
                        rel = os.path.relpath(p, h.root)
                        add(p, ("hosts/%s/%s" % (name, rel)) if multi else rel)
            add(os.path.join(self.scratch, "truth.env"), "truth.env")
        out = os.path.join(out_dir, self.case + ".tar.zst")
        subprocess.run(["zstd", "-q", "-f", "-19", tar_path, "-o", out], check=True)
        return out
