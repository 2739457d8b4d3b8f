#!/usr/bin/env bash
# Writes what unspin answers on a fixed set of inputs into one folder, so that
# a change meant to change no result (a restructuring, a speed-up) can be
# checked byte for byte: run it before and after, then `diff -r BEFORE AFTER`.
#
#   bench/same_results.sh [--build-dir DIR] [--models DIR] [--eval] OUT_DIR
#
# Inputs: the README's examples, the end-to-end tests' inputs, 24 excerpts of
# the eval part (clean, and spun in four styles by the harness's simulator) as
# one JSON-lines stream, and a simulated site of 40 pages (its originals in an
# archive). Outputs: check (human, --json, --jsonl with and without the
# screen, --papers), restore (plain, --jsonl, with the spinner's table),
# learn, restore --same-source, learn --archive, check/restore --archive, and
# the Python Engine's answers. --eval adds `eval --quick --json` with the
# timing fields removed (about 10 minutes on 2 cores). Model paths in the
# outputs are replaced by their base names, so two builds with different
# model folders compare equal.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
build_dir="${UNSPIN_BUILD_DIR:-$repo/build}"
models=""
with_eval=0
out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) build_dir="$2"; shift ;;
    --models) models="$2"; shift ;;
    --eval) with_eval=1 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "same_results.sh: unknown option $1" >&2; exit 2 ;;
    *) out="$1" ;;
  esac
  shift
done
[[ -n "$out" ]] || { echo "same_results.sh: give an output folder (see --help)" >&2; exit 2; }
mkdir -p "$out"
out="$(cd "$out" && pwd)"

unspin="$build_dir/bin/unspin"
# The harness's commands (spin, eval): their own binary when it exists.
harness="$build_dir/bin/unspin-eval"
[[ -x "$harness" ]] || harness="$unspin"
model_args=()
[[ -n "$models" ]] && model_args=(--models "$models")
export NO_COLOR=1

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Model paths differ between model folders, and temporary paths between runs.
normalize() { sed -E 's#"path":"[^"]*/([^/"]+)"#"path":"\1"#g; s#"path": "[^"]*/([^/"]+)"#"path": "\1"#g'; }
run() {  # run NAME CMD...: stdout (normalized) and the exit status into $out/NAME
  local name="$1"; shift
  set +e
  "$@" >"$tmp/stdout" 2>"$tmp/stderr"
  local rc=$?
  set -e
  normalize <"$tmp/stdout" | sed "s#$tmp#TMP#g" >"$out/$name"
  echo "exit $rc" >>"$out/$name"
}

