#!/usr/bin/env bash
# docs/ARCHITECTURE.md stays the short design document issue 31 asked for: at
# most 200 lines of at most 100 characters, and every file it names as the
# place a decision is made exists, with the function it names in it.
set -euo pipefail
doc="$1/docs/ARCHITECTURE.md"
status=0
lines=$(wc -l <"$doc")
if ((lines > 200)); then echo "$doc: $lines lines (at most 200)"; status=1; fi
awk 'length > 100 { print FILENAME ":" FNR ": " length " characters (at most 100)"; bad = 1 } END { exit bad }' "$doc" || status=1
# Rows of "| question | `file : function` |".
while IFS= read -r ref; do
  file="${ref%% : *}"
  fn="${ref##* : }"
  fn="${fn##*::}"
  if [[ ! -f "$1/$file" ]]; then echo "$doc names $file, which does not exist"; status=1; continue; fi
  grep -q "$fn(" "$1/$file" || { echo "$doc names $fn in $file, which does not hold it"; status=1; }
done < <(grep -o '`src/[^`]* : [^`]*`' "$doc" | tr -d '`')
exit "$status"
