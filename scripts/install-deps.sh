#!/usr/bin/env bash
# Installs the Debian 12 packages hindcast needs. Idempotent and non-interactive: a package already
# present is not touched, and apt-get runs only when something is missing.
#   scripts/install-deps.sh        what the main job needs: build hindcast with the tests and the
#                                  benchmarks off, and run it (README command 1)
#   scripts/install-deps.sh test   that and what the tests, benchmarks and fuzzers need (README
#                                  command 2, scripts/test.sh)
# The main set is what CMakeLists.txt's unconditional find_package/pkg_check_modules require;
# GoogleTest and Google Benchmark are searched for only with HINDCAST_BUILD_TESTS/_BENCH on.
set -euo pipefail

case "${1:-}" in
  "") with_tests=0 ;;
  test) with_tests=1 ;;
  *) echo "usage: scripts/install-deps.sh [test]" >&2; exit 1 ;;
esac

packages=(
  build-essential cmake pkg-config
  libsimdjson-dev libre2-dev libboost-program-options-dev libspdlog-dev
  libhowardhinnant-date-dev tzdata zlib1g-dev
  # journal files (sd-journal), .xz and .zst rotations: read through the libraries, no tool
  libsystemd-dev liblzma-dev libzstd-dev
  # `export`/`analyze --clickhouse` speak ClickHouse's HTTP interface through libcurl: the
  # hindcast binary links it
  libcurl4-openssl-dev
)

if [ "$with_tests" -eq 1 ]; then
  packages+=(
    libgtest-dev libbenchmark-dev
    # the tests build journal files from export streams and compress rotations
    systemd-journal-remote xz-utils zstd
    chromium fonts-dejavu-core  # the HTML report's browser test (tests/browser)
    clang-16 libclang-rt-16-dev  # the fuzz harnesses: libFuzzer (clang 14 cannot compile <expected>)
    # the fleet tests start their own ClickHouse 18.16 servers and talk to them with curl
    clickhouse-server clickhouse-client curl
  )
  # node and npm drive the browser test; a machine may already have them from elsewhere
  # (nodesource's nodejs bundles npm), so Debian's are installed only when none is found.
  command -v node >/dev/null 2>&1 || packages+=(nodejs)
  command -v npm >/dev/null 2>&1 || packages+=(npm)
fi

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
