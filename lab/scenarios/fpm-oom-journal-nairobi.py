"""The kernel OOM-kills PHP-FPM's master at 120 req/s; systemd kills the rest of the unit's processes,
nginx answers 502 for every PHP page (connect() to the pool's socket refused) and static files keep
working.  An admin starts php8.2-fpm with sudo 25 s later.  Only nginx's access.log and the binary
journal are kept: nginx logs its errors to syslog (error_log syslog:), and php8.2-fpm.log is left out.
nginx + PHP-FPM, Africa/Nairobi (EAT +0300)."""
import os
import signal
import subprocess
from stacks import nginx_site

START, ZONE, STACK = "2026-02-26 11:47:00", "Africa/Nairobi", "nginx+php-fpm"


def scenario(lab):
    web = lab.host("nbo-web-5", syslog="journal")
    site, fpm, nginx, traffic = nginx_site(lab, web, 20105, "/var/www/savanna-safaris", "savanna", "savanna-safaris.example.ke",
                                           rate=120, libs=("config", "template"), fpm={"max_children": 16},
                                           nginx={"error_log": "syslog:server=unix:%s,nohostname" % web.sock_path})
    lab.sleep(20)
    lab.mark("fault_utc")
    master = fpm.proc.pid
    kids = [int(k) for k in subprocess.run(["pgrep", "-P", str(master)], stdout=subprocess.PIPE, text=True).stdout.split()]
    web.kernel("php-fpm8.2 invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0")
    web.kernel("Out of memory: Killed process %d (php-fpm8.2) total-vm:1742208kB, anon-rss:1206312kB, file-rss:0kB, shmem-rss:6144kB, UID:0 pgtables:2620kB oom_score_adj:0" % master)
    fpm.proc.signal(signal.SIGKILL)
    fpm.proc.wait(5)
    u = "php8.2-fpm.service"
    web.systemd("%s: A process of this unit has been killed by the OOM killer." % u, "warning")
    web.systemd("%s: Main process exited, code=killed, status=9/KILL" % u, "notice")
    for k in kids:
        web.systemd("%s: Killing process %d (php-fpm8.2) with signal SIGKILL." % (u, k), "notice")
        os.kill(k, signal.SIGKILL)
    web.systemd("%s: Failed with result 'oom-kill'." % u, "warning")
    web.systemd("%s: Consumed 2min 3.417s CPU time." % u)
    lab.failing("journal", r"nginx: .*(connect\(\) to unix:/run/php/php8.2-fpm-savanna.sock failed)")
    lab.failing("nginx/access.log", r'" 502 ')
    lab.sleep(25)
    web.sudo("wanjiru", "/usr/bin/systemctl start php8.2-fpm")
    assert fpm.start()
    lab.mark("restart_utc")
    lab.sleep(15)
    os.unlink(web.path("php8.2-fpm.log"))     # the case keeps only access.log and the journal
    lab.set(root_cause_kind="crash", signal="SIGKILL", root_cause_object="php-fpm8.2", crash_cause="oom_kill", expected_status=502,
            trigger_kind="none", resolution_kind="restart", resolution_utc=lab.truth["restart_utc"], incident_kind="errors",
            hosts="nbo-web-5", dependency="/run/php/php8.2-fpm-savanna.sock", dependency_service=u)
