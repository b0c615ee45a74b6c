#!/usr/bin/env bash
# Browser check of `o2d report`: renders the default scenario's report, its staffing plan's and
# the replay of its Black Friday peak hour against the example order API, screenshots them with
# headless Chromium (Debian's `chromium`, installed when missing) and fails
# on a Chromium error or a blank page.
#
#   scripts/screenshot-report.sh                 # CI: results/report-check/report.png
#   scripts/screenshot-report.sh OUT.png W,H R   # another file, window size and replications
#   scripts/screenshot-report.sh docs/report.png 1400,955 10   # the README images (docs/report.png,
#                                                              # docs/report-replay.png)
set -euo pipefail
cd "$(dirname "$0")/.."

png="${1:-results/report-check/report.png}"
size="${2:-1400,4000}"
replications="${3:-3}"
dir=results/report-check

if ! command -v chromium >/dev/null 2>&1; then
    echo "== installing chromium (Debian package)"
    apt-get update
    apt-get install -y chromium
fi

echo "== o2d run --report (default scenario, $replications replications) into $dir"
cargo build --release --quiet
./target/release/o2d run --replications "$replications" --out "$dir" --force --quiet --report >/dev/null
test -s "$dir/report.html"

# Screenshots $1/report.html into $2 and fails on a Chromium error or a blank page.
shoot() {
local dir="$1" png="$2"
echo "== chromium --headless --screenshot=$png ($size)"
mkdir -p "$(dirname "$png")"
rm -f "$png"
local profile status=0
profile="$(mktemp -d)"
timeout 300 chromium --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --hide-scrollbars --screenshot="$png" --window-size="$size" \
    "file://$PWD/$dir/report.html" >"$dir/chromium.log" 2>&1 || status=$?
rm -rf "$profile"
if [ "$status" -ne 0 ]; then
    cat "$dir/chromium.log" >&2
    echo "chromium exited with status $status" >&2
    exit 1
fi

echo "== checking $png is not blank"
python3 - "$png" <<'PY'
"""Decodes the PNG with the standard library only and fails when the page is (nearly) blank."""
import struct, sys, zlib
from collections import Counter

path = sys.argv[1]
data = open(path, "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit(f"{path}: not a PNG")
pos, idat, width = 8, b"", 0
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    chunk = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
        if depth != 8 or colour not in (2, 6) or interlace:
            sys.exit(f"{path}: unexpected PNG format (depth {depth}, colour type {colour})")
        bpp = 3 if colour == 2 else 4
    elif kind == b"IDAT":
        idat += chunk
    pos += 12 + length
raw = zlib.decompress(idat)
stride = width * bpp
prev = bytearray(stride)
colours = Counter()
for y in range(height):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if f == 1:
            line[i] = (line[i] + a) & 255
        elif f == 2:
            line[i] = (line[i] + b) & 255
        elif f == 3:
            line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    if y % 4 == 0:  # every fourth row is plenty to judge blankness
        colours.update(bytes(line[i:i + 3]) for i in range(0, stride, bpp * 2))
    prev = line
total = sum(colours.values())
top = colours.most_common(1)[0][1] / total
print(f"{width}x{height}, {len(colours)} colours sampled, most common covers {top:.1%}")
if len(colours) < 64 or top > 0.98:
    sys.exit(f"{path}: the page looks blank")
PY
echo "report screenshot ok: $png"
}

shoot "$dir" "$png"

staff=results/report-check-staff
echo "== o2d staff (default scenario, 5 replications a round) and o2d report into $staff"
./target/release/o2d staff --replications 5 --out "$staff" --force --quiet >/dev/null
./target/release/o2d report "$staff"
shoot "$staff" "$staff/report.png"

# The README's load test: the example order API, stalling 200 ms for the requests of the first
# second of every ten; the default scenario's Black Friday peak hour traced at 60x and replayed
# against it; the replay's report. Its screenshot goes beside the run's (README: docs/replay.png).
replay=results/report-check-replay
port="${O2D_API_PORT:-18080}"
echo "== the example order API on 127.0.0.1:$port, o2d trace --peak 1h, o2d replay, o2d report into $replay"
cargo build --release --quiet --example order-api
./target/release/examples/order-api --port "$port" --stall 200ms --every 10s --window 1s &
api=$!
trap 'kill "$api" 2>/dev/null || true' EXIT
mkdir -p "$replay"
./target/release/o2d trace --from 2026-11-27 --to 2026-11-27 --peak 1h --speedup 60 --out "$replay/peak.csv" --force
./target/release/o2d replay "$replay/peak.csv" --target "http://127.0.0.1:$port" --interval 2s \
    --out "$replay/bf-peak" --force --quiet
./target/release/o2d report "$replay/bf-peak"
python3 - "$replay/bf-peak/replay.json" <<'PY'
"""The stalls show in the replay's p99: every request answered, none dropped, p99 at least 200 ms."""
import json, sys
r = json.load(open(sys.argv[1]))
all_ = next(k for k in r["kinds"] if k["kind"] == "all")
print(f"replayed {all_['sent']} requests: p99 {all_['p99_ms']} ms, {all_['dropped']} dropped")
if all_["ok"] != r["trace_requests"] or all_["dropped"] or all_["p99_ms"] < 200:
    sys.exit("the replay of the peak hour did not go as the README says")
PY
shoot "$replay/bf-peak" "$(dirname "$png")/$(basename "$png" .png)-replay.png"
