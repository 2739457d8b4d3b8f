#!/usr/bin/env bash
# End-to-end checks of `unspin restore` and `unspin check` on real text with
# the compiled default models:
#   restore_check_e2e.sh UNSPIN MODELS_DIR SOURCE_DIR CASE
# Skips (exit 77) when the models have not been compiled yet.
set -u
UNSPIN=$1 MODELS=$2 SRC=$3 CASE=$4
[ -f "$MODELS/en-us.ulm" ] && [ -f "$MODELS/default.ulex" ] || { echo "models not built: skip"; exit 77; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/unspin-rc.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL [$CASE]: $*" >&2; exit 1; }
u() { "$UNSPIN" "$@" --models "$MODELS"; }

case $CASE in
  clean_unchanged)
    # A human-written document comes back byte for byte.
    u restore "$SRC/examples/clean-news.txt" >"$TMP/out" || fail "exit $?"
    cmp -s "$TMP/out" "$SRC/examples/clean-news.txt" || fail "clean text was changed: $(diff "$TMP/out" "$SRC/examples/clean-news.txt")"
    u check --json "$SRC/examples/clean-news.txt" >"$TMP/json" || fail "exit $?"
    grep -q '"verdict": "clean"' "$TMP/json" || fail "clean text not judged clean: $(head -c 400 "$TMP/json")"
    ;;
  spun_restored)
    # The bundled spun example, with its spinner's table given: edits in the
    # documented shape; everything outside them is untouched.
    u check --json --lexicon "$SRC/examples/spinner-table.txt" "$SRC/examples/spun-news.txt" >"$TMP/json" || fail "exit $?"
    for field in '"offset_unit": "codepoint"' '"verdict"' '"reasons"' '"paragraphs"' '"provenance"' \
                 '"rule"' '"replacements"' '"UNSPIN_TABLE"'; do
      grep -q "$field" "$TMP/json" || fail "no $field in $(cat "$TMP/json")"
    done
    u restore --lexicon "$SRC/examples/spinner-table.txt" "$SRC/examples/spun-news.txt" >"$TMP/out" || fail "exit $?"
    cmp -s "$TMP/out" "$SRC/examples/spun-news.txt" && fail "nothing restored"
    [ "$(wc -l <"$TMP/out")" = "$(wc -l <"$SRC/examples/spun-news.txt")" ] || fail "line count changed"
    # Outside the edits nothing changes: the restored text keeps every word
    # the spinner never touches ("reporters", "Tuesday", the quotes).
    grep -q 'reporters on Tuesday' "$TMP/out" || fail "untouched words changed: $(cat "$TMP/out")"
    grep -q '^"We are working' "$TMP/out" || fail "quote layout changed: $(cat "$TMP/out")"
    ;;
  table_engine)
    # --table-engine rewriter reads a group table both ways: "dog|zebra" also
    # proposes "zebra" for a written "dog" (the article rewriter's move; no
    # other lexicon knows the pair), which the plugin reading never does; the
    # provenance says how the table was read.
    printf 'dog|zebra\n' >"$TMP/table.txt"
    printf 'The big dog slept by the big red door of the big barn.\n' >"$TMP/in"
    for engine in plugin rewriter; do
      u check --json --no-screen --min-confidence 0 --review-threshold 0 --lexicon "$TMP/table.txt" \
        --table-engine $engine "$TMP/in" >"$TMP/$engine.json" || fail "exit $?"
    done
    python3 - "$TMP/plugin.json" "$TMP/rewriter.json" <<'PY' || fail "table engine not applied"
import json, sys
plugin, rewriter = (json.load(open(p)) for p in sys.argv[1:3])
def table_proposals(d):
    return [(r["original"].lower(), r["spun"].lower()) for r in d["review"] if r.get("rule") == "UNSPIN_TABLE"]
