#!/usr/bin/env bash
# Scaling of `python3 -m unspin.dask check` on one machine: the same synthetic
# crawl on a LocalCluster of 1 worker process, then of 2 (1 thread each).
# Prints a Markdown section (bench/run.sh includes it in RESULTS.md); the bar
# of issue 14 is a 2-worker speed-up of at least 1.8x.
#
#   bench/dask_scale.sh [--build-dir DIR] [--models DIR] [--mb N] [--partitions N]
#
# Input: bench/make_crawl.py, --mb (default 20) of {"id","text","url"} lines in
# --partitions files (default 8): the evaluation corpora, half the sites spun
# by their own spinner. Needs the corpora ($UNSPIN_CORPORA or the setup.sh
# folder) and python3-dask/python3-distributed. Speed is the job's input MB
# over its wall time from submission to the last partition written (the
# cluster's start and the model loading are reported beside it, not in it).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
build_dir="${UNSPIN_BUILD_DIR:-$repo/build}"
models=""
mb=20
partitions=8
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) build_dir="$2"; shift ;;
    --models) models="$2"; shift ;;
    --mb) mb="$2"; shift ;;
    --partitions) partitions="$2"; shift ;;
    *) echo "dask_scale.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
build_dir="$(cd "$build_dir" && pwd)"
unspin_eval="$build_dir/bin/unspin-eval"  # the harness: make_crawl.py's corpus and spinners
python=/usr/bin/python3
export PYTHONPATH="$build_dir/python${PYTHONPATH:+:$PYTHONPATH}"
if ! "$python" -c 'import unspin.dask, dask, distributed' 2>/dev/null; then
  echo "(skipped: unspin.dask does not import: build the Python module and install python3-dask python3-distributed)"
  exit 0
fi
model_args=()
[[ -n "$models" ]] && model_args=(--models "$models")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! "$python" "$here/make_crawl.py" --unspin-eval "$unspin_eval" --out "$tmp/crawl" --mb "$mb" --partitions "$partitions" \
     >"$tmp/crawl.json" 2>"$tmp/crawl.err"; then
  echo "(skipped: bench/make_crawl.py failed: $(tail -1 "$tmp/crawl.err"))"
  exit 0
fi

# run W: one job on W workers; sets seconds, mbps, startup, docs, spun, load_before, load_after.
run() {
  local w="$1"
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  "$python" -m unspin.dask check --input "$tmp/crawl/*.jsonl" --out "$tmp/out$w" --workers "$w" \
    --dashboard-address :0 --quiet "${model_args[@]}" >"$tmp/run$w.out" 2>"$tmp/run$w.err" ||
    { echo "dask_scale.sh: the $w-worker run failed:" >&2; tail -5 "$tmp/run$w.err" >&2; exit 1; }
  load_after=$(cut -d' ' -f1 /proc/loadavg)
  read -r seconds mbps startup docs spun mbytes cpu < <("$python" -c '
import json, sys
s = json.load(open(sys.argv[1]))
print(s["seconds"], "%.3f" % s["mb_per_s"], s["startup_seconds"], s["documents"], s["spun"], "%.2f" % s["mb"],
      "%.1f" % s["cpu_seconds"])
' "$tmp/out$w/summary.json")
}

run 1
s1=$seconds m1=$mbps st1=$startup c1=$cpu l1="$load_before / $load_after"
run 2
s2=$seconds m2=$mbps st2=$startup c2=$cpu l2="$load_before / $load_after"
# The two runs must agree, line for line (the partitions are the same files).
for f in "$tmp"/out1/part-*.jsonl; do
  cmp -s "$f" "$tmp/out2/$(basename "$f")" || { echo "dask_scale.sh: 1 and 2 workers differ on $(basename "$f")" >&2; exit 1; }
done
ratio=$(awk -v a="$m1" -v b="$m2" 'BEGIN { printf "%.2f", b / a }')
verdict=$(awk -v r="$ratio" 'BEGIN { print (r >= 1.8) ? "meets" : "misses" }')

cpu="$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)"
echo "Input: $mbytes MB, $docs documents in $partitions JSON-lines partitions (bench/make_crawl.py; $spun judged spun);"
echo "\`python3 -m unspin.dask check --input 'crawl/*.jsonl' --out DIR --workers W\`, a LocalCluster of W"
echo "processes with 1 thread each on $(nproc) cores ($cpu). Seconds: submission to the last partition"
echo "written; start: the cluster's start and the models' loading, before it. Load: the 1-minute load"
echo "average before / after the run (other processes compete for the cores when it exceeds W)."
echo "CPU s: the decoding threads' CPU time summed over the tasks: the same in both runs when splitting"
echo "the work costs nothing; with the cores to itself, a run's seconds approach CPU s / W."
echo
echo "| workers | seconds | MB/s | speed-up | CPU s | start (s) | load |"
echo "|---|---|---|---|---|---|---|"
echo "| 1 | $s1 | $m1 | 1x | $c1 | $st1 | $l1 |"
echo "| 2 | $s2 | $m2 | ${ratio}x | $c2 | $st2 | $l2 |"
echo
echo "The 2-worker run $verdict the bar of 1.8x; both runs wrote identical partitions."
