#!/usr/bin/env bash
# Regenerates bench/RESULTS.md: quality (decoder and baselines by style, spin
# rate and length), detection, speed (the run itself and the Google Benchmark
# binaries found in the build dir), crawl-scale scaling on Dask, the machine
# and the git commit.
#
#   bench/run.sh [--quick] [--check-floors] [--build-dir DIR] [--models DIR] [--out FILE]
#
# Default size: 30 excerpts per length (100/300/1000 words) x 3 styles x 3 rates,
# within 20 minutes on 2 cores. --quick: 8 excerpts of 100 and 300 words (CI).
# --check-floors: exit 1 when a figure falls below bench/floors.json (the
# results are written first). Build dir: --build-dir, else $UNSPIN_BUILD_DIR,
# else ./build. Models: --models, else $UNSPIN_MODELS, else the
# folder setup.sh fills.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
build_dir="${UNSPIN_BUILD_DIR:-$repo/build}"
models=""
quick=0
check=0
out="$here/RESULTS.md"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1 ;;
    --check-floors) check=1 ;;
    --build-dir) build_dir="$2"; shift ;;
    --models) models="$2"; shift ;;
    --out) out="$2"; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

find_bin() {  # the build puts executables in bin/ or beside their CMakeLists
  local name="$1"
  for candidate in "$build_dir/bin/$name" "$build_dir/$name" "$build_dir/src/cli/$name" "$build_dir/bench/$name"; do
    if [[ -x "$candidate" ]]; then echo "$candidate"; return 0; fi
  done
  return 1
}

# The measurements are the evaluation harness's program (harness/eval_cli).
unspin_eval="$(find_bin unspin-eval)" || {
  echo "bench/run.sh: no unspin-eval binary under $build_dir; build it (cmake --build $build_dir --target unspin-eval) or pass --build-dir" >&2
  exit 3
}

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

eval_args=(eval --json "$tmp/eval.json" --markdown "$tmp/eval.md")
[[ $quick -eq 0 ]] && eval_args+=(--plots "$here")
[[ $quick -eq 1 ]] && eval_args+=(--quick)
[[ -n "$models" ]] && eval_args+=(--models "$models")
[[ $check -eq 1 ]] && eval_args+=(--check-floors "$here/floors.json")

echo "bench/run.sh: running $unspin_eval ${eval_args[*]}" >&2
start=$(date +%s)
set +e
"$unspin_eval" "${eval_args[@]}" 2> >(tee "$tmp/eval.err" >&2)
status=$?
set -e
elapsed=$(( $(date +%s) - start ))
if [[ ! -s "$tmp/eval.md" ]]; then
  echo "bench/run.sh: unspin-eval eval failed (exit $status); RESULTS.md not written" >&2
  exit "$status"
fi

# Google Benchmark binaries, if built.
bench_min_time=0.5
[[ $quick -eq 1 ]] && bench_min_time=0.05
bench_md=""
for b in unspin_lm_bench unspin_lexicon_bench unspin_text_bench; do
  if path="$(find_bin "$b")"; then
    echo "bench/run.sh: running $b" >&2
    if "$path" --benchmark_min_time="$bench_min_time" --benchmark_color=false \
         --benchmark_out="$tmp/$b.json" --benchmark_out_format=json > "$tmp/$b.txt" 2>&1; then
      bench_md+=$'\n'"#### $b"$'\n\n```\n'"$(grep -v '^\*\*\*' "$tmp/$b.txt")"$'\n```\n'
    else
      bench_md+=$'\n'"#### $b: failed"$'\n\n```\n'"$(tail -5 "$tmp/$b.txt")"$'\n```\n'
    fi
  else
    bench_md+=$'\n'"#### $b: not built in $build_dir"$'\n'
  fi
done

# Whole-command speed of check/restore on 1 core and all cores beside grep -F -f
# (--quick: 300 KB inputs, one run each), with the speed floors of
# floors.json ("speed": ratios to grep in the same run) under --check-floors.
echo "bench/run.sh: running bench/decode_speed.sh" >&2
speed_args=(--build-dir "$build_dir")
[[ -n "$models" ]] && speed_args+=(--models "$models")
[[ $quick -eq 1 ]] && speed_args+=(--quick)
[[ $check -eq 1 ]] && speed_args+=(--check-floors "$here/floors.json")
set +e
speed_md="$(bash "$here/decode_speed.sh" "${speed_args[@]}" 2>"$tmp/speed.err")"
speed_status=$?
set -e
if [[ $speed_status -ne 0 ]]; then
  if grep -q 'BROKEN' <<<"$speed_md"; then
    echo "bench/run.sh: a speed floor is broken (see RESULTS.md)" >&2
  else
    speed_md="decode_speed.sh failed: $(tail -5 "$tmp/speed.err")"
  fi
  [[ $status -eq 0 ]] && status=1
