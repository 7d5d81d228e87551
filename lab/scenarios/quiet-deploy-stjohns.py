"""A quiet day: a deploy that breaks nothing.  The deploy tool ships a new footer template and
Apache is reloaded gracefully (SIGUSR1: AH00171/AH00163 in error.log); strace is attached to Apache
for 25 s across the reload; cron's sysstat lines and an uptime monitor from a new address come and go.
Apache + mod_php, traditional syslog, America/St_Johns (NDT -0230, a half-hour offset), 5 req/s."""
from stacks import apache_site
from services import Strace
from traffic import Traffic
import noise

START, ZONE, STACK = "2026-06-09 10:41:00", "America/St_Johns", "apache+mod_php"


def scenario(lab):
    web = lab.host("yyt-lamp-1", syslog="traditional")
    site, apache, _ = apache_site(lab, web, 18952, "/var/www/signal-hill-b-and-b", "signalhill", "signalhill.example.ca",
                                  rate=5, libs=("config", "rooms", "template"))
    lab.sleep(10)
    noise.cron(lab, web, "root", "command -v debian-sa1 > /dev/null && debian-sa1 1 1", name="cron_sa1")
    lab.sleep(8)
    st = Strace(lab, web, [apache.proc.pid], flags=("-f", "-tt", "-T"), children=True)
    lab.sleep(5)
    web.program("deploy", "signalhill release 2026.06.09-1 live on yyt-lamp-1: 1 file changed (app/template.php)")
    lab.mark("noise_deploy_utc")
    site.put("app/template.php", site.files["app/template.php"].replace("</body>", "<footer>Signal Hill B&amp;B</footer></body>"))
    lab.sleep(4)
    apache.graceful()
    lab.mark("noise_reload_utc")
    lab.sleep(14)
    st.stop()
    lab.mark("noise_strace_detached_utc")
    up = Traffic(lab, 18952, {"/": 1}, rate=0.5, clients=["216.144.248.%d" % i for i in (18, 19, 21)],
                 agents=["Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)"], host_header="signalhill.example.ca",
                 threads=2, name="uptimerobot", max_requests=40).start()
    lab.mark("noise_new_monitor_utc")
    lab.sleep(25)
    noise.cron(lab, web, "root", "command -v debian-sa1 > /dev/null && debian-sa1 1 1", name="cron_sa1_2")
    lab.sleep(15)
    up.stop()
    lab.set(hosts="yyt-lamp-1", incident_kind="", root_cause_kind="", trigger_kind="", resolution_kind="")
