#!/usr/bin/env bash
# Test-only tools, beyond what ./setup.sh installs: headless Chromium and its
# driver with Debian's Selenium bindings for the web page's browser test
# (tests/browser/page_test.py), and wrk for the service's load test
# (bench/serve_load.sh). .ci/run calls this; without it those tests skip.
# Idempotent; run as root on Debian 12.
set -euo pipefail
PACKAGES=(chromium chromium-driver python3-selenium wrk curl)
missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
((${#missing[@]})) || exit 0
if [ "$(id -u)" != 0 ]; then
  echo "setup_test_tools.sh: missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "==> Installing test tools: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
