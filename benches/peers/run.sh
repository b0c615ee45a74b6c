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

# o2d: optional until the support model is in this build. The scenario runs long enough for
# about the same number of tickets (90 an hour = 2,160 a day).
days=$(( (tickets + 2159) / 2160 + 1 ))
echo "running o2d for $days days (seed $seed)..." >&2
if (cd "$root" && cargo run --release --quiet -- run benches/peers/mmc.toml --format json --quiet \
      --days "$days" --seed "$seed" --out "$tmp/o2d") >"$tmp/o2d.json" 2>"$tmp/o2d.err"; then
  "$venv/bin/python" - "$tmp/o2d.json" >>"$rows" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
k = d["kpis"]
wait = k.get("phone_frt_mean", k.get("frt_mean"))
row = {"tool": "o2d", "tickets": int(k["tickets"]["mean"]), "wall_s": d["engine"]["wall_seconds"],
       "mean_wait_s": wait["mean"],
       # One replication has no across-replication interval; show the point value.
       "ci95_low": wait["ci95_low"] if wait["ci95_low"] is not None else wait["mean"],
       "ci95_high": wait["ci95_high"] if wait["ci95_high"] is not None else wait["mean"]}
print(json.dumps(row))
PY
else
  echo "o2d: support model not available in this build"
  sed 's/^/  /' "$tmp/o2d.err" | head -3 >&2
fi

(cd "$here" && "$venv/bin/python" report.py) <"$rows"
