#!/usr/bin/env bash
# A ClickHouse server of its own for a test or a bench: Debian's clickhouse-server (18.16), in the
# foreground, in DIR, on 127.0.0.1 only, with a small config written here (the stock one asks for
# gigabytes of caches).
#
#   tests/clickhouse/server.sh start DIR NAME [SHARD_TCP_PORT...]   prints "HTTP_PORT TCP_PORT"
#   tests/clickhouse/server.sh stop DIR
#
# start picks free ports (a taken port makes the server exit 70: it tries others), and waits
# until *this* server answers: the X-ClickHouse-Server-Display-Name header must be NAME, so an
# older server on the same port is never mistaken for it. With SHARD_TCP_PORTs the server also
# knows a cluster `hindcast_shards` of those servers, one shard each (a Distributed table's
# coordinator). stop ends the server by the pid start wrote (TERM, then KILL after 20 s).
# Stop a coordinator before its shards: it holds connections to them.
set -euo pipefail

cmd=${1:?usage: server.sh start DIR NAME [SHARD_TCP_PORT...] | stop DIR}
dir=${2:?DIR}

alive() {  # alive PID: running and not a zombie
  [ -e "/proc/$1" ] && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat" 2>/dev/null
}

if [ "$cmd" = stop ]; then
  [ -f "$dir/pid" ] || exit 0
  pid=$(cat "$dir/pid")
  if alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 200); do alive "$pid" || break; sleep 0.1; done
    if alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$dir/pid"
  exit 0
fi

[ "$cmd" = start ] || { echo "server.sh: unknown command $cmd" >&2; exit 1; }
name=${3:?NAME}
shift 3
shards=("$@")
command -v clickhouse-server >/dev/null || { echo "server.sh: clickhouse-server is not installed (scripts/install-deps.sh test)" >&2; exit 1; }
command -v curl >/dev/null || { echo "server.sh: curl is not installed (scripts/install-deps.sh test)" >&2; exit 1; }
mkdir -p "$dir/data" "$dir/tmp" "$dir/user_files" "$dir/format_schemas"

write_config() {  # write_config HTTP_PORT TCP_PORT
  local cluster=""
  if [ ${#shards[@]} -gt 0 ]; then
    cluster="<remote_servers><hindcast_shards>"
    for p in "${shards[@]}"; do
      cluster+="<shard><replica><host>127.0.0.1</host><port>$p</port></replica></shard>"
    done
    cluster+="</hindcast_shards></remote_servers>"
  fi
  cat > "$dir/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$dir/server.log</log><errorlog>$dir/server.err.log</errorlog><console>0</console></logger>
  <display_name>$name</display_name>
  <listen_host>127.0.0.1</listen_host>
  <http_port>$1</http_port>
  <tcp_port>$2</tcp_port>
  <path>$dir/data/</path>
  <tmp_path>$dir/tmp/</tmp_path>
  <user_files_path>$dir/user_files/</user_files_path>
  <format_schema_path>$dir/format_schemas/</format_schema_path>
  <mark_cache_size>67108864</mark_cache_size>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <max_concurrent_queries>32</max_concurrent_queries>
  <users_config>$dir/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
  $cluster
</yandex>
EOF
  cat > "$dir/users.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default></default></quotas>
</yandex>
EOF
}

for attempt in 1 2 3 4 5 6 7 8; do
  http=$(( 20000 + (RANDOM * 32768 + RANDOM) % 39000 ))
  tcp=$(( http + 1 ))
  write_config "$http" "$tcp"
  clickhouse-server --config-file="$dir/config.xml" > "$dir/stdout.log" 2>&1 < /dev/null &
  pid=$!
  echo "$pid" > "$dir/pid"
  for _ in $(seq 300); do
    if ! alive "$pid"; then break; fi
    shown=$(curl -s -m 2 -D - -o /dev/null "http://127.0.0.1:$http/?query=SELECT%201" 2>/dev/null |
            tr -d '\r' | sed -n 's/^X-ClickHouse-Server-Display-Name: //Ip' || true)
    if [ "$shown" = "$name" ]; then
      echo "$http $tcp"
      exit 0
    fi
    sleep 0.1
  done
  if alive "$pid"; then
    echo "server.sh: $name did not answer on 127.0.0.1:$http within 30 s" >&2
    "$0" stop "$dir"
    tail -5 "$dir/server.err.log" >&2 2>/dev/null || true
    exit 1
  fi
  rc=0
  wait "$pid" || rc=$?
  rm -f "$dir/pid"
  if [ "$rc" -ne 70 ]; then  # 70: a port is taken; anything else is a real failure
    echo "server.sh: clickhouse-server exited with $rc" >&2
    tail -5 "$dir/server.err.log" >&2 2>/dev/null || true
    exit 1
  fi
done
echo "server.sh: no free port pair found for $name" >&2
exit 1
