#!/usr/bin/env bash
# Order history replay at two sizes: a 50,000-row and a 5,000,000-row history (o2d traces of one
# small operation at 1,389 orders a day, 36 and 3,600 days), each replayed over its own days for
# one replication. Prints the load-and-run time and the peak RSS of each, and fails unless the
# big history's peak RSS is within 1.5x of the small one's (the file is streamed, never held).
# Usage: bash benches/history.sh   (writes into target/history-bench/)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
(cd "$root" && cargo build --release --quiet)
o2d="${CARGO_TARGET_DIR:-$root/target}/release/o2d"
dir="${CARGO_TARGET_DIR:-$root/target}/history-bench"
mkdir -p "$dir"
cd "$dir"

operation() { # operation <days> <demand line>
  cat <<TOML
[run]
start_date = "2020-01-01"
days = $1
replications = 1
seed = 1

[demand]
$2

[[fulfilment.shifts]]
name = "day"
days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
start = "06:00"
end = "22:00"
pickers = 6
packers = 5

[[carriers]]
name = "parcel"
pickups = ["12:00", "20:00"]
TOML
}

for size in 50k:36 5m:3600; do
  name="${size%%:*}"
  days="${size##*:}"
  operation "$days" "orders_per_day = 1389" > "generate-$name.toml"
  operation "$days" "history = \"orders-$name.csv\"" > "replay-$name.toml"
  if [[ ! -s "orders-$name.csv" ]]; then
    "$o2d" trace "generate-$name.toml" --out "orders-$name.csv" --force
  fi
done

rss=()
for name in 50k 5m; do
  rows=$(($(wc -l < "orders-$name.csv") - 1))
  log="time-$name.txt"
  /usr/bin/time -v "$o2d" run "replay-$name.toml" --replications 1 --out "results-$name" --force --quiet \
    > /dev/null 2> "$log"
  wall=$(grep "Elapsed (wall clock)" "$log" | awk '{print $NF}')
  kb=$(grep "Maximum resident set size" "$log" | awk '{print $NF}')
  echo "$name: $rows rows, $(du -m "orders-$name.csv" | cut -f1) MB: load and run $wall, peak RSS $kb KB"
  rss+=("$kb")
done
awk -v small="${rss[0]}" -v big="${rss[1]}" 'BEGIN {
  ratio = big / small
  printf "peak RSS ratio 5m / 50k: %.2f (limit 1.5)\n", ratio
  exit !(ratio <= 1.5)
}'
