# Helpers for the fault cases (sourced by run.sh; see README.md in this folder).
#
# A case runs in its own subshell, in its own scratch folder (the current directory), and ends
# at its first failed expectation but an unclear error. A failed expectation names its class;
# the summary counts each failed case once, under its worst class (in this order):
#   crash   the process died of a signal, dumped core, or printed an uncaught exception's text
#   lost    a snapshot or a comparison of results differs: results were lost, changed or mixed
#   failed  anything else (wrong exit code, a bad value accepted, a hang, a broken case)
#   unclear the error is not exactly one line, or does not match or name what it should

# Set by run.sh: OPTBENCH, TEST_PLUGINS, BAD_PLUGINS, DATA (may be empty), WORK, CASE_META.

OBSERVE_TIMEOUT=${OBSERVE_TIMEOUT:-180}  # seconds; generous: the machine is shared and noisy
POLL_INTERVAL=0.05

# Texts that only an uncaught exception, a failed assertion or a sanitizer prints; a clean
# error is optbench's own sentence.
CRASH_TEXT='terminate called|what\(\):|bad_alloc|std::(bad_|out_of_range|invalid_argument|length_error|logic_error|runtime_error|system_error)|\bsto(i|l|ul|ll|ull|f|d|ld)\b|basic_string|_M_range_check|Sanitizer|runtime error:|[Cc]ore dumped|Segmentation fault'

# ---------------------------------------------------------------------------------------------
# Verdicts