assert table_proposals(rewriter) == [("zebra", "dog")], table_proposals(rewriter)
assert table_proposals(plugin) == [], table_proposals(plugin)
assert "user_lexicon_symmetric" in {m["role"] for m in rewriter["provenance"]["models"]}
assert "user_lexicon" in {m["role"] for m in plugin["provenance"]["models"]}
PY
    u check --table-engine sideways "$TMP/in" >/dev/null 2>"$TMP/err"
    [ $? -eq 2 ] || fail "an unknown engine is not a usage error"
    grep -q 'plugin,rewriter' "$TMP/err" || fail "the error does not name the engines: $(cat "$TMP/err")"
    ;;
  mixed_language)
    # Non-English text, emoji and CRLF pass through untouched.
    printf 'Der Präsident sagte: „Wir arbeiten.“\r\n東京で会議が開かれた。 😀\r\nΗ κυβέρνηση ανακοίνωσε μέτρα.\r\n' >"$TMP/in"
    u restore "$TMP/in" >"$TMP/out" || fail "exit $?"
    cmp -s "$TMP/in" "$TMP/out" || fail "mixed-language text changed"
    ;;
  very_short)
    printf 'Hi' >"$TMP/in"
    u restore "$TMP/in" >"$TMP/out" || fail "exit $?"
    cmp -s "$TMP/in" "$TMP/out" || fail "one-word text changed"
    u check --json "$TMP/in" | grep -q '"score"' || fail "no score for a one-word text"
    ;;
  very_long)
    # 500 copies of the clean example (about 400 KB) in one document.
    for _ in $(seq 500); do cat "$SRC/examples/clean-news.txt"; done >"$TMP/in"
    u check --json "$TMP/in" >"$TMP/json" || fail "exit $?"
    grep -q '"score"' "$TMP/json" || fail "no score"
    ;;
  jsonl)
    printf '{"id": 1, "text": "The firm stated that costs rose."}\n{"id": "b", "text": "Plain words."}\nnot json\n' >"$TMP/in"
    u check --jsonl "$TMP/in" >"$TMP/out" 2>"$TMP/err"; rc=$?
    [ "$rc" = 2 ] || fail "malformed line should give exit 2, got $rc"
    [ "$(wc -l <"$TMP/out")" = 3 ] || fail "expected one output line per input line"
    head -1 "$TMP/out" | grep -q '"id":1' || fail "id not echoed"
    sed -n 3p "$TMP/out" | grep -q '"error"' || fail "malformed line has no error object"
    grep -q ':3:' "$TMP/err" || fail "stderr does not name line 3"
    ;;
  same_source)
    u restore --same-source "$SRC/examples/spun-news.txt" "$SRC/examples/clean-news.txt" >"$TMP/out" || fail "exit $?"
    [ "$(grep -c '^==> ' "$TMP/out")" = 2 ] || fail "expected two headed documents"
    ;;
  jsonl_contract)
    # docs/SCHEMA.md §6: a blank line answers with an error object on its own
    # line; --json with --jsonl is a usage error; restore --jsonl gives edits.
    printf '{"id": 1, "url": "http://x", "text": "The firm stated that costs rose."}\n\n{"id": 2, "text": "Plain words."}\n' >"$TMP/in"
    u check --jsonl "$TMP/in" >"$TMP/out" 2>/dev/null
    [ "$(wc -l <"$TMP/out")" = 3 ] || fail "expected 3 output lines"
    sed -n 2p "$TMP/out" | grep -q '"line":2' || fail "blank line not answered as line 2"
    sed -n 2p "$TMP/out" | grep -q '"exit_code":2' || fail "blank line error lacks exit_code"
    head -1 "$TMP/out" | grep -q '"url":"http://x"' || fail "url not echoed"
    u check --json --jsonl "$TMP/in" >/dev/null 2>&1; [ $? = 2 ] || fail "--json with --jsonl should exit 2"
    u check --same-source --jsonl "$TMP/in" >/dev/null 2>&1; [ $? = 2 ] || fail "--same-source with --jsonl should exit 2"
    u restore --same-source --jsonl "$TMP/in" >/dev/null 2>&1; [ $? = 2 ] || fail "restore --same-source with --jsonl should exit 2"
    u restore --jsonl --lexicon "$SRC/examples/spinner-table.txt" "$TMP/in" >"$TMP/out" 2>/dev/null
    head -1 "$TMP/out" | grep -q '"restored":"The company said' || fail "restore --jsonl: $(head -1 "$TMP/out")"
    head -1 "$TMP/out" | grep -q '"edits":\[{' || fail "restore --jsonl has no edits"
    ;;
  threads_identical)
    # --threads N gives byte-identical output, in input order, to one thread:
    # --jsonl (with error lines among the documents), several files (restore,
    # check, check --json), with the spinner's table so that edits are made.
    T="--lexicon $SRC/examples/spinner-table.txt"
    : >"$TMP/in.jsonl"
    for i in $(seq 40); do
      case $((i % 5)) in
        0) echo "{\"id\": $i, \"text\": $(python3 -c 'import json,sys; print(json.dumps(open(sys.argv[1]).read()))' "$SRC/examples/spun-news.txt")}" ;;
        1) echo "{\"id\": $i, \"url\": \"http://e/$i\", \"text\": $(python3 -c 'import json,sys; print(json.dumps(open(sys.argv[1]).read()))' "$SRC/examples/clean-news.txt")}" ;;
        2) echo "{\"id\": $i, \"html\": \"<p>The firm stated that costs rose $i times.</p>\"}" ;;
        3) echo "not json $i" ;;
        4) echo "" ;;
      esac
    done >>"$TMP/in.jsonl"
    for cmd in check restore; do
      u $cmd --jsonl --threads 1 $T "$TMP/in.jsonl" >"$TMP/one" 2>"$TMP/err1"; rc1=$?
      u $cmd --jsonl --threads 3 $T "$TMP/in.jsonl" >"$TMP/three" 2>"$TMP/err3"; rc3=$?
      [ "$rc1" = 2 ] && [ "$rc3" = 2 ] || fail "$cmd --jsonl exit $rc1 / $rc3, expected 2 (malformed lines)"
      [ "$(wc -l <"$TMP/one")" = 40 ] || fail "$cmd --jsonl: $(wc -l <"$TMP/one") output lines for 40"
      cmp -s "$TMP/one" "$TMP/three" || fail "$cmd --jsonl --threads 3 differs from one thread"
      cmp -s "$TMP/err1" "$TMP/err3" || fail "$cmd --jsonl stderr differs"
      for n in $(seq 40); do
        sed -n "${n}p" "$TMP/one" | grep -q "\"line\":$n[,}]" || fail "$cmd output line $n does not answer input line $n"
      done
    done
    for i in 1 2 3 4 5 6; do cp "$SRC/examples/spun-news.txt" "$TMP/f$i.txt"; done
    printf 'caf\xc3' >"$TMP/f3.txt"  # invalid UTF-8 in the middle
    cp "$SRC/examples/clean-news.txt" "$TMP/f5.txt"
    for cmd in restore check "check --json"; do
      u $cmd --threads 1 $T "$TMP"/f?.txt >"$TMP/one" 2>"$TMP/err1"; rc1=$?
      u $cmd --threads 4 $T "$TMP"/f?.txt >"$TMP/four" 2>"$TMP/err4"; rc4=$?
      [ "$rc1" = 4 ] && [ "$rc4" = 4 ] || fail "$cmd files: exit $rc1 / $rc4, expected 4"
      cmp -s "$TMP/one" "$TMP/four" || fail "$cmd --threads 4 over files differs from one thread"
      cmp -s "$TMP/err1" "$TMP/err4" || fail "$cmd files stderr differs"
    done
    ;;
  html)
    # --html: the visible text is checked; offsets point into it.
    printf '<!doctype html><html><head><title>x</title><style>p{}</style></head><body><script>var govt = 1;</script><h1>News</h1><p>The firm&#8217;s chief govt instructed reporters on Tuesday.</p></body></html>' >"$TMP/a.html"
    u restore --html --lexicon "$SRC/examples/spinner-table.txt" "$TMP/a.html" >"$TMP/out" || fail "exit $?"
    printf 'News\n\nThe firm\xe2\x80\x99s chief executive told reporters on Tuesday.\n' >"$TMP/want"
    cmp -s "$TMP/out" "$TMP/want" || fail "restore --html: $(cat "$TMP/out")"
    u check --html --json --lexicon "$SRC/examples/spinner-table.txt" - <"$TMP/a.html" >"$TMP/json" || fail "stdin exit $?"
    python3 - "$TMP/json" <<'PY' || fail "check --html offsets"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["text_extracted"] is True, j
