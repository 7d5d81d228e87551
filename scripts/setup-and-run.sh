#!/usr/bin/env bash
# README command 1: install what is missing, build, and draft the postmortem of the sample
# incident. Extra arguments go to `hindcast analyze` (e.g. --format json).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build -DHINDCAST_BUILD_TESTS=OFF -DHINDCAST_BUILD_BENCH=OFF
build/hindcast analyze sample_logs/seed-classic "$@"
