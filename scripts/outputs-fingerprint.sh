#!/usr/bin/env bash
# Runs the default scenario, every library scenario and the staffing sweep with one o2d binary and
# keeps their result tables, so two builds can be compared byte for byte (`diff -r A B`).
#
#   scripts/outputs-fingerprint.sh target/release/o2d /tmp/outputs-before
#   scripts/outputs-fingerprint.sh target/release/o2d /tmp/outputs-after
#   diff -r /tmp/outputs-before /tmp/outputs-after && echo byte-identical
#
# Kept: every file o2d writes (result tables, capacity and compare files, resolved scenarios,
# sweep shards, traces, report.html, engine.csv's metric names) and what each command prints
# (table, CSV and JSON; messages on stderr), with the temporary folder's path and the machine's
# figures blanked. Not kept: the marker (it names the time).
set -euo pipefail
o2d=$(realpath "$1")
out=$2
cd "$(dirname "$0")/.."
rm -rf "$out"
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

keep() { # keep <results folder> <name>
  mkdir -p "$out/$2"
  for f in kpis.csv replications.csv daily.csv hourly.csv sweep.csv compare.csv; do
    if [[ -f "$1/$f" ]]; then cp "$1/$f" "$out/$2/$f"; fi
  done
}

# more <results folder> <name>: the other files of a results folder (engine.csv without its
# machine figures).
more() {
  mkdir -p "$out/$2"
  for f in a.kpis.csv b.kpis.csv capacity.csv capacity_steps.csv scenario.resolved.toml a.resolved.toml \
    b.resolved.toml report.html; do
    if [[ -f "$1/$f" ]]; then cp "$1/$f" "$out/$2/$f"; fi
  done
  if [[ -f "$1/engine.csv" ]]; then cut -d, -f1 "$1/engine.csv" >"$out/$2/engine.metrics"; fi
}

# said <name> <file> <command...>: stdout, stderr and exit code of a command that is not --quiet.
said() {
  local name=$1 file=$2
  shift 2
  mkdir -p "$out/$name"
  local code=0
  "$@" >"$work/said.out" 2>"$work/said.err" || code=$?
  sed -E -e "s|$work|WORK|g" -e 's/events in .*/events in TIME/' \
    -e 's/"(events_per_second|wall_seconds|peak_rss_bytes)": .*/"\1": MACHINE/' "$work/said.out" >"$out/$name/$file.stdout"
  sed -E -e "s|$work|WORK|g" "$work/said.err" >"$out/$name/$file.stderr"
  echo "$code" >"$out/$name/$file.code"
}

# printed <name> <format> <command...>: what the command prints, with the temporary path and the
# machine's figures (wall time, speed, memory) blanked.
printed() {
  local name=$1 format=$2
  shift 2
  mkdir -p "$out/$name"
  "$@" --quiet --format "$format" | sed -E -e "s|$work|WORK|g" -e 's/events in .*/events in TIME/' \
    -e 's/"(events_per_second|wall_seconds|peak_rss_bytes)": .*/"\1": MACHINE/' >"$out/$name/stdout.$format"
}

printed default table "$o2d" run --out "$work/default"
keep "$work/default" default
printed default json "$o2d" run --out "$work/default" --force
for s in scenarios/*.toml; do
  name=$(basename "$s" .toml)
  printed "$name" table "$o2d" run "$s" --out "$work/$name"
  keep "$work/$name" "$name"
done
printed staffing-sweep-grid table "$o2d" sweep scenarios/staffing-sweep.toml --out "$work/grid"
keep "$work/grid" staffing-sweep-grid
printed staffing-sweep-grid json "$o2d" sweep scenarios/staffing-sweep.toml --out "$work/grid" --force
printed support-compare table "$o2d" compare scenarios/support-staffing.toml \
  --b-set 'support.teams[0].shifts[0].agents=6' --out "$work/compare"
keep "$work/compare" support-compare
printed support-compare json "$o2d" compare scenarios/support-staffing.toml \
  --b-set 'support.teams[0].shifts[0].agents=6' --out "$work/compare" --force

# Beyond the tables: every format, every writer.
printed default csv "$o2d" run --out "$work/default" --force
more "$work/default" default
said default report "$o2d" report "$work/default"
more "$work/default" default
printed staffing-sweep-grid csv "$o2d" sweep scenarios/staffing-sweep.toml --out "$work/grid" --force
said staffing-sweep-grid report "$o2d" report "$work/grid"
more "$work/grid" staffing-sweep-grid
printed support-compare csv "$o2d" compare scenarios/support-staffing.toml \
  --b-set 'support.teams[0].shifts[0].agents=6' --out "$work/compare" --force
said support-compare report "$o2d" report "$work/compare"
more "$work/compare" support-compare
cap=(capacity scenarios/starter.toml --replications 5 --tolerance 0.25 --max-multiplier 4
  --vary 'fulfilment.shifts[0].pickers=2,40')
for f in table csv json; do
  printed capacity "$f" "$o2d" "${cap[@]}" --out "$work/capacity" --force
done
more "$work/capacity" capacity
said capacity-fails capacity "$o2d" capacity scenarios/starter.toml --replications 5 \
  --set 'fulfilment.shifts[0].pickers=1' --out "$work/capacity-fails"
more "$work/capacity-fails" capacity-fails
mkdir -p "$work/shards"
said shards shard0 "$o2d" sweep scenarios/staffing-sweep.toml --days 14 --replications 3 --shard 0/2 --out "$work/shards"
said shards shard1 "$o2d" sweep scenarios/staffing-sweep.toml --days 14 --replications 3 --shard 1/2 --out "$work/shards"
cp "$work/shards"/shard-*.json "$out/shards/"
said shards merge "$o2d" merge "$work/shards" --out "$work/merged"
keep "$work/merged" merged
more "$work/merged" merged
said trace csv "$o2d" trace scenarios/stockout-black-friday.toml --set demand.orders_per_day=100 --replication 2
said trace jsonl "$o2d" trace scenarios/stockout-black-friday.toml --set demand.orders_per_day=100 --format jsonl --speedup 60
said trace file "$o2d" trace --set demand.orders_per_day=50 --seed 5 --out "$work/trace.csv"
cp "$work/trace.csv" "$out/trace/trace.csv"
said trace empty "$o2d" trace scenarios/starter.toml --set demand.orders_per_day=0
said precision run "$o2d" run scenarios/starter.toml --precision 0.3 --max-replications 6 \
  --out "$work/precision"
more "$work/precision" precision
said precision cap "$o2d" run scenarios/starter.toml --precision 0.0001 --max-replications 4 \
  --out "$work/precision" --force --check
said check run "$o2d" run scenarios/starter.toml --replications 3 --check --quiet \
  --out "$work/check"
said check run-report "$o2d" run scenarios/starter.toml --replications 5 --report \
  --out "$work/check" --force --format json
more "$work/check" check
said validate ok "$o2d" validate scenarios/starter.toml scenarios/holiday-season.toml
said schema schema "$o2d" schema
(cd "$work" && said init init "$o2d" init myshop)
cp "$work/myshop.toml" "$out/init/myshop.toml"
echo "outputs of $(ls "$out" | wc -l) runs in $out"
