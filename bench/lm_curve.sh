#!/usr/bin/env bash
# How far a better LM goes (issue 33 item 3): LMs built with `unspin lm
# build` from half A of the harness's build part (the documents whose SHA-1
# of the id is even; half B is kept for fitting bundles, so no LM here has
# seen a fit document), from a 1M-word subset of it, and from A plus Debian
# prose (linux-doc's reStructuredText and perl-doc's POD, prose paragraphs
# only: bench/lm_curve/prose_paragraphs.py), orders 3 and 5; each one's
# perplexity and OOV rate on held-out news (the eval part of brown-press and
# sotu) and, with --oracle, the spans-marked oracle's recall and best recall
# at precision >= 0.95 with the table given (news genres; table and
# symmetric engines). Prints a markdown table.
#
#   bench/lm_curve.sh [--oracle] [--build-dir DIR] [--work DIR]
#
# The Debian prose rows need the packages linux-doc and perl-doc (not
# installed by setup.sh: `apt-get install linux-doc perl-doc`); without them
# those rows are left out. Never debian-handbook (held out).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
build_dir="${UNSPIN_BUILD_DIR:-$repo/build}"
oracle=0
work=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --oracle) oracle=1 ;;
    --build-dir) build_dir="$2"; shift ;;
    --work) work="$2"; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/lm_curve.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
unspin="$build_dir/bin/unspin"
unspin_eval="$build_dir/bin/unspin-eval"
for b in "$unspin" "$unspin_eval"; do
  [[ -x "$b" ]] || { echo "bench/lm_curve.sh: no $b; build it first" >&2; exit 3; }
done
if [[ -z "$work" ]]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"
models="${UNSPIN_MODELS:-$repo/models}"

sources=(brown-a-reportage brown-b-editorial brown-c-reviews brown-d-religion brown-e-hobbies brown-f-lore
         brown-g-belles-lettres brown-h-government brown-j-learned brown-k-fiction brown-l-mystery
         brown-m-science-fiction brown-n-adventure brown-p-romance brown-r-humor sotu moby-dick mail
         debian-reference developers-reference debian-policy maint-guide debian-faq manpages python-doc
         wordnet-glosses nlp-corpus)
echo "bench/lm_curve.sh: exporting the corpora" >&2
rm -rf "$work/build" "$work/evalnews"
"$unspin_eval" eval corpus --part build --out "$work/build" --sources "${sources[@]}" >/dev/null
"$unspin_eval" eval corpus --part eval --out "$work/evalnews" --sources brown-press sotu >/dev/null
cat "$work"/evalnews/*.txt >"$work/heldout-news.txt"

python3 - "$work" <<'PY'
import hashlib, random, sys
work = sys.argv[1]
rows = [l.rstrip("\n").split("\t") for l in open(f"{work}/build/manifest.tsv") if not l.startswith("#")]
half_a = [r for r in rows if int(hashlib.sha1(r[0].encode()).hexdigest()[:8], 16) % 2 == 0]
random.Random(1).shuffle(half_a)
def write(name, limit):
    n = 0
    with open(f"{work}/{name}", "w") as out:
        for r in half_a:
            if limit and n >= limit:
                break
            out.write(open(f"{work}/build/{r[4]}").read() + "\n\n")
            n += int(r[3])
write("lm-1m.txt", 1_000_000)
write("lm-a.txt", 0)
PY
texts=(1m a)
if [[ -d /usr/share/doc/linux-doc/Documentation && -d /usr/share/perl/5.36/pod ]]; then
  python3 "$here/lm_curve/prose_paragraphs.py" "$work/debian-prose.txt" /usr/share/doc/linux-doc/Documentation \
    /usr/share/perl/5.36/pod >&2
  cat "$work/lm-a.txt" "$work/debian-prose.txt" >"$work/lm-all.txt"
  texts+=(all)
else
  echo "bench/lm_curve.sh: linux-doc or perl-doc not installed: no 'A + Debian prose' rows" >&2
fi

oracle_cells() {  # models folder -> "table R / best; symmetric R / best"
  local m="$1" out=""
  for style in table symmetric; do
    UNSPIN_EVAL_DUMP="$work/oracle.dump" "$unspin_eval" eval --part eval --models "$m" --systems oracle+table \
      --styles "$style" --rates 0.3 1 --lengths 300 --docs 30 --sources brown-press sotu nlp-corpus \
      --json "$work/oracle.json" --markdown "$work/oracle.md" >/dev/null 2>&1
    out+="$(python3 - "$work/oracle.dump" <<'PY'
import json, sys
edits, gold = [], 0
for line in open(sys.argv[1]):
    d = json.loads(line)
    if d["system"] != "oracle+table":
        continue
    gold += len(d.get("gold") or [])
    edits += [(e["conf"], e["ok"] == 1) for e in d.get("edits") or [] if e["ok"] >= 0]
edits.sort(key=lambda x: -x[0])
right, best = 0, 0.0
for i, (_, ok) in enumerate(edits):
    right += ok
    if right / (i + 1) >= 0.95:
        best = max(best, right / gold)
print(f"{sum(ok for _, ok in edits) / gold:.3f} / {best:.3f}", end="")
PY
) | "
  done
  echo "${out% | }"
}

row() {  # name words order model
  local ppl
  ppl="$("$unspin" lm perplexity --json "$4" "$work/heldout-news.txt" |
    python3 -c 'import json,sys; j=json.load(sys.stdin); print("%.1f | %.2f%%" % (j["perplexity"], 100*j["oov_rate"]))')"
  local cells="| | |"
  if [[ $oracle -eq 1 ]]; then
    mkdir -p "$work/m"
    ln -sf "$(realpath "$4")" "$work/m/en-us.ulm"
    ln -sf "$(realpath "$models/default.ulex")" "$work/m/default.ulex"
    cells="| $(oracle_cells "$work/m") |"
  fi
  echo "| $1 | $2 | $3 | $ppl $cells"
}

echo "| LM | words | order | held-out news perplexity | OOV | oracle table: R / best R at P>=0.95 | oracle symmetric: R / best R at P>=0.95 |"
echo "|---|---|---|---|---|---|---|"
row "default (CMU Sphinx en-us)" "?" 3 "$models/en-us.ulm"
for t in "${texts[@]}"; do
  words="$(wc -w <"$work/lm-$t.txt")"
  for order in 3 5; do
    "$unspin" lm build --order "$order" -o "$work/lm-$t-o$order.ulm" "$work/lm-$t.txt" >/dev/null 2>&1
    row "$t" "$words" "$order" "$work/lm-$t-o$order.ulm"
    rm -f "$work/lm-$t-o$order.ulm"
  done
done
