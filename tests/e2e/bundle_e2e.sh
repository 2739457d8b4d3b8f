#!/usr/bin/env bash
# End-to-end checks of the model bundle (docs/LM.md, "The model bundle") on the
# real binaries:
#   bundle_e2e.sh UNSPIN UNSPIN_EVAL MODELS_DIR SOURCE_DIR CASE
# Cases:
#   rebuild_identical  `unspin-eval bundle build` from data/fitted writes the
#                      default bundle's bytes again (the build's is no accident)
#   missing            a models folder without fitted.ubundle: exit 8 naming
#                      the file and how to build it
#   corrupt            a flipped byte, a truncated file, an empty file: exit 8
#   mismatch           a bundle stamped for another LM: exit 10 naming the fit
#                      command and --uncalibrated; with --uncalibrated every
#                      result says "calibrated": false (JSON, JSON lines,
#                      the human report), while the default bundle's results
#                      carry no such field; unspin-eval refuses it too unless
#                      `unspin-eval --uncalibrated`
# Skips (exit 77) when the models or the default bundle are not built.
set -u
UNSPIN=$1 EVAL=$2 MODELS=$3 SRC=$4 CASE=$5
[ -f "$MODELS/en-us.ulm" ] && [ -f "$MODELS/fitted.ubundle" ] || { echo "models not built: skip"; exit 77; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/unspin-bundle.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL [$CASE]: $*" >&2; exit 1; }
TEXT="$SRC/examples/spun-news.txt"
# A models folder holding the default LM and lexicon and, given, a bundle.
folder() {
  mkdir -p "$TMP/models"
  ln -sf "$MODELS/en-us.ulm" "$TMP/models/en-us.ulm"
  ln -sf "$MODELS/default.ulex" "$TMP/models/default.ulex"
}
expect_exit() {  # CODE PATTERN COMMAND...: the command exits CODE and says PATTERN on stderr
  local code=$1 pattern=$2
  shift 2
  "$@" >"$TMP/out" 2>"$TMP/err"
  local got=$?
  [ "$got" = "$code" ] || fail "exit $got, expected $code: $* ($(cat "$TMP/err"))"
  grep -q -- "$pattern" "$TMP/err" || fail "no '$pattern' in: $(cat "$TMP/err")"
  [ -s "$TMP/out" ] && fail "output on stdout with the error: $(head -c 200 "$TMP/out")"
  return 0
}

case $CASE in
  rebuild_identical)
    "$EVAL" bundle build --models "$MODELS" --sections "$SRC/data/fitted" -o "$TMP/again.ubundle" 2>"$TMP/err" ||
      fail "bundle build: $(cat "$TMP/err")"
    cmp -s "$TMP/again.ubundle" "$MODELS/fitted.ubundle" || fail "a rebuild differs from the default bundle"
    "$EVAL" bundle show "$TMP/again.ubundle" >"$TMP/show" || fail "bundle show failed"
    for field in '"feature_version"' '"lm_checksum"' '"fit_command"' '"word_model"' '"site_prior"'; do
      grep -q "$field" "$TMP/show" || fail "no $field in bundle show: $(head -c 400 "$TMP/show")"
    done
    # A sections folder missing a part of the engine is refused before writing.
    mkdir -p "$TMP/partial" && cp "$SRC/data/fitted/detector.json" "$TMP/partial/"
    expect_exit 9 "do not make a complete bundle" "$EVAL" bundle build --models "$MODELS" --sections "$TMP/partial" \
      -o "$TMP/partial.ubundle"
    [ -e "$TMP/partial.ubundle" ] && fail "an incomplete bundle was written"
    ;;
  missing)
    folder
    expect_exit 8 "$TMP/models/fitted.ubundle" "$UNSPIN" check --models "$TMP/models" "$TEXT"
    grep -q "unspin-eval bundle build" "$TMP/err" || fail "no rebuild command in: $(cat "$TMP/err")"
    expect_exit 8 "fitted.ubundle" "$UNSPIN" restore --models "$TMP/models" "$TEXT"
    ;;
  corrupt)
    folder
    cp "$MODELS/fitted.ubundle" "$TMP/models/fitted.ubundle"
    printf '\x55' | dd of="$TMP/models/fitted.ubundle" bs=1 seek=5000 conv=notrunc status=none
    expect_exit 8 "checksum" "$UNSPIN" check --models "$TMP/models" "$TEXT"
    head -c 100000 "$MODELS/fitted.ubundle" >"$TMP/models/fitted.ubundle"
    expect_exit 8 "truncated" "$UNSPIN" check --models "$TMP/models" "$TEXT"
    : >"$TMP/models/fitted.ubundle"
    expect_exit 8 "not an unspin model bundle" "$UNSPIN" check --models "$TMP/models" "$TEXT"
    grep -q "fitted.ubundle" "$TMP/err" || fail "the file is not named: $(cat "$TMP/err")"
    ;;
  mismatch)
    folder
    # Stamped for another LM (the lexicon's checksum stands for it).
    "$EVAL" bundle build --lm "$MODELS/default.ulex" --lexicon "$MODELS/default.ulex" --sections "$SRC/data/fitted" \
      -o "$TMP/models/fitted.ubundle" 2>"$TMP/err" || fail "bundle build: $(cat "$TMP/err")"
    expect_exit 10 "another language model" "$UNSPIN" check --models "$TMP/models" "$TEXT"
    grep -q "unspin-eval fit" "$TMP/err" || fail "the fit command is not named: $(cat "$TMP/err")"
    grep -q -- "--uncalibrated" "$TMP/err" || fail "the flag is not named: $(cat "$TMP/err")"
    expect_exit 10 "another language model" "$UNSPIN" restore --models "$TMP/models" "$TEXT"
    "$UNSPIN" check --json --uncalibrated --models "$TMP/models" "$TEXT" >"$TMP/json" || fail "--uncalibrated: exit $?"
    grep -q '"calibrated": false' "$TMP/json" || fail "no \"calibrated\": false in $(head -c 300 "$TMP/json")"
    printf '{"id":"a","text":"The company said on Tuesday that prices had risen during the past months."}\n' |
      "$UNSPIN" check --jsonl --uncalibrated --models "$TMP/models" >"$TMP/jsonl" || fail "--jsonl: exit $?"
    grep -q '"calibrated":false' "$TMP/jsonl" || fail "no calibrated:false in $(head -c 300 "$TMP/jsonl")"
    "$UNSPIN" check --uncalibrated --models "$TMP/models" "$TEXT" >"$TMP/human" || fail "human: exit $?"
    grep -q "not calibrated" "$TMP/human" || fail "the human report does not say so: $(cat "$TMP/human")"
    "$UNSPIN" restore --uncalibrated --models "$TMP/models" "$TEXT" >/dev/null || fail "restore --uncalibrated: exit $?"
    # The harness refuses it too, and `unspin-eval --uncalibrated` (to fit for new models) goes on.
    expect_exit 10 "another language model" "$EVAL" eval detect --models "$TMP/models" --explain "$TEXT"
    "$EVAL" --uncalibrated eval detect --models "$TMP/models" --explain "$TEXT" >/dev/null 2>"$TMP/err" ||
      fail "unspin-eval --uncalibrated: $(cat "$TMP/err")"
    # The default bundle's results say nothing of it (absent means calibrated).
    "$UNSPIN" check --json --models "$MODELS" "$TEXT" >"$TMP/default.json" || fail "default: exit $?"
    grep -q '"calibrated"' "$TMP/default.json" && fail "a calibrated result carries the field"
    ;;
  *) fail "unknown case" ;;
esac
exit 0
