#!/bin/bash
# Download engine benchmark over a simulated WAN (see /work/shared/bench/README.md). Needs root.
#
#   benchmarks/download.sh [--n 300] [--total-mb 280] [--rtt 40] [--mbit 200] [--runs 3] [--big-mb 1024]
#                          [--limit-rate 4m] [--sweep "1 4 8 16 32 adaptive"] [--small-n 1000] [--small-mb 20]
#                          [--no-build] [--keep-wan]
#
# Prints wall time and effective rate (and, from a 20 ms trace of the bytes the link delivers, the link's rate in the
# middle half of each run and the time lost against it at the start and at the tail) for: ours sequential (-j 1), ours default (adaptive), aria2c -j 16,
# curl --parallel --parallel-max 16 on the generated set (the last three alternating, --runs times, medians); a
# concurrency sweep (seconds, speedup over -j 1, MB/s); a latency-bound set of many small archives, sequential vs
# default; and one big file under a per-connection rate cap, single stream vs segmented. Each run starts with an empty
# cache/output.
set -euo pipefail
N=300; TOTAL_MB=280; RTT=40; MBIT=200; RUNS=3; BIG_MB=1024; LIMIT_RATE=4m; SWEEP="1 4 8 16 32 adaptive"
SMALL_N=1000; SMALL_MB=20; BUILD=1; KEEP_WAN=0
while [ $# -gt 0 ]; do
    case "$1" in
        --n) N=$2; shift 2 ;;
        --total-mb) TOTAL_MB=$2; shift 2 ;;
        --rtt) RTT=$2; shift 2 ;;
        --mbit) MBIT=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --big-mb) BIG_MB=$2; shift 2 ;;
        --small-n) SMALL_N=$2; shift 2 ;;
        --small-mb) SMALL_MB=$2; shift 2 ;;
        --limit-rate) LIMIT_RATE=$2; shift 2 ;;
        --sweep) SWEEP=$2; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        --keep-wan) KEEP_WAN=1; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

REPO=$(cd "$(dirname "$0")/.." && pwd)
BENCH=${BENCH:-/work/shared/bench}
ROOT=${BENCH_ROOT:-/tmp/bundler-bench-download}
WWW=$ROOT/www
OUT=$ROOT/out
mkdir -p "$WWW" "$OUT"
for tool in aria2c curl nginx ip gcc; do
    command -v $tool >/dev/null || { echo "missing $tool: apt-get install -y nginx-light aria2 curl iproute2 gcc" >&2; exit 1; }
done

if [ $BUILD = 1 ]; then
    dotnet build "$REPO/src/Bundler.Cli" -c Release -v q -nologo >/dev/null
    rm -rf "$ROOT/cli"; cp -r "$REPO/artifacts/bin/Bundler.Cli/release" "$ROOT/cli"
fi

SET=$WWW/set$N
if [ ! -f "$SET/urls.txt" ]; then
    python3 "$BENCH/gen-packages.py" "$SET" --n "$N" --total-mb "$TOTAL_MB" --seed 1 --base-url "http://10.203.0.2/set$N" >/dev/null
fi
SET_BYTES=$(awk '{s+=$1} END {print s}' < <(find "$SET/pkgs" -type f -printf '%s\n'))
SMALL=$WWW/small$SMALL_N-$SMALL_MB
if [ ! -f "$SMALL/urls.txt" ]; then
    python3 "$BENCH/gen-packages.py" "$SMALL" --n "$SMALL_N" --total-mb "$SMALL_MB" --seed 2 --base-url "http://10.203.0.2/$(basename "$SMALL")" >/dev/null
fi
SMALL_BYTES=$(awk '{s+=$1} END {print s}' < <(find "$SMALL/pkgs" -type f -printf '%s\n'))
BIG=$WWW/big/big-$BIG_MB.bin
if [ ! -f "$BIG" ]; then
    mkdir -p "$WWW/big"; head -c $((BIG_MB * 1000000)) /dev/urandom > "$BIG"
fi
BIG_BYTES=$(stat -c %s "$BIG")
echo "http://10.203.0.2/big/$(basename "$BIG")" > "$ROOT/big-urls.txt"

"$BENCH/wan.sh" up "$RTT" "$MBIT" >/dev/null
cleanup() { "$BENCH/serve.sh" stop >/dev/null 2>&1 || true; [ $KEEP_WAN = 1 ] || "$BENCH/wan.sh" down >/dev/null 2>&1 || true; }
trap cleanup EXIT
"$BENCH/serve.sh" "$WWW" >/dev/null