text = "News\n\nThe firm\u2019s chief govt instructed reporters on Tuesday.\n"
spans = {text[m["offset"]:m["offset"] + m["length"]] for m in j["matches"]}
assert "govt" in spans and "instructed" in spans, (spans, j["matches"])
PY
    printf '<script>only()</script>' >"$TMP/empty.html"
    u check --html "$TMP/empty.html" >/dev/null 2>"$TMP/err"; [ $? = 7 ] || fail "HTML without visible text should exit 7"
    grep -q 'no visible text' "$TMP/err" || fail "message: $(cat "$TMP/err")"
    printf '{"id": "h", "text": "<p>The firm stated it.</p>"}\n' | u check --jsonl --html - | grep -q '"text_extracted":true' ||
      fail "--jsonl --html"
    ;;
  shapes)
    # Input shapes that used to be superlinear (issue 11): one line without
    # newline, no punctuation, one 100 KB "word", 100k short lines; each must
    # finish within a time and RSS budget, with offsets that stay right.
    python3 - "$TMP" "$SRC" <<'PY'
import random, re, sys
d, src = sys.argv[1], sys.argv[2]
rng = random.Random(7)
words = re.findall(r"[A-Za-z']+", open(src + "/examples/spun-news.txt").read() + open(src + "/examples/clean-news.txt").read())
def text(n, punct=True):
    out = []
    for i in range(n):
        out.append(rng.choice(words).lower())
        if punct and i % 17 == 16: out[-1] += "."
    return " ".join(out)
