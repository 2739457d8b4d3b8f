#!/usr/bin/env bash
# unspin quick start, step 2 of 2: builds what changed and runs every test
# (unit, property, end-to-end, fuzz-seed replays). Run ./setup.sh first.
set -euo pipefail
cd "$(dirname "$0")"
BUILD_DIR=${UNSPIN_BUILD_DIR:-build}
# The browser and load tests' tools (Chromium, chromedriver, Selenium, wrk);
# as root this installs what is missing, otherwise those tests skip.
if [ "$(id -u)" = 0 ]; then bash tests/setup_test_tools.sh; fi
cmake --build "$BUILD_DIR" -j"$(nproc)" | { grep -vE '^\[[0-9]+/[0-9]+\] (Building|Linking)' || true; }
ctest --test-dir "$BUILD_DIR" --output-on-failure -j"$(nproc)" "$@"
