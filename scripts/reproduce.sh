#!/usr/bin/env bash
# Regenerates a published results folder from its campaign file: results/NAME from
# campaigns/NAME.campaign (run, then report; the report's targets come from
# campaigns/NAME.targets when it exists, and campaigns/NAME.published.csv, values others
# published for these problems, is set beside the runs when it exists).
# Usage: scripts/reproduce.sh NAME [run options]
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: scripts/reproduce.sh NAME [run options], with campaigns/NAME.campaign}
shift
[[ -f campaigns/$name.campaign ]] || { echo "no campaign file campaigns/$name.campaign" >&2; exit 2; }
build/bin/optbench run --campaign "campaigns/$name.campaign" --out "results/$name" "$@"
targets=()
# A targets file: values separated by commas, spaces or lines; '#' starts a comment.
[[ -f campaigns/$name.targets ]] &&
  targets=(--targets "$(sed 's/#.*//' "campaigns/$name.targets" | tr -s '[:space:],' '\n' | sed '/^$/d' | paste -sd, -)")
published=()
[[ -f campaigns/$name.published.csv ]] && published=(--published "campaigns/$name.published.csv")
build/bin/optbench report "results/$name" "${targets[@]}" "${published[@]}"