open(d + "/oneline.txt", "w").write(text(100000))
open(d + "/nopunct.txt", "w").write(text(100000, punct=False))
open(d + "/bigword.txt", "w").write("start " + "x" * 100000 + " end of the text.\n")
open(d + "/lines.txt", "w").write("".join(rng.choice(words) + "\n" for _ in range(100000)))
# One long document of paragraphs (decoded as windows of 3,000 words).
open(d + "/long.txt", "w").write("\n\n".join(text(150) for _ in range(3000)) + "\n")
PY
    # The release build's budgets: 60 s and 400 MiB resident, models included.
    # Under ASan (UNSPIN_SANITIZED) shadow memory and checks multiply both.
    max_secs=60 max_mib=400
    if [ -n "${UNSPIN_SANITIZED:-}" ]; then max_secs=240 max_mib=1600; fi
    for f in oneline nopunct bigword lines long; do
      /usr/bin/time -f "%e %M" -o "$TMP/time" "$UNSPIN" check --json --models "$MODELS" "$TMP/$f.txt" >"$TMP/$f.json" ||
        fail "$f: exit $?"
      read -r secs kb <"$TMP/time"
      echo "$f: $(stat -c %s "$TMP/$f.txt") bytes, $secs s, $((kb / 1024)) MiB"
      awk -v s="$secs" -v m="$max_secs" 'BEGIN{exit !(s < m)}' || fail "$f took $secs s"
      [ "$kb" -lt $((max_mib * 1024)) ] || fail "$f used $((kb / 1024)) MiB"
      python3 - "$TMP/$f.txt" "$TMP/$f.json" <<'PY' || fail "$f: offsets"
import json, sys
text = open(sys.argv[1]).read()
j = json.load(open(sys.argv[2]))
for m in j["matches"]:
    assert text[m["offset"]:m["offset"] + m["length"]] == m["spun"], m
b = text.encode()
for m in j["matches"]:
    assert b[m["byteOffset"]:m["byteOffset"] + m["byteLength"]].decode() == m["spun"], m
if sys.argv[1].endswith("long.txt"):
    # Every blank-line paragraph once, in order, at its offset; the score of windows.
    paras = [p for p in text.split("\n\n") if p.strip()]
    assert len(j["paragraphs"]) == len(paras), (len(j["paragraphs"]), len(paras))
    at = 0
    for p, r in zip(paras, j["paragraphs"]):
        at = text.index(p.strip(), at)
        assert (r["offset"], r["length"]) == (at, len(p.strip())), (r, at)
    assert any("windows of about" in r["message"] for r in j["reasons"]), j["reasons"]
