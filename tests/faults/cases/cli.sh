# Bad command lines: each must be refused (exit 2) with one error line naming the bad value.
# (Every value is checked before the output folder is made; out_empty and out_is_a_file check
# that nothing is written where it should not be.)

# Found defects (these cases fail today because of optbench, not of the case):

# tiny [OPTION VALUE]...: sets RUN to the arguments of a valid tiny campaign with these options
# replaced or added, so that a case changes one thing and the error can only be about it.
# (Replaced, not appended: optbench refuses an option given twice.)
tiny() {
  local -A given=()
  local order=(--optimizers --problems --budget --jobs --out) option
  local -A defaults=([--optimizers]=random_search [--problems]=sphere:dim=3 [--budget]=20 [--jobs]=1 [--out]=out)
  while [[ $# -gt 0 ]]; do
    [[ -v defaults[$1] ]] || order+=("$1")
    given[$1]=$2
    shift 2
  done
  RUN=()
  for option in "${order[@]}"; do
    if [[ -v given[$option] ]]; then RUN+=("$option" "${given[$option]}")
    else RUN+=("$option" "${defaults[$option]}"); fi
  done
}

# Commands and options
case_no_command() {
  # The usage text, not one error line: without a command, the list of commands is the answer.
  observe optbench
  check_no_crash
  [[ $OBSERVED_CODE == 2 ]] || fail_case failed "exit $OBSERVED_CODE, expected 2"
  head -n1 "$OBSERVED_ERR" | grep -q '^usage: optbench COMMAND' || fail_case unclear "no usage on stderr"
}
case_unknown_command() { expect_fail 2 "unknown command" --names frobnicate -- optbench frobnicate; }
case_unknown_option_run() { tiny; expect_fail 2 "unrecognised option" --names --bogus -- optbench run "${RUN[@]}" --bogus; }
case_unknown_option_list() { expect_fail 2 "unrecognised option" --names --bogus -- optbench list --bogus; }
case_unknown_option_describe() { expect_fail 2 "unrecognised option" --names --bogus -- optbench describe sphere --bogus; }
case_unknown_option_eval() { expect_fail 2 "unrecognised option" --names --bogus -- optbench eval --bogus; }
case_unknown_option_merge() { expect_fail 2 "unrecognised option" --names --bogus -- optbench merge --bogus; }
case_unknown_option_slurm() { expect_fail 2 "unrecognised option" --names --bogus -- optbench slurm --bogus; }
case_unknown_option_report() { expect_fail 2 "unrecognised option" --names --bogus -- optbench report --bogus; }
case_option_without_value() { expect_fail 2 "budget" -- optbench run --optimizers random_search --problems sphere --out out --budget; }

# Missing required options
case_run_without_budget() { expect_fail 2 "needs one of --budget" -- optbench run --optimizers random_search --problems sphere --out out; }
case_run_with_both_budgets() { tiny --budget-per-dim 10; expect_fail 2 "one of --budget" -- optbench run "${RUN[@]}"; }
case_run_without_optimizers() { expect_fail 2 "no optimizers" -- optbench run --problems sphere --budget 10 --out out; }
case_run_without_problems() { expect_fail 2 "no problems" -- optbench run --optimizers random_search --budget 10 --out out; }
case_eval_without_points() { expect_fail 2 "needs --problem and --points" -- optbench eval --problem sphere; }
case_merge_without_out() { expect_fail 2 "merge needs --out" -- optbench merge shard0; }
case_report_without_folder() { expect_fail 2 "needs the results folder" -- optbench report; }
case_describe_without_name() { expect_fail 2 "needs a NAME" -- optbench describe; }
case_slurm_without_shards() { expect_fail 2 "shards" -- optbench slurm --campaign c.campaign --out out; }

# Garbage numbers
case_budget_not_a_number() { tiny --budget abc; expect_fail 2 "expected a finite number" --names abc --names --budget -- optbench run "${RUN[@]}"; }
case_budget_trailing_garbage() { tiny --budget 1e3x; expect_fail 2 "expected a finite number" --names 1e3x -- optbench run "${RUN[@]}"; }
case_budget_nan() { tiny --budget nan; expect_fail 2 "finite number" --names nan -- optbench run "${RUN[@]}"; }
case_budget_overflow() { tiny --budget 1e400; expect_fail 2 "finite number" --names 1e400 -- optbench run "${RUN[@]}"; }
case_budget_zero() { tiny --budget 0; expect_fail 2 "--budget 0 allows no evaluation: expected >= 1" --names 0 -- optbench run "${RUN[@]}"; }
case_budget_negative() { tiny --budget -5; expect_fail 2 "--budget -5 allows no evaluation: expected >= 1" --names -5 -- optbench run "${RUN[@]}"; }
case_budget_per_dim_negative() { expect_fail 2 "--budget-per-dim -1 allows no evaluation: expected > 0" --names -1 -- optbench run --optimizers random_search --problems sphere --budget-per-dim -1 --out out; }
case_seeds_not_a_number() { tiny --seeds x; expect_fail 2 "invalid" --names "'x'" --names --seeds -- optbench run "${RUN[@]}"; }
case_seeds_zero() { tiny --seeds 0; expect_fail 2 "option '--seeds' is invalid: expected a whole number >= 1" --names 0 -- optbench run "${RUN[@]}"; }
case_seeds_negative() { tiny --seeds -3; expect_fail 2 "option '--seeds' is invalid: expected a whole number >= 1" --names -3 -- optbench run "${RUN[@]}"; }
case_seeds_overflow() { tiny --seeds 99999999999; expect_fail 2 "the campaign would have 99,999,999,999 runs .*; at most 10,000,000 are allowed" -- optbench run "${RUN[@]}"; }
case_seed_fraction() { tiny --seed 1.5; expect_fail 2 "invalid" --names 1.5 --names --seed -- optbench run "${RUN[@]}"; }
case_seed_negative() { tiny --seed -1; expect_fail 2 "seed" --names -1 -- optbench run "${RUN[@]}"; }
case_jobs_zero() { tiny --jobs 0; expect_fail 2 "whole number >= 1" --names --jobs -- optbench run "${RUN[@]}"; }
case_jobs_far_more_than_runs() {
  # The default memory limit is shared by the workers started (one per run here), not by the
  # billion asked for: every run ends ok.
  tiny --jobs 1000000000 --seeds 3
  expect_ok optbench run "${RUN[@]}"
  [[ $(grep -c ',ok,budget,' out/runs.csv) -eq 3 ]] || fail_case failed "not every run ended ok: $(cut -d, -f18- out/runs.csv | tr '\n' '|')"
}
case_jobs_fraction() { tiny --jobs 1.5; expect_fail 2 "whole number >= 1" --names 1.5 -- optbench run "${RUN[@]}"; }
case_grad_cost_negative() { tiny --grad-cost -1; expect_fail 2 "grad_cost must be >= 0" --names -1 -- optbench run "${RUN[@]}"; }
case_target_negative() { tiny --target -1; expect_fail 2 "target must be >= 0" --names -1 -- optbench run "${RUN[@]}"; }
case_run_timeout_zero() { tiny --run-timeout 0; expect_fail 2 "--run-timeout 0: expected a number of seconds > 0" -- optbench run "${RUN[@]}"; }
case_run_memory_negative() { tiny --run-memory -1; expect_fail 2 "--run-memory -1: expected a number of MB >= 0" -- optbench run "${RUN[@]}"; }
case_trace_unknown_mode() { tiny --trace foo; expect_fail 2 "trace must be improvements or levels" --names foo -- optbench run "${RUN[@]}"; }
case_shard_out_of_range() { tiny --shard 3/2; expect_fail 2 "shard expects K/N" --names 3/2 -- optbench run "${RUN[@]}"; }
case_shard_of_zero() { tiny --shard 1/0; expect_fail 2 "shard expects K/N" --names 1/0 -- optbench run "${RUN[@]}"; }
case_slurm_shards_zero() { expect_fail 2 "whole number >= 1" --names "'0'" --names --shards -- optbench slurm --campaign c.campaign --shards 0 --out out; }
case_slurm_cpus_garbage() { expect_fail 2 "whole number >= 1" --names "'x'" --names --cpus-per-task -- optbench slurm --campaign c.campaign --shards 2 --cpus-per-task x --out out; }
case_shard_garbage() { tiny --shard a/b; expect_fail 2 "shard expects K/N" --names a/b -- optbench run "${RUN[@]}"; }
case_report_alpha_out_of_range() {
  tiny; expect_ok optbench run "${RUN[@]}"
  expect_fail 2 "alpha must be in" --names 2 -- optbench report out --alpha 2
}
case_report_targets_garbage() {
  tiny; expect_ok optbench run "${RUN[@]}"
  expect_fail 2 "targets.*not a finite number" --names abc -- optbench report out --targets 1e-3,abc
}
case_report_figure_run_negative() {
  tiny; expect_ok optbench run "${RUN[@]}"
  expect_fail 2 "figure-run" --names "-1" -- optbench report out --figure-run -1
}
case_report_rank_by_unknown() {
  tiny; expect_ok optbench run "${RUN[@]}"
  expect_fail 2 "rank-by.*expected final, target:VALUE" --names fastest -- optbench report out --rank-by fastest
}
case_report_rank_by_target_garbage() {
  tiny; expect_ok optbench run "${RUN[@]}"
  expect_fail 2 "rank-by.*expected final, target:VALUE" --names target:x -- optbench report out --rank-by target:x
}
case_report_budget_fraction_above_one() {
  tiny; expect_ok optbench run "${RUN[@]}"
  expect_fail 2 "budget-fractions.*not a fraction of the budget" --names "'2'" -- optbench report out --budget-fractions 0.1,2
}
case_report_profile_tolerance_zero() {
  tiny; expect_ok optbench run "${RUN[@]}"
  expect_fail 2 "profile-tolerances" --names "'0'" -- optbench report out --profile-tolerances 0.1,0
}

# Output folders that cannot be one
case_out_empty() {
  tiny --out ""
  expect_fail 2 "out" -- optbench run "${RUN[@]}"
  expect_nothing_written .
}
case_out_is_a_file() {
  echo "not a folder" > a-file
  snapshot .
  tiny --out a-file
  expect_fail 2 "is a file: expected a folder" --names a-file -- optbench run "${RUN[@]}"
  expect_unchanged .
}

# Unknown names
case_unknown_optimizer() { tiny --optimizers nosuch; expect_fail 2 "unknown optimizer 'nosuch'; known: .*random_search" -- optbench run "${RUN[@]}"; }
case_unknown_problem() { tiny --problems nosuch; expect_fail 2 "unknown problem 'nosuch'; known: .*sphere" -- optbench run "${RUN[@]}"; }
case_unknown_problem_eval() { expect_fail 2 "unknown problem 'nosuch'" -- optbench eval --problem nosuch --points points.txt; }
case_unknown_name_describe() { expect_fail 2 "unknown .*'nosuch'" -- optbench describe nosuch; }

# Bad spec parameters
case_spec_unknown_parameter() { tiny --problems sphere:dimm=3; expect_fail 2 "unknown parameter 'dimm' for 'sphere'; known: dim" -- optbench run "${RUN[@]}"; }
case_spec_unknown_optimizer_parameter() { tiny --optimizers random_search:nosuch=1; expect_fail 2 "unknown parameter 'nosuch' for 'random_search'" -- optbench run "${RUN[@]}"; }
case_spec_out_of_range() { tiny --problems sphere:dim=0; expect_fail 2 "'dim' must be in \[1, [0-9]+\], got 0" -- optbench run "${RUN[@]}"; }
case_spec_out_of_range_bbob() { tiny --problems bbob:function=25; expect_fail 2 "'function' must be in \[1, 24\], got 25" -- optbench run "${RUN[@]}"; }
case_spec_wrong_type() { tiny --problems sphere:dim=abc; expect_fail 2 "'dim' expects an integer, got 'abc'" -- optbench run "${RUN[@]}"; }
case_spec_fraction_for_integer() { tiny --problems sphere:dim=3.5; expect_fail 2 "'dim' expects an integer, got '3.5'" -- optbench run "${RUN[@]}"; }
case_spec_integer_overflow() { tiny --problems sphere:dim=99999999999999999999; expect_fail 2 "'dim' expects an integer" --names 99999999999999999999 -- optbench run "${RUN[@]}"; }
case_spec_bounds_reversed() { tiny --problems sphere:bounds=5:-5; expect_fail 2 "'bounds' needs LOW < HIGH, got '5:-5'" -- optbench run "${RUN[@]}"; }
case_spec_bounds_garbage() { tiny --problems sphere:bounds=abc; expect_fail 2 "'bounds' expects LOW:HIGH" --names "'abc'" -- optbench run "${RUN[@]}"; }
case_spec_bounds_nan() { tiny --problems sphere:bounds=nan:1; expect_fail 2 "'bounds' expects LOW:HIGH" --names nan:1 -- optbench run "${RUN[@]}"; }
case_spec_cec_dimension() { tiny --problems cec2017:dim=7; expect_fail 2 "'dim' must be one of .*got 7" -- optbench run "${RUN[@]}"; }
case_spec_malformed() { tiny --problems sphere:dim; expect_fail 2 "malformed spec 'sphere:dim'" -- optbench run "${RUN[@]}"; }
case_spec_missing_name() { tiny --problems :dim=3; expect_fail 2 "missing name" --names ":dim=3" -- optbench run "${RUN[@]}"; }
case_spec_empty_entry() { tiny --problems sphere,,rastrigin; expect_fail 2 "empty entry" --names "sphere,,rastrigin" -- optbench run "${RUN[@]}"; }
case_spec_empty_alternative() { tiny --problems "sphere:dim=3|"; expect_fail 2 "empty alternative" --names "3|" -- optbench run "${RUN[@]}"; }
case_spec_reversed_range() { tiny --problems sphere:dim=5..1; expect_fail 2 "invalid range '5..1'" -- optbench run "${RUN[@]}"; }
case_spec_listed_twice() { tiny --problems sphere:dim=3,sphere:dim=3; expect_fail 2 "listed twice" --names sphere:dim=3 -- optbench run "${RUN[@]}"; }
case_range_too_long() {
  # 1..100000000 is a valid range, just too long to expand; the error must say so.
  tiny --problems sphere:dim=1..100000000
  expect_fail 2 "too (many|long)|at most|limit|1000000 values" --names 1..100000000 -- optbench run "${RUN[@]}"
}
case_seeds_huge() {
  # 2^31 - 1 repetitions: a plan of 2^31 runs must be refused clearly, not by running out of
  # memory. The limit keeps the machine safe and makes the outcome quick.
  ulimit -v 150000
  tiny --seeds 2147483647
  expect_fail 2 "seeds|runs" -- optbench run "${RUN[@]}"
}
