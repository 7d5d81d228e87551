#!/usr/bin/env bash
# The fleet store's bench (issue 27): export into ClickHouse and reads of a window back, on a
# server of its own (tests/clickhouse/server.sh: 127.0.0.1, a temporary directory, stopped by pid).
#
#   bench/fleet.sh                 # the ~700 MB mixed set of compare.sh, and 100 hosts of 7 MB
#   HOSTS=100 HOST_MB=7 RUNS=3 bench/fleet.sh
#   HOSTS=5 HOST_MB=1 SIZE_SCALE=0.02 bench/fleet.sh   # a quick try
#
# It measures
#   1. export of the ~700 MB mixed set (one host): rows/s and MB/s as hindcast reports them;
#   2. what the server accepts for the same rows without hindcast: the table read out as
#      RowBinary into a file and sent back with curl into an empty copy (the server's own rate);
#   3. a fleet of HOSTS generated hosts (bench/loggen, --host and --seed per host, the same 6 hours)
#      exported in one run from hosts/NAME/ directories; then `analyze --clickhouse` of a 10-minute
#      window for 3 of them and for all of them, the median of RUNS.
# Data is generated under ${TMPDIR:-/tmp}, never committed.
set -euo pipefail
cd "$(dirname "$0")/.."
HOSTS=${HOSTS:-100}
HOST_MB=${HOST_MB:-7}
RUNS=${RUNS:-3}
[ -x build/hindcast ] && [ -x build/hindcast-loggen ] || scripts/build.sh build > /dev/null

WORK=$(mktemp -d "${TMPDIR:-/tmp}/hindcast-fleet-bench.XXXXXX")
cleanup() { tests/clickhouse/server.sh stop "$WORK/server" || true; rm -rf "$WORK"; }
trap cleanup EXIT
read -r HTTP _ < <(tests/clickhouse/server.sh start "$WORK/server" "fleet-bench-$$")
URL="http://127.0.0.1:$HTTP/"
q() { curl -sS --fail-with-body "$URL" --data-binary "$1"; }
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" > /dev/null 2>&1; t1=$(date +%s.%N); awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'; }

echo "machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg), $(clickhouse-client --version 2>/dev/null | head -1)"

# 1. The mixed set, one host.
SCALE=${SIZE_SCALE:-1}
SET=${TMPDIR:-/tmp}/hindcast-compare-$SCALE
if [ ! -f "$SET/strace.log" ]; then
  mkdir -p "$SET"
  mb() { awk -v s="$SCALE" -v m="$1" 'BEGIN { printf "%d", s * m }'; }
  build/hindcast-loggen "$SET" --access-mb "$(mb 200)" --syslog-mb "$(mb 200)" --error-mb "$(mb 100)" --strace-mb "$(mb 200)"
fi
SET_MB=$(cat "$SET/access.log" "$SET/syslog" "$SET/error.log" "$SET/strace.log" | wc -c | awk '{ printf "%.0f", $1 / 1e6 }')
line=$(build/hindcast export --clickhouse "$URL" --table mixed --host www1 "$SET" --progress never 2>&1 | grep 'exported' || true)
echo
echo "1. export of the mixed set ($SET_MB MB of logs): $line"

# 2. The server's own rate for the same rows: read out as RowBinary, sent back with curl.
q "CREATE TABLE mixed_copy AS mixed"
curl -sS --fail-with-body "$URL?query=SELECT%20*%20FROM%20mixed%20FORMAT%20RowBinary" -o "$WORK/mixed.rowbinary"
rows=$(q "SELECT count() FROM mixed")
body_mb=$(stat -c %s "$WORK/mixed.rowbinary" | awk '{ printf "%.1f", $1 / 1e6 }')
t=$(seconds curl -sS --fail-with-body -X POST -T "$WORK/mixed.rowbinary" "$URL?query=INSERT%20INTO%20mixed_copy%20FORMAT%20RowBinary")
echo "2. the server alone, the same $rows rows ($body_mb MB of RowBinary) from a file with curl: $t s," \
  "$(awk -v r="$rows" -v t="$t" 'BEGIN { printf "%.0f rows/s", r / t }'), $(awk -v b="$body_mb" -v t="$t" 'BEGIN { printf "%.1f MB/s", b / t }') of RowBinary"
