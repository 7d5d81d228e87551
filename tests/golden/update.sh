#!/usr/bin/env bash
# Rewrites the golden files from the current build. Run on purpose, review the diff, commit.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${HINDCAST:-build/hindcast}
version=$("$bin" --version | awk '{print $2}')
for fmt in json md; do
  "$bin" analyze sample_logs/seed-classic --format "$fmt" -q |
    sed "s/hindcast ${version//./\\.}/hindcast <version>/g" > "tests/golden/seed-classic.$fmt"
done
git --no-pager diff --stat -- tests/golden || true
