#!/usr/bin/env bash
# Formats the C++ sources with clang-format and the repository's .clang-format
# (Debian's clang-format). --check: list the files that are not formatted
# and exit 1, changing nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=(-i)
[[ "${1:-}" == "--check" ]] && mode=(--dry-run --Werror)
git ls-files '*.cpp' '*.h' | xargs clang-format "${mode[@]}"
