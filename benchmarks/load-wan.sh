#!/usr/bin/env bash
# Loading over a simulated WAN (see /work/shared/bench/README.md; needs root): each `load` mode's wall time divided
# by the pure transfer time of the bundle (`curl -o /dev/null`) on the same link, plus `curl | zstd -dc | tar -x` and
# bundle mode by the sample loader application published with Native AOT (samples/RuntimeLoader).
#
#   benchmarks/load-wan.sh [--n 300] [--total-mb 280] [--rtt 40] [--mbit 200] [--runs 3] [--no-build] [--keep-wan]
#
# Runs alternate (transfer, peer, bundle, files, ranges, then again) so a slow spell of the shared machine hits every
# command alike; the table gives medians. Work folder: BENCH_ROOT (default /tmp/bundler-bench-load-wan).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/publish-names.sh"
N=300; TOTAL_MB=280; RTT=40; MBIT=200; RUNS=3; BUILD=1; KEEP_WAN=0
while [ $# -gt 0 ]; do
    case "$1" in
        --n) N=$2; shift 2 ;;
        --total-mb) TOTAL_MB=$2; shift 2 ;;
        --rtt) RTT=$2; shift 2 ;;
        --mbit) MBIT=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        --keep-wan) KEEP_WAN=1; shift ;;
        -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

REPO=$(cd "$(dirname "$0")/.." && pwd)
BENCH=${BENCH:-/work/shared/bench}
ROOT=${BENCH_ROOT:-/tmp/bundler-bench-load-wan}
WWW=$ROOT/www
OUT=$ROOT/out
for tool in curl zstd tar nginx ip gcc python3 dotnet; do
    command -v $tool >/dev/null || { echo "missing $tool: apt-get install -y curl zstd nginx-light iproute2 gcc" >&2; exit 1; }
done
mkdir -p "$WWW"

if [ $BUILD = 1 ]; then
    dotnet build "$REPO/src/Bundler.Cli" -c Release -v q -nologo >/dev/null
fi
rm -rf "$ROOT/cli"; cp -r "$REPO/artifacts/bin/Bundler.Cli/release" "$ROOT/cli"
DLL=$ROOT/cli/dotnet-bundle-packages.dll
# The sample loader application, compiled ahead of time as an application would ship it (see load.sh).
case "$(uname -m)" in x86_64) RID=linux-x64 ;; aarch64) RID=linux-arm64 ;; *) echo "no Native AOT RID for $(uname -m)" >&2; exit 1 ;; esac
if [ $BUILD = 1 ] || [ ! -x "$ROOT/aot/RuntimeLoader" ]; then
    rm -rf "$ROOT/aot"; dotnet publish "$REPO/samples/RuntimeLoader" -c Release -r "$RID" -o "$ROOT/aot" -v q -nologo >/dev/null
fi
AOT=$ROOT/aot/RuntimeLoader

SET=$ROOT/set$N
if [ ! -f "$SET/.complete" ]; then
    rm -rf "$SET"
    python3 "$BENCH/gen-packages.py" "$SET" --n "$N" --total-mb "$TOTAL_MB" --seed 1 >/dev/null
    python3 - "$SET" <<'EOF'
import json, os, sys
d = sys.argv[1]; out = os.path.join(d, "bundle-in"); os.makedirs(out, exist_ok=True)
for m in json.load(open(os.path.join(d, "manifest.json"))):
    os.link(os.path.join(d, m["file"]), os.path.join(out, f"{m['name']}.{m['version']}.zip"))
EOF
    rm -rf "$WWW/pub"
    touch "$SET/.complete"
fi
[ -f "$WWW/pub/index.json" ] || dotnet "$DLL" pack --from-dir "$SET/bundle-in" --publish "$WWW/pub" >&2
BUNDLE=$(publish_bundle "$WWW/pub")
BUNDLE_BYTES=$(stat -c %s "$WWW/pub/$BUNDLE")

"$BENCH/wan.sh" up "$RTT" "$MBIT" >/dev/null
cleanup() { "$BENCH/serve.sh" stop >/dev/null 2>&1 || true; [ $KEEP_WAN = 1 ] || "$BENCH/wan.sh" down >/dev/null 2>&1 || true; }
trap cleanup EXIT
"$BENCH/serve.sh" "$WWW" >/dev/null
URL=http://10.203.0.2/pub
curl -sf -o /dev/null "$URL/index.json"

# timed LABEL COMMAND...: one run into a fresh $OUT; appends "label seconds" to $ROOT/times.txt
timed() {
    local label=$1; shift
    rm -rf "$OUT"; mkdir -p "$OUT"; sync
    local start end
    start=$(date +%s.%N)
    if ! "$@" >"$ROOT/$label.log" 2>&1; then echo "$label FAILED (see $ROOT/$label.log)" >&2; exit 1; fi
    end=$(date +%s.%N)
    echo "$label $(echo "$end - $start" | bc -l)" | tee -a "$ROOT/times.txt" >&2
}
: >"$ROOT/times.txt"
for run in $(seq "$RUNS"); do
    timed transfer curl -sf -o /dev/null "$URL/$BUNDLE"
    timed peer bash -c "set -o pipefail; curl -sf '$URL/$BUNDLE' | zstd -dc | tar -x -C '$OUT'"
    for mode in bundle files ranges; do
        timed "$mode" dotnet "$DLL" load "$URL/" -o "$OUT/tree" --mode "$mode"
    done
    timed aot-bundle "$AOT" "$URL/" "$OUT/tree" bundle
done

python3 - "$ROOT/times.txt" "$BUNDLE_BYTES" "$RTT" "$MBIT" "$RUNS" "$(git -C "$REPO" rev-parse --short HEAD)" <<'EOF' | tee "$ROOT/results.md"
import statistics, sys
path, bundle, rtt, mbit, runs, commit = sys.argv[1:]
times = {}
for line in open(path):
    label, seconds = line.split()
    times.setdefault(label, []).append(float(seconds))
median = {k: statistics.median(v) for k, v in times.items()}
transfer = median["transfer"]
link = int(mbit) / 8
print(f"Link {rtt} ms RTT, {mbit} Mbit/s ({link:.1f} MB/s); bundle {int(bundle) / 1e6:.1f} MB; {runs} alternating runs, medians; commit {commit}.\n")
print("| command | median s | min s | max s | / transfer | target |")
print("| --- | ---: | ---: | ---: | ---: | --- |")
names = {"transfer": "pure transfer: `curl -o /dev/null` of the bundle", "peer": "`curl \\| zstd -dc \\| tar -x`",
         "bundle": "ours, bundle mode", "files": "ours, files mode", "ranges": "ours, ranges mode",
         "aot-bundle": "ours, bundle mode by the Native AOT sample loader"}
for label in ("transfer", "peer", "bundle", "files", "ranges", "aot-bundle"):
    v = times[label]
    target = "<= 1.05" if label in ("bundle", "aot-bundle") else ""
    print(f"| {names[label]} | {median[label]:.2f} | {min(v):.2f} | {max(v):.2f} | {median[label] / transfer:.2f} | {target} |")
print(f"\nPure transfer reached {int(bundle) / 1e6 / transfer:.1f} MB/s = {int(bundle) / 1e6 / transfer / link:.2f} of the link.")
EOF
