#!/usr/bin/env bash
# Compares hindcast with wc -l, lnav and GoAccess in one run, on the same generated files, as
# ratios. Alternates the tools run by run (so cache and frequency drift hit all of them alike)
# and reports the median of RUNS runs and each tool's peak RSS.
#
#   bench/compare.sh                 # ~700 MB mixed set, 5 runs
#   RUNS=3 SIZE_SCALE=0.15 bench/compare.sh   # ~100 MB, quicker
#
# Needs the build with benchmarks (scripts/build.sh does it) and installs the peers it uses
# (Debian's lnav, goaccess and GNU time) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
SCALE=${SIZE_SCALE:-1}
DATA=${DATA_DIR:-${TMPDIR:-/tmp}/hindcast-compare-$SCALE}

missing=()
for p in lnav goaccess time; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "compare: installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ -x build/hindcast ] && [ -x build/hindcast-loggen ] || scripts/build.sh build >/dev/null

mb() { awk -v s="$SCALE" -v m="$1" 'BEGIN { printf "%d", s * m }'; }
if [ ! -f "$DATA/strace.log" ]; then
  mkdir -p "$DATA"
  echo "compare: generating $(mb 700) MB in $DATA" >&2
  build/hindcast-loggen "$DATA" --access-mb "$(mb 200)" --syslog-mb "$(mb 200)" --error-mb "$(mb 100)" --strace-mb "$(mb 200)"
fi
FILES=("$DATA/access.log" "$DATA/syslog" "$DATA/error.log" "$DATA/strace.log")
BYTES=$(cat "${FILES[@]}" | wc -c)
cat "${FILES[@]}" > /dev/null  # warm the page cache

declare -A CMD
CMD[wc]="wc -l ${FILES[*]}"
CMD[hindcast_count]="build/hindcast timeline $DATA --format count -q"
CMD[hindcast_analyze]="build/hindcast analyze $DATA --format json -q -o /dev/null"
CMD[lnav]="lnav -n -c ';SELECT count(*) FROM all_logs' ${FILES[*]}"
CMD[goaccess]="goaccess $DATA/access.log --log-format=COMBINED --no-global-config -o $DATA/goaccess.json"
TOOLS=(wc hindcast_count hindcast_analyze lnav goaccess)

RESULTS=$(mktemp)
for ((run = 0; run < RUNS; run++)); do
  n=${#TOOLS[@]}
  for ((k = 0; k < n; k++)); do
    tool=${TOOLS[$(((k + run) % n))]}
    /usr/bin/time -f "%e %M" -o "$RESULTS.t" bash -c "${CMD[$tool]}" > /dev/null 2>&1
    echo "$tool $(cat "$RESULTS.t")" >> "$RESULTS"
  done
done

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
echo "data:    $DATA ($(awk -v b="$BYTES" 'BEGIN { printf "%.0f MB", b / 1e6 }'): access $(mb 200) MB, syslog $(mb 200) MB, error $(mb 100) MB, strace -f $(mb 200) MB (MiB)"
echo "runs:    $RUNS, alternating, median"
echo
awk -v bytes="$BYTES" '
  { t[$1] = t[$1] " " $2; if ($3 > rss[$1]) rss[$1] = $3 }
  function median(list,   a, n, i, j, x) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END {
    for (k in t) m[k] = median(t[k])
    printf "%-18s %10s %10s %12s\n", "tool", "median s", "MB/s", "peak RSS MB"
    split("wc hindcast_count hindcast_analyze lnav goaccess", order, " ")
    for (i = 1; i <= 5; i++) { k = order[i]; if (k in m)
      printf "%-18s %10.3f %10.0f %12.0f\n", k, m[k], (k == "goaccess" ? bytes * 2 / 7 : bytes) / 1e6 / (m[k] > 0 ? m[k] : 1e-9), rss[k] / 1024 }
    printf "\nratios (median times)\n"
    printf "  lnav merged load / hindcast analyze      %6.1fx   (target >= 8x)\n", m["lnav"] / m["hindcast_analyze"]
    printf "  hindcast timeline --format count / wc -l %6.1fx   (target <= 4x)\n", m["hindcast_count"] / m["wc"]
    printf "  goaccess (access log only) / hindcast analyze (all logs) %6.1fx\n", m["goaccess"] / m["hindcast_analyze"]
  }' "$RESULTS"
rm -f "$RESULTS" "$RESULTS.t"
