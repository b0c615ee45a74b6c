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
# The season's flags, one word a line (shared with deploy/slurm/season.sh).
mapfile -t season < "$root/benches/season.args"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
/usr/bin/time -f "wall %e s, user %U s, system %S s, peak RSS %M KB" \
  "$root/target/release/o2d" run --days "$days" --replications "$reps" --threads "$threads" \
  --out "$out/season" --force --format table "${season[@]}"