echo "   on disk: $(q "SELECT formatReadableSize(sum(bytes_on_disk)) FROM system.parts WHERE active AND table = 'mixed'") compressed"
q "DROP TABLE mixed_copy"
q "DROP TABLE mixed"
q "DROP TABLE IF EXISTS mixed_sources"
rm -f "$WORK/mixed.rowbinary"

# 3. A fleet: HOSTS hosts of HOST_MB each, the same 6 hours (from 2024-01-01T12:00:00Z).
FLEET=${TMPDIR:-/tmp}/hindcast-fleet-$HOSTS-$HOST_MB
if [ ! -f "$FLEET/.done" ]; then
  rm -rf "$FLEET"
  echo "generating $HOSTS hosts of $HOST_MB MB in $FLEET" >&2
  for ((h = 1; h <= HOSTS; h++)); do
    name=$(printf "web%03d" "$h")
    mb() { awk -v f="$1" -v m="$HOST_MB" 'BEGIN { print f * m / 7 }'; }
    mkdir -p "$FLEET/hosts/$name"
    build/hindcast-loggen "$FLEET/hosts/$name" --host "$name" --seed "$h" --access-mb "$(mb 2)" --syslog-mb "$(mb 2)" \
      --error-mb "$(mb 1)" --strace-mb "$(mb 2)"
  done
  touch "$FLEET/.done"
fi
FLEET_MB=$(du -sb "$FLEET/hosts" | awk '{ printf "%.0f", $1 / 1e6 }')
line=$(build/hindcast export --clickhouse "$URL" "$FLEET/hosts" --progress never 2>&1 | grep 'exported' || true)
echo
echo "3. export of $HOSTS hosts ($FLEET_MB MB of logs) in one run: $line"
echo "   rows per host: $(q "SELECT min(c), max(c) FROM (SELECT host, count() AS c FROM hindcast_events GROUP BY host)" | tr '\t' '-')," \
  "hosts: $(q "SELECT uniqExact(host) FROM hindcast_events")"

SINCE=2024-01-01T14:00:00Z
UNTIL=2024-01-01T14:10:00Z
three="web001,web050,web100"
[ "$HOSTS" -ge 100 ] || three="web001,web002,web003"
window_rows=$(q "SELECT count() FROM hindcast_events WHERE time_ns >= $(date -d $SINCE +%s)000000000 AND time_ns < $(date -d $UNTIL +%s)000000000")
: > "$WORK/t"
for ((run = 0; run < RUNS; run++)); do
  echo "three $(seconds build/hindcast analyze --clickhouse "$URL" --since $SINCE --until $UNTIL --hosts "$three" --format json -o /dev/null -q)" >> "$WORK/t"
  echo "all $(seconds build/hindcast analyze --clickhouse "$URL" --since $SINCE --until $UNTIL --format json -o /dev/null -q)" >> "$WORK/t"
done
echo "   analyze --clickhouse of $SINCE..$UNTIL (median of $RUNS, end to end: query, transfer, rebuild, analysis):"
echo "     3 of $HOSTS hosts ($three): $(awk '$1 == "three" { print $2 }' "$WORK/t" | median) s"
echo "     all $HOSTS hosts ($window_rows rows in the window): $(awk '$1 == "all" { print $2 }' "$WORK/t" | median) s   (target < 2 s)"
build/hindcast analyze --clickhouse "$URL" --since $SINCE --until $UNTIL --format json -o /dev/null -v 2>&1 |
  grep -E "read back|store|window|analysis|events from" | sed 's/^/     -v: /' | head -12
