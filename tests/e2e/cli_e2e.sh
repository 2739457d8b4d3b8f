#!/usr/bin/env bash
# End-to-end checks of the real `unspin` binary on bad input, help and version.
#
#   cli_e2e.sh UNSPIN CASE [SUBCOMMAND]
#
# (CASE harness_help takes UNSPIN-EVAL, the evaluation harness's program.)
#
# Every bad-input case runs with --models pointing at an EMPTY folder: input
# errors must be reported before (and without) loading models, so these tests
# pass on a machine where no model was compiled yet. For each bad input the
# contract is: exactly one line on stderr ("unspin: error: ..."), the exit code
# of its unspin::ErrorCode (include/unspin/error.h), nothing on stdout.
# No pipefail: feeders like `head | tr` die of SIGPIPE when unspin stops reading
# at its limit, which is the behaviour under test; only unspin's status counts.
set -u

UNSPIN=$1
CASE=$2
CMD=${3:-restore}
read -ra CMDA <<<"$CMD"  # "check --json" -> (check --json)

# Exit codes, mirrored from include/unspin/error.h.
E_IO=3 E_UTF8=4 E_BINARY=5 E_TOO_LARGE=6 E_EMPTY=7 E_BAD_MODEL=8

TMP=$(mktemp -d "${TMPDIR:-/tmp}/unspin-e2e.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
mkdir "$TMP/no-models"
OUT=$TMP/stdout ERR=$TMP/stderr

fail() {
  echo "FAIL [$CASE $CMD]: $*" >&2
  echo "--- stdout:" >&2; head -c 2000 "$OUT" >&2
  echo "--- stderr:" >&2; head -c 2000 "$ERR" >&2
  exit 1
}

# run [ARGS...]: runs unspin with a 60 s guard; sets RC. Standard input is
# whatever the caller redirects.
run() {
  timeout 60 "$UNSPIN" "$@" >"$OUT" 2>"$ERR"
  RC=$?
  [ "$RC" -ne 124 ] || fail "timed out: unspin $*"
}

# expect_error CODE PATTERN: exit CODE, no stdout, one stderr line matching PATTERN.
expect_error() {
  local code=$1 pattern=$2
  [ "$RC" -eq "$code" ] || fail "exit status $RC, expected $code"
  [ ! -s "$OUT" ] || fail "expected nothing on stdout"
  local lines
  lines=$(wc -l <"$ERR")
  [ "$lines" -eq 1 ] || fail "expected exactly one line on stderr, got $lines"
  grep -q '^unspin: error: ' "$ERR" || fail "stderr does not start with 'unspin: error: '"
  grep -Eqi -- "$pattern" "$ERR" || fail "stderr does not match /$pattern/"
  echo "ok [$CASE $CMD]: exit $RC: $(cat "$ERR")"
}

# no_read_after_open TRACE PATH_OR_FD: asserts the strace log shows no read()
# of the file (for "-", of fd 0), proving the size check needs no reading.
no_read_after_open() {
  local trace=$1 target=$2 fd
  if [ "$target" = "-" ]; then
    fd=0
  else
    fd=$(grep -F "\"$target\"" "$trace" | grep -Eo '= [0-9]+$' | tail -1 | tr -dc 0-9)
    [ -n "$fd" ] || fail "strace shows no open of $target"
  fi
  # Reads of that fd after the open (the loader's earlier reads of fd 3 are before it).
  if [ "$target" = "-" ]; then
    ! grep -Eq "^([0-9]+ +)?read\($fd," "$trace" || fail "unspin read standard input; it must refuse by size first"
  else
    ! sed -n "/\"${target//\//\\/}\"/,\$p" "$trace" | grep -Eq "^([0-9]+ +)?read\($fd," ||
      fail "unspin read $target; it must refuse it by size without reading"
  fi
}

invalid_utf8_file() { printf 'A caf\xe9 in Z\xfcrich, written in Latin-1.\n' >"$1"; }

NM=(--models "$TMP/no-models")

case $CASE in
  invalid_utf8)
    invalid_utf8_file "$TMP/latin1.txt"
    run "${CMDA[@]}" "${NM[@]}" "$TMP/latin1.txt"
    expect_error $E_UTF8 'latin1\.txt: .*not valid UTF-8.*byte offset 5 \(line 1'
    ;;
  utf16)
    printf 'Plain text, saved by a Windows editor as UTF-16.\r\n' | iconv -f utf-8 -t utf-16 >"$TMP/utf16.txt"
    run "${CMDA[@]}" "${NM[@]}" "$TMP/utf16.txt"
    expect_error $E_UTF8 'utf16\.txt: .*UTF-16.*iconv'
    ;;
  binary)
    cp /bin/true "$TMP/true.txt"
    run "${CMDA[@]}" "${NM[@]}" "$TMP/true.txt"
    expect_error $E_BINARY 'true\.txt: .*binary'
    ;;
  empty)
    : >"$TMP/empty.txt"
    run "${CMDA[@]}" "${NM[@]}" "$TMP/empty.txt"
    expect_error $E_EMPTY 'empty\.txt: .*empty'
    ;;
  whitespace)
    printf ' \n\t\r\n\xc2\xa0\n' >"$TMP/blank.txt"
    run "${CMDA[@]}" "${NM[@]}" "$TMP/blank.txt"
    expect_error $E_EMPTY 'blank\.txt: .*only whitespace'
    ;;
  directory)
    run "${CMDA[@]}" "${NM[@]}" "$TMP"
    expect_error $E_IO 'is a directory'
    ;;
  missing)
    run "${CMDA[@]}" "${NM[@]}" "$TMP/does-not-exist.txt"
    expect_error $E_IO 'does-not-exist\.txt.*(No such file|cannot open)'
    ;;
  huge_sparse)
    truncate -s 2G "$TMP/huge.txt"
    start=$(date +%s%N)
    run "${CMDA[@]}" "${NM[@]}" "$TMP/huge.txt"
    ms=$((($(date +%s%N) - start) / 1000000))
    expect_error $E_TOO_LARGE 'huge\.txt.*--max-input-bytes'
    [ "$ms" -lt 5000 ] || fail "took ${ms} ms to refuse a 2 GB file"
    if command -v strace >/dev/null 2>&1; then
      # One worker thread: with several, strace may split the open into
      # "<unfinished ...>" and "<... openat resumed>" lines.
      strace -f -e trace=openat,read -o "$TMP/trace" "$UNSPIN" "${CMDA[@]}" "${NM[@]}" --threads 1 "$TMP/huge.txt" \
        >/dev/null 2>&1
      no_read_after_open "$TMP/trace" "$TMP/huge.txt"
      echo "ok [$CASE $CMD]: strace shows no read of the 2 GB file"
    fi
    ;;
  limit_option)
    # --max-input-bytes is honoured both ways.
    printf 'Some perfectly fine English text.\n' >"$TMP/small.txt"
    run "${CMDA[@]}" "${NM[@]}" --max-input-bytes 10 "$TMP/small.txt"
    expect_error $E_TOO_LARGE 'small\.txt.*limit of 10 bytes.*--max-input-bytes'
    ;;
  stdin_invalid_utf8)
    printf 'A caf\xe9 in Z\xfcrich.\n' | { run "${CMDA[@]}" "${NM[@]}"; expect_error $E_UTF8 '(<stdin>|standard input).*not valid UTF-8'; } || exit 1
    ;;
  stdin_binary)
    run "${CMDA[@]}" "${NM[@]}" - </bin/true
    expect_error $E_BINARY 'binary'
    cat /bin/true | { run "${CMDA[@]}" "${NM[@]}"; expect_error $E_BINARY '(<stdin>|standard input).*binary'; } || exit 1
    ;;
  stdin_empty)
    run "${CMDA[@]}" "${NM[@]}" </dev/null
    expect_error $E_EMPTY '(<stdin>|standard input).*empty'
    printf '\n\n  \n' | { run "${CMDA[@]}" "${NM[@]}" -; expect_error $E_EMPTY 'whitespace'; } || exit 1
    ;;
  stdin_huge_sparse)
    truncate -s 2G "$TMP/huge.txt"
    run "${CMDA[@]}" "${NM[@]}" <"$TMP/huge.txt"
    expect_error $E_TOO_LARGE 'standard input.*--max-input-bytes'
    if command -v strace >/dev/null 2>&1; then
      strace -f -e trace=read -o "$TMP/trace" "$UNSPIN" "${CMDA[@]}" "${NM[@]}" <"$TMP/huge.txt" \
        >/dev/null 2>&1
      no_read_after_open "$TMP/trace" -
      echo "ok [$CASE $CMD]: strace shows no read of standard input"
    fi
    ;;
  stdin_pipe_too_large)
    # A pipe has no size: reading must stop at the limit, not buffer it all.
    head -c 3000000 /dev/zero | tr '\0' 'a' |
      { run "${CMDA[@]}" "${NM[@]}" --max-input-bytes 1M; expect_error $E_TOO_LARGE 'standard input.*--max-input-bytes'; } || exit 1
    ;;
  missing_models)
    # Valid input, no models: kBadModel with a hint how to get them.
    printf 'The chief executive said sales rose sharply this year.\n' >"$TMP/ok.txt"
    run "${CMDA[@]}" "${NM[@]}" "$TMP/ok.txt"
    expect_error $E_BAD_MODEL '(setup\.sh|--models|UNSPIN_MODELS)'
    # The default folder via $UNSPIN_MODELS behaves the same.
    UNSPIN_MODELS=$TMP/no-models run "${CMDA[@]}" "$TMP/ok.txt"
    expect_error $E_BAD_MODEL '(setup\.sh|--models|UNSPIN_MODELS)'
    ;;
  help|harness_help)
    # --help of the program and of every subcommand, found by walking the help.
    # help: `unspin`, which lists none of the evaluation harness's commands;
    # harness_help: `unspin-eval` (harness/eval_cli), which lists them.
    prog=$(basename "$UNSPIN")
    subcommands() {  # prints the subcommand names listed in "$@ --help"
      "$UNSPIN" "$@" --help 2>/dev/null |
        awk 'tolower($0) ~ /^subcommands:/{on=1; next} on && /^[^ ]/{on=0} on && /^  [a-z]/{print $1}'
    }
    walk() {
      run "$@" --help
      [ "$RC" -eq 0 ] || fail "$prog $* --help exited $RC"
      [ -s "$OUT" ] || fail "$prog $* --help printed nothing"
      [ ! -s "$ERR" ] || fail "$prog $* --help wrote to stderr"
      echo "ok: $prog $* --help"
      local sub
      for sub in $(subcommands "$@"); do walk "$@" "$sub"; done
    }
    walk
    harness_commands=(spin eval fit)
    if [ "$CASE" = help ]; then
      for must in restore check version; do
        subcommands | grep -qx "$must" || fail "'$must' is not listed in $prog --help"
      done
      for must_not in "${harness_commands[@]}"; do
        ! subcommands | grep -qx "$must_not" || fail "'$must_not', a harness command, is listed in $prog --help"
      done
      echo "ok: $prog --help lists none of ${harness_commands[*]}"
    else
      for must in "${harness_commands[@]}"; do
        subcommands | grep -qx "$must" || fail "'$must' is not listed in $prog --help"
      done
      for must in corpus genres detect sites trace tortured fit; do
        subcommands eval | grep -qx "$must" || fail "'$must' is not listed in $prog eval --help"
      done
      echo "ok: $prog --help lists ${harness_commands[*]}"
    fi
    ;;
  version)
    run version
    [ "$RC" -eq 0 ] || fail "unspin version exited $RC"
    grep -Eq '^unspin [0-9]+\.[0-9]+\.[0-9]+' "$OUT" || fail "unspin version printed no version"
    [ ! -s "$ERR" ] || fail "unspin version wrote to stderr"
    v=$(cat "$OUT")
    run --version
    [ "$RC" -eq 0 ] || fail "unspin --version exited $RC"
    grep -qF "${v#unspin }" "$OUT" || fail "--version and 'version' disagree"
    echo "ok: $v"
    ;;
  *)
    echo "unknown case $CASE" >&2
    exit 2
    ;;
esac
