#!/usr/bin/env bash
# Crash test of the archive: kill -9 a real `unspin archive add` mid-ingest,
# several times, then check that the file passes `archive verify` (SQLite
# integrity_check plus the index against every document), that documents
# arrived in whole batches (each transaction all or nothing), and that every
# present document has exactly the text it was given.
#   archive_crash.sh UNSPIN_BINARY
set -euo pipefail
unspin="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
db="$tmp/crash.db"
batch=400
total=60000

# Documents whose text is a function of their number and version (so any one
# can be checked): version 1 is added in round 1; version 2 (new text, same
# ids) replaces it in rounds 2 and 3, where a document must be one version or the
# other, never a mix.
text_of() {
  local n="$1" v="$2"
  echo "Report $n (version $v) from Northfield: the council of Northfield met on day $((n % 28 + 1)) and voted $((n % 7)) to $((n % 5)) on budget line $n, after Mayor Alvarez said the $n plan would cost $((n * 3 + v)) dollars."
}
for v in 1 2; do
  awk -v total="$total" -v v="$v" 'BEGIN {
    for (n = 0; n < total; n++) {
      printf "{\"id\": \"doc-%d\", \"text\": \"Report %d (version %d) from Northfield: the council of Northfield met on day %d and voted %d to %d on budget line %d, after Mayor Alvarez said the %d plan would cost %d dollars.\"}\n", n, n, v, n % 28 + 1, n % 7, n % 5, n, n, n * 3 + v
    }
  }' > "$tmp/docs-v$v.jsonl"
done

count() { "$unspin" archive stats --archive "$db" --json 2>/dev/null | sed -n 's/.*"documents": \([0-9]*\).*/\1/p'; }

for round in 1 2 3; do
  version=$(( round >= 2 ? 2 : 1 ))
  "$unspin" archive add --archive "$db" --id-from jsonl --batch "$batch" "$tmp/docs-v$version.jsonl" >/dev/null 2>&1 &
  pid=$!
  # Wait until this round has committed at least one batch, then a little more
  # (a different amount each round) so the kill lands inside a transaction.
  before=$(count || echo 0)
  before=${before:-0}
  for _ in $(seq 1 400); do
    now=$(count || echo 0)
    if [[ -n "$now" && "$now" -gt "$before" ]] || [[ "$round" -gt 1 ]]; then break; fi
    sleep 0.02
  done
  sleep "0.$((round * 3))"
  # Under ASan (UNSPIN_SANITIZED) a replacing round starts slower: give it
  # time to commit its first transaction before the kill.
  if [[ -n "${UNSPIN_SANITIZED:-}" && "$round" -gt 1 ]]; then sleep 0.9; fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "FAIL: round $round: ingest finished before the kill; make the input larger" >&2
    exit 1
  fi
  kill -9 "$pid"
  wait "$pid" 2>/dev/null || true

  "$unspin" archive verify --archive "$db" || { echo "FAIL: round $round: verify after kill -9" >&2; exit 1; }
  n=$(count)
  echo "round $round: $n documents after kill -9"
  # Every round adds ids in the same order and batch size from doc-0: whole
  # batches only.
  if [[ $((n % batch)) -ne 0 ]]; then
    echo "FAIL: $n documents is not a whole number of $batch-document transactions" >&2
    exit 1
  fi
  if [[ "$n" -ge "$total" ]]; then
    echo "FAIL: round $round: all $total documents present; the kill came too late to test anything" >&2
    exit 1
  fi
done

# Every document in the archive is exactly one version given (spot check
# across the range), and round 2 replaced a prefix of the ids.
versions=""
for k in 0 1 $((batch - 1)) $batch 1234 5000 9999 20000; do
  if out=$("$unspin" archive get --archive "$db" "doc-$k" 2>/dev/null); then
    if [[ "$out" == "$(text_of "$k" 1)" ]]; then versions+=1
    elif [[ "$out" == "$(text_of "$k" 2)" ]]; then versions+=2
    else echo "FAIL: doc-$k is neither version: $out" >&2; exit 1; fi
  fi
done
echo "versions of the spot-checked documents: $versions"
[[ "$versions" == 2* ]] || { echo "FAIL: round 2 replaced nothing before the kill" >&2; exit 1; }
[[ "$versions" =~ ^2*1*$ ]] || { echo "FAIL: replacements are not a prefix of the input: $versions" >&2; exit 1; }
# The index follows the replacement: a version-2 text finds itself.
"$unspin" trace --archive "$db" --json - <<<"$(text_of 0 2)" | grep -q '"id": "doc-0"' \
  || { echo "FAIL: a replaced document is not found by its new text" >&2; exit 1; }
# The archive is still writable and searchable after the crashes.
"$unspin" archive add --archive "$db" --id probe - <<<"Probe text from Westbury about Mayor Lindqvist and the 77 new buses." >/dev/null 2>&1
"$unspin" trace --archive "$db" --json - <<<"Probe text from Westbury about Mayor Lindqvist and the 77 new buses." | grep -q '"id": "probe"' \
  || { echo "FAIL: the archive does not find a document added after the crashes" >&2; exit 1; }
"$unspin" archive verify --archive "$db"
echo "PASS"
