#!/usr/bin/env bash
# End-to-end checks of `unspin serve`: the real binary on a free loopback port
# (--port 0; the port is read from its log line), driven with curl.
#   serve_e2e.sh UNSPIN MODELS_DIR SOURCE_DIR CASE
# Cases:
#   languagetool_get       the request the npm client languagetool-api 1.1.2 sends
#                          (recorded in data/languagetool-api.request: GET, query string,
#                          emoji and CJK before the text), read as that client reads it
#   languagetool_annotation  an editor plug-in's POST with LanguageTool's `data`
#                          annotation (HTML markup, emoji, CJK): offsets point into the document
#   native_api             /v1/check, /v1/restore, /v1/batch against the CLI on the same text
#   bad_requests           malformed HTTP, JSON and forms: 4xx with bodies, the server lives on
#   graceful_shutdown      SIGTERM during a request: it finishes with 200, the server exits 0
#   startup_errors         missing models (exit 8), a port in use (exit 3), bad options (exit 2)
#   uncalibrated           a bundle fitted for another LM: exit 10; --uncalibrated answers say so
# Skips (exit 77) when the models are not built or curl is missing.
set -u
UNSPIN=$1 MODELS=$2 SRC=$3 CASE=$4
[ -f "$MODELS/en-us.ulm" ] || { echo "models not built: skip"; exit 77; }
command -v curl >/dev/null || { echo "curl not installed (setup.sh installs it): skip"; exit 77; }
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
TMP=$(mktemp -d "${TMPDIR:-/tmp}/unspin-serve.XXXXXX")
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT
fail() { echo "FAIL [$CASE]: $*" >&2; [ -f "$TMP/server.log" ] && tail -5 "$TMP/server.log" >&2; exit 1; }

# start_server ARGS...: starts `unspin serve` on a free port; sets PORT and SERVER_PID.
start_server() {
  : >"$TMP/server.log"
  "$UNSPIN" serve --host 127.0.0.1 --port 0 --models "$MODELS" "${TABLE[@]}" "$@" 2>"$TMP/server.log" &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    PORT=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$TMP/server.log")
    [ -n "$PORT" ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || fail "server exited at start: $(cat "$TMP/server.log")"
    sleep 0.1
  done
  fail "server did not start within 10 s"
}
URL() { echo "http://127.0.0.1:$PORT$1"; }
# The example spinner table, for the server and the CLI alike: with it the
# spun example has edits to find (the decoder alone restores few).
TABLE=(--lexicon "$SRC/examples/spinner-table.txt")

case $CASE in
  languagetool_get)
    start_server --quiet
    curl -sS -o "$TMP/lt.json" -w '%{http_code}' "$(URL "$(cat "$SRC/tests/e2e/data/languagetool-api.request")")" >"$TMP/status" \
      || fail "curl failed"
    [ "$(cat "$TMP/status")" = 200 ] || fail "status $(cat "$TMP/status"): $(cat "$TMP/lt.json")"
    { printf '\xf0\x9f\x98\x80 \xe4\xb8\xad\xe6\x96\x87 '; cat "$SRC/examples/spun-news.txt"; } >"$TMP/text"
    "$UNSPIN" check --json --offsets utf16 --models "$MODELS" "${TABLE[@]}" "$TMP/text" >"$TMP/cli.json" || fail "check --json failed"
    "$PY" - "$TMP/lt.json" "$TMP/cli.json" "$TMP/text" <<'EOF' || fail "response differs from LanguageTool's shape or the CLI"
import json, sys
lt, cli = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
text = open(sys.argv[3], encoding="utf-8").read()
u16 = text.encode("utf-16-le")
def sub16(s, off, n):  # JavaScript's s.substr(off, n): UTF-16 units
    return s.encode("utf-16-le")[2 * off:2 * (off + n)].decode("utf-16-le")
