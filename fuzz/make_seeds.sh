#!/usr/bin/env bash
# Seed corpora for the fuzz harnesses, made from ../shared (the DEV corpus and the recorded
# incidents) at run time: never committed. Usage: fuzz/make_seeds.sh SHARED_DIR OUT_DIR
# Each seed is the head of a real file (at most 8 KiB), so the fuzzer starts from real shapes.
set -euo pipefail
shared=$1
out=$2
rm -rf "$out"
mkdir -p "$out"

head_of() { head -c 8192 "$1"; }
add() {  # add TARGET NAME < data
  mkdir -p "$out/$1"
  cat > "$out/$1/$2"
}
n=0
seed_file() {  # seed_file TARGET FILE
  n=$((n + 1))
  head_of "$2" | add "$1" "seed-$n"
  head_of "$2" | add fuzz_sniff "seed-$n"
}

# Corpus files by the format SPLIT.tsv gives them.
while IFS=$'\t' read -r set format lines path; do
  [ "$set" = DEV ] || continue
  f="$shared/corpus/$path"
  [ -f "$f" ] || continue
  case $format in
    apache-access) seed_file fuzz_parser_apache_access "$f"
                   { printf '%s\n' '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"'; head_of "$f"; } |
                     add fuzz_parser_apache_access_custom "seed-$n" ;;
    apache-error)  seed_file fuzz_parser_apache_error "$f" ;;
    syslog-3164)   seed_file fuzz_parser_syslog_rfc3164 "$f" ;;
    syslog-5424)   seed_file fuzz_parser_syslog_rfc5424 "$f"; seed_file fuzz_parser_syslog_rfc3164 "$f" ;;
    journald-json) seed_file fuzz_parser_journald_json "$f"; seed_file fuzz_parser_json_lines "$f" ;;
    strace)        seed_file fuzz_parser_strace "$f" ;;
    *) continue ;;
  esac
  # Timestamps: the first lines, one seed each.
  head -n 3 "$f" | while IFS= read -r line; do
    n=$((n + 1)); printf '%s' "${line:0:96}" | add fuzz_time "line-$RANDOM-$n"
  done
done < "$shared/corpus/SPLIT.tsv"

# The incidents: every file's head, and the whole case (heads) for the resolver and analyze.
for case in "$shared"/incidents/*/; do
  name=$(basename "$case")
  for f in "$case"*; do
    case $(basename "$f") in
      access.log*) seed_file fuzz_parser_apache_access "$f" ;;
      error.log*)  seed_file fuzz_parser_apache_error "$f" ;;
      syslog)      seed_file fuzz_parser_syslog_rfc3164 "$f" ;;
      dpkg.log)    seed_file fuzz_parser_dpkg "$f" ;;
      strace*)     seed_file fuzz_parser_strace "$f" ;;
    esac
  done
  strace=$(ls "$case" | grep '^strace' | head -n 1)
  for opt in A B; do  # option byte: A (0x41: year 1970, ...) and B
    {
      printf '%s' "$opt"
      for f in access.log error.log syslog "$strace"; do
        [ -f "$case$f" ] && head -n 25 "$case$f"
        printf '====\n'
      done
    } > "$out/tmp-case"
    add fuzz_resolve "$name-$opt" < "$out/tmp-case"
    add fuzz_analyze "$name-$opt" < "$out/tmp-case"
  done
done
rm -f "$out/tmp-case"
# JSON lines with the time keys the generic reader knows.
printf '{"time":"2023-11-03T13:00:43.123Z","level":"error","msg":"x","pid":7}\n{"ts":1699016443.5,"message":"y"}\n' |
  add fuzz_parser_json_lines seed-json
# CRI container logs: no corpus file has them; the shapes the kubelet writes.
printf '%s\n' '2024-01-05T10:00:00.123456789Z stdout F Server listening on :8080' \
  '2024-01-05T05:00:01.000000001-05:00 stderr P partial line of a long ' \
  '2024-01-05T10:00:01.000000002Z stderr F message that ends here' '2024-01-05T10:00:01.000000003Z stdout F' |
  add fuzz_parser_cri_container seed-cri
for t in "$out"/*; do echo "seeds: $(basename "$t"): $(ls "$t" | wc -l)"; done
