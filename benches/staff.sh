#!/usr/bin/env bash
# `o2d staff` on the default scenario: the run as staffed, the Erlang plan's run and o2d's
# rounds, each with the scenario's 10 replications, timed whole (planning, shift solving,
# every verification run and the output).
# Usage: bash benches/staff.sh [SCENARIO] [THREADS]   (defaults: the default scenario, all cores)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
threads="${2:-$(nproc)}"
(cd "$root" && cargo build --release --quiet)
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
scenario=()
if [ -n "${1:-}" ]; then scenario=("$1"); fi
/usr/bin/time -f "wall %e s, user %U s, system %S s, peak RSS %M KB" \
  "$root/target/release/o2d" staff "${scenario[@]}" --threads "$threads" --out "$out/staff" --force
