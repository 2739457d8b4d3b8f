#!/usr/bin/env bash
# Load test of `unspin serve` on loopback (issue 13): wrk with 200 concurrent
# connections for 30 s on POST /v1/check with ~2 KB news documents (eval part
# of the corpora, half of them spun by the simulator), beside `unspin check
# --jsonl` on the same documents in the same run. Prints the Markdown section
# bench/RESULTS.md keeps (bench/run.sh includes it).
#
#   bench/serve_load.sh [--build-dir DIR] [--models DIR] [--connections N] [--seconds S] [--docs N]
#
# Bounded: wrk stops after --seconds (default 30), the CLI reads --docs
# documents (default 300); only 127.0.0.1 is contacted. Needs wrk (Debian;
# tests/setup_test_tools.sh installs it) and the npm corpora.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
build_dir="${UNSPIN_BUILD_DIR:-$repo/build}"
models=""
connections=200
seconds=30
docs=300
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) build_dir="$2"; shift ;;
    --models) models="$2"; shift ;;
    --connections) connections="$2"; shift ;;
    --seconds) seconds="$2"; shift ;;
    --docs) docs="$2"; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "serve_load.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
command -v wrk >/dev/null || { echo "serve_load.sh: wrk is not installed (tests/setup_test_tools.sh installs it)" >&2; exit 3; }
unspin="$build_dir/bin/unspin"
unspin_eval="$build_dir/bin/unspin-eval"  # the harness: the corpus split and the spinners
model_args=()
[[ -n "$models" ]] && model_args=(--models "$models")
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
tmp=$(mktemp -d)
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