# fail_case CLASS MESSAGE...: records why the case failed and ends it. An unclear error does
# not end it: what the case checks next (is the folder unchanged? does the resume finish?)
# is still worth knowing. The summary counts the case once, under its worst class.
fail_case() {
  local class=$1
  shift
  local message=$*
  message=${message//[^[:print:]]/?}  # an error that echoes binary input must not garble the report
  printf '%s\t%s\n' "$class" "$message" >> "$CASE_META/verdict"
  printf 'FAILED (%s): %s\n' "$class" "$message" >&2
  [[ $class == unclear ]] || exit 1
}

# skip_case REASON...: the case cannot run here (e.g. no root for mount); not a failure.
skip_case() {
  printf 'skip\t%s\n' "$*" >> "$CASE_META/verdict"
  exit 0
}

note() { printf '%s\n' "$*" >&2; }

# ---------------------------------------------------------------------------------------------
# Running optbench and observing how it ends

# A small Perl program runs the command in its own process group and writes how it ended:
# bash's $? folds "killed by signal 15" and "exited with 143" into one number, and a fault
# suite must tell them apart. Perl is part of every Debian system (perl-base).
OBSERVER_PERL='
use strict;  # no warnings: they would add lines to the stderr under test
my ($limit, $pid_file, $status_file, @command) = @ARGV;
unlink $pid_file, $status_file;
$SIG{INT} = $SIG{TERM} = "IGNORE";  # meant for the command, which has its own group
my $pid = fork() // die "observe: fork: $!\n";
if ($pid == 0) {
    setpgrp(0, 0);  # its own group: a case can signal it and its workers as Ctrl-C would
    $SIG{INT} = $SIG{TERM} = "DEFAULT";
    exec { $command[0] } @command;
    print STDERR "observe: cannot run $command[0]: $!\n";
    exit 127;
}
setpgrp($pid, $pid);  # also here, so the group exists before the pid file says it does
open(my $p, ">", "$pid_file.tmp") or die; print $p "$pid\n"; close $p; rename "$pid_file.tmp", $pid_file;
my $hung = 0;
$SIG{ALRM} = sub { $hung = 1; kill "KILL", -$pid; };
alarm $limit;
my $r; do { $r = waitpid($pid, 0) } until $r == $pid || $r == -1;
my $s = $?;
alarm 0;
my $how = $hung ? "hung" : ($s & 127) ? sprintf("signal %d%s", $s & 127, ($s & 128) ? " core" : "")
                                      : sprintf("exit %d", $s >> 8);
open(my $f, ">", $status_file) or die; print $f "$how\n"; close $f;
'

# start_observed NAME CMD...: starts CMD in the background ("optbench" means $OPTBENCH), with
# stdin from /dev/null and stdout, stderr in files. Its pid is also its process group's id.
start_observed() {
  local base=$CASE_META/observed.$1
  rm -f "$base.pid" "$base.status"  # a previous command's, under the same name
  launch_observer "$@" &
  echo $! > "$base.observer"
  until [[ -s $base.pid ]]; do
    kill -0 "$(< "$base.observer")" 2> /dev/null || break
    sleep 0.01  # the observer writes the pid file right after its fork
  done
  [[ -s $base.pid ]] || fail_case failed "could not start: $(< "$base.cmd")"
}

# launch_observer NAME CMD...: runs CMD under the observer (in the foreground).
launch_observer() {
  local name=$1
  shift
  [[ $1 == optbench ]] && set -- "$OPTBENCH" "${@:2}"
  local base=$CASE_META/observed.$name
  printf '%q ' "$@" > "$base.cmd"
  perl -e "$OBSERVER_PERL" "$OBSERVE_TIMEOUT" "$base.pid" "$base.status" "$@" \
    < /dev/null > "$base.out" 2> "$base.err"
}

# observed_pid NAME: the pid (and process group) of a started command.
observed_pid() { cat "$CASE_META/observed.$1.pid"; }

# worker_pids NAME: the pids of a started campaign's worker processes (its children).
worker_pids() { ps -o pid= --ppid "$(observed_pid "$1")" | tr -d ' '; }

# stop_unfinished META_DIR: kills the process group of every command observed in a case that
# has not ended (a case that failed while a campaign ran in the background). Only those: a
# command that ended has no status-less pid file, so no reused pid is ever signalled.
stop_unfinished() {
  local pid_file group
  for pid_file in "$1"/observed.*.pid; do
    [[ -e $pid_file && ! -s ${pid_file%.pid}.status ]] || continue
    read -r group < "$pid_file"
    kill -KILL -- "-$group" 2> /dev/null || true
  done
}

# observed_running NAME: true while the command has not ended.
observed_running() { [[ ! -s $CASE_META/observed.$1.status ]]; }

# finish_observed NAME: waits for the command; sets OBSERVED_STATUS ("exit 2", "signal 9",
# "signal 6 core" or "hung"), OBSERVED_CODE (the exit code, or empty), OBSERVED_OUT,
# OBSERVED_ERR (files), OBSERVED_ERR_LINES (stderr's lines) and OBSERVED_CMD.
finish_observed() {
  local base=$CASE_META/observed.$1
  [[ -f $base.observer ]] && { wait "$(< "$base.observer")" 2> /dev/null || true; }
  # Builtins only (read, mapfile): a case observes many commands on a busy machine.
  OBSERVED_STATUS="observer failed"
  [[ -f $base.status ]] && read -r OBSERVED_STATUS < "$base.status"
  OBSERVED_CODE=
  [[ $OBSERVED_STATUS == "exit "* ]] && OBSERVED_CODE=${OBSERVED_STATUS#exit }
  OBSERVED_OUT=$base.out
  OBSERVED_ERR=$base.err
  IFS= read -r OBSERVED_CMD < "$base.cmd" || true
  mapfile -t OBSERVED_ERR_LINES < "$OBSERVED_ERR"
  note "\$ $OBSERVED_CMD"
  note "  -> $OBSERVED_STATUS"
  local line
  for line in "${OBSERVED_ERR_LINES[@]:0:5}"; do note "  stderr: ${line//[^[:print:]]/?}"; done
}

# observe CMD...: runs CMD in the foreground; see finish_observed for what it sets.
observe() {
  [[ ! -e $CASE_META/observed.last.observer ]] || rm "$CASE_META/observed.last.observer"
  launch_observer last "$@"
  finish_observed last
}

# check_no_crash: the observed command did not die of a signal, hang, or print a crash text.
check_no_crash() {
  case $OBSERVED_STATUS in
    signal*) fail_case crash "died of $OBSERVED_STATUS: $OBSERVED_CMD" ;;
    hung) fail_case failed "still running after ${OBSERVE_TIMEOUT} s (killed): $OBSERVED_CMD" ;;
    exit*) ;;
    *) fail_case failed "could not observe: $OBSERVED_STATUS" ;;
  esac
  local line
  for line in "${OBSERVED_ERR_LINES[@]}"; do
    [[ ! $line =~ $CRASH_TEXT ]] || fail_case crash "printed an uncaught exception's text: $line"
  done
}

# ---------------------------------------------------------------------------------------------
# Expectations on one command

# expect_fail CODE REGEX [--names TEXT]... -- CMD...
# CMD must exit with CODE (or any non-zero code for "any") without crashing, and print to
# stderr exactly one line that matches the extended REGEX and contains every TEXT verbatim
# (the bad value, file or folder it is about).
expect_fail() {
  local code=$1 regex=$2
  shift 2
  local names=()
  while [[ $1 != -- ]]; do
    case $1 in
      --names) names+=("$2"); shift 2 ;;
      *) fail_case failed "expect_fail: unknown option $1 (missing --?)" ;;
    esac
  done
  shift
  observe "$@"
  check_no_crash
  if [[ $OBSERVED_CODE == 0 ]]; then
    fail_case failed "accepted (exit 0); expected an error matching /$regex/"
  elif [[ $code != any && $OBSERVED_CODE != "$code" ]]; then
    fail_case failed "exit $OBSERVED_CODE, expected $code"
  fi
  expect_one_error_line "$regex" "${names[@]}"
}