PY
    done
    ;;
  verify_models)
    # A model with one flipped byte in its body loads (only headers and
    # section bounds are checked at load); --verify-models refuses it, exit 8.
    mkdir "$TMP/m" && cp "$MODELS/en-us.ulm" "$MODELS/default.ulex" "$TMP/m/"
    python3 -c "
f = open('$TMP/m/en-us.ulm', 'r+b'); f.seek(50000000); b = f.read(1); f.seek(50000000); f.write(bytes([b[0] ^ 0xFF]))"
    printf 'The firm stated that costs rose.\n' >"$TMP/in"
    "$UNSPIN" check --models "$MODELS" --verify-models "$TMP/in" >/dev/null || fail "sound models refused: exit $?"
    "$UNSPIN" check --models "$TMP/m" --verify-models "$TMP/in" >/dev/null 2>"$TMP/err"; rc=$?
    [ "$rc" = 8 ] || fail "flipped byte: exit $rc, expected 8"
    grep -q 'checksum mismatch' "$TMP/err" || fail "message: $(cat "$TMP/err")"
    ;;
  lexicon_warnings)
    # docs/LEXICON.md: malformed lines of a user lexicon are reported as
    # file:line: reason, in every text format.
    printf 'said\tstated\nno tab here\nfoo\tbar\t7\n' >"$TMP/t.tsv"
    printf 'said|stated\nlonely\nsaid|told|one two three four five six seven eight nine\n' >"$TMP/g.txt"
    printf '{said|stated} and {open\n{a|{b|c}}\n' >"$TMP/s.txt"
    printf 'The firm stated that costs rose.\n' >"$TMP/in"
    for f in t.tsv g.txt s.txt; do
      u check --lexicon "$TMP/$f" "$TMP/in" >/dev/null 2>"$TMP/err" || fail "$f: exit $?"
      [ "$(grep -c "warning: $TMP/$f:[0-9]*: " "$TMP/err")" = 2 ] || fail "$f: expected 2 file:line warnings: $(cat "$TMP/err")"
    done
    ;;
  jsonl_stream)
    # --jsonl streams: 200 MB piped (1 MB lines over --max-input-bytes, each
    # answered with a too_large error object without being held, between
    # real documents) in bounded memory, one answer per line, in order.
    python3 - <<'PY' | /usr/bin/time -f "%M" -o "$TMP/rss" "$UNSPIN" check --jsonl --threads 2 --max-input-bytes 64K --models "$MODELS" - >"$TMP/out" 2>"$TMP/err"
import json, sys
doc = json.dumps({"id": "d", "text": "The firm stated that costs rose sharply during the past months."}) + "\n"
big = json.dumps({"id": "big", "text": "word " * 200000}) + "\n"
for i in range(200):
    sys.stdout.write(doc + big)
PY
    rc=$?
    [ "$rc" = 6 ] || fail "exit $rc, expected 6 (too_large lines)"
    [ "$(wc -l <"$TMP/out")" = 400 ] || fail "$(wc -l <"$TMP/out") answers for 400 lines"
    [ "$(grep -c '"code":"too_large"' "$TMP/out")" = 200 ] || fail "too_large answers: $(grep -c too_large "$TMP/out")"
    sed -n 399p "$TMP/out" | grep -q '"line":399,' || fail "answer 399 out of order: $(sed -n 399p "$TMP/out" | head -c 200)"
    kb=$(tail -1 "$TMP/rss")
    [ "$kb" -lt $((400 * 1024)) ] || fail "200 MB stream used $((kb / 1024)) MiB"
    # On a terminal, stderr shows MB/s and (the input being a file) an ETA.
    if command -v script >/dev/null; then
      python3 -c "