fi

# The screen path's speed (issue 19's bars): check --jsonl on clean news and
# on a 90/10 clean/spun crawl, 1 and 2 threads, peak RSS (bench/screen_speed.sh;
# --quick: 1 MB, one run each).
echo "bench/run.sh: running bench/screen_speed.sh" >&2
screen_args=(--build-dir "$build_dir")
[[ -n "$models" ]] && screen_args+=(--models "$models")
[[ $quick -eq 1 ]] && screen_args+=(--quick)
screen_md="$(bash "$here/screen_speed.sh" "${screen_args[@]}" 2>"$tmp/screen.err")" \
  || screen_md="screen_speed.sh failed: $(tail -5 "$tmp/screen.err")"

# False alarms on clean text of every genre at 100-10,000 words, without and
# with the table style's table given (`unspin-eval eval genres`; --quick: fewer).
echo "bench/run.sh: running unspin-eval eval genres" >&2
genre_docs=(250 250 100 40 40)
[[ $quick -eq 1 ]] && genre_docs=(40 40 10 4 4)
genre_models=()
[[ -n "$models" ]] && genre_models=(--models "$models")
# (spin needs some input to run; only the table it writes is used)
echo "table" | "$unspin_eval" spin --style table --write-table "$tmp/table.txt" >/dev/null 2>"$tmp/table.err" || true
genre_md="$("$unspin_eval" eval genres "${genre_models[@]}" --docs "${genre_docs[@]}" 2>"$tmp/genres.err")" \
  || genre_md="unspin-eval eval genres failed: $(tail -5 "$tmp/genres.err")"
if genre_table_md="$("$unspin_eval" eval genres "${genre_models[@]}" --docs "${genre_docs[@]}" --lexicon "$tmp/table.txt" \
                     --system unspin+table 2>"$tmp/genres-table.err")"; then
  genre_table_md="$(tail -n +3 <<<"$genre_table_md")"  # its rows, under the table above
else
  genre_table_md="| unspin-eval eval genres --lexicon failed: $(tail -1 "$tmp/genres-table.err" "$tmp/table.err" | tr '\n' ' ') |"
fi

# Tortured phrases (issue 21): listed and unlisted phrases in Brown J, clean
# false hits by genre (`unspin-eval eval tortured`, docs/EVALUATION.md), and the
# listed-phrase matcher's throughput (unspin_listed_bench).
echo "bench/run.sh: running unspin-eval eval tortured" >&2
tortured_args=(eval tortured --phrases 1500 --clean-docs 150)
[[ -n "${models:-}" ]] && tortured_args+=(--models "$models")
[[ $check -eq 1 ]] && tortured_args+=(--check-floors "$here/floors.json")
set +e
tortured_md="$("$unspin_eval" "${tortured_args[@]}" 2>"$tmp/tortured.err")"
tortured_status=$?
set -e
if [[ $tortured_status -ne 0 ]]; then
  # Exit 1 with the report written is a missed floor (--check-floors); the
  # tables are kept and the run fails, as for the main eval's floors.
  if [[ -z "$tortured_md" ]]; then
    tortured_md="unspin-eval eval tortured failed: $(tail -5 "$tmp/tortured.err")"
  else
    echo "bench/run.sh: a tortured floor is missed (see RESULTS.md)" >&2
  fi
  [[ $status -eq 0 ]] && status=1
fi
# The document detector (issue 19): AUC by spinner x length, clean false
# positives by genre, reliability at the base rate, the screen's cost, on the
# eval part of every genre (`unspin-eval eval detect`; --quick: fewer excerpts).
echo "bench/run.sh: running unspin-eval eval detect" >&2
detect_args=(eval detect --lengths 100 300 1000 --docs 10 --feature-aucs)
[[ $quick -eq 1 ]] && detect_args=(eval detect --lengths 100 300 --docs 2)
[[ -n "${models:-}" ]] && detect_args+=(--models "$models")
detect_md="$("$unspin_eval" "${detect_args[@]}" 2>"$tmp/detect.err")" \
  || detect_md="unspin-eval eval detect failed: $(tail -5 "$tmp/detect.err")"
