#!/usr/bin/env bash
# Stands up a real one-node Slurm cluster on this machine (munge + slurmctld + slurmd, loopback
# only, private ports and state under a temp folder), runs deploy/slurm/sweep.sbatch and
# deploy/slurm/run.sbatch as 4-task job arrays with `sbatch --wait`, merges the shards with
# `o2d merge`, and `cmp`s the results with an unsharded `o2d sweep` and `o2d run`. Stops every daemon it started (trap). Needs root (CI runs as root);
# installs slurm-wlm and munge with apt-get when they are missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

if [ "$(id -u)" != 0 ]; then
  echo "test-one-node.sh: needs root (it starts munged and the Slurm daemons)" >&2
  exit 2
fi
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null \
  || ! command -v munged >/dev/null; then
  echo "== installing slurm-wlm and munge"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends slurm-wlm munge
fi

cargo build --release --quiet
O2D="$ROOT/target/release/o2d"
SCENARIO="$ROOT/scenarios/staffing-sweep.toml"
ARGS="--replications 3 --days 14"   # 12 points x 3 replications: a few seconds of simulation
SHARDS=4

WORK=$(mktemp -d /tmp/o2d-slurm.XXXXXX)
chmod 700 "$WORK"
mkdir -p "$WORK/munge" "$WORK/state" "$WORK/spool" "$WORK/log" "$WORK/out"
PIDS=()
cleanup() {
  local rc=$?
  # Stop only what this script started, by pid.
  for pidfile in "$WORK/slurmd.pid" "$WORK/slurmctld.pid" "$WORK/munge/munged.pid"; do
    if [ -s "$pidfile" ]; then kill "$(cat "$pidfile")" 2>/dev/null || true; fi
  done
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 1
  if [ $rc -ne 0 ]; then
    echo "== failed (exit $rc); daemon logs:" >&2
    tail -n 30 "$WORK"/log/*.log "$WORK"/munge/munged.log 2>/dev/null >&2 || true
  fi
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT INT TERM

# Free ports (the defaults 6817/6818 may be taken by a real cluster's daemons).
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
    || shuf -i 20000-60000 -n 1
}
CTLD_PORT=$(free_port)
SLURMD_PORT=$(free_port)
while [ "$SLURMD_PORT" = "$CTLD_PORT" ]; do SLURMD_PORT=$(free_port); done

echo "== munge (private key and socket under $WORK)"
dd if=/dev/urandom bs=1 count=1024 of="$WORK/munge/munge.key" status=none
chmod 400 "$WORK/munge/munge.key"
chmod 700 "$WORK/munge"
munged --force --key-file="$WORK/munge/munge.key" --socket="$WORK/munge/munge.socket" \
  --pid-file="$WORK/munge/munged.pid" --log-file="$WORK/munge/munged.log" --seed-file="$WORK/munge/munged.seed"
for _ in $(seq 50); do [ -S "$WORK/munge/munge.socket" ] && break; sleep 0.1; done
munge --socket="$WORK/munge/munge.socket" -n | unmunge --socket="$WORK/munge/munge.socket" >/dev/null

HOST=$(hostname -s)
CPUS=$(nproc)
MEM_MB=$(awk '/MemTotal/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)
CONF="$WORK/slurm.conf"
cat >"$CONF" <<CONF
ClusterName=o2dtest
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$WORK/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool/slurmd-%n
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/log/slurmctld.log
SlurmdLogFile=$WORK/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
SlurmdTimeout=60
MaxArraySize=1001
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEM_MB State=UNKNOWN
PartitionName=o2d Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$CONF"

echo "== slurmctld and slurmd on $HOST (127.0.0.1:$CTLD_PORT, :$SLURMD_PORT), $CPUS CPUs, ${MEM_MB} MB"
slurmctld -f "$CONF" -i
slurmd -f "$CONF"
for i in $(seq 60); do
  state=$(sinfo -h -N -o '%t' 2>/dev/null | head -n 1 || true)
  case "$state" in idle*|mix*|alloc*) break ;; esac
  if [ "$i" = 60 ]; then echo "the node did not come up (state: ${state:-none})" >&2; exit 1; fi
  sleep 1
done
sinfo

echo "== sbatch --wait: $SHARDS array tasks of deploy/slurm/sweep.sbatch"
cd "$WORK/out"
timeout 150 sbatch --wait --array=0-$((SHARDS - 1)) \
  --export=ALL,O2D="$O2D",SCENARIO="$SCENARIO",OUT="$WORK/out/shards",O2D_ARGS="$ARGS" \
  "$ROOT/deploy/slurm/sweep.sbatch"
ls shards

echo "== o2d merge, and the unsharded sweep"
"$O2D" merge shards --out merged
# shellcheck disable=SC2086
"$O2D" sweep "$SCENARIO" $ARGS --out whole --quiet --format csv >/dev/null
for f in sweep.csv replications.csv scenario.resolved.toml; do
  cmp "merged/$f" "whole/$f"
done

RUN_SCENARIO="$ROOT/scenarios/holiday-season.toml"
RUN_ARGS="--replications 6 --days 21"
echo "== sbatch --wait: $SHARDS array tasks of deploy/slurm/run.sbatch"
timeout 150 sbatch --wait --array=0-$((SHARDS - 1)) \
  --export=ALL,O2D="$O2D",SCENARIO="$RUN_SCENARIO",OUT="$WORK/out/run-shards",O2D_ARGS="$RUN_ARGS" \
  "$ROOT/deploy/slurm/run.sbatch"
ls run-shards

echo "== o2d merge, and the unsharded run"
"$O2D" merge run-shards --out run-merged
# shellcheck disable=SC2086
"$O2D" run "$RUN_SCENARIO" $RUN_ARGS --out run-whole --quiet >/dev/null
for f in kpis.csv replications.csv daily.csv hourly.csv scenario.resolved.toml; do
  cmp "run-merged/$f" "run-whole/$f"
done
echo "== deploy/slurm/season.sh, shortened (2 tasks, 2 replications, 10 days)"
OUT="$WORK/out/season-shards" MERGED="$WORK/out/season-merged" O2D="$O2D" \
  timeout 150 bash "$ROOT/deploy/slurm/season.sh" 2 2 10
grep -c '' season-merged/replications.csv
echo "Slurm one-node test passed: $SHARDS shards of a sweep and of a run merged byte for byte into the unsharded results"
