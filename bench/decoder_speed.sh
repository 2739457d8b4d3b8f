#!/usr/bin/env bash
# Decoder throughput on one core: `unspin check --jsonl` on clean and on spun
# news, `unspin restore --jsonl` on spun news, each as MB/s and as a ratio to
# `grep -F -c -f` with every lexicon key over the same bytes, measured in the
# same run (the ratio is what a CI floor should guard: the machine is shared
# and absolute MB/s move with it).
#
#   bench/decoder_speed.sh [--build-dir DIR] [--models DIR] [--corpora DIR] [--bytes N] [--json FILE]
#
# Input: the EVAL part of the corpora (Brown press + State of the Union), cut
# at --bytes (default 1 MB) on a line boundary and split into news-length
# documents of ~4 KB (one JSON line each); the spun input is the same text
# through `unspin spin --style thesaurus --rate 0.3`. Times are CPU seconds
# (user + sys, best of 3) under `taskset -c 0`, so other load on the machine
# counts less than in wall-clock time.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
build_dir="${UNSPIN_BUILD_DIR:-$repo/build}"
models=""
corpora=""
bytes=1000000
json_out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) build_dir="$2"; shift ;;
    --models) models="$2"; shift ;;
    --corpora) corpora="$2"; shift ;;
    --bytes) bytes="$2"; shift ;;
    --json) json_out="$2"; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "decoder_speed.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
unspin="$build_dir/bin/unspin"
[[ -x "$unspin" ]] || { echo "decoder_speed.sh: no $unspin; build first" >&2; exit 3; }
model_args=()
[[ -n "$models" ]] && model_args=(--models "$models")
corpus_args=()
[[ -n "$corpora" ]] && corpus_args=(--corpora "$corpora")
pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$unspin" eval corpus --part eval "${corpus_args[@]}" --out "$tmp/docs" >/dev/null
cat "$tmp"/docs/*.txt >"$tmp/all.txt"
head -c "$bytes" "$tmp/all.txt" >"$tmp/clean.txt"
sed -i '$ d' "$tmp/clean.txt"  # keep whole lines: valid UTF-8
"$unspin" spin --style thesaurus --rate 0.3 --seed 1 "$tmp/clean.txt" >"$tmp/spun.txt" 2>/dev/null
# One JSON line per ~4 KB of whole lines (a news article's length).
to_jsonl() {
  awk 'function esc(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); gsub(/\t/, "\\t", s); gsub(/\r/, "\\r", s); return s }
       { doc = doc (doc == "" ? "" : "\\n") esc($0); size += length($0) + 1
         if (size >= 4000) { if (doc ~ /[^ \\n]/) printf "{\"id\":\"%d\",\"text\":\"%s\"}\n", n++, doc; doc = ""; size = 0 } }
       END { if (doc ~ /[A-Za-z]/) printf "{\"id\":\"%d\",\"text\":\"%s\"}\n", n++, doc }' "$1"
}
to_jsonl "$tmp/clean.txt" >"$tmp/clean.jsonl"
to_jsonl "$tmp/spun.txt" >"$tmp/spun.jsonl"
"$unspin" lexicon keys "${model_args[@]}" >"$tmp/keys.txt"

# cpu_best CMD...: CPU seconds (user + sys) of the fastest of 3 runs.
cpu_best() {
  local best=""
  for _ in 1 2 3; do
    /usr/bin/time -f "%U %S" -o "$tmp/time" "${pin[@]}" "$@" >/dev/null 2>"$tmp/err" || [[ $? -eq 1 && "$1" == grep ]] ||
      { cat "$tmp/err" >&2; exit 1; }
    local t
    t=$(awk '{ printf "%.3f", $1 + $2 }' "$tmp/time")
    if [[ -z "$best" ]] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
  done
  echo "$best"
}
size_clean=$(stat -c %s "$tmp/clean.txt")
size_spun=$(stat -c %s "$tmp/spun.txt")
t_grep=$(cpu_best grep -F -c -f "$tmp/keys.txt" "$tmp/clean.txt")
t_clean=$(cpu_best "$unspin" check "${model_args[@]}" --jsonl "$tmp/clean.jsonl")
t_spun=$(cpu_best "$unspin" check "${model_args[@]}" --jsonl "$tmp/spun.jsonl")
t_restore=$(cpu_best "$unspin" restore "${model_args[@]}" --jsonl "$tmp/spun.jsonl")

mbps() { awk -v b="$1" -v t="$2" 'BEGIN { if (t <= 0) t = 0.001; printf "%.3f", b / 1e6 / t }'; }
grep_mbps=$(mbps "$size_clean" "$t_grep")
ratio() { awk -v a="$1" -v g="$grep_mbps" 'BEGIN { printf "%.4f", a / g }'; }
clean_mbps=$(mbps "$size_clean" "$t_clean")
spun_mbps=$(mbps "$size_spun" "$t_spun")
restore_mbps=$(mbps "$size_spun" "$t_restore")
docs=$(wc -l <"$tmp/clean.jsonl")
echo "Input: $size_clean bytes of eval-part news ($docs documents of ~4 KB), spun: $size_spun bytes; one core, CPU seconds, best of 3."
echo
echo "| command | CPU s | MB/s | MB/s relative to grep -F -f |"
echo "|---|---|---|---|"
printf "| unspin check --jsonl (clean news) | %s | %s | %s |\n" "$t_clean" "$clean_mbps" "$(ratio "$clean_mbps")"
printf "| unspin check --jsonl (spun news) | %s | %s | %s |\n" "$t_spun" "$spun_mbps" "$(ratio "$spun_mbps")"
printf "| unspin restore --jsonl (spun news) | %s | %s | %s |\n" "$t_restore" "$restore_mbps" "$(ratio "$restore_mbps")"
printf "| grep -F -c -f (%s lexicon keys, reference) | %s | %s | 1 |\n" "$(wc -l <"$tmp/keys.txt")" "$t_grep" "$grep_mbps"
if [[ -n "$json_out" ]]; then
  printf '{"bytes_clean": %s, "bytes_spun": %s, "grep_mbps": %s, "check_clean_mbps": %s, "check_spun_mbps": %s, "restore_spun_mbps": %s, "check_clean_ratio": %s, "check_spun_ratio": %s, "restore_spun_ratio": %s}\n' \
    "$size_clean" "$size_spun" "$grep_mbps" "$clean_mbps" "$spun_mbps" "$restore_mbps" \
    "$(ratio "$clean_mbps")" "$(ratio "$spun_mbps")" "$(ratio "$restore_mbps")" >"$json_out"
fi
