# Parameters and statistics shared by the M/M/c peer scripts (SimPy, ciw) and the report table.
# M/M/c with c = 40 agents, mean handle 24 min (mu = 2.5/h), lambda = 90/h: utilisation 0.9.
import math
import statistics

SERVERS = 40
MU_PER_H = 2.5
LAMBDA_PER_H = 90.0
WARMUP_SHARE = 0.01  # the first 1% of tickets (the queue filling up from empty) is left out
BATCHES = 30


def erlang_c_wait_s(c=SERVERS, lam=LAMBDA_PER_H, mu=MU_PER_H):
    """Analytic mean wait in queue, seconds: Wq = C(c, a) / (c mu - lambda), a = lambda / mu."""
    a = lam / mu
    term = 1.0  # a^k / k!
    below = 0.0
    for k in range(c):
        below += term
        term *= a / (k + 1)
    top = term * c / (c - a)  # a^c / c! * c / (c - a)
    prob_wait = top / (below + top)
    return prob_wait / (c * mu - lam) * 3600.0


def summarize_waits(waits_h):
    """Mean wait (s) with a 95% batch-means interval over tickets after the warm-up."""
    kept = waits_h[int(len(waits_h) * WARMUP_SHARE):]
    size = len(kept) // BATCHES
    means = [statistics.fmean(kept[i * size:(i + 1) * size]) * 3600.0 for i in range(BATCHES)]
    half = 2.045 * statistics.stdev(means) / math.sqrt(BATCHES)  # t(0.975, 29)
    mean = statistics.fmean(kept) * 3600.0
    return {"mean_wait_s": mean, "ci95_low": mean - half, "ci95_high": mean + half}
