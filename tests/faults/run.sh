#!/usr/bin/env bash
# The fault suite: bad values, damaged files, signals and full or read-only disks must end in
# one clear error line, never in a crash, and never cost or mix up finished results.
#
# usage: run.sh OPTBENCH [--test-plugins DIR] [--bad-plugins DIR] [--data DIR] [--only REGEX] [--list] [--verbose] [--keep]
#   OPTBENCH        the optbench binary
#   --test-plugins  build/lib/optbench/test-plugins (misbehaving optimizers); else those cases skip
#   --bad-plugins   build/lib/optbench/bad-plugins (libraries the loader must reject)
#   --data          the data folder holding mnist/ (the repository's data/); else those cases skip
#   --only REGEX    run the cases whose name (e.g. cli/budget_not_a_number) matches
#   --list          print the case names and stop
#   --verbose       print every case's log (the commands, how they ended, their stderr)
#   --keep          keep the scratch folder (each case's files, and its log in .cases/NAME/)
#
# Cases live in cases/*.sh as functions named case_*; see README.md. Prints one line per case
# and at the end "faults: N cases, F failed, C crashes, L lost-or-mixed, U unclear"; exits 1
# when a case failed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
usage() { sed -n '4,13s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2; }

[[ $# -ge 1 ]] || usage
OPTBENCH=$(realpath "$1")
shift
TEST_PLUGINS= BAD_PLUGINS= DATA= only= list_only=0 verbose=0 keep=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --test-plugins) TEST_PLUGINS=$(realpath "$2"); shift 2 ;;
    --bad-plugins) BAD_PLUGINS=$(realpath "$2"); shift 2 ;;
    --data) DATA=$(realpath "$2"); shift 2 ;;
    --only) only=$2; shift 2 ;;
    --list) list_only=1; shift ;;
    --verbose) verbose=1; shift ;;
    --keep) keep=1; shift ;;
    *) usage ;;
  esac
done
[[ -x $OPTBENCH ]] || { echo "run.sh: $OPTBENCH is not an executable" >&2; exit 2; }

# Cases choose their plugins and data explicitly; the caller's settings must not leak in.
unset OPTBENCH_PLUGIN_PATH OPTBENCH_DATA_DIR OPTBENCH_MNIST_KERNELS
export LC_ALL=C

source "$here/lib.sh"

# ---------------------------------------------------------------------------------------------
# Collect the cases: every case_* function, in the order of the files and of their lines.

declare -a case_names=() case_files=()
declare -A known_defects=() case_file_of=()

# known_defect NAME WHAT: at the top of a case file, a case that fails today for a defect of
# optbench (not of the case). It still counts as failed; the summary says which failures
# are known, and which known defects now pass.
known_defect() { known_defects[$1]=$2; }

for file in "$here"/cases/*.sh; do
  source "$file"
  group=$(basename "$file" .sh)
  while read -r name; do
    # A second definition would silently replace the first one's body.
    [[ ! -v case_file_of[$name] ]] ||
      { echo "run.sh: case_$name is defined in ${case_file_of[$name]}.sh and $group.sh" >&2; exit 2; }
    case_file_of[$name]=$group
    case_names+=("$name")
    case_files+=("$group")
  done < <(grep -oE '^case_[A-Za-z0-9_]+ *\(\)' "$file" | sed -E 's/^case_//; s/ *\(\)$//')
done
for name in "${!known_defects[@]}"; do
  [[ -v case_file_of[$name] ]] || { echo "run.sh: known_defect names no case: $name" >&2; exit 2; }
done

if ((list_only)); then
  for i in "${!case_names[@]}"; do echo "${case_files[i]}/${case_names[i]}"; done
  exit 0
fi

# ---------------------------------------------------------------------------------------------
# A fresh scratch folder, removed at exit with everything the cases left: first the process
# groups of commands that did not end (only those, by their ids), then mounts.

# In memory when the machine has /dev/shm (and TMPDIR does not say otherwise): the cases write
# and remove a few thousand small files, which a busy disk makes slow.
scratch=${TMPDIR:-/tmp}
[[ -z ${TMPDIR:-} && -d /dev/shm && -w /dev/shm ]] && scratch=/dev/shm
WORK=$(mktemp -d "$scratch/optbench-faults.XXXXXX")

unmount_all() {
  local file=$1 point
  [[ -f $file ]] || return 0
  tac "$file" | while read -r point; do
    umount "$point" 2> /dev/null || umount -l "$point" 2> /dev/null || true
  done
  : > "$file"
}

cleanup() {
  local meta
  for meta in "$WORK"/.cases/*/; do
    stop_unfinished "$meta"
    unmount_all "$meta/mounts"
  done
  # Never follow a mount that could not be undone into a folder outside the scratch folder.
  if grep -qF "$WORK" /proc/mounts; then
    echo "run.sh: leaving $WORK: something is still mounted under it" >&2
  elif ((keep)); then
    echo "faults: kept $WORK"
  else
    chmod -R u+w "$WORK"  # folders a case made read-only with chmod (not as root)
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------
# Run them.

