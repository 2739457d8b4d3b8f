#!/usr/bin/env bash
# `unspin learn --jsonl` at crawl scale (issue 20): 250, 500 and 1,000 spun
# pages of one simulated site (eval part, `unspin-eval eval sites --write-pages`),
# learned on every core: seconds, MB/s and peak resident memory, and the
# ratio of seconds to pages (linear when it stays flat). Prints a Markdown table.
#
#   bench/learn_scale.sh [--build-dir DIR] [--models DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build_dir="${UNSPIN_BUILD_DIR:-$here/../build}"
models=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) build_dir="$2"; shift ;;
    --models) models=(--models "$2"); shift ;;
    *) echo "learn_scale.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
unspin="$build_dir/bin/unspin"
unspin_eval="$build_dir/bin/unspin-eval"  # the harness: the simulated site's pages
for bin in "$unspin" "$unspin_eval"; do
  [[ -x "$bin" ]] || { echo "learn_scale.sh: no $bin" >&2; exit 3; }
done
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$unspin_eval" eval sites "${models[@]}" --sizes 1000 --write-pages "$tmp/pages.jsonl" 2>/dev/null
echo "| pages | MB | seconds | MB/s | seconds per 1,000 pages | peak RSS (MiB) | tables |"
echo "|---|---|---|---|---|---|---|"
for n in 250 500 1000; do
  head -n "$n" "$tmp/pages.jsonl" >"$tmp/in.jsonl"
  bytes=$(stat -c %s "$tmp/in.jsonl")
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$tmp/rss" "$unspin" learn "${models[@]}" --jsonl -o "$tmp/out-$n" "$tmp/in.jsonl" 2>/dev/null
  end=$(date +%s.%N)
  rss=$(tail -1 "$tmp/rss")
  awk -v n="$n" -v b="$bytes" -v s="$start" -v e="$end" -v r="$rss" -v t="$(ls "$tmp/out-$n" | wc -l)" \
    'BEGIN { d = e - s; printf "| %d | %.2f | %.1f | %.3f | %.1f | %.0f | %d |\n", n, b / 1e6, d, b / 1e6 / d, d * 1000 / n, r / 1024, t }'
done
