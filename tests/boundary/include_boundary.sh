#!/usr/bin/env bash
# Fails when a product folder (src/, include/, python/) includes a header of the
# evaluation harness (harness/).
#
#   include_boundary.sh SOURCE_DIR
#
# Harness headers are included from the harness/ root ("eval/corpus.h",
# "trace_bench/bench.h"), so a product include is one whose path starts with a
# top-level folder of harness/ that holds headers, or that names harness/
# itself ("../harness/...", "harness/eval/..."). Product targets do not have
# harness/ on their include path, so the compiler refuses such includes too;
# this check also covers files no target compiles (headers, python/).
set -euo pipefail
SRC=$1
cd "$SRC"

mapfile -t dirs < <(find harness -name '*.h' -printf '%P\n' | cut -d/ -f1 | sort -u)
[ "${#dirs[@]}" -gt 0 ] || { echo "include_boundary: no header found under harness/" >&2; exit 2; }
alternation=$(IFS='|'; echo "${dirs[*]}")
pattern="^[[:space:]]*#[[:space:]]*include[[:space:]]*[\"<](([^\">]*/)?harness/|(${alternation})/)"

if hits=$(grep -rnE --include='*.h' --include='*.hpp' --include='*.cpp' --include='*.cc' --include='*.c' \
            "$pattern" src include python); then
  echo "include_boundary: FAIL: product files include harness headers:" >&2
  echo "$hits" >&2
  exit 1
fi
echo "ok: no file under src/, include/ or python/ includes a header of harness/ (${dirs[*]})"
