# Broken plugins: a library the loader cannot use is skipped with one warning line naming it,
# and optbench goes on; an optimizer that throws, crashes, exits, runs out of memory or hangs
# costs its own run only (an error row saying why), never the campaign or the other runs.

# use_plugins DIR: optbench also loads the plugins in DIR (a case runs in its own subshell).
use_plugins() {
  [[ -n $1 && -d $1 ]] || skip_case "needs the test plugins (run.sh --test-plugins DIR --bad-plugins DIR)"
  export OPTBENCH_PLUGIN_PATH=$1
}

# expect_warnings_name_each LIBRARY...: the observed stderr is one "warning: skipped" line per
# LIBRARY, each naming it.
expect_warnings_name_each() {
  local library line count
  for library in "$@"; do
    count=0
    for line in "${OBSERVED_ERR_LINES[@]}"; do [[ $line == *"$library"* ]] && count=$((count + 1)); done
    ((count == 1)) || fail_case unclear "$count lines name $library, expected one warning"
  done
  for line in "${OBSERVED_ERR_LINES[@]}"; do
    [[ $line == "warning: skipped "* ]] || fail_case unclear "not a warning about a skipped library: $line"
  done
  ((${#OBSERVED_ERR_LINES[@]} == $#)) || fail_case unclear "${#OBSERVED_ERR_LINES[@]} lines on stderr for $# skipped libraries"
}

case_plugin_path_names_missing_folder() {
  export OPTBENCH_PLUGIN_PATH=$PWD/no-such-plugins
  expect_ok optbench list
  expect_warnings_name_each "$PWD/no-such-plugins"
}

case_bad_plugins_each_skipped_with_one_warning() {
  use_plugins "$BAD_PLUGINS"
  expect_ok optbench list
  grep -q '^  random_search' "$OBSERVED_OUT" || fail_case failed "the good plugins are gone from the list"
  local libraries=()
  for library in "$BAD_PLUGINS"/*.so; do
    # throwing_factory is a valid library: its optimizer fails when made, not when loaded.
    [[ $library == */throwing_factory.so ]] || libraries+=("$library")
  done
  expect_warnings_name_each "${libraries[@]}"
}

case_junk_libraries_each_skipped_with_one_warning() {
  mkdir junk
  : > junk/empty.so
  echo "not a library" > junk/text.so
  gzip -c "$OPTBENCH" | head -c 65536 > junk/compressed.so || true
  use_plugins "$PWD/junk"
  expect_ok optbench run --optimizers random_search --problems sphere:dim=3 --budget 20 --out out
  expect_warnings_name_each "$PWD/junk/empty.so" "$PWD/junk/text.so" "$PWD/junk/compressed.so"
}

# misbehaving_campaign MODE [OPTION]...: random_search and misbehaving:mode=MODE on one
# problem, with --fail-on-error: the campaign ends (exit 1: a run failed) without a crash of
# its own, the well-behaved run is ok, and prints the misbehaving run's row.
misbehaving_campaign() {
  use_plugins "$TEST_PLUGINS"
  local mode=$1
  shift
  observe optbench run --optimizers "random_search,misbehaving:mode=$mode" --problems sphere:dim=3 \
    --budget 100 --jobs 2 --fail-on-error --out out "$@"
  check_no_crash
  expect_status "exit 1"
  [[ ${#OBSERVED_ERR_LINES[@]} -eq 0 ]] || fail_case unclear "the campaign printed: ${OBSERVED_ERR_LINES[*]}"
  grep -q '^0,random_search,.*,ok,' out/runs.csv || fail_case lost "the well-behaved run is not ok: $(sed -n 2p out/runs.csv)"
  MISBEHAVED=$(grep '^1,misbehaving,' out/runs.csv) || fail_case lost "no row for the misbehaving run"
  note "row: $MISBEHAVED"
}

# expect_row REGEX: the misbehaving run's row matches REGEX.
expect_row() { [[ $MISBEHAVED =~ $1 ]] || fail_case unclear "row does not match /$1/: $MISBEHAVED"; }

case_optimizer_throws() { misbehaving_campaign throw; expect_row ",error,error,optimizer 'misbehaving' failed: deliberate exception,"; }
case_optimizer_segfaults() { misbehaving_campaign segfault; expect_row ",error,crash,the run's process was killed by signal 11 \(Segmentation fault\),"; }
case_optimizer_aborts() { misbehaving_campaign abort; expect_row ",error,crash,the run's process was killed by signal 6 \(Aborted\),"; }
case_optimizer_exits() { misbehaving_campaign exit; expect_row ",error,crash,the run's process exited with code 3,"; }
case_optimizer_runs_out_of_memory() { misbehaving_campaign memory --run-memory 300; expect_row ",error,out_of_memory,out of memory"; }
case_optimizer_hangs_until_run_timeout() { misbehaving_campaign hang --run-timeout 1; expect_row ",error,timeout,"; }

case_optimizer_constructor_throws() {
  use_plugins "$BAD_PLUGINS"
  observe optbench run --optimizers throwing_factory --problems sphere:dim=3 --budget 20 --fail-on-error --out out
  check_no_crash
  expect_status "exit 1"
  grep -q ",error,error,optimizer 'throwing_factory': constructor refused," out/runs.csv ||
    fail_case unclear "no error row saying why: $(sed -n 2p out/runs.csv)"
}
