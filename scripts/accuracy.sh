#!/usr/bin/env bash
# Measures hindcast's accuracy: runs `hindcast analyze` on every lab case (lab/cases/*.tar.zst)
# and every recorded incident of ../shared/incidents (or $HINDCAST_SHARED/incidents), scores each
# report against the case's truth.env with hindcast-score (tests/accuracy/, docs/accuracy.md) and
# prints a table per root-cause kind and in total, the quiet days, and one per criterion.
#
# usage: scripts/accuracy.sh [--build DIR] [--check FILE] [--scores OUT] [--case NAME] [--work DIR]
#   --build DIR   the build tree holding hindcast and hindcast-score (default: build)
#   --check FILE  compare with an expected-failures list (lab/expected-failures.tsv): exit 1 on a
#                 failure not listed there and on a listed one that now passes
#   --scores OUT  write every scored criterion (TSV: case kind criterion result expected got note),
#                 and each case's summary as one JSON object per line to OUT.summary.jsonl
#   --case NAME   only this case (what each ctest `accuracy.NAME` runs)
#   --work DIR    where cases are extracted and reports written (default: a temporary directory,
#                 removed at the end); each case gets DIR/NAME/{logs/,truth.env,report.json}
#
# truth.env is moved out of the logs before the analysis: the engine never sees it.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

build=build check="" scores_out="" only="" work=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --check) check=$2; shift 2 ;;
    --scores) scores_out=$2; shift 2 ;;
    --case) only=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "accuracy.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

hindcast=$build/hindcast
scorer=$build/hindcast-score
for b in "$hindcast" "$scorer"; do
  if [[ ! -x $b ]]; then
    echo "accuracy.sh: $b not found: cmake --build $build --target hindcast hindcast-score" >&2
    exit 2
  fi
done
shared=${HINDCAST_SHARED:-$repo/../shared}

if [[ -z $work ]]; then
  work=$(mktemp -d "${TMPDIR:-/tmp}/hindcast-accuracy.XXXXXX")
  trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"
scores=$work/scores${only:+.$only}.tsv
summary=$work/summary${only:+.$only}.jsonl
: > "$scores"
: > "$summary"

# Every case as NAME<TAB>SOURCE: lab tarballs first, then the shared incidents.
cases=()
for t in "$repo"/lab/cases/*.tar.zst; do
  [[ -e $t ]] || continue
  name=$(basename "$t" .tar.zst)
  cases+=("$name"$'\t'"$t")
done
for d in "$shared"/incidents/*/; do
  [[ -f $d/truth.env ]] || continue
  cases+=("$(basename "$d")"$'\t'"${d%/}")
done
if [[ ${#cases[@]} -eq 0 ]]; then
  echo "accuracy.sh: no cases (lab/cases/*.tar.zst, $shared/incidents/*/truth.env)" >&2
  exit 2
fi

now() { date +%s%N; }  # ns
ms() { echo $(( $1 / 1000000 )); }
t_all=$(now)
t_analyze=0
scored=0
printf "%-34s %-18s %9s %9s  %s\n" case kind passed analyze failed
for entry in "${cases[@]}"; do
  name=${entry%%$'\t'*}
  src=${entry#*$'\t'}
  [[ -n $only && $name != "$only" ]] && continue
  dir=$work/$name
  rm -rf "$dir"
  mkdir -p "$dir/logs"
  if [[ $src == *.tar.zst ]]; then
    zstd -q -dc "$src" | tar -x -C "$dir/logs"
  else
    cp -r --preserve=timestamps "$src"/. "$dir/logs"
    chmod -R u+w "$dir/logs"
  fi
  mv "$dir/logs/truth.env" "$dir/truth.env"
  # Several hosts: one directory per host, as `hindcast analyze web-07/ db-2/` takes them.
  inputs=("$dir/logs")
  if [[ -d $dir/logs/hosts ]]; then
    inputs=("$dir"/logs/hosts/*/)
  fi
  t0=$(now)
  rc=0
  "$hindcast" analyze "${inputs[@]}" --format json -o "$dir/report.json" --quiet 2> "$dir/analyze.err" || rc=$?
  t1=$(now)
  t_analyze=$((t_analyze + t1 - t0))
  if [[ $rc -ne 0 ]]; then
    echo "accuracy.sh: hindcast analyze exited $rc on $name: $(head -c 300 "$dir/analyze.err")" >&2
    rm -f "$dir/report.json"  # scored as unreadable: every applicable criterion fails
  fi
  "$scorer" score "$dir/report.json" "$dir/truth.env" --case "$name" --logs "$dir/logs" --json "$summary" \
    > "$dir/scores.tsv" || true
  cat "$dir/scores.tsv" >> "$scores"
  pass=$(awk -F'\t' '$4=="pass"' "$dir/scores.tsv" | wc -l)
  appl=$(awk -F'\t' '$4!="n/a"' "$dir/scores.tsv" | wc -l)
  kind=$(head -1 "$dir/scores.tsv" | cut -f2)
  failed=$(awk -F'\t' '$4=="fail"{printf "%s ", $3}' "$dir/scores.tsv")
  printf '%-34s %-18s %9s %6d ms  %s\n' "$name" "$kind" "$pass/$appl" "$(ms $((t1 - t0)))" "$failed"
  scored=$((scored + 1))
done
if [[ $scored -eq 0 ]]; then
  echo "accuracy.sh: no case named $only" >&2
  exit 2
fi

echo
"$scorer" table "$scores"
t_end=$(now)
printf '\n%d cases; hindcast analyze %d ms in all; accuracy.sh %d ms wall\n' "$scored" "$(ms "$t_analyze")" \
  "$(ms $((t_end - t_all)))"

if [[ -n $scores_out ]]; then
  cp "$scores" "$scores_out"
  cp "$summary" "$scores_out.summary.jsonl"
fi
if [[ -n $check ]]; then
  echo
  echo "== against $check"
  "$scorer" check "$scores" "$check" ${only:+--case "$only"}
fi
