# M/M/c queue in SimPy: the o2d peer comparison (benches/peers/run.sh runs it beside ciw and o2d).
# Usage: mmc_simpy.py [TICKETS] [SEED]; prints one JSON line (wall time, tickets/s, mean wait + CI).
import json
import random
import sys
import time

import simpy

from mmc_common import LAMBDA_PER_H, MU_PER_H, SERVERS, summarize_waits


def main():
    tickets = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    rng = random.Random(seed)
    waits = [0.0] * tickets  # hours, in arrival order
    env = simpy.Environment()
    agents = simpy.Resource(env, capacity=SERVERS)

    def ticket(i):
        arrived = env.now
        with agents.request() as req:
            yield req
            waits[i] = env.now - arrived
            yield env.timeout(rng.expovariate(MU_PER_H))

    def source():
        for i in range(tickets):
            yield env.timeout(rng.expovariate(LAMBDA_PER_H))
            env.process(ticket(i))

    started = time.perf_counter()
    env.process(source())
    env.run()
    wall = time.perf_counter() - started
    print(json.dumps({"tool": "SimPy " + simpy.__version__, "tickets": tickets, "wall_s": wall,
                      **summarize_waits(waits)}))


if __name__ == "__main__":
    main()
