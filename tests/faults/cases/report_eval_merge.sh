# report, eval and merge on bad input: one error line naming the file (and line, column) or
# folder, and the inputs left as they were; a refused merge writes nothing.

# Found defects (these cases fail today because of optbench, not of the case):

REPORTED=(--optimizers random_search --problems sphere:dim=3,rastrigin:dim=3 --budget 100 --seeds 2 --jobs 2)
SHARDED=(--optimizers random_search --problems sphere:dim=3,rastrigin:dim=3 --budget 300 --seeds 2 --jobs 2)

# results DIR: a copy of what report reads of a small finished campaign (run once per suite).
results() {
  local reference
  reference=$(reference_campaign reported "${REPORTED[@]}")
  mkdir "$1"
  cp "$reference"/{runs,trace,stats}.csv "$reference/manifest.json" "$1"/
}

# shard DIR K [ARGS...]: a copy of shard K/2 of the sharded campaign, or of another campaign's
# when ARGS are given (each run once per suite).
shard() {
  local dir=$1 k=$2 name=sharded
  shift 2
  local args=("${SHARDED[@]}")
  if [[ $# -gt 0 ]]; then
    args=("$@")
    name=other
  fi
  local reference
  reference=$(reference_campaign "$name-$k" "${args[@]}" --shard "$k/2")
  cp -r "$reference" "$dir"
}

# report_fails REGEX TEXT: `report results` fails naming TEXT and leaves the folder unchanged.
report_fails() {
  snapshot results
  expect_fail 2 "$1" --names "$2" -- optbench report results
  expect_unchanged results
}

# report

case_report_missing_folder() { expect_fail 2 "results folder no-such does not exist" -- optbench report no-such; }
case_report_empty_folder() {
  mkdir results
  report_fails "missing; results does not look like a finished optbench run" results/runs.csv
}
case_report_results_is_a_file() {
  echo "not results" > results
  expect_fail 2 "is a file: expected the folder" --names results -- optbench report results
}
case_report_without_runs_csv() {
  results results
  rm results/runs.csv
  report_fails "missing" results/runs.csv
}
case_report_truncated_last_line() {
  results results
  # Cut the last row in its middle, as a copy that ran out of space would.
  local last
  last=$(tail -n1 results/runs.csv)
  truncate -s $(($(stat -c %s results/runs.csv) - ${#last} / 2 - 1)) results/runs.csv
  report_fails "line $(wc -l < results/runs.csv | awk '{ print $1 + 1 }'): [0-9]+ fields, the header has [0-9]+" results/runs.csv
}
case_report_wrong_header() {
  results results
  sed -i '1s/,best_f,/,bestf,/' results/runs.csv
  report_fails "no column 'best_f'" results/runs.csv
}
case_report_header_missing() {
  results results
  sed -i '1d' results/runs.csv
  report_fails "no column 'run_id'" results/runs.csv
}
case_report_empty_runs_csv() {
  results results
  : > results/runs.csv
  report_fails "empty file, expected a header row" results/runs.csv
}
case_report_binary_runs_csv() {
  results results
  gzip -c results/trace.csv > results/runs.csv  # bytes that are no CSV
  report_fails "no column" results/runs.csv
}
case_report_garbage_status() {
  results results
  sed -i '3s/,ok,/,maybe,/' results/runs.csv
  report_fails "line 3 column status: 'maybe', expected ok, error or not_applicable" results/runs.csv
}
case_report_garbage_number() {
  results results
  sed -i -E '3s/^(([^,]*,){10})[^,]*/\1abc/' results/runs.csv  # evals, the 11th column
  report_fails "line 3 column evals: 'abc', expected a number" results/runs.csv
}
case_report_garbage_run_id() {
  results results
  sed -i '4s/^[0-9]*,/x,/' results/runs.csv
  report_fails "line 4 column run_id: 'x', expected a whole number" results/runs.csv
}
case_report_negative_dimension() {
  results results
  sed -i -E '3s/^(([^,]*,){6})[^,]*/\1-3/' results/runs.csv  # dim, the 7th column
  report_fails "line 3 column dim: '-3', expected a whole number" results/runs.csv
}
case_report_duplicate_run() {
  results results
  sed -n '2p' results/runs.csv >> results/runs.csv
  report_fails "run_id 0 appears twice" results/runs.csv
}
case_report_truncated_trace() {
  results results
  truncate -s -30 results/trace.csv
  report_fails "line [0-9]+: [0-9]+ fields, the header has 6" results/trace.csv
}
case_report_trace_of_unknown_run() {
  results results
  echo "999,1,1,1,1,0" >> results/trace.csv
  report_fails "run_id 999 is not in runs.csv" results/trace.csv
}
case_report_garbage_manifest() {
  results results
  echo "{garbage" > results/manifest.json
  report_fails "not a manifest optbench wrote" results/manifest.json
}

# eval

# points LINE...: writes points.txt, one argument per line.
points() { printf '%s\n' "$@" > points.txt; }

case_eval_points_missing_file() { expect_fail 2 "points file no-such.txt cannot be read: No such file or directory" -- optbench eval --problem sphere:dim=3 --points no-such.txt; }
case_eval_points_is_a_folder() {
  mkdir points
  expect_fail 2 "folder|directory|cannot be read" --names points -- optbench eval --problem sphere:dim=3 --points points
}
case_eval_points_too_few_coordinates() { points "1 2 3" "1 2"; expect_fail 2 "points file points.txt line 2: has 2 coordinates, the problem has 3" -- optbench eval --problem sphere:dim=3 --points points.txt; }
case_eval_points_too_many_coordinates() { points "1 2 3 4"; expect_fail 2 "points file points.txt line 1: has 4 coordinates, the problem has 3" -- optbench eval --problem sphere:dim=3 --points points.txt; }
case_eval_points_not_a_number() { points "1 2 x"; expect_fail 2 "points file points.txt line 1, column 3: 'x' is not a finite number" -- optbench eval --problem sphere:dim=3 --points points.txt; }
case_eval_points_nan() { points "nan 0 0"; expect_fail 2 "line 1, column 1: 'nan' is not a finite number" --names points.txt -- optbench eval --problem sphere:dim=3 --points points.txt; }
case_eval_points_overflow() { points "1e999 0 0"; expect_fail 2 "line 1, column 1: '1e999' is not a finite number" --names points.txt -- optbench eval --problem sphere:dim=3 --points points.txt; }
case_eval_points_wrong_separator() { points "1;2;3"; expect_fail 2 "line 1, column 1: '1;2;3' is not a finite number" --names points.txt -- optbench eval --problem sphere:dim=3 --points points.txt; }
case_eval_points_empty_field() { points "1,2,,3"; expect_fail 2 "line 1, column 3: empty, expected a finite number" --names points.txt -- optbench eval --problem sphere:dim=3 --points points.txt; }
case_eval_points_binary() {
  gzip -c /dev/null > points.txt
  expect_fail 2 "points file points.txt holds a NUL byte \\(at byte [0-9]+\\): expected a text file" --names points.txt -- optbench eval --problem sphere:dim=3 --points points.txt
}
case_eval_two_problems() { points "1 2 3"; expect_fail 2 "exactly one problem" -- optbench eval --problem sphere,rastrigin --points points.txt; }

# merge

case_merge_shards_of_different_campaigns() {
  shard a0 0
  shard b1 1 "${SHARDED[@]/300/400}"  # the same campaign with another budget
  snapshot a0
  snapshot b1
  expect_fail 2 "a0 and b1 hold different campaigns" -- optbench merge --out merged a0 b1
  expect_nothing_written merged
  expect_unchanged a0
  expect_unchanged b1
}
case_merge_into_folder_of_another_campaign() {
  shard a0 0
  shard a1 1
  shard other 0 "${SHARDED[@]/300/400}"
  snapshot other
  expect_fail 2 "output folder other holds results of a different campaign" -- optbench merge --out other a0 a1
  expect_unchanged other
}
case_merge_missing_shard() {
  shard a0 0
  expect_fail 2 "2 of 4 runs are missing from the shards: run_id 1, 3" -- optbench merge --out merged a0
  expect_nothing_written merged
}
case_merge_same_shard_twice() {
  shard a0 0
  expect_fail 2 "run 0 is in both a0 and a0; refusing to merge duplicates" -- optbench merge --out merged a0 a0
  expect_nothing_written merged
}
case_merge_not_a_campaign_folder() {
  shard a0 0
  mkdir not-results
  expect_fail 2 "not-results is not a campaign's results folder \\(no parts/\\)" -- optbench merge --out merged a0 not-results
  expect_nothing_written merged
}