# The fields of LanguageTool's documented /v2/check response.
assert set(lt["software"]) >= {"name", "version", "buildDate", "apiVersion", "premium", "status"}, lt["software"]
assert lt["warnings"] == {"incompleteResults": False}
assert set(lt["language"]) >= {"name", "code", "detectedLanguage"} and lt["language"]["code"] == "en-US"
assert set(lt["language"]["detectedLanguage"]) >= {"name", "code", "confidence"}
assert lt["matches"], "no matches for the spun example"
for m in lt["matches"]:
    assert set(m) >= {"message", "shortMessage", "replacements", "offset", "length", "context", "sentence", "rule", "type"}, m.keys()
    assert set(m["rule"]) >= {"id", "description", "issueType", "category"} and set(m["rule"]["category"]) == {"id", "name"}
    # languagetool-api's showMistakes(): context.text.substr(context.offset, context.length)
    c = m["context"]
    assert sub16(c["text"], c["offset"], c["length"]) == m["spun"], (c, m["spun"])
    # An editor's view: the document's UTF-16 units at offset/length.
    assert sub16(text, m["offset"], m["length"]) == m["spun"], (m["offset"], m["spun"])
    assert sub16(text, m["offset"], m["length"]) in m["sentence"]
# bestSuggestion(): the same spans and originals as `unspin check --json --offsets utf16`.
# Each span once: the CLI's matches and its review spans that are not edits
# (rule UNSPIN_REVIEW, SCHEMA §6), in text order.
def best(m):
    return m["replacements"][0]["value"] if m["replacements"] else None
got = [(m["offset"], m["length"], best(m)) for m in lt["matches"]]
want = [(m["offset"], m["length"], best(m)) for m in cli["matches"]]
want += [(r["offset"], r["length"], r["original"]) for r in cli["review"] if not r["applied"]]
want.sort(key=lambda t: t[0])
assert got == want, (got, want)
assert all(m["rule"]["id"] == "UNSPIN_REVIEW" for m in lt["matches"] if (m["offset"], m["length"]) not in
           {(c["offset"], c["length"]) for c in cli["matches"]})
print("ok:", len(got), "matches")
EOF
    ;;

  languagetool_annotation)
    start_server --quiet
    curl -sS -o "$TMP/lt.json" -w '%{http_code}' -H 'Content-Type: application/x-www-form-urlencoded' \
      --data-binary @"$SRC/tests/e2e/data/languagetool-annotation.form" "$(URL /v2/check)" >"$TMP/status" || fail "curl failed"
    [ "$(cat "$TMP/status")" = 200 ] || fail "status $(cat "$TMP/status"): $(cat "$TMP/lt.json")"
    "$PY" - "$TMP/lt.json" "$SRC/tests/e2e/data/languagetool-annotation.form" <<'EOF' || fail "offsets do not point into the annotated document"
import json, sys, urllib.parse
lt = json.load(open(sys.argv[1]))
form = urllib.parse.parse_qs(open(sys.argv[2]).read())
parts = json.loads(form["data"][0])["annotation"]
document = "".join(p.get("text", p.get("markup", "")) for p in parts)
def sub16(s, off, n):
    return s.encode("utf-16-le")[2 * off:2 * (off + n)].decode("utf-16-le")
assert lt["matches"], "no matches"
spans = [sub16(document, m["offset"], m["length"]) for m in lt["matches"]]
assert spans == [m["spun"] for m in lt["matches"]], (spans, [m["spun"] for m in lt["matches"]])
# "govt" sits inside <b>chief govt</b> in the document.
assert any(s in ("govt", "chief govt") for s in spans), spans
print("ok:", spans)
EOF
    ;;

  native_api)
    start_server
    "$PY" -c 'import json,sys; print(json.dumps({"text": open(sys.argv[1]).read(), "id": "x"}))' "$SRC/examples/spun-news.txt" >"$TMP/req.json"
    curl -sS -f -o "$TMP/check.json" "$(URL /v1/check)" --data-binary @"$TMP/req.json" || fail "/v1/check failed"
    curl -sS -f -o "$TMP/restore.json" "$(URL /v1/restore)" --data-binary @"$TMP/req.json" || fail "/v1/restore failed"
    "$UNSPIN" check --json --models "$MODELS" "${TABLE[@]}" "$SRC/examples/spun-news.txt" >"$TMP/cli.json" || fail "cli check"
    "$UNSPIN" restore --models "$MODELS" "${TABLE[@]}" "$SRC/examples/spun-news.txt" >"$TMP/cli.txt" || fail "cli restore"
    { cat "$TMP/req.json"; echo '{"id": 2}'; cat "$TMP/req.json"; } >"$TMP/batch.jsonl"  # line 2 has no text
    curl -sS -f -N -o "$TMP/batch.out" "$(URL '/v1/batch?offsets=utf16')" --data-binary @"$TMP/batch.jsonl" || fail "/v1/batch failed"
    "$UNSPIN" check --jsonl --offsets utf16 --models "$MODELS" "${TABLE[@]}" "$TMP/batch.jsonl" >"$TMP/cli.jsonl" 2>/dev/null
    "$PY" - "$TMP" <<'EOF' || fail "the service and the CLI disagree"
