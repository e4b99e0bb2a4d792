#!/usr/bin/env bash
# Starts a single-node Slurm (munge, slurmctld, slurmd as root, no systemd), runs a small
# campaign as a 4-task array with `optbench slurm --submit`, and checks that the merged
# results equal a local run's. Exits 77 (skipped) when Slurm is not installed.
set -euo pipefail
optbench=$1
command -v slurmctld >/dev/null && command -v munged >/dev/null || { echo "slurm-wlm/munge not installed"; exit 77; }
[[ $(id -u) -eq 0 ]] || { echo "needs root to start slurmd"; exit 77; }

work=$(mktemp -d -t optbench-slurm.XXXXXX)
host=$(hostname -s)
mkdir -p "$work"/{state,spool,log}
export SLURM_CONF=$work/slurm.conf
cat > "$SLURM_CONF" <<CONF
ClusterName=optbench-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerParameters=batch_sched_delay=0
MpiDefault=none
ReturnToService=2
SlurmdTimeout=10
SlurmdParameters=config_overrides
NodeName=$host NodeAddr=127.0.0.1 CPUs=4 State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=60 State=UP
CONF

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

install -d -o munge -g munge -m 0755 /run/munge
install -d -o munge -g munge -m 0700 /var/lib/munge /var/log/munge
if [[ ! -s /etc/munge/munge.key ]]; then
  mungekey --create 2>/dev/null || dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=128 status=none
  chown munge:munge /etc/munge/munge.key
  chmod 0400 /etc/munge/munge.key
fi
if ! munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
  runuser -u munge -- /usr/sbin/munged -F >"$work/log/munged.out" 2>&1 & pids+=($!)
  for _ in $(seq 100); do munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
fi
/usr/sbin/slurmctld -D -f "$SLURM_CONF" >"$work/log/ctld.out" 2>&1 & pids+=($!)
/usr/sbin/slurmd -D -f "$SLURM_CONF" >"$work/log/d.out" 2>&1 & pids+=($!)
for _ in $(seq 300); do [[ $(sinfo -h -N -o %t 2>/dev/null) == idle ]] && break; sleep 0.1; done
[[ $(sinfo -h -N -o %t) == idle ]] || { echo "slurm did not start"; cat "$work"/log/*; exit 1; }

cat > "$work/small.campaign" <<CAMPAIGN
optimizers = random_search, random_search:box=1
problems = sphere:dim=3, sphere:dim=8
seeds = 3
budget = 500
CAMPAIGN
"$optbench" run --campaign "$work/small.campaign" --jobs 2 --out "$work/local" >/dev/null
"$optbench" slurm --campaign "$work/small.campaign" --shards 4 --out "$work/cluster" --submit

for _ in $(seq 600); do
  [[ -z $(squeue -h 2>/dev/null) ]] && break
  sleep 0.2
done
[[ -f $work/cluster/runs.csv ]] || { echo "no merged runs.csv"; cat "$work"/cluster/slurm/logs/* || true; exit 1; }
# Every column but wall_s must match (these rows hold no quoted commas, so awk -F, is exact).
drop_wall_time() {
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "wall_s") w = i }
           { line = ""; for (i = 1; i <= NF; i++) if (i != w) line = line (line == "" ? "" : ",") $i; print line }' "$1"
}
for file in runs.csv trace.csv stats.csv provenance.csv; do
  local_rows=$(drop_wall_time "$work/local/$file")
  cluster_rows=$(drop_wall_time "$work/cluster/$file")
  [[ -n $local_rows && $local_rows == "$cluster_rows" ]] ||
    { echo "$file differs between the local and the Slurm run"; exit 1; }
done
echo "4-task Slurm array merged to the same results as the local run ($(($(wc -l < "$work/cluster/runs.csv") - 1)) runs)"
