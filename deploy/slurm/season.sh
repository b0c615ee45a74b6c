#!/usr/bin/env bash
# The large retailer's season of benches/season.sh (the default scenario at 100,000 orders a day
# for 90 days, every staffing level scaled 25x) with 300 replications on a Slurm cluster: a job
# array of 30 tasks runs 10 replications each (deploy/slurm/run.sbatch), then `o2d merge` joins
# the shards into the results one machine would write. Run it from the repository on a login
# node whose working folder every node sees.
# Usage: bash deploy/slurm/season.sh [TASKS] [REPLICATIONS] [DAYS]   (defaults 30, 300, 90)
# Environment: O2D (the binary, default `o2d` on PATH), OUT (the shard folder, default
# ./season-shards), MERGED (the merged results, default results/season-merged).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
tasks="${1:-30}"
reps="${2:-300}"
days="${3:-90}"
O2D="${O2D:-o2d}"
OUT="${OUT:-$PWD/season-shards}"
MERGED="${MERGED:-results/season-merged}"
mapfile -t season < "$root/benches/season.args"
sbatch --wait --array="0-$((tasks - 1))" \
  --export=ALL,O2D="$O2D",SCENARIO="$root/scenarios/holiday-season.toml",OUT="$OUT",O2D_ARGS="--replications $reps --days $days ${season[*]}" \
  "$root/deploy/slurm/run.sbatch"
"$O2D" merge "$OUT" --out "$MERGED"
