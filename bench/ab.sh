#!/usr/bin/env bash
# A/B of two hindcast-bench binaries (an old build and a new one), alternated run by run, the
# best throughput of each kept: on a machine whose speed drifts by tens of per cent from minute
# to minute, alternation and best-of-N are what make a small change visible.
#
#   bench/ab.sh OLD_BENCH NEW_BENCH [FILTER] [RUNS]
#   bench/ab.sh /tmp/base/build/hindcast-bench build/hindcast-bench 'BM_Parse/' 5
#
# An old build: git worktree add /tmp/base <commit> && cmake -S /tmp/base -B /tmp/base/build
# -DCMAKE_BUILD_TYPE=Release && cmake --build /tmp/base/build --target hindcast-bench
set -euo pipefail
OLD=${1:?old hindcast-bench}; NEW=${2:?new hindcast-bench}; FILTER=${3:-BM_Parse/}; RUNS=${4:-5}
for _ in $(seq "$RUNS"); do
  for v in old new; do
    b=$OLD; [ $v = new ] && b=$NEW
    "$b" --benchmark_filter="$FILTER" --benchmark_min_time=0.3 2>/dev/null |
      awk -v v=$v '/^BM_/{for(i=1;i<=NF;i++) if($i ~ /^bytes_per_second=/){split($i,a,"=");x=a[2];
        u=substr(x,length(x)-2); n=substr(x,1,length(x)-3)+0; if(u=="G/s") n*=1024; print v, $1, n}}'
  done
done | awk '{k=$2" "$1; if(!(k in m)||$3>m[k]) m[k]=$3} END{for(k in m) print k, m[k]}' | sort |
  awk '{printf "%-28s %-4s %8.0f MB/s (best of runs)\n",$1,$2,$3}'
