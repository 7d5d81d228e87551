#!/usr/bin/env bash
# The fleet store's bench (issue 27): export into ClickHouse and reads of a window back, on a
# server of its own (tests/clickhouse/server.sh: 127.0.0.1, a temporary directory, stopped by pid).
#
#   bench/fleet.sh                 # the ~700 MB mixed set of compare.sh, and 100 hosts of 7 MB
#   HOSTS=100 HOST_MB=7 RUNS=3 bench/fleet.sh
#   HOSTS=5 HOST_MB=1 SIZE_SCALE=0.02 bench/fleet.sh   # a quick try
#
# It measures, RUNS times each, and prints the medians (and every run):
#   1. export of the ~700 MB mixed set (one host, 4 files): rows/s and MB/s of the sending
#      (what hindcast reports: tables checked, rows encoded and sent, every batch answered) and
#      the whole command's wall time (parsing included);
#   2. what the server accepts for the same rows without hindcast, the ceiling: the rows read out
#      once into files and inserted into an empty copy of the table
#        a. as RowBinary over HTTP with curl (hindcast's own protocol and format: the ceiling
#           that applies to it), and
#        b. as TSV with clickhouse-client (the native TCP protocol: the client parses the TSV and
#           sends the server columns, which it need not parse);
#      the rounds alternate hindcast, curl and clickhouse-client, each into a fresh table that is
#      dropped right after (no merges of one left running into another's time);
#   3. a fleet of HOSTS generated hosts (bench/loggen, --host and --seed per host, the same 6 hours)
#      exported in one run from hosts/NAME/ directories; `analyze --clickhouse` of a 10-minute
#      window once right after the export (the server still merging its parts), then, once the
#      merges are done, for 3 of the hosts and for all of them, alternating: end to end, and the
#      read-back phases as -v reports them.
# Data is generated under ${TMPDIR:-/tmp}, never committed. The whole run is bounded: each step has
# a fixed size, and the wait for merges at most 300 s.
set -euo pipefail
cd "$(dirname "$0")/.."
HOSTS=${HOSTS:-100}
HOST_MB=${HOST_MB:-7}
RUNS=${RUNS:-3}
[ -x build/hindcast ] && [ -x build/hindcast-loggen ] || scripts/build.sh build > /dev/null

WORK=$(mktemp -d "${TMPDIR:-/tmp}/hindcast-fleet-bench.XXXXXX")
cleanup() { tests/clickhouse/server.sh stop "$WORK/server" || true; rm -rf "$WORK"; }
trap cleanup EXIT
read -r HTTP TCP < <(tests/clickhouse/server.sh start "$WORK/server" "fleet-bench-$$")
URL="http://127.0.0.1:$HTTP/"
q() { curl -sS --fail-with-body "$URL" --data-binary "$1"; }
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
all_of() { awk -v k="$1" '$1 == k { printf "%s%s", (n++ ? " " : ""), $2 } END { print "" }' "$WORK/t"; }
med_of() { awk -v k="$1" '$1 == k { print $2 }' "$WORK/t" | median; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }
# The server done with its merges (at most 300 s), so that a measurement does not share the cores with them.
settle() {
  for _ in $(seq 300); do
    [ "$(q "SELECT count() FROM system.merges")" = 0 ] && return 0
    sleep 1
  done
  echo "   (merges still running after 300 s)"
}

echo "machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg), $(clickhouse-client --version 2>/dev/null | head -1)"
echo "(the medians of $RUNS runs; the machine may be shared: every run is printed)"

# 1. and 2. The mixed set, one host.
SCALE=${SIZE_SCALE:-1}
SET=${TMPDIR:-/tmp}/hindcast-compare-$SCALE
if [ ! -f "$SET/strace.log" ]; then
  mkdir -p "$SET"
  mb() { awk -v s="$SCALE" -v m="$1" 'BEGIN { printf "%d", s * m }'; }
  build/hindcast-loggen "$SET" --access-mb "$(mb 200)" --syslog-mb "$(mb 200)" --error-mb "$(mb 100)" --strace-mb "$(mb 200)"
