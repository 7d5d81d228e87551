"""A nightly cron job preloads 'recommendations' into the same Redis that caches pages; Redis has
maxmemory 4mb with noeviction, so from then on every cache miss fails with "OOM command not allowed"
and the page dies (500); cached pages still work.  Never fixed inside the logs.
nginx + PHP-FPM + Redis, traditional syslog, Asia/Kathmandu (+0545)."""
import subprocess
from services import Redis
from stacks import nginx_site
from website import redis_backend

START, ZONE, STACK = "2026-08-27 02:29:30", "Asia/Kathmandu", "nginx+php-fpm+redis"


def scenario(lab):
    web = lab.host("ktm-app-2", syslog="traditional")
    redis = Redis(lab, web, 19114, maxmemory="4mb")
    assert redis.start()
    nginx_site(lab, web, 19115, "/var/www/himal-treks", "himaltreks", "himal-treks.example.np", rate=16,
               libs=("config", "template"), backend=redis_backend(19114))
    lab.sleep(20)
    lab.mark("trigger_utc")
    web.cron("www-data", "cd /var/www/himal-treks && php bin/preload-recommendations.php >/dev/null 2>&1")
    payload = "x" * 20000
    script = "".join("SET reco:%d %s\n" % (i, payload) for i in range(400))
    subprocess.run(["redis-cli", "-p", "19114"], input=script, text=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lab.failing("nginx/error.log", r"OOM command not allowed")
    lab.failing("nginx/access.log", r'" 500 ')
    lab.sleep(45)
    lab.set(root_cause_kind="resource_limit", limit="maxmemory", limit_value="4mb", root_cause_object="127.0.0.1:19114",
            dependency="127.0.0.1:19114", dependency_service="redis-server.service", expected_status=500, trigger_kind="cron",
            trigger_program="CRON", resolution_kind="never_fixed", incident_kind="errors", hosts="ktm-app-2",
            failing_code_file="/var/www/himal-treks/app/cache.php")