# sample_link FILE: every 20 ms, "milliseconds bytes" received on the host's end of the link since the start
sample_link() {
    local rx=/sys/class/net/bntun0/statistics/rx_bytes b0 b t0=${EPOCHREALTIME/./}
    read -r b0 < "$rx"
    while true; do
        read -r b < "$rx"
        echo "$(( (${EPOCHREALTIME/./} - t0) / 1000 )) $(( b - b0 ))"
        sleep 0.02
    done
}
# link_losses FILE: from a sample_link trace, the link's rate in the middle half of the bytes (MB/s, IP bytes) and the
# milliseconds lost against that rate before the first quarter of the bytes (start-up, first requests, slow start)
# and after the last quarter (the tail)
link_losses() {
    awk '{t[NR]=$1; b[NR]=$2} END {
        total=b[NR]; for (i=1; i<=NR; i++) { if (!q1 && b[i]>=total/4) q1=i; if (!q3 && b[i]>=total*3/4) q3=i }
        if (!q1 || !q3 || t[q3]<=t[q1]) { print "0 0 0"; exit }
        r=(b[q3]-b[q1])/(t[q3]-t[q1]);
        printf "%.1f %.0f %.0f\n", r/1000, t[q1]-b[q1]/r, (t[NR]-t[q3])-(total-b[q3])/r }' "$1"
}
# run LABEL BYTES COMMAND...: one timed run with a fresh output folder; prints "label seconds MB/s" (and, from a trace
# of the link, its rate and the time lost at the start and the tail) and adds them to the label's samples
declare -A SAMPLES LOST_START LOST_TAIL
run() {
    local label=$1 bytes=$2; shift 2
    rm -rf "$OUT"; mkdir -p "$OUT"; sync
    local start end trace=$ROOT/$label.trace
    sample_link > "$trace" & local sampler=$!
    start=$(date +%s.%N)
    if ! timeout 600 "$@" >"$ROOT/$label.log" 2>&1; then echo "$label FAILED (see $ROOT/$label.log)" >&2; fi
    end=$(date +%s.%N)
    sleep 0.05; kill $sampler; wait $sampler 2>/dev/null || true
    local s; s=$(echo "$end - $start" | bc -l)
    local rate lost_start lost_tail; read -r rate lost_start lost_tail < <(link_losses "$trace")
    SAMPLES[$label]+="$s "; LOST_START[$label]+="$lost_start "; LOST_TAIL[$label]+="$lost_tail "
    printf '%-22s %8.2f s %8.1f MB/s   link %5.1f MB/s, lost: start %5d ms, tail %5d ms\n' "$label" "$s" "$(echo "$bytes / 1000000 / $s" | bc -l)" "$rate" "$lost_start" "$lost_tail"
}
# median WORDS...: of numbers
median() { tr ' ' '\n' <<<"$*" | grep . | sort -g | awk '{a[NR]=$1} END {print NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
# stat LABEL median|min|max: of the label's samples
sample_stat() { tr ' ' '\n' <<<"${SAMPLES[$1]}" | grep . | sort -g | awk -v w="$2" '{a[NR]=$1} END {print w=="min" ? a[1] : w=="max" ? a[NR] : (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# row LABEL BYTES: "| label | median | min | max | MB/s | share of link | lost at start | lost at tail |" (medians)
row() {
    local m; m=$(sample_stat "$1" median)
    printf '| %s | %.2f | %.2f | %.2f | %.1f | %.2f | %.0f | %.0f |\n' "$1" "$m" "$(sample_stat "$1" min)" "$(sample_stat "$1" max)" \
        "$(echo "$2 / 1000000 / $m" | bc -l)" "$(echo "$2 / 1000000 / $m / $LINK_MBS" | bc -l)" \
        "$(median ${LOST_START[$1]})" "$(median ${LOST_TAIL[$1]})"
}
OURS=(dotnet "$ROOT/cli/dotnet-bundle-packages.dll" download --cache "$OUT/cache" --progress none)
awk -v o="$OUT/dl" '{n=split($0,p,"/"); printf "url = \"%s\"\noutput = \"%s/%s\"\n", $0, o, p[n]}' "$SET/urls.txt" > "$ROOT/curl.cfg"
awk -v o="$OUT/dl" '{n=split($0,p,"/"); printf "url = \"%s\"\noutput = \"%s/%s\"\n", $0, o, p[n]}' "$SMALL/urls.txt" > "$ROOT/curl-small.cfg"

LINK_MBS=$(echo "$MBIT / 8" | bc -l)
printf 'link: %s ms RTT, %s Mbit/s (%.1f MB/s); set: %s files, %.1f MB; small set: %s files, %.1f MB; commit %s\n\n' \
    "$RTT" "$MBIT" "$LINK_MBS" "$N" "$(echo "$SET_BYTES / 1000000" | bc -l)" "$SMALL_N" \
    "$(echo "$SMALL_BYTES / 1000000" | bc -l)" "$(git -C "$REPO" rev-parse --short HEAD)"

echo "== set of $N archives: sequential once, then ours, aria2c and curl alternating, $RUNS runs =="
run ours-sequential "$SET_BYTES" "${OURS[@]}" --urls "$SET/urls.txt" -j 1
for r in $(seq "$RUNS"); do
    run ours-default "$SET_BYTES" "${OURS[@]}" --urls "$SET/urls.txt"
    run aria2c-j16 "$SET_BYTES" aria2c -q -i "$SET/urls.txt" -j 16 -d "$OUT/dl" --file-allocation=none --allow-overwrite=true --auto-file-renaming=false
    run curl-parallel16 "$SET_BYTES" curl -s --fail --create-dirs --parallel --parallel-max 16 --config "$ROOT/curl.cfg"
done

echo
echo "== concurrency sweep =="
for j in $SWEEP; do
    case $j in 1|adaptive) ;; *) run "ours-j$j" "$SET_BYTES" "${OURS[@]}" --urls "$SET/urls.txt" -j "$j" ;; esac