# ~2 KB documents: eval-part news cut at paragraph ends; every other one spun.
"$unspin_eval" eval corpus --part eval --out "$tmp/corpus" >/dev/null 2>&1
cat "$tmp"/corpus/*.txt >"$tmp/clean.txt"
"$unspin_eval" spin --style table --rate 0.5 --seed 13 "${model_args[@]}" "$tmp/clean.txt" >"$tmp/spun.txt" 2>/dev/null \
  || cp "$tmp/clean.txt" "$tmp/spun.txt"
"$PY" - "$tmp" "$docs" <<'EOF'
import json, re, sys
tmp, n = sys.argv[1], int(sys.argv[2])
def chunks(path):  # whole sentences up to ~2 KB; a line break where the corpus has one
    out, cur = [], ""
    for line in open(path, encoding="utf-8").read().split("\n"):
        for sentence in re.split(r"(?<=[.!?])\s+", line.strip()):
            if not sentence:
                continue
            if cur and len((cur + sentence).encode()) > 2048:
                out.append(cur.rstrip() + "\n")
                cur = ""
            cur += sentence + " "
        if cur:
            cur = cur.rstrip() + "\n\n"
    return out
clean, spun = chunks(tmp + "/clean.txt"), chunks(tmp + "/spun.txt")
docs = [(spun if i % 2 else clean)[i] for i in range(min(n, len(clean), len(spun)))]
with open(tmp + "/docs.jsonl", "w") as f:
    for i, d in enumerate(docs):
        f.write(json.dumps({"id": i, "text": d}) + "\n")
with open(tmp + "/bodies.lua", "w") as f:  # wrk: one request body per document
    f.write("bodies = {\n")
    for d in docs:
        f.write("  " + json.dumps(json.dumps({"text": d})) + ",\n")
    f.write("}\n")
print(len(docs), sum(len(d.encode()) for d in docs), file=open(tmp + "/docs.info", "w"))
EOF
read -r ndocs nbytes <"$tmp/docs.info"

load_before=$(cut -d' ' -f1 /proc/loadavg)
# The CLI on the same documents: one process (it decodes one document at a
# time), and one process per core on an equal share (all cores).
cores=$(nproc)
t0=$(date +%s.%N)
"$unspin" check --jsonl "${model_args[@]}" "$tmp/docs.jsonl" >/dev/null
t1=$(date +%s.%N)
split -n "l/$cores" "$tmp/docs.jsonl" "$tmp/part."
# all_cores: seconds for one process per core on an equal share each.
all_cores() {
  local start end
  start=$(date +%s.%N)
  for part in "$tmp"/part.*; do "$unspin" check --jsonl "${model_args[@]}" "$part" >/dev/null & done
  wait
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
cli_all_seconds_before=$(all_cores)
cli_one=$(echo "$nbytes / ($t1 - $t0) / 1000000" | bc -l)
cli_all_before=$(echo "$nbytes / $cli_all_seconds_before / 1000000" | bc -l)

# The server, warmed up, then wrk.
"$unspin" serve --port 0 --quiet --max-connections 256 "${model_args[@]}" 2>"$tmp/server.log" &
server_pid=$!
for _ in $(seq 1 100); do
  port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/server.log")
  [[ -n "$port" ]] && break
  sleep 0.1
done
[[ -n "$port" ]] || { echo "serve_load.sh: the server did not start: $(cat "$tmp/server.log")" >&2; exit 1; }
url="http://127.0.0.1:$port"
head -3 "$tmp/docs.jsonl" | while read -r line; do
  curl -s -o /dev/null "$url/v1/check" --data-binary "$("$PY" -c 'import json,sys; print(json.dumps({"text": json.loads(sys.argv[1])["text"]}))' "$line")"
done
rss() { awk -v k="$2" '$1 == k":" {print int($2 / 1024)}' "/proc/$1/status"; }
rss_before=$(rss "$server_pid" VmRSS)

cat >"$tmp/check.lua" <<EOF
dofile("$tmp/bodies.lua")
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  i = i % #bodies + 1
  return wrk.format(nil, "/v1/check", nil, bodies[i])
end
EOF
wrk -t2 -c"$connections" -d"${seconds}s" --timeout 60s --latency -s "$tmp/check.lua" "$url/v1/check" >"$tmp/wrk.txt" 2>&1
rss_after=$(rss "$server_pid" VmRSS)
rss_peak=$(rss "$server_pid" VmHWM)
load_after=$(cut -d' ' -f1 /proc/loadavg)
curl -s "$url/metrics" >"$tmp/metrics.txt"
# The HTTP layer alone: GET /healthz (no decoding) for 5 s, once the server
# has finished the documents of connections wrk dropped at its end.
for _ in $(seq 1 100); do
  curl -s "$url/metrics" | grep -qE '^unspin_(decoding|waiting) [1-9]' || break
  sleep 0.2
done
wrk -t2 -c"$connections" -d5s --latency "$url/healthz" >"$tmp/wrk-health.txt" 2>&1
kill -TERM "$server_pid"
wait "$server_pid" || true
server_pid=""
# The CLI on all cores again, after the load: the machine's other work varies.
cli_all_after=$(echo "$nbytes / $(all_cores) / 1000000" | bc -l)
cli_all=$(echo "($cli_all_before + $cli_all_after) / 2" | bc -l)

"$PY" - "$tmp" "$seconds" "$connections" "$ndocs" "$nbytes" "$cli_one" "$cli_all" "$cores" \
  "$rss_before" "$rss_after" "$rss_peak" "$load_before" "$load_after" "$cli_all_before" "$cli_all_after" <<'EOF'
import re, sys
tmp, seconds, conns, ndocs, nbytes = sys.argv[1], float(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
cli_one, cli_all, cores = float(sys.argv[6]), float(sys.argv[7]), sys.argv[8]
rss_before, rss_after, rss_peak, load_before, load_after = sys.argv[9:14]
cli_all_before, cli_all_after = float(sys.argv[14]), float(sys.argv[15])

def wrk(path):
    text = open(path).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    total = int(re.search(r"(\d+) requests in", text).group(1))
    p = {m.group(1): m.group(2) for m in re.finditer(r"^\s+(50|75|90|99)%\s+(\S+)", text, re.M)}
    errors = 0
    global errors_detail
    errors_detail = "no socket errors"
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        errors += sum(int(x) for x in m.groups())
        errors_detail = m.group(0)
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if m:
        errors += int(m.group(1))
    return rps, total, p, errors, text

rps, total, p, errors, raw = wrk(tmp + "/wrk.txt")
check_errors_detail = errors_detail
hrps, htotal, hp, herrors, _ = wrk(tmp + "/wrk-health.txt")
metrics = open(tmp + "/metrics.txt").read()
# Text of the requests wrk saw answered (it cycles through the documents evenly).
body_bytes = total * nbytes / ndocs
served = re.findall(r'unspin_http_requests_total\{route="/v1/check",status="(\d+)"\} (\d+)', metrics)
server_mbs = body_bytes / seconds / 1e6
ratio = server_mbs / cli_all if cli_all else float("nan")
print(f"wrk `-t2 -c{conns} -d{int(seconds)}s --timeout 60s` on `POST /v1/check`, {ndocs} documents of ~2 KB "
      f"({nbytes / ndocs / 1000:.1f} KB on average; half spun by `unspin-eval spin --style table --rate 0.5`), "
      f"server `unspin serve --max-connections 256` with one decode thread per core ({cores}); "
      f"all on 127.0.0.1, the load generator on the same {cores} cores; load average {load_before} before and {load_after} after the wrk run "
      f"(other work on the machine shares the cores).")
print()
print("| figure | value |")
print("|---|---|")
print(f"| requests | {total} in {int(seconds)} s, **{rps:.1f} requests/s** |")
print(f"| errors (socket errors + non-2xx) | **{errors}** ({check_errors_detail}) |")
print(f"| server answers by status | {', '.join(f'{s}: {n}' for s, n in served)} |")
print(f"| latency p50 / p90 / p99 | {p.get('50')} / {p.get('90')} / **{p.get('99')}** |")
print(f"| text checked by the server | {server_mbs:.3f} MB/s |")
print(f"| `unspin check --jsonl`, one process | {cli_one:.3f} MB/s |")
print(f"| `unspin check --jsonl`, {cores} processes (all cores), before / after the wrk run | "
      f"{cli_all_before:.3f} / {cli_all_after:.3f} MB/s, mean {cli_all:.3f} |")
print(f"| server / CLI on all cores (mean) | **{100 * ratio:.0f}%** (bar: at least 80%) |")
print(f"| server resident memory before / after / peak | {rss_before} / {rss_after} / {rss_peak} MiB |")
print(f"| HTTP layer alone: `GET /healthz`, same connections, 5 s | {hrps:.0f} requests/s, p99 {hp.get('99')}, {herrors} errors ({errors_detail}) |")
EOF
