# Output folders that cannot be written (read-only) or fill up (a tiny tmpfs): the campaign
# fails with one line naming the folder and the operating system's reason, changes nothing
# it finished, and once the disk is writable or has space, the same command finishes the
# campaign with the results of an undisturbed one.
#
# chmod does not stop root: as root these cases use mounts (a read-only bind mount, a tmpfs),
# and skip with the reason when mount is not allowed.

# Found defects (these cases fail today because of optbench, not of the case):

# 40 runs of about 2 KB of parts each: more than a 64 KB tmpfs holds.
SMALL=(--optimizers random_search --problems sphere:dim=3,rastrigin:dim=3 --budget 500 --seeds 20 --jobs 2)
OS_REASON_READ_ONLY="Read-only file system|Permission denied"

case_read_only_new_folder() {
  needs_read_only_folders
  mkdir out
  make_read_only out
  expect_fail 2 "$OS_REASON_READ_ONLY" --names out -- optbench run "${SMALL[@]}" --out out
  expect_nothing_written out
}

case_read_only_partial_folder_then_resume() {
  needs_read_only_folders
  local reference
  reference=$(reference_campaign small "${SMALL[@]}")
  expect_ok optbench run "${SMALL[@]}" --shard 0/2 --out out  # half of the campaign's runs
  snapshot out
  make_read_only out
  expect_fail 2 "$OS_REASON_READ_ONLY" --names out -- optbench run "${SMALL[@]}" --out out
  expect_unchanged out
  make_writable out
  expect_ok optbench run "${SMALL[@]}" --out out
  expect_same_results out "$reference"
}

case_read_only_results_for_report() {
  # A report goes into DIR/report: a read-only results folder needs --out elsewhere, and says so.
  needs_read_only_folders
  expect_ok optbench run "${SMALL[@]}" --out out
  snapshot out
  make_read_only out
  expect_fail 2 "$OS_REASON_READ_ONLY" --names out/report -- optbench report out
  expect_unchanged out
  expect_ok optbench report out --out elsewhere
}

case_full_disk_then_resume() {
  [[ $(id -u) -eq 0 ]] || skip_case "needs root to mount a small tmpfs (a full disk)"
  can_mount || skip_case "running as root, but mount is not allowed here (a full disk needs a small tmpfs)"
  local reference
  reference=$(reference_campaign small "${SMALL[@]}")
  mount_tmpfs disk 64k
  expect_fail 2 "No space left on device" --names disk/out -- optbench run "${SMALL[@]}" --out disk/out
  note "runs finished before the disk was full: $(finished_runs disk/out)"
  mount -o remount,size=16m disk || fail_case failed "cannot grow the tmpfs"
  expect_ok optbench run "${SMALL[@]}" --out disk/out
  expect_same_results disk/out "$reference"
}
