#!/usr/bin/env bash
# Regenerates a published results folder from its campaign file: results/NAME from
# campaigns/NAME.campaign (run, then report; the report's targets come from
# campaigns/NAME.targets when it exists). Usage: scripts/reproduce.sh NAME [run options]
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: scripts/reproduce.sh NAME [run options], with campaigns/NAME.campaign}
shift
[[ -f campaigns/$name.campaign ]] || { echo "no campaign file campaigns/$name.campaign" >&2; exit 2; }
build/bin/optbench run --campaign "campaigns/$name.campaign" --out "results/$name" "$@"
targets=()
[[ -f campaigns/$name.targets ]] && targets=(--targets "$(grep -v '^#' "campaigns/$name.targets" | tr -d '[:space:]')")
build/bin/optbench report "results/$name" "${targets[@]}"
