#!/bin/bash
# Cold pack over a simulated WAN (see /work/shared/bench/README.md): does `pack bundle.json` finish near the time the
# archives take to arrive? Needs root.
#
#   benchmarks/pack-wan.sh [--n 150] [--total-mb 120] [--rtt 40] [--mbit 200] [--runs 3] [--baseline DLL] [--no-build]
#
# Alternates, --runs times, each from an empty cache and output: curl --parallel --parallel-max 16 (the peer: the
# archives' arrival alone), ours `download --urls` (the same downloads, nothing written), ours `pack bundle.json` with
# a cold cache, then the same pack with the cache warm (the writing alone). --baseline runs the cold pack of another
# build of the CLI (a dotnet-bundle-packages.dll) as well, so two versions are measured in the same run. Prints every
# run and a table of medians with each row's ratio to curl.
set -euo pipefail
N=150; TOTAL_MB=120; RTT=40; MBIT=200; RUNS=3; BASELINE=; BUILD=1
while [ $# -gt 0 ]; do
    case "$1" in
        --n) N=$2; shift 2 ;;
        --total-mb) TOTAL_MB=$2; shift 2 ;;
        --rtt) RTT=$2; shift 2 ;;
        --mbit) MBIT=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --baseline) BASELINE=$2; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

REPO=$(cd "$(dirname "$0")/.." && pwd)
BENCH=${BENCH:-/work/shared/bench}
ROOT=${BENCH_ROOT:-/tmp/bundler-bench-pack-wan}
WWW=$ROOT/www
OUT=$ROOT/out
mkdir -p "$WWW" "$OUT"
chmod 755 "$ROOT" "$WWW"
for tool in curl nginx ip gcc; do
    command -v $tool >/dev/null || { echo "missing $tool: apt-get install -y nginx-light curl iproute2 gcc" >&2; exit 1; }
done

if [ $BUILD = 1 ]; then
    dotnet build "$REPO/src/Bundler.Cli" -c Release -v q -nologo >/dev/null
    rm -rf "$ROOT/cli"; cp -r "$REPO/artifacts/bin/Bundler.Cli/release" "$ROOT/cli"
fi

SET=$WWW/set$N-$TOTAL_MB
if [ ! -f "$SET/urls.txt" ]; then
    python3 "$BENCH/gen-packages.py" "$SET" --n "$N" --total-mb "$TOTAL_MB" --seed 1 --base-url "http://10.203.0.2/$(basename "$SET")" >/dev/null
fi
SET_BYTES=$(find "$SET/pkgs" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
# A urls source: one package per archive, named after it, pinned to its sha256.
python3 - "$SET" "$ROOT/bundle.json" <<'EOF'
import base64, hashlib, json, os, sys
folder, out = sys.argv[1], sys.argv[2]
packages = []
for url in open(os.path.join(folder, "urls.txt")).read().split():
    name = url.rsplit("/", 1)[1]
    digest = hashlib.sha256(open(os.path.join(folder, "pkgs", name), "rb").read()).digest()
    packages.append({"source": "web", "id": name.split(".")[0], "version": "1.0.0", "url": url,
                     "integrity": "sha256-" + base64.b64encode(digest).decode()})
json.dump({"sources": {"web": {"type": "urls"}}, "packages": packages}, open(out, "w"), indent=1)
EOF

"$BENCH/wan.sh" up "$RTT" "$MBIT" >/dev/null
cleanup() { "$BENCH/serve.sh" stop >/dev/null 2>&1 || true; "$BENCH/wan.sh" down >/dev/null 2>&1 || true; }
trap cleanup EXIT
"$BENCH/serve.sh" "$WWW" >/dev/null

declare -A SAMPLES
# run LABEL KEEP_CACHE COMMAND...: one timed run from an empty output (and cache, unless KEEP_CACHE=1)
run() {
    local label=$1 keep=$2; shift 2
    if [ "$keep" = 1 ]; then rm -rf "$OUT/dl" "$OUT/bundle.tar.zst"; else rm -rf "$OUT"; fi
    mkdir -p "$OUT"; sync
    local start end s
    start=$(date +%s.%N)
    if ! timeout 600 "$@" >"$ROOT/$label.log" 2>&1; then echo "$label FAILED (see $ROOT/$label.log)" >&2; fi
    end=$(date +%s.%N)
    s=$(echo "$end - $start" | bc -l)
    SAMPLES[$label]+="$s "
    printf '%-16s %7.2f s\n' "$label" "$s"
}
median() { tr ' ' '\n' <<<"$*" | grep . | sort -g | awk '{a[NR]=$1} END {print NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

awk -v o="$OUT/dl" '{n=split($0,p,"/"); printf "url = \"%s\"\noutput = \"%s/%s\"\n", $0, o, p[n]}' "$SET/urls.txt" > "$ROOT/curl.cfg"
OURS=(dotnet "$ROOT/cli/dotnet-bundle-packages.dll")
PACK=(pack "$ROOT/bundle.json" -o "$OUT/bundle.tar.zst" --cache "$OUT/cache" --progress none)
LABELS=(curl-parallel16 ours-download ours-pack-cold ours-pack-warm)
[ -n "$BASELINE" ] && LABELS+=(base-pack-cold)

printf 'link: %s ms RTT, %s Mbit/s; set: %s archives, %.1f MB; commit %s\n\n' "$RTT" "$MBIT" "$N" \
    "$(echo "$SET_BYTES / 1000000" | bc -l)" "$(git -C "$REPO" rev-parse --short HEAD)"
for r in $(seq "$RUNS"); do
    run curl-parallel16 0 curl -s --fail --create-dirs --parallel --parallel-max 16 --config "$ROOT/curl.cfg"
    run ours-download 0 "${OURS[@]}" download --urls "$SET/urls.txt" --cache "$OUT/cache" --progress none
    run ours-pack-cold 0 "${OURS[@]}" "${PACK[@]}"
    run ours-pack-warm 1 "${OURS[@]}" "${PACK[@]}"
    [ -n "$BASELINE" ] && run base-pack-cold 0 dotnet "$BASELINE" "${PACK[@]}"
done

PEER=$(median ${SAMPLES[curl-parallel16]})
echo
echo "| command | median s | / curl --parallel |"
echo "| --- | --- | --- |"
for label in "${LABELS[@]}"; do
    m=$(median ${SAMPLES[$label]})
    printf '| %s | %.2f | %.2f |\n' "$label" "$m" "$(echo "$m / $PEER" | bc -l)"
done