declare -A severity=([skip]=0 [unclear]=1 [failed]=2 [lost]=3 [crash]=4)
total=0 failed=0 crashes=0 lost=0 unclear=0 skipped=0 known_failed=0
declare -a now_passing=()
suite_start=$EPOCHREALTIME

# seconds_since VARIABLE START: sets VARIABLE to the seconds (one decimal) since an
# $EPOCHREALTIME, without a fork (this runs once per case on a busy machine).
seconds_since() {
  local now=${EPOCHREALTIME/./} then=${2/./}
  local tenths=$(((now - then) / 100000))
  printf -v "$1" '%d.%d' $((tenths / 10)) $((tenths % 10))
}

selected=()
for i in "${!case_names[@]}"; do
  [[ -n $only && ! ${case_files[i]}/${case_names[i]} =~ $only ]] || selected+=("$i")
done
folders=()
for i in "${selected[@]}"; do folders+=("$WORK/.cases/${case_names[i]}" "$WORK/${case_names[i]}"); done
((${#folders[@]} == 0)) || mkdir -p "${folders[@]}"  # at once: one process, not one per case

for i in "${selected[@]}"; do
  name=${case_names[i]}
  label=${case_files[i]}/$name
  total=$((total + 1))
  CASE_META=$WORK/.cases/$name
  start=$EPOCHREALTIME
  set +e
  (
    set -eEuo pipefail
    trap 'printf "stopped at %s:%s: %s\n" "${BASH_SOURCE[0]##*/}" "$LINENO" "$BASH_COMMAND" > "$CASE_META/stopped"' ERR
    cd "$WORK/$name"
    "case_$name"
  ) > "$CASE_META/log" 2>&1
  status=$?
  set -e
  stop_unfinished "$CASE_META"
  unmount_all "$CASE_META/mounts"
  seconds_since seconds "$start"

  # The worst class the case recorded, and the first message of that class.
  class= message= problems=0
  if [[ -f $CASE_META/verdict ]]; then
    while IFS=$'\t' read -r line_class line_message; do
      problems=$((problems + 1))
      if [[ -z $class ]] || ((severity[$line_class] > severity[$class])); then
        class=$line_class message=$line_message
      fi
    done < "$CASE_META/verdict"
    ((problems == 1)) || message+=" (and $((problems - 1)) more in the log)"
  fi
  if [[ $class == skip ]]; then
    skipped=$((skipped + 1))
    printf 'skip %-58s %s\n' "$label" "$message"
    continue
  fi
  if [[ $status -eq 0 && -z $class ]]; then
    printf 'ok   %-58s %5s s\n' "$label" "$seconds"
    ((verbose == 0)) || sed 's/^/       | /' "$CASE_META/log"
    [[ -n ${known_defects[$name]:-} ]] && now_passing+=("$label")
    continue
  fi
  if [[ $status -ne 0 && ( -z $class || $class == unclear ) ]]; then
    # Not by fail_case: a command of the case itself failed.
    class=failed
    message="the case stopped: $(cat "$CASE_META/stopped" 2> /dev/null || echo "exit status $status")"
  fi
  failed=$((failed + 1))
  case $class in
    crash) crashes=$((crashes + 1)) ;;
    lost) lost=$((lost + 1)) ;;
    unclear) unclear=$((unclear + 1)) ;;
  esac
  known=
  if [[ -n ${known_defects[$name]:-} ]]; then
    known=" (known defect: ${known_defects[$name]})"
    known_failed=$((known_failed + 1))
  fi
  printf 'FAIL %-58s %5s s  [%s] %s%s\n' "$label" "$seconds" "$class" "$message" "$known"
  if ((verbose)); then sed 's/^/       | /' "$CASE_META/log"
  elif [[ -z $known ]]; then sed 's/^/       | /' "$CASE_META/log" | tail -n 25; fi
done

seconds_since seconds "$suite_start"
echo
((skipped == 0)) || echo "faults: $skipped skipped (they did not run here; see the lines above)"
((known_failed == 0)) || echo "faults: $known_failed of the $failed failures are known defects (known_defect lines in cases/*.sh)"
for label in "${now_passing[@]}"; do echo "faults: $label passes now; remove its known_defect line"; done
echo "faults: ran in $seconds s"
echo "faults: $total cases, $failed failed, $crashes crashes, $lost lost-or-mixed, $unclear unclear"
((failed == 0))