fi
SET_MB=$(cat "$SET/access.log" "$SET/syslog" "$SET/error.log" "$SET/strace.log" | wc -c | awk '{ printf "%.0f", $1 / 1e6 }')
: > "$WORK/t"
for ((run = 0; run < RUNS; run++)); do
  q "DROP TABLE IF EXISTS mixed"
  q "DROP TABLE IF EXISTS mixed_sources"
  t0=$(now)
  line=$(build/hindcast export --clickhouse "$URL" --table mixed --host www1 "$SET" --progress never 2>&1 | grep 'exported' || true)
  wall=$(since "$t0")
  [ -n "$line" ] || { echo "export failed" >&2; exit 1; }
  rows=$(echo "$line" | sed -n 's/.*exported \([0-9]*\) events.*/\1/p')
  send_s=$(echo "$line" | sed -n 's/.* MB in \([0-9.]*\) s,.*/\1/p')
  body_mb=$(echo "$line" | sed -n 's/.*batches: \([0-9.]*\) MB in.*/\1/p')
  { echo "h_rows $(awk -v r="$rows" -v t="$send_s" 'BEGIN { printf "%.0f", r / t }')"
    echo "h_mb $(awk -v b="$body_mb" -v t="$send_s" 'BEGIN { printf "%.1f", b / t }')"
    echo "h_logmb $(awk -v b="$SET_MB" -v t="$send_s" 'BEGIN { printf "%.1f", b / t }')"
    echo "h_send $send_s"
    echo "h_wall $wall"; } >> "$WORK/t"
  if [ "$run" = 0 ]; then
    echo
    echo "1. export of the mixed set ($SET_MB MB of logs, 4 files), first run: $line"
    curl -sS --fail-with-body "$URL?query=SELECT%20*%20FROM%20mixed%20FORMAT%20RowBinary" -o "$WORK/mixed.rowbinary"
    curl -sS --fail-with-body "$URL?query=SELECT%20*%20FROM%20mixed%20FORMAT%20TabSeparated" -o "$WORK/mixed.tsv"
    RB_MB=$(stat -c %s "$WORK/mixed.rowbinary" | awk '{ printf "%.1f", $1 / 1e6 }')
    TSV_MB=$(stat -c %s "$WORK/mixed.tsv" | awk '{ printf "%.1f", $1 / 1e6 }')
    ON_DISK=$(q "SELECT formatReadableSize(sum(bytes_on_disk)) FROM system.parts WHERE active AND table = 'mixed'")
    TEXT_MB=$(q "SELECT round(sum(length(text)) / 1e6, 1) FROM mixed")
  fi
  q "CREATE TABLE mixed_copy AS mixed"
  q "CREATE TABLE mixed_native AS mixed"
  q "DROP TABLE mixed"
  q "DROP TABLE IF EXISTS mixed_sources"
  t0=$(now)
  curl -sS --fail-with-body -X POST -T "$WORK/mixed.rowbinary" "$URL?query=INSERT%20INTO%20mixed_copy%20FORMAT%20RowBinary" > /dev/null
  t=$(since "$t0")
  echo "c_rows $(awk -v r="$rows" -v t="$t" 'BEGIN { printf "%.0f", r / t }')" >> "$WORK/t"
  echo "c_mb $(awk -v b="$RB_MB" -v t="$t" 'BEGIN { printf "%.1f", b / t }')" >> "$WORK/t"
  q "DROP TABLE mixed_copy"
  t0=$(now)
  clickhouse-client --host 127.0.0.1 --port "$TCP" --query "INSERT INTO mixed_native FORMAT TabSeparated" < "$WORK/mixed.tsv"
  t=$(since "$t0")
  echo "n_rows $(awk -v r="$rows" -v t="$t" 'BEGIN { printf "%.0f", r / t }')" >> "$WORK/t"
  echo "n_mb $(awk -v b="$TSV_MB" -v t="$t" 'BEGIN { printf "%.1f", b / t }')" >> "$WORK/t"
  [ "$(q "SELECT count() FROM mixed_native")" = "$rows" ] || { echo "clickhouse-client inserted a different number of rows" >&2; exit 1; }
  q "DROP TABLE mixed_native"