# expect_one_error_line REGEX [TEXT]...: the observed stderr is one line matching REGEX and
# containing every TEXT.
expect_one_error_line() {
  local regex=$1
  shift
  local count=${#OBSERVED_ERR_LINES[@]}
  if ((count != 1)); then
    local joined
    printf -v joined '%s|' "${OBSERVED_ERR_LINES[@]:0:6}"
    fail_case unclear "stderr has $count lines, expected one error line: ${joined:0:600}"
    return 0
  fi
  local line=${OBSERVED_ERR_LINES[0]}
  [[ $line =~ $regex ]] || { fail_case unclear "error does not match /$regex/: $line"; return 0; }
  local text
  for text in "$@"; do
    [[ $line == *"$text"* ]] || { fail_case unclear "error does not name '$text': $line"; return 0; }
  done
}

# expect_ok CMD...: CMD exits 0 without crashing.
expect_ok() {
  observe "$@"
  check_no_crash
  local joined
  printf -v joined '%s|' "${OBSERVED_ERR_LINES[@]:0:6}"
  [[ $OBSERVED_CODE == 0 ]] || fail_case failed "exit $OBSERVED_CODE, expected success: ${joined:0:600}"
}

# expect_status TEXT: the observed command ended as TEXT ("exit 143", "signal 9").
expect_status() {
  [[ $OBSERVED_STATUS == "$1" ]] || {
    [[ $OBSERVED_STATUS == signal* || $OBSERVED_STATUS == *core* ]] &&
      fail_case crash "ended with $OBSERVED_STATUS, expected $1: $OBSERVED_CMD"
    fail_case failed "ended with $OBSERVED_STATUS, expected $1: $OBSERVED_CMD"
  }
}

# ---------------------------------------------------------------------------------------------
# Waiting without assuming speed

# wait_until DESCRIPTION TIMEOUT_S CMD...: polls CMD until it succeeds.
wait_until() {
  local description=$1 timeout=$2
  shift 2
  local deadline=$((SECONDS + timeout))
  until "$@"; do
    ((SECONDS < deadline)) || fail_case failed "waited ${timeout} s for $description"
    sleep "$POLL_INTERVAL"
  done
}

# ---------------------------------------------------------------------------------------------
# What optbench wrote

# finished_runs DIR: the number of runs whose parts are complete (the row part marks it).
finished_runs() {
  local parts=("$1"/parts/run-*.row.csv)
  [[ -e ${parts[0]} ]] && echo "${#parts[@]}" || echo 0
}

# has_finished_runs DIR N: at least N runs in DIR are complete.
has_finished_runs() { (($(finished_runs "$1") >= $2)); }

# csv_rows FILE: data rows of a CSV (no quoted line breaks in optbench's files).
csv_rows() { echo $(($(wc -l < "$1") - 1)); }

# list_tree DIR: every folder and file under DIR, each file with the checksum of its content.
list_tree() {
  # parts/lock is the folder's lock, not a result: whoever takes the lock writes its name there.
  (cd "$1" && {
    find . -mindepth 1 ! -type f -printf '%y %p\n'
    find . -type f ! -path ./parts/lock -exec sha256sum {} + | sed -E 's/^([0-9a-f]+) [ *](.*)$/f \2 \1/'
  } | LC_ALL=C sort)
}

# snapshot DIR: records DIR's files and their checksums, for expect_unchanged (under DIR's path
# as the case wrote it: cases do not change directory).
snapshot() {
  [[ -d $1 ]] || fail_case failed "snapshot: no folder $1"
  list_tree "$1" > "$CASE_META/snapshot.${1//\//%}"
}

# expect_unchanged DIR: DIR holds exactly the files it held at its snapshot, byte for byte.
expect_unchanged() {
  local before=$CASE_META/snapshot.${1//\//%}
  [[ -f $before ]] || fail_case failed "expect_unchanged: no snapshot of $1"
  [[ -d $1 ]] || fail_case lost "$1 is gone"
  local changes
  if ! changes=$(list_tree "$1" | diff "$before" -); then
    fail_case lost "$1 changed: $(grep -E '^[<>]' <<< "$changes" | head -8 | tr '\n' '|')"
  fi
}

# expect_nothing_written DIR: DIR does not exist or is empty.
expect_nothing_written() {
  [[ ! -e $1 ]] && return 0
  [[ -d $1 && -z $(ls -A "$1") ]] ||
    fail_case lost "$1 was written although the command failed: $(ls -A "$1" | head -5 | tr '\n' ' ')"
}

# without_wall_time FILE: FILE without its wall_s column, which optbench writes last (checked).
without_wall_time() {
  local header
  header=$(head -n1 "$1")
  if [[ $header == *,wall_s ]]; then
    sed 's/,[^,]*$//' "$1"
  elif [[ ,$header, == *,wall_s,* ]]; then
    fail_case failed "$1: wall_s is not the last column; teach without_wall_time to drop it"
  else
    cat "$1"
  fi
}

# expect_same_results DIR REFERENCE_DIR: runs.csv, trace.csv and stats.csv agree exactly but
# for wall-clock times; e.g. a resumed campaign and an uninterrupted one.
expect_same_results() {
  local dir=$1 reference=$2 file
  for file in runs.csv trace.csv stats.csv; do
    [[ -f $dir/$file ]] || fail_case lost "$dir/$file is missing"
    local differences
    if ! differences=$(diff <(without_wall_time "$reference/$file") <(without_wall_time "$dir/$file")); then
      fail_case lost "$dir/$file differs from the uninterrupted campaign's:" \
        "$(grep -E '^[<>]' <<< "$differences" | head -6 | cut -c1-200 | tr '\n' '|')"
    fi
  done
  [[ $(csv_rows "$dir/runs.csv") -gt 0 ]] || fail_case failed "$dir/runs.csv has no runs to compare"
}

# expect_rows_from_reference DIR REFERENCE_DIR: every row of DIR/runs.csv is the reference's
# row of that run (an interrupted campaign keeps finished runs only, and keeps them intact).
expect_rows_from_reference() {
  local extra
  extra=$(comm -23 <(without_wall_time "$1/runs.csv" | LC_ALL=C sort) \
                   <(without_wall_time "$2/runs.csv" | LC_ALL=C sort))
  [[ -z $extra ]] || fail_case lost "$1/runs.csv holds rows the uninterrupted campaign does not: $(head -3 <<< "$extra")"
}

# reference_campaign NAME ARGS...: the results of `optbench run ARGS... --out X`, run once per
# suite and shared by the cases that compare against it; prints X.
reference_campaign() {
  local name=$1
  shift
  local out=$WORK/references/$name
  if [[ ! -f $out/runs.csv ]]; then
    mkdir -p "$WORK/references"
    expect_ok optbench run "$@" --out "$out" > /dev/null
    [[ $(finished_runs "$out") -gt 0 ]] || fail_case failed "reference campaign $name wrote no runs"
  fi
  echo "$out"
}

# ---------------------------------------------------------------------------------------------
# The machine: mounts

# can_mount: true when this process may mount file systems (root in a namespace that lets it).
can_mount() {
  [[ $(id -u) -eq 0 ]] || return 1
  local probe
  probe=$(mktemp -d "$WORK/.mount-probe.XXXXXX")
  if mount -t tmpfs -o size=16k optbench-faults "$probe" 2> /dev/null; then
    umount "$probe"
    rmdir "$probe"
    return 0
  fi
  rmdir "$probe"
  return 1
}

# mounted DIR: record a mount point so that run.sh unmounts it after the case, whatever happens.
mounted() { realpath "$1" >> "$CASE_META/mounts"; }

# mount_tmpfs DIR SIZE: a tmpfs of SIZE (e.g. 64k) at DIR.
mount_tmpfs() {
  mkdir -p "$1"
  mount -t tmpfs -o "size=$2" optbench-faults "$1" || fail_case failed "cannot mount a tmpfs at $1"
  mounted "$1"
}

# make_read_only DIR: DIR cannot be written, also by root (a read-only bind mount onto
# itself); without root, chmod does it.
make_read_only() {
  if [[ $(id -u) -eq 0 ]]; then
    mount --bind "$1" "$1" || fail_case failed "cannot bind-mount $1"
    mounted "$1"
    mount -o remount,ro,bind "$1" || fail_case failed "cannot make the bind mount $1 read-only"
  else
    chmod -R a-w "$1"
  fi
}

# make_writable DIR: undoes make_read_only.
make_writable() {
  if [[ $(id -u) -eq 0 ]]; then
    umount "$1" || fail_case failed "cannot unmount $1"
    sed -i "\\|^$(realpath "$1")\$|d" "$CASE_META/mounts"
  else
    chmod -R u+w "$1"
  fi
}

# needs_read_only_folders: skips the case when a read-only folder cannot be made for this user.
needs_read_only_folders() {
  [[ $(id -u) -ne 0 ]] && return 0  # chmod stops everyone but root
  can_mount || skip_case "running as root, where chmod does not stop writes, and mount is not allowed here"
}