import json
for i in range(300): print(json.dumps({'id': i, 'text': 'The firm stated that costs rose sharply during the past months, including a pointy enhance in the price of gasoline.'}))" >"$TMP/docs.jsonl"
      script -qec "$UNSPIN check --jsonl --threads 1 --models $MODELS $TMP/docs.jsonl >/dev/null" /dev/null >"$TMP/tty"
      grep -q 'MB/s' "$TMP/tty" || fail "no MB/s on the terminal: $(cat -v "$TMP/tty" | head -c 300)"
      grep -q 'ETA' "$TMP/tty" || fail "no ETA on the terminal"
    fi
    ;;
  tortured)
    # Listed tortured phrases (issue 21): UNSPIN_LISTED matches with the
    # list's term, counts, the list's provenance; built in, so the verdict
    # threshold stays the default one.
    u check --json "$SRC/examples/tortured-abstract.txt" >"$TMP/json" || fail "exit $?"
    python3 - "$TMP/json" <<'PY' || fail "listed contract: $(head -c 600 "$TMP/json")"
import json, sys
d = json.load(open(sys.argv[1]))
listed = [m for m in d["matches"] if m["rule"]["id"] == "UNSPIN_LISTED"]
assert len(listed) == 3, listed
assert {m["original"] for m in listed} == {"disease diagnosis", "data points"}, listed
assert all(m["rule"]["category"]["id"] == "TORTURED_PHRASE" for m in listed)
assert d["counts"]["listed"] == 3 and d["counts"]["matches"] == len(d["matches"]), d["counts"]
assert d["counts"]["review"] == len(d["review"]) and all(r["reason"] in ("listed", "edit", "candidate", "unusual") for r in d["review"])
roles = {m["role"]: m for m in d["provenance"]["models"]}
assert roles["listed_phrases"]["licence"] == "CC BY 4.0" and "Cabanac" in roles["listed_phrases"]["attribution"]
assert "user_lexicon" not in roles
PY
    u check --json "$SRC/examples/clean-news.txt" >"$TMP/clean" || fail "exit $?"
    grep -q '"listed": 0' "$TMP/clean" || fail "listed hits in clean news"
    [ "$(grep -m1 '"threshold"' "$TMP/json")" = "$(grep -m1 '"threshold"' "$TMP/clean")" ] || fail "the list changed the threshold"
    u restore "$SRC/examples/tortured-abstract.txt" >"$TMP/out" || fail "exit $?"
    grep -q 'studies disease diagnosis from' "$TMP/out" || fail "not restored: $(cat "$TMP/out")"
    grep -q 'collect data points from' "$TMP/out" || fail "not restored: $(cat "$TMP/out")"
    u check "$SRC/examples/tortured-abstract.txt" | grep -q '3 listed tortured phrases' || fail "human report lacks the screening line"
    # Unlisted suspects in a document the screen calls clean: only when
    # screening papers (--papers); a crawl scan keeps the screen's speed.
    printf 'In this study we train a profound neural organization on a large corpus of medical images. The results show that the proposed method improves the accuracy of the diagnosis in most of the cases we examined, and the errors it makes are easy to explain to the doctors who use it every day.\n' >"$TMP/paper"
    u check --json "$TMP/paper" >"$TMP/plain" || fail "exit $?"
    u check --papers --json "$TMP/paper" >"$TMP/papers" || fail "exit $?"
    python3 - "$TMP/plain" "$TMP/papers" <<'PY' || fail "--papers contract: $(head -c 600 "$TMP/papers")"
