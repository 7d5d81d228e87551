#!/bin/sh
# Debian 12 packages the lab recorder needs (recording is never part of CI).  Run as root.
set -e
PKGS="apache2 libapache2-mod-php8.2 php8.2-fpm php8.2-cli php8.2-pgsql php8.2-mysql php8.2-redis php8.2-memcached
nginx postgresql-15 mariadb-server memcached redis-server faketime libfaketime strace rsyslog zstd
systemd-journal-remote curl openssl util-linux e2fsprogs monitoring-plugins-basic gcc libc6-dev"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && { echo "all lab packages installed"; exit 0; }
# wait for another dpkg/apt (e.g. an install already running) to finish
while fuser /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock >/dev/null 2>&1; do echo "dpkg is locked, waiting"; sleep 10; done
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends $missing
# The recorder runs its own daemons under libfaketime; the stock services must not hold the ports or logs.
for s in apache2 nginx php8.2-fpm postgresql mariadb memcached redis-server rsyslog; do
    systemctl disable --now "$s" 2>/dev/null || true
done