listed_bench_md="unspin_listed_bench: not built in $build_dir"
if path="$(find_bin unspin_listed_bench)"; then
  "$path" --benchmark_filter='Find|Build' --benchmark_min_time="$bench_min_time" --benchmark_color=false \
    >"$tmp/listed_bench.txt" 2>&1 && listed_bench_md=$'```\n'"$(grep -v '^\*\*\*' "$tmp/listed_bench.txt")"$'\n```' \
    || listed_bench_md="unspin_listed_bench failed: $(tail -3 "$tmp/listed_bench.txt")"
fi

# The HTTP service under load: wrk, 200 connections, 30 s on loopback
# (bench/serve_load.sh; skipped by --quick and without wrk).
serve_md="(skipped in --quick runs)"
if [[ $quick -eq 0 ]]; then
  if command -v wrk >/dev/null; then
    echo "bench/run.sh: running bench/serve_load.sh" >&2
    serve_args=(--build-dir "$build_dir")
    [[ -n "$models" ]] && serve_args+=(--models "$models")
    serve_md="$(bash "$here/serve_load.sh" "${serve_args[@]}" 2>"$tmp/serve.err")" || serve_md="serve_load.sh failed: $(tail -5 "$tmp/serve.err")"
  else
    serve_md="(skipped: wrk is not installed; tests/setup_test_tools.sh installs it)"
  fi
fi

# Trace: source retrieval and restoration by alignment (bench/trace_bench.sh;
# --quick: a 10,000-document archive instead of 100,000).
echo "bench/run.sh: running bench/trace_bench.sh" >&2
trace_args=(--build-dir "$build_dir")
[[ $quick -eq 1 ]] && trace_args+=(--quick)
trace_md="$(bash "$here/trace_bench.sh" "${trace_args[@]}" 2>"$tmp/trace.err")" || trace_md="trace_bench.sh failed: $(tail -5 "$tmp/trace.err")"

# Restoring with the spinner's table given, per engine x genre, beside the
# spans-marked oracle (bench/table_given.sh, issue 32; ~1 minute, the full
# run even under --quick).
echo "bench/run.sh: running bench/table_given.sh" >&2
table_args=(--build-dir "$build_dir")
[[ -n "$models" ]] && table_args+=(--models "$models")
table_md="$(bash "$here/table_given.sh" "${table_args[@]}" 2>"$tmp/table.err")" \
  || table_md="table_given.sh failed: $(tail -5 "$tmp/table.err")"

# Learning a site's spinner from its pages (`unspin-eval eval sites`, issue 20):
# learning curves at 10/50/200/1,000 pages, the full run even under --quick
# (~35 s on 2 cores; its floors are the issue's bars at 200 and 1,000 pages),
# and `learn --jsonl` at crawl scale (bench/learn_scale.sh; skipped by --quick).
echo "bench/run.sh: running unspin-eval eval sites" >&2
sites_args=(eval sites --markdown "$tmp/sites.md" --json "$tmp/sites.json")
[[ -n "$models" ]] && sites_args+=(--models "$models")
[[ $quick -eq 0 ]] && sites_args+=(--plot "$here/sites.svg")
[[ $check -eq 1 ]] && sites_args+=(--check-floors "$here/floors.json")
set +e
"$unspin_eval" "${sites_args[@]}" 2>"$tmp/sites.err"
sites_status=$?
set -e
if [[ -s "$tmp/sites.md" ]]; then sites_md="$(cat "$tmp/sites.md")"; else sites_md="unspin-eval eval sites failed: $(tail -5 "$tmp/sites.err")"; fi
[[ $sites_status -ne 0 && $status -eq 0 ]] && status=1
learn_md="(skipped in --quick runs)"
if [[ $quick -eq 0 ]]; then
  learn_args=(--build-dir "$build_dir")
  [[ -n "$models" ]] && learn_args+=(--models "$models")
  learn_md="$(bash "$here/learn_scale.sh" "${learn_args[@]}" 2>"$tmp/learn.err")" || learn_md="learn_scale.sh failed: $(tail -5 "$tmp/learn.err")"
