#!/usr/bin/env bash
# `unspin learn --archive --jsonl` at crawl scale (issue 32): a synthetic crawl
# (bench/make_crawl.py: corpus documents on 12 sites, every other site a
# content farm spinning all its pages with its own `table` spinner) and an
# archive of the farms' originals; the crawl learned on 1 and 2 threads (a
# Tracer and an archive connection per thread): seconds, pages/s, MB/s and
# peak resident memory. Both runs must write the same tables. Prints a
# Markdown table.
#
#   bench/learn_archive_scale.sh [--build-dir DIR] [--mb MB]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build_dir="${UNSPIN_BUILD_DIR:-$here/../build}"
mb=4
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) build_dir="$2"; shift ;;
    --mb) mb="$2"; shift ;;
    --models) shift ;;  # accepted for bench/run.sh's sake: learn --archive reads no model
    *) echo "learn_archive_scale.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
unspin="$build_dir/bin/unspin"
unspin_eval="$build_dir/bin/unspin-eval"  # make_crawl.py's corpus and spinners
for bin in "$unspin" "$unspin_eval"; do
  [[ -x "$bin" ]] || { echo "learn_archive_scale.sh: no $bin" >&2; exit 3; }
done
python="$(command -v /usr/bin/python3 || command -v python3)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$python" "$here/make_crawl.py" --unspin-eval "$unspin_eval" --out "$tmp/crawl" --mb "$mb" --partitions 1 \
  --originals "$tmp/originals.jsonl" >"$tmp/crawl.json"
"$unspin" archive add --archive "$tmp/a.db" --id-from jsonl "$tmp/originals.jsonl" 2>/dev/null
input="$tmp/crawl/crawl-000.jsonl"
pages=$(wc -l <"$input")
bytes=$(stat -c %s "$input")
sources=$(wc -l <"$tmp/originals.jsonl")
# Pages traced to a source (the aligned counts' source lines, summed).
"$unspin" learn --archive "$tmp/a.db" --jsonl --counts -o "$tmp/counts" "$input" 2>/dev/null
traced=$(cat "$tmp/counts"/*.counts | grep -o '^{"source":.*"pages":[0-9]*' | sed 's/.*"pages"://' | awk '{ s += $1 } END { print s + 0 }')
echo "$pages pages ($sources originals in the archive, $traced pages traced to one), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo
echo "| threads | pages | MB | seconds | pages/s | MB/s | peak RSS (MiB) | tables |"
echo "|---|---|---|---|---|---|---|---|"
for threads in 1 2; do
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$tmp/rss" "$unspin" learn --archive "$tmp/a.db" --jsonl --threads "$threads" \
    -o "$tmp/out-$threads" "$input" 2>/dev/null
  end=$(date +%s.%N)
  rss=$(tail -1 "$tmp/rss")
  awk -v t="$threads" -v n="$pages" -v b="$bytes" -v s="$start" -v e="$end" -v r="$rss" \
    -v k="$(ls "$tmp/out-$threads" | wc -l)" \
    'BEGIN { d = e - s; printf "| %d | %d | %.2f | %.1f | %.0f | %.3f | %.0f | %d |\n", t, n, b / 1e6, d, n / d, b / 1e6 / d, r / 1024, k }'
done
diff -r "$tmp/out-1" "$tmp/out-2" >/dev/null || { echo "learn_archive_scale.sh: 1 and 2 threads wrote different tables" >&2; exit 1; }
