#!/usr/bin/env bash
# The second README command: install what is missing, fetch the data, build, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/fetch-data.sh
scripts/build.sh
ctest --test-dir build --output-on-failure -j 2
