#!/usr/bin/env bash
# `cmake --install` puts the binary, the manual page and the bash completion in place; the
# manual page names every option `--help` lists (and the version), and the completion offers
# each command's formats. Usage: tests/install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
src=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
fail=0
check() { if ! eval "$1"; then echo "FAIL: $2"; fail=1; else echo "ok: $2"; fi; }

check '[ -x "$prefix/bin/hindcast" ]' "bin/hindcast installed"
check '[ -f "$prefix/share/man/man1/hindcast.1" ]' "share/man/man1/hindcast.1 installed"
check '[ -f "$prefix/share/bash-completion/completions/hindcast" ]' "bash completion installed"

page=$prefix/share/man/man1/hindcast.1
version=$("$prefix/bin/hindcast" --version | awk '{print $2}')
check 'grep -q "\"hindcast $version\"" "$page"' "manual page is for version $version"
if command -v man >/dev/null; then
  check 'MANWIDTH=80 man -l "$page" 2>&1 >/dev/null | (! grep .)' "manual page renders without warnings"
fi
plain=$(sed 's/\\//g' "$page")  # roff without its escapes: \-\-tz reads --tz
for cmd in analyze timeline sniff export; do
  for opt in $("$prefix/bin/hindcast" "$cmd" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    check 'grep -q -- "$opt" <<<"$plain"' "manual page documents $cmd $opt"
  done
done

complete_words() {  # complete_words WORD... : what bash completion offers for the last word
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _hindcast; echo "${COMPREPLY[*]}"' \
    _ "$prefix/share/bash-completion/completions/hindcast" "$@"
}
check '[ "$(complete_words hindcast "")" = "analyze timeline sniff export --help --version" ]' "completion: commands"
check '[ "$(complete_words hindcast analyze --format "")" = "md json html" ]' "completion: analyze formats"
check '[ "$(complete_words hindcast timeline --format "")" = "text jsonl csv timesketch ecs count" ]' "completion: timeline formats"
check '[ "$(complete_words hindcast analyze --color "")" = "auto always never" ]' "completion: --color"
check 'complete_words hindcast analyze --su | grep -q -- --summary' "completion: analyze options"
check 'complete_words hindcast export --cl | grep -q -- --clickhouse' "completion: export options"
exit $fail
