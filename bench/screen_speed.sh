#!/usr/bin/env bash
# Speed and memory of the screen path (issue 19's bars): `unspin check --jsonl`
# on clean news-length documents and on a crawl of 90% clean and 10% spun
# ones, on 1 and 2 threads, with peak RSS and which stage decided how many
# documents. Prints a Markdown section (bench/run.sh includes it in RESULTS.md).
#
#   bench/screen_speed.sh [--build-dir DIR] [--models DIR] [--corpora DIR]
#                         [--mb N] [--runs N] [--quick] [--baseline BIN]
#
# Input (bench/make_screen_inputs.py): Brown press + State of the Union +
# nlp-corpus, both parts, cut at paragraph breaks into documents of ~400 words
# (a text's last piece whatever its length: crawls have short pages), --mb
# megabytes of text (default 9; --quick 1 MB and one run); the crawl spins every
# tenth document with `unspin-eval spin --style table --rate 1 --seed 1`. MB/s
# divides the documents' text bytes (not the JSON lines') by the wall clock of
# the whole command, model loading included; each figure is the best of --runs
# runs (default 3). Bars (issue 19, one core): clean >= 20 MB/s (goal 60),
# crawl >= 5 MB/s, 2 threads >= 1.8x one, <= 400 MB resident.
# --baseline BIN: also time another unspin binary on the same inputs, run for
# run beside this one (before/after figures from one machine state), and say
# whether both wrote the same bytes.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
build_dir="${UNSPIN_BUILD_DIR:-$repo/build}"
models=""
corpora=""
mb=9
runs=3
baseline=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) build_dir="$2"; shift ;;
    --models) models="$2"; shift ;;
    --corpora) corpora="$2"; shift ;;
    --mb) mb="$2"; shift ;;
    --runs) runs="$2"; shift ;;
    --quick) mb=1; runs=1 ;;
    --baseline) baseline="$2"; shift ;;
    *) echo "screen_speed.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
unspin="$build_dir/bin/unspin"
unspin_eval="$build_dir/bin/unspin-eval"  # the harness: the corpus split and the spinners
model_args=()
[[ -n "$models" ]] && model_args=(--models "$models")
corpus_args=()
[[ -n "$corpora" ]] && corpus_args=(--corpora "$corpora")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

info=$(python3 "$here/make_screen_inputs.py" --unspin-eval "$unspin_eval" --out "$tmp" --mb "$mb" "${corpus_args[@]}")
field() { python3 -c "import json,sys; d=json.loads(sys.argv[1]); print(d[sys.argv[2]][sys.argv[3]])" "$info" "$1" "$2"; }

# run BIN INPUT THREADS OUT: prints "seconds max_rss_kb" of the fastest of $runs runs.
run() {
  local bin="$1" input="$2" threads="$3" out="$4" best="" rss=""
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$tmp/time" "$bin" check --jsonl --threads "$threads" "${model_args[@]}" \
      "$tmp/$input.jsonl" >"$out" 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
    read -r s m <"$tmp/time"
    if [[ -z "$best" ]] || awk "BEGIN{exit !($s < $best)}"; then best=$s; rss=$m; fi
  done
  echo "$best $rss"
}
mbps() { awk -v b="$1" -v t="$2" 'BEGIN { if (t <= 0) t = 0.01; printf "%.2f", b / 1e6 / t }'; }
stages() {  # "screen N, decoder M" of a check --jsonl output
  python3 -c "
import json, sys
n = {}
for line in open(sys.argv[1]):
    s = json.loads(line).get('stage', 'error')
    n[s] = n.get(s, 0) + 1
print(', '.join(f'{k} {v}' for k, v in sorted(n.items(), key=lambda kv: -kv[1])))" "$1"
}

echo "Input: $(field clean documents) documents of ~400 words (Brown press, State of the Union, nlp-corpus), $(( $(field clean text_bytes) / 1000 )) KB of text; crawl: the same with every tenth document spun (\`unspin-eval spin --style table --rate 1 --seed 1\`, $(field crawl spun_documents) documents). \`unspin check --jsonl --threads N\`, best of $runs runs, wall clock of the whole command (models loaded in it)."
echo
if [[ -n "$baseline" ]]; then
  echo "| input | threads | binary | seconds | MB/s | peak RSS (MiB) | decided by | output |"
  echo "|---|---|---|---|---|---|---|---|"
else
  echo "| input | threads | seconds | MB/s | peak RSS (MiB) | decided by |"
  echo "|---|---|---|---|---|---|"
fi
declare -A MBPS
for input in clean crawl; do
  bytes=$(field "$input" text_bytes)
  for threads in 1 2; do
    read -r t m < <(run "$unspin" "$input" "$threads" "$tmp/out.jsonl")
    MBPS[$input.$threads]=$(mbps "$bytes" "$t")
    if [[ -n "$baseline" ]]; then
      read -r bt bm < <(run "$baseline" "$input" "$threads" "$tmp/base.jsonl")
      same=$(cmp -s "$tmp/out.jsonl" "$tmp/base.jsonl" && echo "identical" || echo "DIFFERENT")
      echo "| $input | $threads | baseline | $bt | $(mbps "$bytes" "$bt") | $((bm / 1024)) | $(stages "$tmp/base.jsonl") | |"
      echo "| $input | $threads | this build | $t | ${MBPS[$input.$threads]} | $((m / 1024)) | $(stages "$tmp/out.jsonl") | $same |"
    else
      echo "| $input | $threads | $t | ${MBPS[$input.$threads]} | $((m / 1024)) | $(stages "$tmp/out.jsonl") |"
    fi
  done
done
echo
echo "2 threads ÷ 1: clean $(awk -v a="${MBPS[clean.2]}" -v b="${MBPS[clean.1]}" 'BEGIN{printf "%.2f", a / b}')x, crawl $(awk -v a="${MBPS[crawl.2]}" -v b="${MBPS[crawl.1]}" 'BEGIN{printf "%.2f", a / b}')x ($(nproc) cores; load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg))."
