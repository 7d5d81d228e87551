#!/usr/bin/env bash
# README command 2 (and what CI runs): install what is missing, build, run every test; then
# build again with AddressSanitizer + UndefinedBehaviorSanitizer and run every test under them;
# then run each libFuzzer harness for a short time under the same sanitizers (FUZZ_SECONDS,
# default 20; docs/robustness.md has the long local runs).
# The tests read ../shared (the recorded incidents and the corpus), or $HINDCAST_SHARED.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test
echo "== browser test packages (npm ci: playwright-core, no browser download)"
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
jobs=$(nproc)

echo "== release build: warnings are errors"
scripts/build.sh build -DHINDCAST_BUILD_TESTS=ON -DHINDCAST_WERROR=ON
(cd build && ctest -j"$jobs" --output-on-failure)

echo "== ASan + UBSan build"
scripts/build.sh build-asan -DHINDCAST_BUILD_TESTS=ON -DHINDCAST_BUILD_BENCH=OFF -DHINDCAST_SANITIZE=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest -j"$jobs" --output-on-failure)

echo "== fuzz smoke runs (libFuzzer, ASan + UBSan)"
scripts/fuzz.sh "${FUZZ_SECONDS:-20}"
