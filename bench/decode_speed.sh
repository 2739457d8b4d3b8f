#!/usr/bin/env bash
# Speed and memory of `unspin check` and `unspin restore` on news text, beside
# `grep -F -f` with every spun form the lexicon knows over the same input.
# Prints a Markdown table (bench/run.sh includes it in RESULTS.md).
#
#   bench/decode_speed.sh [--build-dir DIR] [--models DIR] [--bytes N]
#
# Input: the EVAL part of Brown press + State of the Union, concatenated and
# cut at --bytes (default 1 MB). One core: the CLI is single-threaded.
# Each figure is the best of 3 runs (wall clock), peak RSS from /usr/bin/time.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
build_dir="${UNSPIN_BUILD_DIR:-$repo/build}"
models=""
bytes=1000000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) build_dir="$2"; shift ;;
    --models) models="$2"; shift ;;
    --bytes) bytes="$2"; shift ;;
    *) echo "decode_speed.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
unspin="$build_dir/bin/unspin"
model_args=()
[[ -n "$models" ]] && model_args=(--models "$models")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$unspin" eval corpus --part eval --out "$tmp/docs" >/dev/null 2>&1
cat "$tmp"/docs/*.txt >"$tmp/all.txt"
head -c "$bytes" "$tmp/all.txt" >"$tmp/input.txt"
# Cut at the last whole line so the input stays valid UTF-8.
sed -i '$ d' "$tmp/input.txt"
size=$(stat -c %s "$tmp/input.txt")
"$unspin" lexicon keys "${model_args[@]}" >"$tmp/keys.txt"
keys=$(wc -l <"$tmp/keys.txt")

# best_of CMD...: prints "seconds max_rss_kb" of the fastest of 3 runs.
best_of() {
  local best="" rss=""
  for _ in 1 2 3; do
    # grep exits 1 when nothing matched; 2 and above are errors.
    /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err" || [[ $? -eq 1 && "$1" == grep ]] ||
      { cat "$tmp/err" >&2; exit 1; }
    read -r s m <"$tmp/time"
    if [[ -z "$best" ]] || awk "BEGIN{exit !($s < $best)}"; then best=$s; rss=$m; fi
  done
  echo "$best $rss"
}

read -r t_check m_check < <(best_of "$unspin" check "${model_args[@]}" "$tmp/input.txt")
read -r t_restore m_restore < <(best_of "$unspin" restore "${model_args[@]}" "$tmp/input.txt")
read -r t_grep m_grep < <(best_of grep -F -c -f "$tmp/keys.txt" "$tmp/input.txt")

mbps() { awk -v b="$size" -v t="$1" 'BEGIN { if (t <= 0) t = 0.01; printf "%.2f", b / 1e6 / t }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a <= 0) a = 0.01; printf "%.1f", b / a }'; }
echo "Input: $size bytes of eval-part news text (Brown press + State of the Union); $keys lexicon spun forms for grep."
echo
echo "| command | seconds (best of 3) | MB/s | peak RSS (MiB) | time / grep -F -f |"
echo "|---|---|---|---|---|"
printf "| unspin check | %s | %s | %d | %sx |\n" "$t_check" "$(mbps "$t_check")" $((m_check / 1024)) "$(ratio "$t_grep" "$t_check")"
printf "| unspin restore | %s | %s | %d | %sx |\n" "$t_restore" "$(mbps "$t_restore")" $((m_restore / 1024)) "$(ratio "$t_grep" "$t_restore")"
printf "| grep -F -c -f (lexicon keys) | %s | %s | %d | 1x |\n" "$t_grep" "$(mbps "$t_grep")" $((m_grep / 1024))
