#!/usr/bin/env bash
# Updates over a simulated WAN (see /work/shared/bench/README.md; needs root): a target holding a load of the
# generated set is loaded again from a set with 1%, 10% and 50% of its packages changed (same ids and versions, new
# bytes), in each mode; against a fresh load of the changed set in that mode and against what a user does without
# updates (`curl` of the whole new bundle).
#
#   benchmarks/update-wan.sh [--n 300] [--total-mb 280] [--rtt 40] [--mbit 200] [--runs 1] [--no-build]
#
# Work folder: BENCH_ROOT (default /tmp/bundler-bench-update-wan). Each update's target is prepared from the local
# publish folder of the original set, untimed. Bytes are the loads' own count (`--json` transferredBytes).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/publish-names.sh"
N=300; TOTAL_MB=280; RTT=40; MBIT=200; RUNS=1; BUILD=1
while [ $# -gt 0 ]; do
    case "$1" in
        --n) N=$2; shift 2 ;;
        --total-mb) TOTAL_MB=$2; shift 2 ;;
        --rtt) RTT=$2; shift 2 ;;
        --mbit) MBIT=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

REPO=$(cd "$(dirname "$0")/.." && pwd)
BENCH=${BENCH:-/work/shared/bench}
ROOT=${BENCH_ROOT:-/tmp/bundler-bench-update-wan}
WWW=$ROOT/www
for tool in curl nginx ip gcc python3 dotnet bc; do
    command -v $tool >/dev/null || { echo "missing $tool: apt-get install -y curl nginx-light iproute2 gcc bc" >&2; exit 1; }
done
mkdir -p "$WWW"; chmod 755 "$ROOT" "$WWW"
if [ $BUILD = 1 ]; then
    dotnet build "$REPO/src/Bundler.Cli" -c Release -v q -nologo >/dev/null
fi
rm -rf "$ROOT/cli"; cp -r "$REPO/artifacts/bin/Bundler.Cli/release" "$ROOT/cli"
DLL=$ROOT/cli/dotnet-bundle-packages.dll

SET=$ROOT/set$N
if [ ! -f "$SET/.complete" ]; then
    rm -rf "$SET" "$WWW"/pub-*
    python3 "$BENCH/gen-packages.py" "$SET" --n "$N" --total-mb "$TOTAL_MB" --seed 1 >/dev/null
    # in-0: the set; in-P: the same with P% of the packages (spread over the set) given one more file of new bytes.
    python3 - "$SET" <<'EOF'
import json, os, random, sys, zipfile
d = sys.argv[1]
entries = json.load(open(os.path.join(d, "manifest.json")))
for percent in (0, 1, 10, 50):
    out = os.path.join(d, f"in-{percent}"); os.makedirs(out)
    changed = set(random.Random(percent).sample(range(len(entries)), len(entries) * percent // 100))
    for i, m in enumerate(entries):
        source, name = os.path.join(d, m["file"]), f"{m['name']}.{m['version']}.zip"
        if i not in changed:
            os.link(source, os.path.join(out, name)); continue
        with zipfile.ZipFile(source) as src, zipfile.ZipFile(os.path.join(out, name), "w", zipfile.ZIP_DEFLATED) as dst:
            for item in src.infolist():
                dst.writestr(item, src.read(item))
            dst.writestr("changed.bin", random.Random(i).randbytes(64 * 1024))
EOF
    touch "$SET/.complete"
fi
for percent in 0 1 10 50; do
    [ -f "$WWW/pub-$percent/index.json" ] || dotnet "$DLL" pack --from-dir "$SET/in-$percent" --publish "$WWW/pub-$percent" >&2
done
chmod -R a+rX "$WWW"

"$BENCH/wan.sh" up "$RTT" "$MBIT" >/dev/null
cleanup() { "$BENCH/serve.sh" stop >/dev/null 2>&1 || true; "$BENCH/wan.sh" down >/dev/null 2>&1 || true; }
trap cleanup EXIT
"$BENCH/serve.sh" "$WWW" >/dev/null
URL=http://10.203.0.2
curl -sf -o /dev/null "$URL/pub-0/index.json"

# timed LABEL PREPARE_FROM COMMAND...: a target holding a load of PREPARE_FROM (or empty for "-"), then one timed run.
: >"$ROOT/times.txt"
timed() {
    local label=$1 from=$2; shift 2
    rm -rf "$ROOT/out"; mkdir -p "$ROOT/out"
    if [ "$from" != - ]; then dotnet "$DLL" load "$from" -o "$ROOT/out/tree" --mode "${MODE:-bundle}" >/dev/null; fi
    sync
    local start end
    start=$(date +%s.%N)
    if ! "$@" >"$ROOT/$label.log" 2>&1; then echo "$label FAILED (see $ROOT/$label.log)" >&2; exit 1; fi
    end=$(date +%s.%N)
    local bytes
    bytes=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("transferredBytes", 0))' "$ROOT/$label.log" 2>/dev/null || echo 0)
    echo "$label $(echo "$end - $start" | bc -l) $bytes" | tee -a "$ROOT/times.txt" >&2
}
for run in $(seq "$RUNS"); do
    for percent in 1 10 50; do
        timed "curl-$percent" - curl -sf -o "$ROOT/out/b.tar.zst" "$URL/pub-$percent/$(publish_bundle "$WWW/pub-$percent")"
        for mode in bundle ranges files; do
            MODE=$mode timed "fresh-$mode-$percent" - dotnet "$DLL" load "$URL/pub-$percent/" -o "$ROOT/out/tree" --mode "$mode" --json
            MODE=$mode timed "update-$mode-$percent" "$WWW/pub-0" dotnet "$DLL" load "$URL/pub-$percent/" -o "$ROOT/out/tree" --mode "$mode" --json
        done
    done
done

python3 - "$ROOT/times.txt" "$WWW" "$RTT" "$MBIT" "$RUNS" "$(git -C "$REPO" rev-parse --short HEAD)" <<'EOF' | tee "$ROOT/results.md"
import os, statistics, sys
path, www, rtt, mbit, runs, commit = sys.argv[1:]
times, sizes = {}, {}
for line in open(path):
    label, seconds, transferred = line.split()
    times.setdefault(label, []).append(float(seconds)); sizes[label] = int(transferred)
med = {k: statistics.median(v) for k, v in times.items()}
print(f"Link {rtt} ms RTT, {mbit} Mbit/s; {runs} run(s), medians; commit {commit}.\n")
print("| changed | mode | update s | fresh load s | curl of the new bundle s | update MB | fresh MB | update / fresh (time) |")
print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for percent in (1, 10, 50):
    for mode in ("bundle", "ranges", "files"):
        u, f = f"update-{mode}-{percent}", f"fresh-{mode}-{percent}"
        print(f"| {percent}% | {mode} | {med[u]:.2f} | {med[f]:.2f} | {med[f'curl-{percent}']:.2f} | {sizes[u] / 1e6:.1f} | {sizes[f] / 1e6:.1f} | {med[u] / med[f]:.2f} |")
EOF
