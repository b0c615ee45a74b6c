# Prints the peer comparison table from JSON lines (one per tool) on stdin, with Erlang C.
# Used by run.sh; each line: tool, tickets, wall_s, mean_wait_s, ci95_low, ci95_high.
import json
import sys

from mmc_common import LAMBDA_PER_H, MU_PER_H, SERVERS, erlang_c_wait_s

rows = [json.loads(line) for line in sys.stdin if line.strip().startswith("{")]
wq = erlang_c_wait_s()
print(f"M/M/c: c = {SERVERS}, lambda = {LAMBDA_PER_H}/h, mu = {MU_PER_H}/h, "
      f"utilisation = {LAMBDA_PER_H / (SERVERS * MU_PER_H):.2f}")
print(f"{'tool':<16} {'tickets':>10} {'wall s':>9} {'tickets/s':>12} {'mean wait s':>12} "
      f"{'95% CI':>18}  {'Erlang C in CI':>14}")
for r in rows:
    inside = "yes" if r["ci95_low"] <= wq <= r["ci95_high"] else "NO"
    ci = f"[{r['ci95_low']:.1f}, {r['ci95_high']:.1f}]"
    print(f"{r['tool']:<16} {r['tickets']:>10} {r['wall_s']:>9.2f} {r['tickets'] / r['wall_s']:>12,.0f} "
          f"{r['mean_wait_s']:>12.1f} {ci:>18}  {inside:>14}")
print(f"{'Erlang C':<16} {'':>10} {'':>9} {'':>12} {wq:>12.1f}")
