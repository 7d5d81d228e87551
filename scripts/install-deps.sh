#!/usr/bin/env bash
# Installs the Debian 12 packages hindcast builds against. Idempotent and non-interactive:
# a package already present is not touched, and apt-get runs only when something is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libsimdjson-dev libre2-dev libboost-program-options-dev libspdlog-dev
  libhowardhinnant-date-dev tzdata
  libgtest-dev libbenchmark-dev zlib1g-dev
  # Journal files (sd-journal), .xz and .zst rotations; the tests build journal files from export
  # streams with systemd-journal-remote and compress rotations with xz and zstd.
  libsystemd-dev liblzma-dev libzstd-dev systemd-journal-remote xz-utils zstd
  chromium fonts-dejavu-core  # the HTML report's browser test (tests/browser)
  clang-16 libclang-rt-16-dev  # the fuzz harnesses: libFuzzer (clang 14 cannot compile <expected>)
  # `export`/`analyze --clickhouse` speak ClickHouse's HTTP interface through libcurl (build);
  # the fleet tests start their own ClickHouse 18.16 servers (test).
  libcurl4-openssl-dev
  clickhouse-server clickhouse-client
)
# node and npm drive the browser test; a machine may already have them from elsewhere
# (nodesource's nodejs bundles npm), so Debian's are installed only when none is found.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