# 1. Single documents: the README's examples and the e2e inputs.
for f in "$repo"/examples/*.txt; do
  n="$(basename "$f" .txt)"
  run "check-$n.txt" "$unspin" check "${model_args[@]}" "$f"
  run "check-$n.json" "$unspin" check --json "${model_args[@]}" "$f"
  run "check-papers-$n.json" "$unspin" check --json --papers "${model_args[@]}" "$f"
  run "check-noscreen-$n.json" "$unspin" check --json --no-screen --min-confidence 0.05 "${model_args[@]}" "$f"
  run "restore-$n.txt" "$unspin" restore "${model_args[@]}" "$f"
  run "restore-table-$n.txt" "$unspin" restore --lexicon "$repo/examples/spinner-table.txt" "${model_args[@]}" "$f"
  run "check-table-$n.json" "$unspin" check --json --lexicon "$repo/examples/spinner-table.txt" "${model_args[@]}" "$f"
done
run "check-all-examples.json" "$unspin" check --json "${model_args[@]}" "$repo"/examples/*.txt

# 2. A JSON-lines stream of eval-part excerpts, clean and spun.
"$harness" eval corpus --part eval --out "$tmp/docs" >/dev/null
mapfile -t docs < <(ls "$tmp/docs"/*.txt | sort | awk 'NR % 40 == 1' | head -24)
: >"$tmp/stream.jsonl"
i=0
for d in "${docs[@]}"; do
  i=$((i + 1))
  python3 -c 'import json,sys; print(json.dumps({"id": sys.argv[1], "text": open(sys.argv[2]).read()}))' \
    "clean-$i" "$d" >>"$tmp/stream.jsonl"
  for style in "table 1" "table 0.3" "thesaurus 0.3" "phrase 0.6" "tortured 0.3"; do
    set -- $style
    "$harness" spin --style "$1" --rate "$2" --seed "$i" "$d" >"$tmp/spun.txt" 2>/dev/null
    python3 -c 'import json,sys; print(json.dumps({"id": sys.argv[1], "text": open(sys.argv[2]).read()}))' \
      "$1-$2-$i" "$tmp/spun.txt" >>"$tmp/stream.jsonl"
  done
done
cp "$tmp/stream.jsonl" "$out/input-stream.jsonl"
run "check-stream.jsonl" "$unspin" check --jsonl --threads 2 "${model_args[@]}" "$tmp/stream.jsonl"
run "check-stream-1thread.jsonl" "$unspin" check --jsonl --threads 1 "${model_args[@]}" "$tmp/stream.jsonl"
run "check-stream-noscreen.jsonl" "$unspin" check --jsonl --no-screen "${model_args[@]}" "$tmp/stream.jsonl"
run "check-stream-papers.jsonl" "$unspin" check --jsonl --papers "${model_args[@]}" "$tmp/stream.jsonl"
run "restore-stream.jsonl" "$unspin" restore --jsonl "${model_args[@]}" "$tmp/stream.jsonl"
run "restore-stream-table.jsonl" "$unspin" restore --jsonl --lexicon "$repo/examples/spinner-table.txt" \
  "${model_args[@]}" "$tmp/stream.jsonl"
# A long document: windows, and paragraphs cut by a window boundary.
cat "${docs[@]}" "${docs[@]}" >"$tmp/long.txt"
run "check-long.json" "$unspin" check --json --no-screen "${model_args[@]}" "$tmp/long.txt"
"$harness" spin --style table --rate 1 --seed 3 "$tmp/long.txt" >"$tmp/long-spun.txt" 2>/dev/null
run "check-long-spun.json" "$unspin" check --json "${model_args[@]}" "$tmp/long-spun.txt"

# 3. A simulated site: 40 pages spun with one table, their originals archived.
mapfile -t site < <(ls "$tmp/docs"/*.txt | sort | awk 'NR % 17 == 3' | head -40)
mkdir -p "$tmp/site" "$tmp/originals"
for d in "${site[@]}"; do
  n="$(basename "$d")"
  cp "$d" "$tmp/originals/$n"
  "$harness" spin --style table --rate 1 --seed 7 "$d" >"$tmp/site/$n" 2>/dev/null
done
run "learn-site.tsv" "$unspin" learn --site farm.example "${model_args[@]}" "$tmp"/site/*.txt
run "restore-same-source.txt" "$unspin" restore --same-source "${model_args[@]}" "$tmp"/site/*.txt
run "check-same-source.json" "$unspin" check --json --same-source "${model_args[@]}" "$tmp"/site/*.txt
"$unspin" archive add --archive "$tmp/archive.db" "$tmp"/originals/*.txt >/dev/null 2>&1
run "learn-archive.tsv" "$unspin" learn --archive "$tmp/archive.db" "${model_args[@]}" "$tmp"/site/*.txt
run "check-archive.json" "$unspin" check --json --archive "$tmp/archive.db" "${model_args[@]}" \
  "$tmp/site/$(basename "${site[0]}")" "$repo/examples/spun-news.txt"
run "restore-archive.txt" "$unspin" restore --archive "$tmp/archive.db" "${model_args[@]}" \
  "$tmp/site/$(basename "${site[0]}")" "$repo/examples/spun-news.txt"
head -5 "$tmp/stream.jsonl" >"$tmp/short.jsonl"
run "check-archive.jsonl" "$unspin" check --jsonl --archive "$tmp/archive.db" "${model_args[@]}" "$tmp/short.jsonl"

# 4. The Python Engine (when the module is built).
if [[ -d "$build_dir/python" ]]; then
  run "python.json" env PYTHONPATH="$build_dir/python" python3 - "$tmp/stream.jsonl" "$repo" "$models" <<'EOF'
import json, sys
import unspin
lines = open(sys.argv[1]).read().splitlines()[:12]
kw = {"models": sys.argv[3]} if sys.argv[3] else {}
e = unspin.Engine(**kw)
texts = [json.loads(l)["text"] for l in lines]
out = {"check": [e.check(t) for t in texts[:4]],
       "restore": [e.restore(t) for t in texts[:4]],
       "check_many": e.check_many(texts, threads=2),
       "answer_jsonl": e.answer_jsonl(lines, list(range(1, len(lines) + 1))),
       "answer_jsonl_restore": e.answer_jsonl(lines, list(range(1, len(lines) + 1)), restore=True),
       "same_source": e.answer_jsonl(lines, list(range(1, len(lines) + 1)), same_source=True)}
print(json.dumps(out, sort_keys=True, indent=1))
EOF
fi

# 5. The quick evaluation, timings removed.
if [[ $with_eval -eq 1 ]]; then
  "$harness" eval --quick "${model_args[@]}" --json "$tmp/eval.json" --markdown "$tmp/eval.md" >/dev/null 2>&1 || true
  python3 - "$tmp/eval.json" >"$out/eval-quick.json" <<'EOF'
import json, sys
def strip(x):
    if isinstance(x, dict):
        return {k: strip(v) for k, v in x.items()
                if not any(t in k.lower() for t in ("second", "time", "speed", "mb_per", "per_s", "wall", "rss"))}
    if isinstance(x, list):
        return [strip(v) for v in x]
    return x
print(json.dumps(strip(json.load(open(sys.argv[1]))), sort_keys=True, indent=1))
EOF
fi
echo "same_results.sh: $(ls "$out" | wc -l) files in $out" >&2
