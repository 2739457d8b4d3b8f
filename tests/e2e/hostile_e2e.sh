#!/usr/bin/env bash
# Issue 22: hostile input and slow clients, one case per row of the issue's
# table, on the real binary (loopback only).
#   hostile_e2e.sh UNSPIN MODELS_DIR SOURCE_DIR CASE
# Cases (the network ones are in hostile_client.py):
#   deep_json        100,000-deep id/url in /v1/check, /v1/restore, a /v1/batch line,
#                    LanguageTool `data`: 400 malformed_json, the server lives
#   deep_json_cli    the issue's repro: check --jsonl / restore --jsonl with a
#                    100,000-deep id: an error object for that line, the next answered, exit 2
#   slow_clients     300 clients trickling a request head: /healthz within 1 s throughout,
#                    each dropped within --read-timeout + 1 s
#   batch_per_line   /v1/batch of 10,000 lines, one in 7 invalid UTF-8: one answer per line
#   content_length   Content-Length: 2000000000: 413 at once
#   long_url         a 100 KB URL: 414 naming the request-line limit
#   methods          FOO, TRACE, CONNECT: 501 / 405 at once
#   half_close       shutdown(SHUT_WR) after the request: the answer still comes
# Skips (exit 77) when the models are not built.
set -u
UNSPIN=$1 MODELS=$2 SRC=$3 CASE=$4
[ -f "$MODELS/en-us.ulm" ] || { echo "models not built: skip"; exit 77; }
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
TMP=$(mktemp -d "${TMPDIR:-/tmp}/unspin-hostile.XXXXXX")
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT
fail() { echo "FAIL [$CASE]: $*" >&2; [ -f "$TMP/server.log" ] && tail -5 "$TMP/server.log" >&2; exit 1; }

start_server() {
  : >"$TMP/server.log"
  "$UNSPIN" serve --host 127.0.0.1 --port 0 --models "$MODELS" "$@" 2>"$TMP/server.log" &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    PORT=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$TMP/server.log")
    [ -n "$PORT" ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || fail "server exited at start: $(cat "$TMP/server.log")"
    sleep 0.1
  done
  fail "server did not start within 10 s"
}
# The server must still be the same process (not crashed) at the end.
still_alive() { kill -0 "$SERVER_PID" 2>/dev/null || fail "the server died: $(tail -3 "$TMP/server.log")"; }

case $CASE in
  deep_json | batch_per_line | content_length | long_url | methods | half_close)
    start_server --quiet
    "$PY" "$SRC/tests/e2e/hostile_client.py" "$PORT" "$CASE" || fail "see above"
    still_alive
    ;;
  slow_clients)
    start_server --quiet --read-timeout 5
    "$PY" "$SRC/tests/e2e/hostile_client.py" "$PORT" slow_clients 5 || fail "see above"
    still_alive
    ;;
  deep_json_cli)
    # The issue's reproduction (exit 139 before): line 1 nested 100,000 deep.
    "$PY" -c "d=100000;open('$TMP/n.jsonl','wb').write(b'{\"id\":'+b'['*d+b']'*d+b',\"text\":\"The firm said hello.\"}\n'+b'{\"id\":2,\"text\":\"The firm said hello.\"}\n')"
    for cmd in check restore; do
      for input in file stdin; do
        if [ $input = file ]; then
          "$UNSPIN" $cmd --jsonl --models "$MODELS" "$TMP/n.jsonl" >"$TMP/out" 2>"$TMP/err"
        else
          "$UNSPIN" $cmd --jsonl --models "$MODELS" - <"$TMP/n.jsonl" >"$TMP/out" 2>"$TMP/err"
        fi
        rc=$?
        [ $rc = 2 ] || fail "$cmd --jsonl ($input): exit $rc, expected 2 (the first bad line's code): $(head -c 300 "$TMP/err")"
        "$PY" - "$TMP/out" $cmd <<'PYEOF' || fail "$cmd --jsonl ($input): $(head -c 300 "$TMP/out")"
import json, sys
got = [json.loads(l) for l in open(sys.argv[1])]
assert len(got) == 2, got
assert got[0]["line"] == 1 and got[0]["error"]["code"] == "malformed_json" and "id" not in got[0], got[0]
assert "nested more than 512" in got[0]["error"]["message"], got[0]
assert got[1]["line"] == 2 and got[1]["id"] == 2 and "error" not in got[1], got[1]
assert ("restored" in got[1]) and (sys.argv[2] == "restore" or "verdict" in got[1]), got[1]
PYEOF
        grep -q ':1: not a JSON object: nested more than 512' "$TMP/err" || fail "$cmd: stderr: $(head -c 300 "$TMP/err")"
      done
      echo "$cmd --jsonl: line 1 (100,000 deep) malformed_json, line 2 answered, exit 2"
    done
    # An id deeper than 64 but within 512: refused too; at 64 echoed.
    "$PY" -c "open('$TMP/m.jsonl','w').write('{\"id\":'+'['*65+']'*65+',\"text\":\"x y\"}\n{\"id\":'+'['*64+']'*64+',\"text\":\"x y\"}\n')"
    "$UNSPIN" check --jsonl --models "$MODELS" "$TMP/m.jsonl" >"$TMP/out" 2>/dev/null
    "$PY" - "$TMP/out" <<'PYEOF' || fail "id depth 65/64: $(head -c 300 "$TMP/out")"
import json, sys
a, b = [json.loads(l) for l in open(sys.argv[1])]
assert a["error"]["code"] == "malformed_json" and "nested more than 64" in a["error"]["message"], a
x = b["id"]
for _ in range(63):
    x = x[0]
assert x == [], b["id"]
PYEOF
    ;;
  *) fail "unknown case" ;;
esac
echo "ok [$CASE]"
