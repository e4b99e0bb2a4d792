# Bad campaign files, and campaigns pointed at a folder that holds another campaign: refused
# with one error line naming the file (and line) or the folder, and the folder left as it was.

# Found defects (these cases fail today because of optbench, not of the case):

# campaign_file NAME LINE...: writes a campaign file, one argument per line.
campaign_file() {
  local name=$1
  shift
  printf '%s\n' "$@" > "$name"
}

# A valid campaign's lines; each case adds or changes one.
VALID=("optimizers = random_search" "problems = sphere:dim=3" "budget = 20" "seeds = 2")

case_unknown_key() {
  campaign_file c.campaign "${VALID[@]}" "frobs = 3"
  expect_fail 2 "line 5: unknown setting 'frobs'; known: " --names c.campaign -- optbench run --campaign c.campaign --out out
  expect_nothing_written out
}
case_execution_key() {
  # How to execute a campaign (--jobs) stays on the command line; the file must say so, not ignore it.
  campaign_file c.campaign "${VALID[@]}" "jobs = 2"
  expect_fail 2 "line 5: unknown setting 'jobs'" --names c.campaign -- optbench run --campaign c.campaign --out out
}
case_line_without_equals() {
  campaign_file c.campaign "${VALID[@]}" "this is not a setting"
  expect_fail 2 "line 5: expected 'key = value', got 'this is not a setting'" --names c.campaign -- optbench run --campaign c.campaign --out out
}
case_line_without_key() {
  campaign_file c.campaign "${VALID[@]}" "= 3"
  expect_fail 2 "line 5: expected 'key = value'" --names c.campaign -- optbench run --campaign c.campaign --out out
}
case_line_without_value() {
  campaign_file c.campaign "# a comment" "${VALID[@]}" "seed ="
  expect_fail 2 "line 6: expected 'key = value', got 'seed ='" --names c.campaign -- optbench run --campaign c.campaign --out out
}
case_duplicate_key() {
  campaign_file c.campaign "${VALID[@]}" "budget = 30"
  expect_fail 2 "line 5: 'budget' is set twice" --names c.campaign -- optbench run --campaign c.campaign --out out
}
case_both_budgets_in_file() {
  # On the command line both are refused; in a file, one of them must not silently win.
  campaign_file c.campaign "${VALID[@]}" "budget-per-dim = 10"
  expect_fail 2 "line 5: budget and budget-per-dim are one setting: expected one of them" --names c.campaign -- optbench run --campaign c.campaign --out out
  expect_nothing_written out
}
case_bad_value() {
  campaign_file c.campaign "optimizers = random_search" "problems = sphere:dim=3" "budget = abc"
  expect_fail 2 "expected a finite number" --names c.campaign --names abc -- optbench run --campaign c.campaign --out out
}
case_bad_spec() {
  campaign_file c.campaign "optimizers = random_search" "problems = sphere:dimm=3" "budget = 20"
  expect_fail 2 "unknown parameter 'dimm' for 'sphere'" -- optbench run --campaign c.campaign --out out
}
case_missing_file() {
  expect_fail 2 "cannot be read" --names no-such.campaign -- optbench run --campaign no-such.campaign --out out
  expect_nothing_written out
}
case_campaign_is_a_folder() {
  mkdir folder.campaign
  expect_fail 2 "folder|directory|cannot be read" --names folder.campaign -- optbench run --campaign folder.campaign --out out
}
case_slurm_malformed_file() {
  campaign_file c.campaign "${VALID[@]}" "frobs = 3"
  expect_fail 2 "line 5: unknown setting 'frobs'" --names c.campaign -- optbench slurm --campaign c.campaign --shards 2 --out out
  expect_nothing_written out
}
case_slurm_campaign_with_unknown_problem() {
  # Found on the cluster, this would cost a queue wait and an array of failed tasks.
  campaign_file c.campaign "optimizers = random_search" "problems = nosuch" "budget = 20"
  expect_fail 2 "unknown problem 'nosuch'" -- optbench slurm --campaign c.campaign --shards 2 --out out
  expect_nothing_written out
}
case_empty_file() {
  : > empty.campaign
  expect_fail 2 "budget" -- optbench run --campaign empty.campaign --out out
  expect_nothing_written out
}

case_different_campaign_into_finished_folder() {
  campaign_file a.campaign "${VALID[@]}"
  campaign_file b.campaign "optimizers = random_search" "problems = sphere:dim=4" "budget = 20" "seeds = 2"
  expect_ok optbench run --campaign a.campaign --out out
  snapshot out
  expect_fail 2 "holds results of a different campaign" --names out -- optbench run --campaign b.campaign --out out
  expect_unchanged out
}
case_different_campaign_into_partial_folder() {
  # Half a campaign (one shard of two): a different campaign must not add to it or claim it.
  campaign_file a.campaign "${VALID[@]}"
  expect_ok optbench run --campaign a.campaign --shard 0/2 --out out
  snapshot out
  expect_fail 2 "holds results of a different campaign" --names out -- \
    optbench run --optimizers random_search --problems sphere:dim=3 --budget 21 --seeds 2 --out out
  expect_unchanged out
}
case_command_line_grows_campaign() {
  # More seeds on the command line grow the campaign: the finished runs stay, the new ones run.
  campaign_file a.campaign "${VALID[@]}"
  local reference
  reference=$(reference_campaign three_seeds --campaign a.campaign --seeds 3)
  expect_ok optbench run --campaign a.campaign --out out
  expect_ok optbench run --campaign a.campaign --seeds 3 --out out
  expect_same_results out "$reference"
}
case_campaign_that_shrinks() {
  campaign_file a.campaign "${VALID[@]}"
  expect_ok optbench run --campaign a.campaign --out out
  snapshot out
  expect_fail 2 "holds 1 finished run this campaign does not have" --names out -- optbench run --campaign a.campaign --seeds 1 --out out
  expect_unchanged out
}
