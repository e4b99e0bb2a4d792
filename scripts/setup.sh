#!/usr/bin/env bash
# The first README command: install what is missing, fetch the data, build, and run the
# default campaign (results/demo/).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/fetch-data.sh
scripts/build.sh
# results/demo is scratch output, not published: started afresh, so a changed demo campaign
# (after a pull) runs instead of being refused as a different campaign in the same folder.
rm -rf results/demo
build/bin/optbench run --campaign campaigns/demo.campaign --out results/demo