fi
# `learn --archive --jsonl` (aligned tables) on a synthetic crawl, 1 and 2
# threads (bench/learn_archive_scale.sh; skipped by --quick).
learn_archive_md="(skipped in --quick runs)"
if [[ $quick -eq 0 ]]; then
  echo "bench/run.sh: running bench/learn_archive_scale.sh" >&2
  learn_archive_md="$(bash "$here/learn_archive_scale.sh" --build-dir "$build_dir" 2>"$tmp/learn_archive.err")" \
    || learn_archive_md="learn_archive_scale.sh failed: $(tail -5 "$tmp/learn_archive.err")"
fi

# Crawl scale on Dask: the same 20 MB on 1 and 2 worker processes
# (bench/dask_scale.sh; skipped by --quick).
dask_md="(skipped in --quick runs)"
if [[ $quick -eq 0 ]]; then
  echo "bench/run.sh: running bench/dask_scale.sh" >&2
  dask_args=(--build-dir "$build_dir")
  [[ -n "$models" ]] && dask_args+=(--models "$models")
  dask_md="$(bash "$here/dask_scale.sh" "${dask_args[@]}" 2>"$tmp/dask.err")" || dask_md="dask_scale.sh failed: $(tail -5 "$tmp/dask.err")"
fi

cpu="$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)"
cores="$(nproc 2>/dev/null || echo '?')"
mem="$(free -h 2>/dev/null | awk '/^Mem:/ {print $2}')"
commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
dirty="$(git -C "$repo" status --porcelain 2>/dev/null | wc -l | tr -d ' ')"
[[ "$dirty" != "0" ]] && commit="$commit (+$dirty uncommitted changes)"
mode="default"
cmdline="bench/run.sh"
if [[ $quick -eq 1 ]]; then mode="--quick"; cmdline+=" --quick"; fi