import json, sys
t = sys.argv[1]
check, cli = json.load(open(t + "/check.json")), json.load(open(t + "/cli.json"))
for k in ("score", "verdict", "matches", "reasons", "paragraphs", "restored"):
    assert check[k] == cli[k], k
assert check["id"] == "x"
restore = json.load(open(t + "/restore.json"))
assert restore["restored"] == open(t + "/cli.txt").read()
served = [json.loads(l) for l in open(t + "/batch.out")]
local = [json.loads(l) for l in open(t + "/cli.jsonl")]
assert [s["line"] for s in served] == [1, 2, 3], [s["line"] for s in served]
strip = lambda d: {k: v for k, v in d.items() if k != "provenance"}
assert [strip(s) for s in served] == [strip(l) for l in local], "batch != check --jsonl"
print("ok")
EOF
    # The access log and metrics are written just after the answer.
    for _ in $(seq 1 50); do
      curl -sS "$(URL /metrics)" | grep -q 'unspin_http_requests_total{route="/v1/batch",status="200"} 1' && break
      sleep 0.1
    done
    curl -sS "$(URL /metrics)" | grep -q 'unspin_http_requests_total{route="/v1/batch",status="200"} 1' || fail "metrics"
    grep -q '"POST /v1/batch" 200' "$TMP/server.log" || fail "no access log line for /v1/batch"
    ;;

  bad_requests)
    start_server --max-body 64K
    code() { curl -s -o "$TMP/body" -w '%{http_code}' "$@"; }
    [ "$(code "$(URL /v1/check)" --data-binary '{"text":')" = 400 ] && grep -q '"malformed_json"' "$TMP/body" || fail "malformed JSON: $(cat "$TMP/body")"
    [ "$(code "$(URL /v1/check)" --data-binary '{"text":"x","foo":1}')" = 400 ] && grep -q '"unknown_field"' "$TMP/body" || fail "unknown field"
    printf '{"text":"caf\xe9"}' >"$TMP/latin1"
    [ "$(code "$(URL /v1/check)" --data-binary @"$TMP/latin1")" = 400 ] && grep -q '"invalid_utf8"' "$TMP/body" || fail "invalid UTF-8"
    head -c 100000 /dev/zero | tr '\0' a >"$TMP/big"
    [ "$(code "$(URL /v1/check)" --data-binary @"$TMP/big")" = 413 ] && grep -q '"too_large"' "$TMP/body" || fail "too large: $(cat "$TMP/body")"
    [ "$(code "$(URL /v2/check)" --data 'language=en-US')" = 400 ] && grep -q '^Error: ' "$TMP/body" || fail "/v2 missing text"
    [ "$(code "$(URL /v2/check)" --data 'text=a%zzb&language=en')" = 400 ] || fail "/v2 bad escape"
    # Garbage and truncated requests on raw sockets; then the server still answers.
    exec 3<>"/dev/tcp/127.0.0.1/$PORT" || fail "cannot connect"
    printf 'NOT HTTP\r\n\r\n' >&3
    timeout 5 head -1 <&3 | grep -q '^HTTP/1.1 400' || fail "no 400 for a malformed request line"
    exec 3<&-
    for raw in 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n' \
               'POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{"te' \
               'POST /v1/check HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'; do
      exec 3<>"/dev/tcp/127.0.0.1/$PORT" || fail "cannot connect"
      printf "$raw" >&3
      timeout 2 cat <&3 >/dev/null  # the answer, or nothing until the read timeout
      exec 3<&-
    done
    [ "$(code "$(URL /healthz)")" = 200 ] || fail "the server stopped answering after bad requests"
    kill -0 "$SERVER_PID" || fail "the server died"
    ;;

  graceful_shutdown)
    start_server --threads 1
    for _ in $(seq 1 300); do cat "$SRC/examples/spun-news.txt"; echo; done >"$TMP/long.txt"
    "$PY" -c 'import json,sys; print(json.dumps({"text": open(sys.argv[1]).read()}))' "$TMP/long.txt" >"$TMP/req.json"
    curl -sS -o "$TMP/answer.json" -w '%{http_code}' "$(URL /v1/check)" --data-binary @"$TMP/req.json" >"$TMP/status" &
    CURL_PID=$!
    for _ in $(seq 1 50); do curl -s "$(URL /metrics)" | grep -q '^unspin_decoding 1' && break; sleep 0.1; done
    kill -TERM "$SERVER_PID"
    wait "$CURL_PID"
    [ "$(cat "$TMP/status")" = 200 ] || fail "the in-flight request got $(cat "$TMP/status")"
    "$PY" -c 'import json,sys; assert json.load(open(sys.argv[1]))["restored"]' "$TMP/answer.json" || fail "truncated answer"
    wait "$SERVER_PID"; rc=$?
    SERVER_PID=""
    [ "$rc" = 0 ] || fail "server exit status $rc after SIGTERM"
    grep -q 'SIGTERM received' "$TMP/server.log" || fail "no shutdown message"
    grep -q '"POST /v1/check" 200' "$TMP/server.log" || fail "no access log line for the in-flight request"
    ;;

  startup_errors)
    "$UNSPIN" serve --port 0 --models "$TMP/no-models" 2>"$TMP/err"; rc=$?
    [ "$rc" = 8 ] && grep -q 'setup.sh' "$TMP/err" || fail "missing models: exit $rc, $(cat "$TMP/err")"
    start_server --quiet
    "$UNSPIN" serve --port "$PORT" --models "$MODELS" 2>"$TMP/err"; rc=$?
    [ "$rc" = 3 ] && grep -q 'cannot listen' "$TMP/err" || fail "port in use: exit $rc, $(cat "$TMP/err")"
    "$UNSPIN" serve --port 70000 --models "$MODELS" 2>"$TMP/err"; rc=$?
    [ "$rc" = 2 ] || fail "--port 70000: exit $rc"
    "$UNSPIN" serve --max-body 12Q --models "$MODELS" 2>"$TMP/err"; rc=$?
    [ "$rc" = 2 ] || fail "--max-body 12Q: exit $rc, $(cat "$TMP/err")"
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$(URL /healthz)")" = 200 ] || fail "the first server stopped answering"
    ;;
  uncalibrated)
    # A bundle stamped for another LM (its header's LM checksum changed; the
    # body checksum does not cover the header): refused at start (exit 10);
    # with --uncalibrated, /v1 and /v2 answers say "calibrated": false.
    mkdir -p "$TMP/models"
    ln -s "$MODELS/en-us.ulm" "$TMP/models/en-us.ulm"
    ln -s "$MODELS/default.ulex" "$TMP/models/default.ulex"
    cp "$MODELS/fitted.ubundle" "$TMP/models/fitted.ubundle"
    printf '\x01\x02\x03\x04' | dd of="$TMP/models/fitted.ubundle" bs=1 seek=32 conv=notrunc status=none
    "$UNSPIN" serve --port 0 --models "$TMP/models" 2>"$TMP/err"; rc=$?
    [ "$rc" = 10 ] && grep -q -- '--uncalibrated' "$TMP/err" || fail "mismatched bundle: exit $rc, $(cat "$TMP/err")"
    MODELS="$TMP/models"
    TABLE=()
    start_server --quiet --uncalibrated
    curl -s --data-urlencode "text@$SRC/examples/spun-news.txt" --data "language=en-US" "$(URL /v2/check)" >"$TMP/v2" ||
      fail "/v2/check failed"
    grep -q '"calibrated":false' "$TMP/v2" || fail "/v2 does not say it: $(head -c 300 "$TMP/v2")"
    $PY -c 'import json,sys; print(json.dumps({"text": open(sys.argv[1]).read()}))' "$SRC/examples/spun-news.txt" \
      >"$TMP/v1.req"
    curl -s -H 'Content-Type: application/json' --data-binary "@$TMP/v1.req" "$(URL /v1/check)" >"$TMP/v1" ||
      fail "/v1/check failed"
    grep -q '"calibrated":false' "$TMP/v1" || fail "/v1 does not say it: $(head -c 300 "$TMP/v1")"
    ;;

  *) echo "unknown case $CASE" >&2; exit 2 ;;
esac
echo "ok [$CASE]"
