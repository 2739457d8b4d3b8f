#!/usr/bin/env bash
# Restoration with the spinner's table given (issue 32): each engine of the
# table family (`table`, the plugin engine; `symmetric`, the article
# rewriter) x genre (news-like; technical), on eval-part excerpts of ~300
# words spun at intensity 0.3 and 1, with clean excerpts. Systems:
# unspin+table (the decoder given the table as --lexicon), oracle+table
# (the spans marked, the LM's pick among the table's candidates),
# unspin+aligned (the table `learn --archive` learns from 200 other pages of
# the farm, spun at intensity 1, their originals archived) and
# unspin+table-seen (the true table cut to the pairs those 200 pages
# applied). Prints a markdown table: recall and precision at the default
# (0.5) and at 0.9, the best recall at precision >= 0.95 along the curve,
# the oracle's recall (its pick at every marked span) and its best recall at
# precision >= 0.95 (its confidence: the LM's posterior of the pick among the
# candidates), the ratio to the oracle's recall, false edits on clean text, the largest
# gap of the edits' reliability in bins of width 0.1 holding >= 100 edits,
# and the learned tables' recall / precision.
#
#   bench/table_given.sh [--quick] [--build-dir DIR] [--models DIR] [--part eval|build]
#
# --quick: 10 excerpts per cell instead of 30. --part build is for
# development (the part every fitted parameter comes from).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
build_dir="${UNSPIN_BUILD_DIR:-$repo/build}"
models=""
docs=30
part=eval
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) docs=10 ;;
    --build-dir) build_dir="$2"; shift ;;
    --models) models="$2"; shift ;;
    --part) part="$2"; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/table_given.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

unspin_eval="$build_dir/bin/unspin-eval"
[[ -x "$unspin_eval" ]] || { echo "bench/table_given.sh: no $unspin_eval; build it first" >&2; exit 3; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

news=(brown-press sotu nlp-corpus)
# Debian's documentation (never debian-handbook: a held-out genre), manual pages, Python's.
technical=(debian-reference developers-reference debian-policy maint-guide debian-faq manpages python-doc)

for engine in table symmetric; do
  for genre in news technical; do
    if [[ $genre == news ]]; then sources=("${news[@]}"); else sources=("${technical[@]}"); fi
    args=(eval --part "$part" --systems unspin+table oracle+table unspin+aligned unspin+table-seen --styles "$engine" --rates 0.3 1 --lengths 300
          --docs "$docs" --sources "${sources[@]}" --json "$tmp/$engine-$genre.json" --markdown "$tmp/$engine-$genre.md")
    [[ -n "$models" ]] && args+=(--models "$models")
    echo "bench/table_given.sh: $engine x $genre" >&2
    UNSPIN_EVAL_DUMP="$tmp/$engine-$genre.dump" "$unspin_eval" "${args[@]}" 2>"$tmp/$engine-$genre.err" \
      || { echo "bench/table_given.sh: unspin-eval failed: $(tail -3 "$tmp/$engine-$genre.err")" >&2; exit 1; }
  done
done

python3 - "$tmp" <<'EOF'
import json, sys, collections
tmp = sys.argv[1]
print("| engine | genre | gold | recall | precision | recall @0.9 | precision @0.9 | best recall at precision >= 0.95 "
      "| oracle recall | oracle best recall at precision >= 0.95 | recall / oracle | clean false edits /1k | reliability max gap (bins >= 100) "
      "| aligned (200 copies) recall / precision | true table cut to their pairs |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for engine in ("table", "symmetric"):
    for genre in ("news", "technical"):
        j = json.load(open(f"{tmp}/{engine}-{genre}.json"))
        s = j["summary"]
        curve = {(c["style"], c["threshold"]): c for c in j["curves"]["unspin+table"]}
        at9 = curve.get((engine, 0.9), {})
        # From the dump: every edit a system proposed, with its confidence.
        gold, edits, bins = collections.Counter(), collections.defaultdict(list), collections.defaultdict(lambda: [0, 0.0, 0])
        for line in open(f"{tmp}/{engine}-{genre}.dump"):
            d = json.loads(line)
            system = d["system"]
            gold[system] += len(d.get("gold") or [])
            for e in d.get("edits") or []:
                if e["ok"] < 0:
                    continue
                edits[system].append((e["conf"], e["ok"] == 1))
                if system == "unspin+table":
                    b = bins[min(int(e["conf"] * 10), 9)]
                    b[0] += 1; b[1] += e["conf"]; b[2] += e["ok"]
        def best_recall(system, floor=0.95):
            """The largest recall along the confidence ranking with precision >= floor."""
            ranked = sorted(edits[system], key=lambda x: -x[0])
            best, right = 0.0, 0
            for i, (_, ok) in enumerate(ranked):
                right += ok
                if right / (i + 1) >= floor:
                    best = max(best, right / max(gold[system], 1))
            return best
        best, oracle_best = best_recall("unspin+table"), best_recall("oracle+table")
        # The oracle's recall: its pick at every marked span, whatever its confidence.
        oracle = sum(ok for _, ok in edits["oracle+table"]) / max(gold["oracle+table"], 1)
        gaps = [abs(b[1] / b[0] - b[2] / b[0]) for b in bins.values() if b[0] >= 100]
        recall = s["unspin+table/overall/recall"]
        print(f"| {engine} | {genre} | {gold['unspin+table']} | {recall:.3f} | {s['unspin+table/overall/precision']:.3f} "
              f"| {at9.get('recall', 0):.3f} | {at9.get('precision', 0):.3f} | {best:.3f} | {oracle:.3f} | {oracle_best:.3f} "
              f"| {recall / oracle if oracle else 0:.2f} | {s['unspin+table/clean/false_per_1k_tokens']:.2f} "
              f"| {max(gaps) if gaps else float('nan'):.3f} "
              f"| {s['unspin+aligned/overall/recall']:.3f} / {s['unspin+aligned/overall/precision']:.3f} "
              f"| {s['unspin+table-seen/overall/recall']:.3f} / {s['unspin+table-seen/overall/precision']:.3f} |")
EOF