import json, sys
plain, papers = (json.load(open(p)) for p in sys.argv[1:3])
assert plain["stage"] == papers["stage"] == "screen" and plain["score"] == papers["score"]
assert plain["counts"]["unlisted"] == 0 and plain["review"] == []
spans = {r["spun"]: r for r in papers["review"]}
r = spans["profound neural organization"]
assert r["original"] == "deep neural network" and r["confidence"] >= 0.5 and not r["applied"], r
assert papers["counts"]["unlisted"] == len(papers["review"]) >= 1, papers["counts"]
PY
    ;;
  verdicts)
    printf 'The firm stated it.\n' >"$TMP/in"
    u check --json "$TMP/in" | grep -q '"verdict": "too short"' || fail "4 words should be too short"
    u check --json "$TMP/in" | grep -q '"score": null' || fail "too short should have a null score"
    printf 'Der Präsident sagte heute in Berlin, dass die Regierung neue Maßnahmen gegen die steigenden Preise plant und die Bürger entlasten will.\n' >"$TMP/in"
    u check --json "$TMP/in" | grep -q '"verdict": "not English"' || fail "German should be not English"
    u check --json "$SRC/src/decode/pipeline.cpp" | grep -q '"verdict": "not English"' || fail "source code should be not English"
    u check --json --min-confidence 0.01 "$SRC/examples/clean-news.txt" | grep '"score"' | head -1 >"$TMP/a"
    u check --json --min-confidence 0.9 "$SRC/examples/clean-news.txt" | grep '"score"' | head -1 >"$TMP/b"
    cmp -s "$TMP/a" "$TMP/b" || fail "the score depends on --min-confidence"
    ;;
  learn)
    # A learned table (docs/SCHEMA.md §9) is a lexicon unspin reads back.
    u learn --lexicon "$SRC/examples/spinner-table.txt" --min-prior 0 "$SRC/examples/spun-news.txt" >"$TMP/table.tsv" || fail "exit $?"
    head -1 "$TMP/table.tsv" | grep -qx '# unspin learned-table v1 pages=1' || fail "no learned-table header: $(head -1 "$TMP/table.tsv")"
    grep -qP '^said\tstated\t[01]\.\d{3}\t\d+$' "$TMP/table.tsv" || fail "said -> stated not learned: $(cat "$TMP/table.tsv")"
    u restore --lexicon "$TMP/table.tsv" "$SRC/examples/spun-news.txt" 2>"$TMP/err" >/dev/null || fail "learned table not readable"
    [ ! -s "$TMP/err" ] || fail "learned table gave warnings: $(cat "$TMP/err")"
    ;;
  learned_lexicon)
    # Passed as --lexicon, a learned table has its own provenance role and rule
    # id and keeps the default calibration (the threshold of the default model).
    printf '# unspin learned-table v1 pages=300 site=example.com\nsaid\tstated\t0.990\t40\n' >"$TMP/learned.tsv"
    u check --json --lexicon "$TMP/learned.tsv" "$SRC/examples/spun-news.txt" >"$TMP/json" || fail "exit $?"
    grep -q '"role": "learned_lexicon"' "$TMP/json" || fail "no learned_lexicon role: $(grep -A3 role "$TMP/json")"
    grep -q '"role": "user_lexicon"' "$TMP/json" && fail "a learned table is not a user table"
    grep -q '"id": "UNSPIN_LEARNED"' "$TMP/json" || fail "no UNSPIN_LEARNED edit"
    u check --json "$SRC/examples/spun-news.txt" | grep '"threshold"' | head -1 >"$TMP/t0"
    grep '"threshold"' "$TMP/json" | head -1 >"$TMP/t1"
    cmp -s "$TMP/t0" "$TMP/t1" || fail "a learned table changed the calibration: $(cat "$TMP/t0" "$TMP/t1")"
    # The same lines without the header are a user's table.
    tail -n +2 "$TMP/learned.tsv" | cut -f1-3 >"$TMP/user.tsv"
    u check --json --lexicon "$TMP/user.tsv" "$SRC/examples/spun-news.txt" | grep -q '"role": "user_lexicon"' || fail "user table not a user table"
    # A header with no pair (a site too small to learn from) adds nothing.
    printf '# unspin learned-table v1 pages=3\n' >"$TMP/empty.tsv"
    u restore --lexicon "$TMP/empty.tsv" "$SRC/examples/clean-news.txt" >"$TMP/out" || fail "empty learned table refused"
    ;;
  learn_jsonl)
    # --jsonl: pages of two sites in one stream -> one table per site; the
    # counts of two halves merged give the same tables; bad lines are errors.
    spun=$(python3 -c 'import json,sys; print(json.dumps(open(sys.argv[1]).read()))' "$SRC/examples/spun-news.txt")
    clean=$(python3 -c 'import json,sys; print(json.dumps(open(sys.argv[1]).read()))' "$SRC/examples/clean-news.txt")
    for i in 1 2 3; do
      printf '{"id": "a%s", "url": "https://www.Farm.example/p%s", "text": %s}\n' "$i" "$i" "$spun"
      printf '{"id": "b%s", "site": "blog", "text": %s}\n' "$i" "$clean"
    done >"$TMP/crawl.jsonl"
    u learn --jsonl "$TMP/crawl.jsonl" >/dev/null 2>&1; [ $? = 2 ] || fail "--jsonl without -o DIR should exit 2"
    u learn --jsonl -o "$TMP/t" "$TMP/crawl.jsonl" 2>"$TMP/err" || fail "exit $?: $(cat "$TMP/err")"
    [ -f "$TMP/t/farm.example.tsv" ] && [ -f "$TMP/t/blog.tsv" ] || fail "expected farm.example.tsv and blog.tsv: $(ls "$TMP/t")"
    head -1 "$TMP/t/farm.example.tsv" | grep -qx '# unspin learned-table v1 pages=3 site=farm.example' || fail "bad header: $(head -1 "$TMP/t/farm.example.tsv")"
    head -4 "$TMP/crawl.jsonl" >"$TMP/p1.jsonl"; tail -n +5 "$TMP/crawl.jsonl" >"$TMP/p2.jsonl"
    u learn --jsonl --counts -o "$TMP/c1" "$TMP/p1.jsonl" 2>/dev/null || fail "counts 1"
    u learn --jsonl --counts -o "$TMP/c2" "$TMP/p2.jsonl" 2>/dev/null || fail "counts 2"
    mkdir "$TMP/c"; for f in "$TMP"/c1/*.counts; do cp "$f" "$TMP/c/$(basename "$f" .counts).part-1.counts"; done
    for f in "$TMP"/c2/*.counts; do cp "$f" "$TMP/c/$(basename "$f" .counts).part-2.counts"; done
    u learn --from-counts -o "$TMP/m" "$TMP"/c/*.counts || fail "from-counts exit $?"
    for t in farm.example blog; do
      cmp -s "$TMP/m/$t.tsv" "$TMP/t/$t.tsv" || fail "merged counts differ for $t: $(diff "$TMP/m/$t.tsv" "$TMP/t/$t.tsv")"
    done
    printf '{"url": "https://x.example/1", "text": "The firm stated that costs rose sharply this year."}\nnot json\n' >"$TMP/bad.jsonl"
    u learn --jsonl -o "$TMP/b" "$TMP/bad.jsonl" 2>"$TMP/err"; [ $? = 2 ] || fail "a malformed line should exit 2, as check --jsonl"
    grep -q 'bad.jsonl:2: not a JSON object' "$TMP/err" || fail "bad line not named: $(cat "$TMP/err")"
    [ -f "$TMP/b/x.example.tsv" ] || fail "the good line was not learned"
    ;;
  lm_score_lines)
    # `lm score --lines`: one row per line, each the sentence's own score.
    printf 'deep neural network\nhelp vector machine\n\n' >"$TMP/lines"
    "$UNSPIN" lm score "$MODELS/en-us.ulm" --lines "$TMP/lines" >"$TMP/rows" || fail "exit $?"
    [ "$(wc -l <"$TMP/rows")" = 3 ] || fail "not one row per line: $(cat "$TMP/rows")"
    one=$("$UNSPIN" lm score "$MODELS/en-us.ulm" "help vector machine" | awk '$1 == "total" {print $2}')
    awk -F'\t' -v one="$one" 'NR == 2 { d = $1 + $2 - one; if (d < -0.001 || d > 0.001 || $3 != "help vector machine") exit 1 }' \
      "$TMP/rows" || fail "row 2 differs from the one-sentence score $one: $(cat "$TMP/rows")"
    "$UNSPIN" lm score "$MODELS/en-us.ulm" --lines "$TMP/missing" 2>"$TMP/err" && fail "a missing file passed"
    grep -q "cannot read" "$TMP/err" || fail "no clear error: $(cat "$TMP/err")"
    ;;
  *) fail "unknown case" ;;
esac
echo "ok [$CASE]"