done
echo "   hindcast export, sending ($rows rows, $RB_MB MB of RowBinary, $TEXT_MB MB of it the records' text):"
echo "     $(med_of h_rows) rows/s, $(med_of h_mb) MB/s of RowBinary, $(med_of h_logmb) MB/s of logs   (rows/s of each run: $(all_of h_rows))"
echo "     $(med_of h_send) s sending; the whole command (parsing included) $(med_of h_wall) s   (each run: $(all_of h_wall))"
echo "2. the server alone, the same rows from a file (the ceiling):"
echo "   a. RowBinary over HTTP with curl ($RB_MB MB): $(med_of c_rows) rows/s, $(med_of c_mb) MB/s   (each run: $(all_of c_rows))"
echo "   b. TSV with clickhouse-client, native protocol ($TSV_MB MB): $(med_of n_rows) rows/s, $(med_of n_mb) MB/s of TSV   (each run: $(all_of n_rows))"
echo "   hindcast / curl: $(awk -v a="$(med_of h_rows)" -v b="$(med_of c_rows)" 'BEGIN { printf "%.2f", a / b }'); on disk: $ON_DISK compressed"
rm -f "$WORK/mixed.rowbinary" "$WORK/mixed.tsv"

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
settle
t0=$(now)
line=$(build/hindcast export --clickhouse "$URL" "$FLEET/hosts" --progress never 2>&1 | grep 'exported' || true)
wall=$(since "$t0")
echo
echo "3. export of $HOSTS hosts ($FLEET_MB MB of logs, $((HOSTS * 4)) files) in one run: $line; the whole command $wall s"
echo "   rows per host: $(q "SELECT min(c), max(c) FROM (SELECT host, count() AS c FROM hindcast_events GROUP BY host)" | tr '\t' '-')," \
  "hosts: $(q "SELECT uniqExact(host) FROM hindcast_events")"

SINCE=2024-01-01T14:00:00Z
UNTIL=2024-01-01T14:10:00Z
three="web001,web050,web100"
[ "$HOSTS" -ge 100 ] || three="web001,web002,web003"
analyze() {  # analyze KEY [--hosts LIST]: one run, its wall time and -v's phases into $WORK/t
  local key=$1 t0 t
  shift
  t0=$(now)
  build/hindcast analyze --clickhouse "$URL" --since $SINCE --until $UNTIL "$@" --format json -o /dev/null -v > "$WORK/v" 2>&1
  t=$(since "$t0")
  echo "$key $t" >> "$WORK/t"
  awk -v k="$key" '/debug: read sources/ { s = $(NF - 1) } /debug: read events/ { e = $(NF - 1) }
    /debug: analyze / { a = $(NF - 1) } END { print k "_read", s + e; print k "_events", e; print k "_analysis", a }' "$WORK/v" >> "$WORK/t"
}
: > "$WORK/t"
analyze fresh
echo "   analyze --clickhouse of all $HOSTS hosts right after the export (the server merging its $(q "SELECT count() FROM system.parts WHERE active AND table = 'hindcast_events'") parts): $(med_of fresh) s"
settle
echo "   after the merges ($(q "SELECT count() FROM system.parts WHERE active AND table = 'hindcast_events'") parts):"
window_rows=$(q "SELECT count() FROM hindcast_events WHERE time_ns >= $(date -d $SINCE +%s)000000000 AND time_ns <= $(date -d $UNTIL +%s)000000000")
RUNS_ANALYZE=${RUNS_ANALYZE:-$((RUNS > 5 ? RUNS : 5))}
for ((run = 0; run < RUNS_ANALYZE; run++)); do
  analyze three --hosts "$three"
  analyze all
done
echo "   analyze --clickhouse of $SINCE..$UNTIL, median of $RUNS_ANALYZE (end to end: queries, transfer, rebuild, analysis, report):"
echo "     3 of $HOSTS hosts ($three): $(med_of three) s; read back (both queries, rows staged) $(med_of three_read) s," \
  "analysis $(med_of three_analysis) s   (each run: $(all_of three))"
echo "     all $HOSTS hosts ($window_rows rows in the window): $(med_of all) s   (target < 2 s); read back $(med_of all_read) s" \
  "(the events' query and transfer $(med_of all_events) s), analysis $(med_of all_analysis) s   (each run: $(all_of all))"
build/hindcast analyze --clickhouse "$URL" --since $SINCE --until $UNTIL --format json -o /dev/null -v 2>&1 |
  grep -E "read back|events from" | sed 's/^/     -v: /' | head -4
