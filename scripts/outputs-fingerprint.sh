#!/usr/bin/env bash
# Runs the default scenario, every library scenario and the staffing sweep with one o2d binary and
# keeps their result tables, so two builds can be compared byte for byte (`diff -r A B`).
#
#   scripts/outputs-fingerprint.sh target/release/o2d /tmp/outputs-before
#   scripts/outputs-fingerprint.sh target/release/o2d /tmp/outputs-after
#   diff -r /tmp/outputs-before /tmp/outputs-after && echo byte-identical
#
# Kept: kpis.csv, replications.csv, daily.csv, sweep.csv and compare.csv, and what each command
# prints (table and JSON), with the temporary folder's path blanked. Not kept: files that name the
# command or the time (the marker, engine.csv, the report).
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
  for f in kpis.csv replications.csv daily.csv sweep.csv compare.csv; do
    if [[ -f "$1/$f" ]]; then cp "$1/$f" "$out/$2/$f"; fi
  done
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
echo "outputs of $(ls "$out" | wc -l) runs in $out"
