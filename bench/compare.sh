#!/usr/bin/env bash
# Compares hindcast with wc -l, lnav and GoAccess in one run, on the same generated files, as
# ratios against the targets. Alternates the tools run by run (so cache and frequency drift hit
# all of them alike) and reports the median of RUNS runs and each tool's peak RSS.
#
#   bench/compare.sh                     # ~700 MB mixed set, 5 runs
#   bench/compare.sh --big               # and the 5 GB set (cost per MB, memory per event)
#   RUNS=3 SIZE_SCALE=0.15 bench/compare.sh   # ~100 MB, quicker
#   SETTLE=0 bench/compare.sh            # no pause before each run (see measure below)
#
# Beside the tools it times the machine's floor: a first touch of as much fresh memory as
# `count` takes (bench/first_touch.cpp), which on a VM can be most of a run.
#
# Needs the build with benchmarks (scripts/build.sh does it) and installs the peers it uses
# (Debian's lnav, goaccess and GNU time) when missing. Data is generated, never committed.
set -euo pipefail
cd "$(dirname "$0")/.."
BIG=0
[ "${1:-}" = "--big" ] && BIG=1
RUNS=${RUNS:-5}
SCALE=${SIZE_SCALE:-1}

missing=()
for p in lnav goaccess time; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "compare: installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ -x build/hindcast ] && [ -x build/hindcast-loggen ] && [ -x build/hindcast-first-touch ] || scripts/build.sh build >/dev/null

mb() { awk -v s="$1" -v m="$2" 'BEGIN { printf "%d", s * m }'; }

# generate DIR SCALE: access, syslog, error log and strace -f covering the same 6 hours.
generate() {
  local dir=$1 scale=$2
  if [ ! -f "$dir/strace.log" ]; then
    mkdir -p "$dir"
    echo "compare: generating $(mb "$scale" 700) MB in $dir" >&2
    build/hindcast-loggen "$dir" --access-mb "$(mb "$scale" 200)" --syslog-mb "$(mb "$scale" 200)" \
      --error-mb "$(mb "$scale" 100)" --strace-mb "$(mb "$scale" 200)"
  fi
}

# One run of a command: "seconds peak_rss_kb". Each starts after SETTLE seconds of quiet, so every
# tool is timed from the same memory state: on a VM that hands freed pages back to its host (this
# project's machine), a run right after another large one gets fresh pages at once and a run
# after a pause waits for the host to supply them; with a fixed order of tools that was worth up
# to 1.7x to whichever tool followed a hindcast run. A pause is also how a user runs it.
SETTLE=${SETTLE:-3}
measure() { sleep "$SETTLE"; /usr/bin/time -f "%e %M" -o "$TMP.t" bash -c "$1" > /dev/null 2>&1; cat "$TMP.t"; }

median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# Anonymous memory per event and the events of one analyze run (hindcast -v reports both).
memory_line() {
  build/hindcast analyze "$1" --format json -v -o /dev/null 2>&1 | grep -E "memory:|events from" | tr '\n' ' '
}

TMP=$(mktemp)
trap 'rm -f "$TMP" "$TMP.t" "$TMP".*' EXIT

DATA=${DATA_DIR:-${TMPDIR:-/tmp}/hindcast-compare-$SCALE}
generate "$DATA" "$SCALE"
FILES=("$DATA/access.log" "$DATA/syslog" "$DATA/error.log" "$DATA/strace.log")
BYTES=$(cat "${FILES[@]}" | wc -c)
cat "${FILES[@]}" > /dev/null  # warm the page cache

declare -A CMD
CMD[wc]="wc -l ${FILES[*]}"
CMD[count]="build/hindcast timeline $DATA --format count -q"
CMD[count_1t]="build/hindcast timeline $DATA --format count -q -j 1"
CMD[analyze]="build/hindcast analyze $DATA --format json -q -o /dev/null"
CMD[lnav]="lnav -n -c ';SELECT count(*) FROM all_logs' ${FILES[*]}"
CMD[goaccess]="goaccess $DATA/access.log --log-format=COMBINED --no-global-config -o $TMP.goaccess.json"
# The machine's floor: a first touch of as much fresh memory as count takes (bench/first_touch.cpp).
ANON_MB=$(build/hindcast timeline "$DATA" --format count -v 2>&1 | sed -n 's/.*memory: \([0-9]*\) MB anonymous.*/\1/p')
CMD[touch]="build/hindcast-first-touch ${ANON_MB:-1} 2"
CMD[touch_1t]="build/hindcast-first-touch ${ANON_MB:-1} 1"
TOOLS=(wc count count_1t analyze lnav goaccess touch touch_1t)

