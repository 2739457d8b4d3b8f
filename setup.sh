#!/usr/bin/env bash
# unspin quick start, step 1 of 2: installs what unspin needs from Debian and npm,
# builds it (Release), compiles the default models into ./models, and runs the
# main job on a bundled example. Run as root on Debian 12. Idempotent: a second
# run installs nothing, rebuilds nothing and finishes in seconds.
set -euo pipefail
cd "$(dirname "$0")"

BUILD_DIR=${UNSPIN_BUILD_DIR:-build}
APT_PACKAGES=(
  # toolchain
  g++ cmake ninja-build pkg-config
  # libraries
  libcli11-dev nlohmann-json3-dev zlib1g-dev libicu-dev libsphinxbase-dev libsqlite3-dev libcpp-httplib-dev
  libgumbo-dev  # HTML input (--html): an HTML5 parser
  libgtest-dev libgmock-dev libbenchmark-dev
  # the Python module (python/) and its tests; Dask for `python3 -m unspin.dask` (docs/SCALE.md)
  python3-dev pybind11-dev python3-pybind11 python3-pytest python3-dask python3-distributed
  # test tools: strace proves a refused 2 GB input is never read; curl drives the service's e2e tests
  strace curl
  # /usr/bin/time: the e2e tests' time and memory budgets (shapes, jsonl_stream)
  time
  # embedded data (see README "Models and licences")
  pocketsphinx-en-us wordnet-base mythes-en-us libaiksaurus-1.2-data
  # evaluation corpora read from /usr/share (harness/eval/doc_corpora.h): technical prose from Debian's
  # documentation packages and man pages (WordNet's glosses come from wordnet-base above). Never
  # debian-handbook: the Debian Administrator's Handbook is a held-out genre.
  debian-reference-en developers-reference debian-policy maint-guide debian-faq manpages python3.11-doc
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ! command -v npm >/dev/null 2>&1; then missing+=(nodejs npm); fi
if ((${#missing[@]})); then
  if [ "$(id -u)" != 0 ]; then
    echo "setup.sh: these Debian packages are missing: ${missing[*]}" >&2
    echo "setup.sh: run as root (or: sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "==> Installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Text corpora for the evaluation harness and the round-trip tests (npm, pinned by package-lock.json).
# unspin itself runs without them: when the npm registry cannot be reached,
# setup warns and goes on, and the tests that need the corpora skip.
if ! cmp -s corpora/package-lock.json corpora/node_modules/.unspin-installed.json 2>/dev/null; then
  echo "==> Installing npm corpora"
  if (cd corpora && npm ci --no-audit --no-fund --loglevel=error); then
    cp corpora/package-lock.json corpora/node_modules/.unspin-installed.json
  else
    echo "setup.sh: WARNING: npm could not install the corpora (see above); the evaluation" >&2
    echo "setup.sh: harness and the corpus tests need them: rerun ./setup.sh when npm works." >&2
  fi
fi

if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
  echo "==> Configuring ($BUILD_DIR, Release)"
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
echo "==> Building unspin and compiling the default models into ./models"
cmake --build "$BUILD_DIR" -j"$(nproc)" | { grep -vE '^\[[0-9]+/[0-9]+\] (Building|Linking)' || true; }

if grep -q '^UNSPIN_BUILD_PYTHON:BOOL=ON' "$BUILD_DIR/CMakeCache.txt"; then
  # Debian's Python refuses `pip install` outside a venv: the package goes
  # where Debian puts local modules (/usr/local/lib/python3.X/dist-packages).
  if [ -w /usr/local/lib ]; then
    echo "==> Installing the Python module (import unspin)"
    cmake --install "$BUILD_DIR" --component python | { grep -v -e '^-- Up-to-date' -e '^-- Install configuration' || true; }
    /usr/bin/python3 -c 'import unspin' || { echo "setup.sh: the installed Python module does not import" >&2; exit 1; }
  else
    echo "setup.sh: not root: the Python module is not installed (use PYTHONPATH=$BUILD_DIR/python)" >&2
  fi
fi

echo "==> Example: unspin check examples/spun-news.txt"
"$BUILD_DIR/bin/unspin" check examples/spun-news.txt
echo "==> Example: unspin restore examples/spun-news.txt"
"$BUILD_DIR/bin/unspin" restore examples/spun-news.txt
echo "==> Example, with the spinner's table given: unspin restore --lexicon examples/spinner-table.txt examples/spun-news.txt"
"$BUILD_DIR/bin/unspin" restore --lexicon examples/spinner-table.txt examples/spun-news.txt
echo
echo "Done. The CLI is $BUILD_DIR/bin/unspin; run the tests with ./test.sh"
