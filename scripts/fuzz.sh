#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang, ASan + UBSan) in build-fuzz and runs each for SECONDS
# (default 20), FUZZ_JOBS at a time (default 2), seeded from ../shared (or $HINDCAST_SHARED).
# Fails when a harness finds a crash, a leak, a timeout or undefined behaviour; the input is
# left in build-fuzz/artifacts/<target>/. Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
shift || true
jobs=${FUZZ_JOBS:-2}
shared=${HINDCAST_SHARED:-$(cd .. && pwd)/shared}
dir=build-fuzz

CC=clang-16 CXX=clang++-16 scripts/build.sh "$dir" -DHINDCAST_FUZZ=ON -DHINDCAST_BUILD_TESTS=OFF \
  -DHINDCAST_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo
[ -d "$dir/seeds" ] && [ "${FUZZ_KEEP_SEEDS:-}" = 1 ] || fuzz/make_seeds.sh "$shared" "$dir/seeds" >/dev/null

targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cd "$dir/fuzz" && ls fuzz_* | sort)

run_one() {
  local t=$1 seconds=$2 dir=$3
  mkdir -p "$dir/corpus/$t" "$dir/artifacts/$t" "$dir/seeds/$t"
  local log="$dir/logs/$t.log"
  mkdir -p "$dir/logs"
  if ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
     "$dir/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 -max_len=65536 \
       -print_final_stats=1 -artifact_prefix="$dir/artifacts/$t/" "$dir/corpus/$t" "$dir/seeds/$t" \
       >"$log" 2>&1; then
    echo "fuzz: $t: ok ($(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$') runs in ${seconds} s)"
  else
    echo "fuzz: $t: FAILED (log: $log; input: $(ls "$dir/artifacts/$t" | head -n 1))"
    grep -m3 -E 'ERROR|fuzz check failed|runtime error' "$log" || true
    return 1
  fi
}
export -f run_one
results=$(printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one "$@"' _ {} "$seconds" "$dir" || true)
echo "$results"
passed=$(grep -c ': ok (' <<<"$results" || true)
failed=$(( ${#targets[@]} - passed ))
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
