#!/usr/bin/env bash
# The trace benchmark of issue 12: an archive of 100,000 ~300-word documents
# from the installed corpora (originals hidden among real excerpts,
# recombinations and near neighbours), queried with spun copies (every
# simulator style at rates 0.1-0.8), partial copies, clean copies and texts
# whose source is not in the archive. Prints the table bench/RESULTS.md keeps.
#
#   bench/trace_bench.sh [--build-dir DIR] [--archive FILE] [--reuse] [--quick] [-- EXTRA eval-trace ARGS]
#
# --quick: 10,000 documents, 30 originals (a few seconds; for trying changes).
# Default archive: a temporary file, removed afterwards (--archive keeps it).
# About 1-2 minutes on 2 cores; ~720 MB of disk for the 100k archive.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build_dir="${UNSPIN_BUILD_DIR:-$here/../build}"
archive=""
args=(--distractors 100000)
extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) build_dir="$2"; shift ;;
    --archive) archive="$2"; shift ;;
    --reuse) extra+=(--reuse) ;;
    --quick) args=(--distractors 10000 --originals 30 --partial 12 --unseen 60) ;;
    --) shift; extra+=("$@"); break ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "trace_bench.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
unspin_eval="$build_dir/bin/unspin-eval"
[[ -x "$unspin_eval" ]] || { echo "trace_bench.sh: no $unspin_eval; build first (cmake --build $build_dir)" >&2; exit 3; }
if [[ -z "$archive" ]]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  archive="$tmp/trace-bench.db"
fi
echo "commit $(git -C "$here/.." rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "command: $unspin_eval eval trace --archive $archive ${args[*]} ${extra[*]}"
"$unspin_eval" eval trace --archive "$archive" "${args[@]}" "${extra[@]}"
