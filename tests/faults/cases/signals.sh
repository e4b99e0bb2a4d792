# A campaign stopped by a signal: SIGINT (Ctrl-C, to the whole process group) and SIGTERM (a
# batch system's time limit, to every process; or `kill PID`) stop it cleanly, exit 128 + n
# with one line saying so, and keep every finished run in runs.csv; SIGKILL cannot be caught,
# but takes the workers with it and loses nothing finished. Each time, running the same
# command again must finish the campaign with exactly the results of an uninterrupted one.
#
# No timing is assumed: the signal goes out once a run has finished, and a campaign of 24 runs
# of about 0.1 s each leaves time enough to arrive before the last one; if it ever does not,
# the case says so rather than passing.

SLOW=(--optimizers random_search --problems sphere:dim=1000 --budget 20000 --seeds 24 --jobs 2)
SLOW_RUNS=24

# interrupt_slow_campaign DIR SIGNAL group|process: starts the slow campaign into DIR, sends
# SIGNAL once a run has finished, to the campaign's process group or its process only, and
# waits for it to end.
interrupt_slow_campaign() {
  local out=$1 signal=$2 target=$3
  start_observed campaign optbench run "${SLOW[@]}" --out "$out"
  wait_until "a finished run in $out" 120 finished_run_or_end "$out"
  observed_running campaign || fail_case failed "the campaign ended before the signal; lengthen SLOW"
  local pid
  pid=$(observed_pid campaign)
  if [[ $target == group ]]; then kill "-$signal" -- "-$pid"; else kill "-$signal" "$pid"; fi
  finish_observed campaign
}

finished_run_or_end() { has_finished_runs "$1" 1 || ! observed_running campaign; }

# expect_clean_interruption DIR SIGNAL_NUMBER REFERENCE: the campaign said it was interrupted
# and how to resume, and DIR's runs.csv holds its finished runs, each as the uninterrupted
# campaign has it.
expect_clean_interruption() {
  local out=$1 number=$2 reference=$3
  expect_status "exit $((128 + number))"
  expect_one_error_line "interrupted by signal $number .*runs.csv holds the [0-9]+ finished runs, the same command resumes"
  [[ -f $out/runs.csv ]] || fail_case lost "no runs.csv after the interruption"
  local rows parts said
  rows=$(csv_rows "$out/runs.csv")
  parts=$(finished_runs "$out")
  [[ ${OBSERVED_ERR_LINES[0]} =~ holds\ the\ ([0-9]+)\ finished ]] && said=${BASH_REMATCH[1]}
  ((rows == parts)) || fail_case lost "runs.csv holds $rows runs, parts/ $parts finished ones"
  ((rows == said)) || fail_case unclear "the message says $said finished runs, runs.csv holds $rows"
  ((rows < SLOW_RUNS)) || fail_case failed "all $SLOW_RUNS runs finished before the signal; lengthen SLOW"
  note "interrupted with $rows of $SLOW_RUNS runs finished"
  expect_rows_from_reference "$out" "$reference"
  grep -q '"ended": null' "$out/manifest.json" || fail_case unclear "the manifest of an interrupted campaign has an end time"
}

# process_group_alive PGID: a process of the group is still running (zombies do not count:
# in a container nobody may reap them).
process_group_alive() {
  ps -e -o pgid=,stat= | awk -v group="$1" '$1 == group && $2 !~ /^Z/ { alive = 1 } END { exit !alive }'
}

# interrupt_and_resume SIGNAL NUMBER group|process: the slow campaign interrupted cleanly, then
# resumed to the uninterrupted results.
interrupt_and_resume() {
  local reference
  reference=$(reference_campaign slow "${SLOW[@]}")
  interrupt_slow_campaign out "$1" "$3"
  expect_clean_interruption out "$2" "$reference"
  expect_ok optbench run "${SLOW[@]}" --out out
  expect_same_results out "$reference"
}
case_sigterm_to_group_keeps_finished_runs_and_resumes() { interrupt_and_resume TERM 15 group; }
case_sigterm_to_campaign_process_keeps_finished_runs_and_resumes() { interrupt_and_resume TERM 15 process; }
case_sigint_to_group_keeps_finished_runs_and_resumes() { interrupt_and_resume INT 2 group; }

case_sigkill_to_campaign_loses_nothing_finished() {
  local reference
  reference=$(reference_campaign slow "${SLOW[@]}")
  interrupt_slow_campaign out KILL process
  expect_status "signal 9"
  # The workers must not outlive the campaign (they would write into the folder being resumed).
  wait_until "the workers to end with the campaign" 60 eval '! process_group_alive "$(observed_pid campaign)"'
  local finished
  finished=$(finished_runs out)
  ((finished < SLOW_RUNS)) || fail_case failed "all runs finished before the signal; lengthen SLOW"
  note "killed with $finished of $SLOW_RUNS runs finished"
  expect_ok optbench run "${SLOW[@]}" --out out
  grep -q "($finished already done)" "$OBSERVED_OUT" ||
    fail_case lost "the resume did not keep the $finished runs finished before the kill: $(grep 'already done' "$OBSERVED_OUT")"
  expect_same_results out "$reference"
}

case_signal_during_resume_then_resume_again() {
  # Interrupted twice: the second stop must keep the runs of both attempts.
  local reference
  reference=$(reference_campaign slow "${SLOW[@]}")
  interrupt_slow_campaign out TERM group
  expect_status "exit 143"
  local first
  first=$(finished_runs out)
  start_observed campaign optbench run "${SLOW[@]}" --out out
  wait_until "a run finished by the resumed campaign" 120 eval '(($(finished_runs out) > first)) || ! observed_running campaign'
  observed_running campaign || fail_case failed "the resumed campaign ended before the signal; lengthen SLOW"
  kill -INT -- "-$(observed_pid campaign)"
  finish_observed campaign
  expect_clean_interruption out 2 "$reference"
  expect_ok optbench run "${SLOW[@]}" --out out
  expect_same_results out "$reference"
}

case_sigkill_to_a_worker_costs_no_result() {
  # A worker killed from outside (the out-of-memory killer, a user): the run it was running runs
  # again (--retries), so the campaign ends with exactly the uninterrupted results.
  local reference
  reference=$(reference_campaign slow "${SLOW[@]}")
  start_observed campaign optbench run "${SLOW[@]}" --out out
  wait_until "a finished run in out" 120 finished_run_or_end out
  observed_running campaign || fail_case failed "the campaign ended before the kill; lengthen SLOW"
  local worker
  worker=$(worker_pids campaign | head -n1)
  [[ -n $worker ]] || fail_case failed "no worker process found"
  kill -KILL "$worker"
  finish_observed campaign
  check_no_crash
  expect_status "exit 0"
  # The worker may have been between runs: then no attempt failed.
  [[ ! -f out/attempts.csv ]] || grep -q "killed by signal 9" out/attempts.csv ||
    fail_case unclear "attempts.csv does not say the attempt was killed: $(cat out/attempts.csv)"
  note "killed worker $worker; failed attempts: $(csv_rows out/attempts.csv 2>/dev/null || echo 0)"
  expect_same_results out "$reference"
}