{
  echo "# unspin benchmark results"
  echo
  echo "Generated by \`$cmdline\` on $(date -u '+%Y-%m-%d %H:%M UTC'), in ${elapsed} s."
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| commit | $commit |"
  echo "| machine | $cpu, $cores cores, $mem memory |"
  echo "| run | $mode: \`unspin-eval ${eval_args[*]//$tmp\//}\` |"
  echo "| held-out text | eval part of Brown press (ca, cb, cc) and State of the Union; see docs/EVALUATION.md |"
  echo
  echo "Systems: **unspin** (the decoder), **screening-list** (baseline a: exact matches of"
  echo "data/spinner/screening_list.tsv), **thesaurus+unigram** (baseline b: each word to its most"
  echo "frequent lexicon candidate when 10x more frequent, no context). Restoration is judged per"
  echo "gold substitution (docs/EVALUATION.md defines every column)."
  echo
  echo "## Quality and detection"
  echo
  cat "$tmp/eval.md"
  if [[ $quick -eq 0 ]]; then
    echo
    echo "Figures (written by this run beside this file): precision-recall by edit threshold per style"
    echo "([unspin](pr-unspin.svg), [unspin+table](pr-unspin+table.svg)) and reliability of edit confidences"
    echo "and document scores ([unspin](reliability-unspin.svg), [unspin+table](reliability-unspin+table.svg))."
    echo "The document reliability is over the evaluation's own mix (16 spun copies per clean excerpt),"
    echo "not the 50/50 weighting the score is calibrated to, so its observed shares lie above the diagonal."
  fi
  echo
  echo "## Speed of check and restore, 1 core and all cores (bench/decode_speed.sh)"
  echo
  echo "$speed_md"
  echo
  echo "## Speed of the screen path: check --jsonl on clean text and a 90/10 crawl (bench/screen_speed.sh)"
  echo
  echo "$screen_md"
  echo
  echo "## The HTTP service under load (bench/serve_load.sh)"
  echo
  echo "$serve_md"
  echo
  echo "## Trace: source in an archive (bench/trace_bench.sh, docs/TRACE.md)"
  echo
  echo "$trace_md"
  echo
  echo "## Restoring with the spinner's table given, by engine and genre (bench/table_given.sh)"
  echo
  echo "Eval-part excerpts of ~300 words spun by each engine of the table family (\`table\`: the plugin"
  echo "engine; \`symmetric\`: the article rewriter) at intensity 0.3 and 1, and clean excerpts; the table"
  echo "given as --lexicon (unspin+table) against the spans-marked oracle (the LM's pick among the"
  echo "table's candidates at each gold span). News-like: Brown press, SOTU, nlp-corpus; technical:"
  echo "Debian's documentation (not the handbook), manual pages, python-doc. Issue 32's bars: recall"
  echo ">= 0.80 at precision >= 0.95 at the default and >= 0.9 x the oracle's; precision >= 0.97 at 0.9."
  echo "The oracle's confidence is the LM's posterior of its pick among the candidates, so it has a"
  echo "best recall at precision >= 0.95 too: what choosing alone allows with every span known."
  echo
  echo "$table_md"
  echo
  echo "## False alarms on clean text by genre and length (unspin-eval eval genres)"
  echo
  echo "Clean eval-part excerpts of every genre (Brown press, State of the Union, Brown non-fiction"
  echo "and fiction, Moby Dick, SpamAssassin ham mail); flagged = verdict \"spun\" at the shipped"
  echo "threshold; false edits at the shipped confidence. unspin+table: the table style's table given"
  echo "as --lexicon. \`unspin-eval eval genres --docs ${genre_docs[*]}\`."
  echo
  echo "$genre_md"
  echo "$genre_table_md"
  echo
  echo "## Learning a site's spinner (unspin-eval eval sites, bench/learn_scale.sh)"
  echo
  echo "One simulated content-farm site: eval-part pages spun by one \`table\`-style table at intensity 1"
  echo "(half 1 of its groups; the learner's weights were fitted on build-part sites spun by half 0),"
  echo "learned by \`unspin learn\`'s site learner (docs/ARCHITECTURE.md); held-out pages restored with the"
  echo "learned table, the learning pages as \`restore --same-source\` restores them (each with the table of"
  echo "the other folds' pages); \"each alone\": the same pages restored one by one without it."
  echo "\`unspin-eval ${sites_args[*]//$tmp\//}\`."
  [[ $quick -eq 0 ]] && echo "Figure: [the learning curves](sites.svg)."
  echo
  echo "$sites_md"
  echo
  echo "\`unspin learn --jsonl\` on the site's pages (all cores):"
  echo
  echo "$learn_md"
  grep 'floor' "$tmp/sites.err" | sed 's/^/    /' || true
  echo
  echo "\`unspin learn --archive --jsonl\` (tables aligned with an archive of originals, bench/learn_archive_scale.sh):"
  echo
  echo "$learn_archive_md"
  echo
  echo "## The document detector (unspin-eval eval detect)"
  echo
  echo "Eval part of every genre (harness/eval/corpus.h kFitSources), clean and spun excerpts; the \`table\` style spun by"
  echo "the half of its groups the fit never saw. Scores are P(spun | text) at base rate 0.1; F1 on a 1:1 mix at the"
  echo "default verdict (0.5). \`unspin-eval ${detect_args[*]}\`."
  echo
  echo "$detect_md"
  echo
  echo "## Tortured phrases: listed and unlisted, clean false hits (unspin-eval eval tortured)"
  echo
  echo "\`unspin-eval eval tortured --phrases 1500 --clean-docs 150\` (docs/EVALUATION.md, \"Tortured phrases\")."
  echo
  echo "$tortured_md"
  echo
  echo "$listed_bench_md"
  echo
  echo "## Crawl scale on Dask (bench/dask_scale.sh, docs/SCALE.md)"
  echo
  echo "$dask_md"
  echo
  echo "## Component benchmarks (Google Benchmark)"
  echo "$bench_md"
  if [[ $check -eq 1 ]]; then
    echo
    echo "## Floors (bench/floors.json)"
    echo
    echo '```'
    grep 'floor' "$tmp/eval.err" || true
    grep 'floor' "$tmp/tortured.err" || true
    echo '```'
  fi
  # Hand-written sections (design notes, measurements of one-off runs) that
  # follow the marker in the file being replaced are kept.
  marker='<!-- bench/run.sh keeps everything below this line when it regenerates this file -->'
  if [[ -f "$out" ]] && grep -qF "$marker" "$out"; then
    echo
    awk -v m="$marker" 'found || $0 == m { found = 1; print }' "$out"
  fi
} > "$out.new"
mv "$out.new" "$out"
echo "bench/run.sh: wrote $out" >&2
exit "$status"
