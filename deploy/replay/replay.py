#!/usr/bin/env python3
"""Replay an `o2d trace` CSV against an order API: POST each order as JSON at its replay offset.

usage: replay.py TRACE.csv URL [--limit N]     e.g. replay.py peak.csv http://127.0.0.1:8080/orders
Sends order i at start + replay_offset_s (the trace's --speedup already applied); prints a summary.
"""
import argparse, csv, json, time, urllib.request

ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument("trace"), ap.add_argument("url")
ap.add_argument("--limit", type=int, default=None, help="stop after N orders")
args = ap.parse_args()

sent = failed = late = 0
start = time.monotonic()
with open(args.trace, newline="") as f:
    for row in csv.DictReader(f):
        if args.limit is not None and sent + failed >= args.limit:
            break
        wait = start + float(row["replay_offset_s"]) - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        else:
            late += wait < -0.1  # the client could not keep up with the schedule
        body = {k: row[k] for k in ("order_id", "customer_id", "shipping_option", "promised_date", "timestamp")}
        body["skus"] = [int(s) for s in row["skus"].split()]
        body["lines"] = int(row["lines"])
        req = urllib.request.Request(args.url, json.dumps(body).encode(), {"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                sent += 200 <= r.status < 300
                failed += not (200 <= r.status < 300)
        except Exception:
            failed += 1
print(f"sent {sent} ok, {failed} failed, {late} behind schedule, in {time.monotonic() - start:.1f}s")
raise SystemExit(1 if failed else 0)