done

echo
echo "== latency-bound set of $SMALL_N archives: sequential vs default, peers for reference =="
run small-sequential "$SMALL_BYTES" "${OURS[@]}" --urls "$SMALL/urls.txt" -j 1
for r in $(seq "$RUNS"); do
    run small-default "$SMALL_BYTES" "${OURS[@]}" --urls "$SMALL/urls.txt"
    run small-aria2c-j16 "$SMALL_BYTES" aria2c -q -i "$SMALL/urls.txt" -j 16 -d "$OUT/dl" --file-allocation=none --allow-overwrite=true --auto-file-renaming=false
    run small-curl-parallel16 "$SMALL_BYTES" curl -s --fail --create-dirs --parallel --parallel-max 16 --config "$ROOT/curl-small.cfg"
done

echo
echo "== one $BIG_MB MB file, LIMIT_RATE=$LIMIT_RATE per connection =="
LIMIT_RATE=$LIMIT_RATE "$BENCH/serve.sh" "$WWW" >/dev/null
run big-single "$BIG_BYTES" "${OURS[@]}" --urls "$ROOT/big-urls.txt" --segments 1
run big-segmented-4 "$BIG_BYTES" "${OURS[@]}" --urls "$ROOT/big-urls.txt" --segments 4
run big-segmented-8 "$BIG_BYTES" "${OURS[@]}" --urls "$ROOT/big-urls.txt" --segments 8

echo
echo "## Results"
echo
echo "| set of $N archives | median s | min s | max s | MB/s | share of link | lost at start, ms | lost at tail, ms |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for label in ours-sequential ours-default aria2c-j16 curl-parallel16; do row "$label" "$SET_BYTES"; done
best_peer=$(printf '%s\n' "$(sample_stat aria2c-j16 median)" "$(sample_stat curl-parallel16 median)" | sort -g | head -1)
printf '\nours default / best peer (medians): %.3f\n\n' "$(echo "$(sample_stat ours-default median) / $best_peer" | bc -l)"
echo "| concurrency | seconds | speedup | MB/s |"
echo "| --- | ---: | ---: | ---: |"
seq1=$(sample_stat ours-sequential median)
for j in $SWEEP; do
    case $j in 1) label=ours-sequential ;; adaptive) label=ours-default ;; *) label=ours-j$j ;; esac
    s=$(sample_stat "$label" median)
    printf '| %s | %.2f | %.1fx | %.1f |\n' "$j" "$s" "$(echo "$seq1 / $s" | bc -l)" "$(echo "$SET_BYTES / 1000000 / $s" | bc -l)"
done
echo
echo "| latency-bound set, $SMALL_N archives | median s | min s | max s | MB/s | share of link | lost at start, ms | lost at tail, ms |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for label in small-sequential small-default small-aria2c-j16 small-curl-parallel16; do row "$label" "$SMALL_BYTES"; done
printf '\nlatency-bound set, ours default over sequential: %.1fx\n\n' "$(echo "$(sample_stat small-sequential median) / $(sample_stat small-default median)" | bc -l)"
echo "| one $BIG_MB MB file, LIMIT_RATE=$LIMIT_RATE | seconds | MB/s |"
echo "| --- | ---: | ---: |"
for label in big-single big-segmented-4 big-segmented-8; do
    printf '| %s | %.2f | %.1f |\n' "$label" "$(sample_stat "$label" median)" "$(echo "$BIG_BYTES / 1000000 / $(sample_stat "$label" median)" | bc -l)"
done