for ((run = 0; run < RUNS; run++)); do
  n=${#TOOLS[@]}
  for ((k = 0; k < n; k++)); do
    tool=${TOOLS[$(((k + run) % n))]}
    echo "$tool $(measure "${CMD[$tool]}")" >> "$TMP"
  done
done

declare -A MED RSS
for tool in "${TOOLS[@]}"; do
  MED[$tool]=$(awk -v t="$tool" '$1 == t { print $2 }' "$TMP" | median)
  RSS[$tool]=$(awk -v t="$tool" '$1 == t && $3 > m { m = $3 } END { print m / 1024 }' "$TMP")
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "data:    $DATA ($(awk -v b="$BYTES" 'BEGIN { printf "%.0f MB", b / 1e6 }'): access $(mb "$SCALE" 200) MiB, syslog $(mb "$SCALE" 200) MiB, error $(mb "$SCALE" 100) MiB, strace -f $(mb "$SCALE" 200) MiB"
echo "runs:    $RUNS, alternating, median, each after ${SETTLE} s of quiet"
echo
printf "%-28s %10s %10s %12s\n" "tool" "median s" "MB/s" "peak RSS MB"
for tool in "${TOOLS[@]}"; do
  bytes=$BYTES
  [ "$tool" = goaccess ] && bytes=$(wc -c < "$DATA/access.log")
  printf "%-28s %10.3f %10.0f %12.0f\n" "$tool" "${MED[$tool]}" "$(awk -v b="$bytes" -v s="${MED[$tool]}" 'BEGIN { print b / 1e6 / (s > 0 ? s : 1e-9) }')" "${RSS[$tool]}"
done
echo
echo "targets (median times, this run)"
echo "  lnav merged load / hindcast analyze          $(ratio "${MED[lnav]}" "${MED[analyze]}")x   (target >= 8)"
echo "  hindcast count / wc -l                       $(ratio "${MED[count]}" "${MED[wc]}")x   (target <= 4)"
echo "  hindcast analyze / count                     $(ratio "${MED[analyze]}" "${MED[count]}")x   (target <= 1.3)"
echo "  count, 1 thread / 2 threads                  $(ratio "${MED[count_1t]}" "${MED[count]}")x   (target >= 1.7)"
echo "  goaccess (access log only) / analyze (all)   $(ratio "${MED[goaccess]}" "${MED[analyze]}")x"
echo "  memory: $(memory_line "$DATA")"
echo
echo "the machine's floor: a first touch of ${ANON_MB} MB of fresh memory (what count takes), median s"
echo "  first touch, 2 threads / wc -l               $(ratio "${MED[touch]}" "${MED[wc]}")x   (of count's 4x)"
echo "  count less that first touch / wc -l          $(ratio "$(awk -v a="${MED[count]}" -v b="${MED[touch]}" 'BEGIN { print a - b }')" "${MED[wc]}")x"
echo "  first touch, 1 thread / 2 threads            $(ratio "${MED[touch_1t]}" "${MED[touch]}")x"

if [ "$BIG" = 1 ]; then
  BIG_SCALE=${BIG_SCALE:-7.3}
  BIG_DATA=${BIG_DATA_DIR:-${TMPDIR:-/tmp}/hindcast-compare-$BIG_SCALE}
  generate "$BIG_DATA" "$BIG_SCALE"
  BIG_BYTES=$(cat "$BIG_DATA"/*.log "$BIG_DATA"/syslog | wc -c)
  : > "$TMP.big"
  for ((run = 0; run < 3; run++)); do
    echo "count $(measure "build/hindcast timeline $BIG_DATA --format count -q")" >> "$TMP.big"
    echo "analyze $(measure "build/hindcast analyze $BIG_DATA --format json -q -o /dev/null")" >> "$TMP.big"
  done
  for tool in count analyze; do
    big=$(awk -v t="$tool" '$1 == t { print $2 }' "$TMP.big" | median)
    big_rss=$(awk -v t="$tool" '$1 == t && $3 > m { m = $3 } END { print m / 1024 }' "$TMP.big")
    per_mb=$(awk -v s="$big" -v b="$BIG_BYTES" 'BEGIN { printf "%.3f", s * 1000 / (b / 1e6) }')
    small_per_mb=$(awk -v s="${MED[$tool]}" -v b="$BYTES" 'BEGIN { printf "%.3f", s * 1000 / (b / 1e6) }')
    echo "big set ($(awk -v b="$BIG_BYTES" 'BEGIN { printf "%.1f GB", b / 1e9 }')) $tool: ${big} s, ${per_mb} ms/MB against ${small_per_mb} ms/MB on the small set ($(ratio "$per_mb" "$small_per_mb")x, target <= 1.10), peak RSS ${big_rss} MB"
  done
  echo "  memory: $(memory_line "$BIG_DATA")"
fi
