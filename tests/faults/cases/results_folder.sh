# The results folder: one process writes it at a time (a second campaign, shard or merge is
# refused or waits), a folder of other files is never written, a part damaged after it was
# written is named and its run runs again, and a worker killed from outside costs no result.

# A slow campaign: 24 runs of about 0.3 s each, so that it still holds the folder when the
# second command has loaded its plugins (the Python bridge starts an interpreter; a loaded
# machine saw 0.1 s runs end first).
BUSY=(--optimizers random_search --problems sphere:dim=1000 --budget 60000 --seeds 24 --jobs 2)
QUICK=(--optimizers random_search --problems sphere:dim=3 --budget 50 --seeds 3 --jobs 1)

busy_or_ended() { has_finished_runs "$1" 1 || ! observed_running busy; }

# start_busy DIR: the slow campaign runs into DIR and holds its lock (a run has finished).
start_busy() {
  start_observed busy optbench run "${BUSY[@]}" --out "$1"
  wait_until "a finished run in $1" 120 busy_or_ended "$1"
  observed_running busy || fail_case failed "the campaign ended before the second command; lengthen BUSY"
}

case_two_campaigns_into_one_folder_never_mix() {
  local reference
  reference=$(reference_campaign busy "${BUSY[@]}")
  start_busy out
  expect_fail 2 "results folder out is in use by another optbench process \(pid [0-9]+ since .*\); wait until it ends, or add --wait-lock" \
    --names out -- optbench run "${QUICK[@]}" --out out
  finish_observed busy
  expect_status "exit 0"
  expect_same_results out "$reference"
}

case_a_waiting_campaign_runs_after_the_first() {
  local reference
  reference=$(reference_campaign busy "${BUSY[@]}")
  start_busy out
  observe optbench run "${BUSY[@]}" --wait-lock --out out
  check_no_crash
  expect_status "exit 0"
  [[ ${OBSERVED_ERR_LINES[0]:-} == "waiting for another optbench process (pid "* ]] ||
    fail_case unclear "the waiting campaign did not say so: ${OBSERVED_ERR_LINES[*]:-nothing}"
  finish_observed busy
  expect_status "exit 0"
  expect_same_results out "$reference"
}

case_a_different_campaign_waiting_is_refused_after_the_wait() {
  start_busy out
  observe optbench run "${QUICK[@]}" --wait-lock --out out
  check_no_crash
  expect_status "exit 2"
  [[ ${OBSERVED_ERR_LINES[-1]} == *"holds results of a different campaign"* ]] ||
    fail_case unclear "no refusal after the wait: ${OBSERVED_ERR_LINES[*]}"
  finish_observed busy
  grep -q ',50,' out/runs.csv && fail_case lost "runs of the waiting campaign (budget 50) in out/runs.csv"
  true
}

case_merge_of_a_shard_still_running_is_refused() {
  start_busy shard
  expect_fail 2 "results folder shard is in use by another optbench process" --names shard -- \
    optbench merge --out merged shard
  finish_observed busy
  expect_nothing_written merged
}

case_folder_of_other_files_is_refused() {
  mkdir out
  echo "not optbench's" > out/runs.csv
  echo "notes" > out/notes.txt
  snapshot out
  expect_fail 2 "results folder out holds files optbench did not write \(notes.txt, runs.csv\): use a new or empty folder" \
    --names out -- optbench run "${QUICK[@]}" --out out
  expect_unchanged out
}

case_empty_folder_is_taken() {
  mkdir out
  expect_ok optbench run "${QUICK[@]}" --out out
  [[ $(csv_rows out/runs.csv) -eq 3 ]] || fail_case failed "expected 3 runs in out/runs.csv"
}

# damage_and_resume HOW: a finished campaign, one part damaged by HOW (a command on the part
# file), then the same command: the part is named, its run runs again, the results are whole.
damage_and_resume() {
  local reference
  reference=$(reference_campaign quick "${QUICK[@]}")
  expect_ok optbench run "${QUICK[@]}" --out out
  local part=out/parts/run-000001.trace.csv
  "$@" "$part"
  observe optbench run "${QUICK[@]}" --out out
  check_no_crash
  expect_status "exit 0"
  expect_one_error_line "^warning: damaged result part out/parts/run-000001.trace.csv: .*; run 1 runs again$"
  expect_same_results out "$reference"
}
cut_in_half() { head -c "$(($(stat -c %s "$1") / 2))" "$1" > "$1.cut" && mv "$1.cut" "$1"; }
cut_last_line() { sed -i '$d' "$1"; }
change_a_digit() { sed -i '2s/[0-9]/7/' "$1"; }
case_part_cut_in_half_runs_again() { damage_and_resume cut_in_half; }
case_part_without_its_last_line_runs_again() { damage_and_resume cut_last_line; }
case_part_with_a_changed_digit_runs_again() { damage_and_resume change_a_digit; }

case_worker_killed_every_attempt_is_an_error_row_after_the_retries() {
  use_plugins "$TEST_PLUGINS"
  observe optbench run --optimizers random_search,misbehaving:mode=killed --problems sphere:dim=3 --budget 20 \
    --retries 1 --out out
  check_no_crash
  expect_status "exit 0"
  grep -qF ",error,crash,\"the run's process was killed by signal 9 (Killed) (out of memory? see --run-memory), in each of 2 attempts (--retries 1)\"," out/runs.csv ||
    fail_case unclear "no error row saying it was killed in each attempt: $(sed -n 3p out/runs.csv)"
  [[ $(csv_rows out/attempts.csv) -eq 2 ]] || fail_case failed "attempts.csv does not list the 2 attempts"
  expect_ok optbench run --optimizers random_search,misbehaving:mode=killed --problems sphere:dim=3 --budget 20 \
    --retries 1 --out out
  [[ $(csv_rows out/attempts.csv) -eq 2 ]] || fail_case failed "a resume ran the error row again"
}

case_truncated_plugin_is_a_warning_and_the_rest_load() {
  use_plugins "$TEST_PLUGINS"
  mkdir cut
  head -c 20000 "$TEST_PLUGINS/misbehaving.so" > cut/misbehaving.so
  export OPTBENCH_PLUGIN_PATH=$PWD/cut
  observe optbench list
  check_no_crash
  expect_status "exit 0"
  expect_one_error_line "^warning: skipped .*damaged shared library: .* but the file has 20000 bytes \(truncated copy\?\)$" \
    "$PWD/cut/misbehaving.so"
}
