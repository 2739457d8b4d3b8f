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
    u restore --jsonl --lexicon "$SRC/examples/spinner-table.txt" "$TMP/in" >"$TMP/out" 2>/dev/null
    head -1 "$TMP/out" | grep -q '"restored":"The company said' || fail "restore --jsonl: $(head -1 "$TMP/out")"
    head -1 "$TMP/out" | grep -q '"edits":\[{' || fail "restore --jsonl has no edits"
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
    # A learned table is a lexicon unspin reads back.
    u learn --lexicon "$SRC/examples/spinner-table.txt" --min-prior 0.3 "$SRC/examples/spun-news.txt" >"$TMP/table.tsv" || fail "exit $?"
    grep -q "^said	stated	" "$TMP/table.tsv" || fail "said -> stated not learned: $(cat "$TMP/table.tsv")"
    u restore --lexicon "$TMP/table.tsv" "$SRC/examples/spun-news.txt" 2>"$TMP/err" >/dev/null || fail "learned table not readable"
    [ ! -s "$TMP/err" ] || fail "learned table gave warnings: $(cat "$TMP/err")"
    ;;
  *) fail "unknown case" ;;
esac
echo "ok [$CASE]"
