#!/usr/bin/env bash
# Installs this build into a temporary prefix, builds the out-of-tree example plugin against
# it with find_package(optbench), and runs it through the installed optbench.
set -euo pipefail
build=$1 source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$source" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/build" >/dev/null
OPTBENCH_PLUGIN_PATH="$work/build" "$work/prefix/bin/optbench" run --optimizers hill_climber \
  --problems sphere:dim=5 --budget 300 --seeds 2 --out "$work/out" >/dev/null
ok_rows=$(grep -c ',ok,budget,' "$work/out/runs.csv")
[[ $ok_rows == 2 ]] || { echo "expected 2 ok rows, got $ok_rows"; cat "$work/out/runs.csv"; exit 1; }
echo "out-of-tree plugin built and ran: $ok_rows ok rows"
