# M/M/c queue in ciw: the o2d peer comparison (benches/peers/run.sh runs it beside SimPy and o2d).
# Usage: mmc_ciw.py [TICKETS] [SEED]; prints one JSON line (wall time, tickets/s, mean wait + CI).
import json
import sys
import time

import ciw

from mmc_common import LAMBDA_PER_H, MU_PER_H, SERVERS, summarize_waits


def main():
    tickets = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    ciw.seed(seed)
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=LAMBDA_PER_H)],
        service_distributions=[ciw.dists.Exponential(rate=MU_PER_H)],
        number_of_servers=[SERVERS],
    )
    started = time.perf_counter()
    sim = ciw.Simulation(network)
    # "Finish": stop once TICKETS customers have been served (each record holds its wait in
    # queue), so every ticket counted did the full arrive-wait-serve cycle.
    sim.simulate_until_max_customers(tickets, method="Finish")
    wall = time.perf_counter() - started
    records = sorted(sim.get_all_records(), key=lambda r: r.arrival_date)
    waits = [r.waiting_time for r in records]
    print(json.dumps({"tool": "ciw " + ciw.__version__, "tickets": tickets, "wall_s": wall,
                      **summarize_waits(waits)}))


if __name__ == "__main__":
    main()
