#!/usr/bin/env bash
# Peer comparison: the same M/M/c support queue (c = 40, utilisation 0.9) in SimPy, ciw and o2d.
# Usage: bash benches/peers/run.sh [--quick] [TICKETS] [SEED]  (--quick = 50,000 tickets).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tickets=1000000
if [[ "${1:-}" == "--quick" ]]; then tickets=50000; shift; fi
tickets="${1:-$tickets}"
seed="${2:-1}"

venv="$here/.venv"
if [[ ! -x "$venv/bin/python" ]]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
rows="$tmp/rows.jsonl"
: >"$rows"

echo "running SimPy with $tickets tickets (seed $seed)..." >&2
(cd "$here" && "$venv/bin/python" mmc_simpy.py "$tickets" "$seed") >>"$rows"
echo "running ciw with $tickets tickets (seed $seed)..." >&2
(cd "$here" && "$venv/bin/python" mmc_ciw.py "$tickets" "$seed") >>"$rows"

# o2d: the same tickets as 10 independent replications (an interval across replications, like
# the peers' batch means), first on one thread like the peers, then on every core (one run of
# o2d as a user runs it; the peers have no parallel mode). Each replication simulates one more
# day, its warm-up, which is not counted in its tickets: o2d does slightly more work than shown.
reps=10
days=$(( (tickets + reps * 2160 - 1) / (reps * 2160) + 1 ))
(cd "$root" && cargo build --release --quiet)
thread_counts=(1)
if [[ "$(nproc)" -gt 1 ]]; then thread_counts+=("$(nproc)"); fi
for threads in "${thread_counts[@]}"; do
  echo "running o2d: $reps replications of $days days (seed $seed), $threads thread(s)..." >&2
  "$root/target/release/o2d" run "$here/mmc.toml" --format json --quiet --threads "$threads" \
    --replications "$reps" --days "$days" --seed "$seed" --out "$tmp/o2d" --force >"$tmp/o2d.json"
  "$venv/bin/python" - "$tmp/o2d.json" "$reps" "$threads" >>"$rows" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
k = d["kpis"]
wait = k["phone_frt_mean"]
threads = int(sys.argv[3])
row = {"tool": f"o2d, {threads} thread" + ("s" if threads > 1 else ""),
       "tickets": int(round(k["tickets"]["mean"] * int(sys.argv[2]))),
       "wall_s": d["engine"]["wall_seconds"], "mean_wait_s": wait["mean"],
       "ci95_low": wait["ci95_low"], "ci95_high": wait["ci95_high"]}
print(json.dumps(row))
PY
done

(cd "$here" && "$venv/bin/python" report.py) <"$rows"
