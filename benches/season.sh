#!/usr/bin/env bash
# A large retailer's season: the default scenario (Oct 25 - Jan 22 with Black Friday, Cyber Monday
# and Christmas peaks) at 100,000 orders a day, 90 days, 30 replications, with every staffing
# level scaled 25x like the demand (4,000 -> 100,000 orders a day): pickers, packers, carrier
# capacity, support agents, back office, pre-sale questions and the customer base.
# Usage: bash benches/season.sh [REPLICATIONS] [THREADS] [DAYS]   (defaults 30, all cores, 90)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
reps="${1:-30}"
threads="${2:-$(nproc)}"
days="${3:-90}"
(cd "$root" && cargo build --release --quiet)
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
/usr/bin/time -f "wall %e s, user %U s, system %S s, peak RSS %M KB" \
  "$root/target/release/o2d" run --days "$days" --replications "$reps" --threads "$threads" \
  --out "$out/season" --force --format table \
  --set demand.orders_per_day=100000 \
  --set 'fulfilment.shifts[0].pickers=250' --set 'fulfilment.shifts[0].packers=250' \
  --set 'fulfilment.shifts[1].pickers=250' --set 'fulfilment.shifts[1].packers=225' \
  --set 'fulfilment.overrides[0].extra_pickers=150' --set 'fulfilment.overrides[0].extra_packers=150' \
  --set 'carriers[0].capacity_per_day=150000' \
  --set support.contacts.presale.per_hour=300 --set support.back_office.staff=100 \
  --set 'support.teams[0].shifts[0].agents=125' --set 'support.teams[0].shifts[1].agents=100' \
  --set 'support.teams[1].shifts[0].agents=300' --set 'support.overrides[0].extra_agents=100' \
  --set customers.customers=2500000
