#!/usr/bin/env bash
# Regenerates a published results folder from its campaign file: results/NAME from
# campaigns/NAME.campaign (run, then report; the report's targets come from
# campaigns/NAME.targets when it exists, and campaigns/NAME.published.csv, values others
# published for these problems, is set beside the runs when it exists).
# Usage: scripts/reproduce.sh NAME [run options]
#        scripts/reproduce.sh NAME --report-only   (the report alone, from the folder's CSVs:
#        after a change of the report, without resuming runs made by earlier builds)
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: scripts/reproduce.sh NAME [run options | --report-only], with campaigns/NAME.campaign}
shift
[[ -f campaigns/$name.campaign ]] || { echo "no campaign file campaigns/$name.campaign" >&2; exit 2; }
if [[ ${1:-} == --report-only ]]; then
  (($# == 1)) || { echo "--report-only takes no other option" >&2; exit 2; }
  [[ -f results/$name/runs.csv ]] || { echo "results/$name has no runs.csv to report on" >&2; exit 2; }
else
  build/bin/optbench run --campaign "campaigns/$name.campaign" --out "results/$name" "$@"
fi
targets=()
# A targets file: values separated by commas, spaces or lines; '#' starts a comment.
[[ -f campaigns/$name.targets ]] &&
  targets=(--targets "$(sed 's/#.*//' "campaigns/$name.targets" | tr -s '[:space:],' '\n' | sed '/^$/d' | paste -sd, -)")
published=()
[[ -f campaigns/$name.published.csv ]] && published=(--published "campaigns/$name.published.csv")
build/bin/optbench report "results/$name" "${targets[@]}" "${published[@]}"
