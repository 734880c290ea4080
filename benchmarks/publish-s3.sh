#!/usr/bin/env bash
# Publishing to an S3 API (moto_server on loopback, so the figures are the tool's and the store's work, not a WAN's):
# the generated set packed to a file alone (the baseline: what every publish spends before it uploads), published to
# an empty prefix, published again unchanged, and published with one package changed; each run's wall time and what
# it uploaded (`pack --json`: published.uploadedFiles and uploadedBytes).
#
#   benchmarks/publish-s3.sh [--n 300] [--total-mb 60] [--runs 3] [--no-build]
#
# Work folder: BENCH_ROOT (default /tmp/bundler-bench-publish-s3). Needs moto_server (pip install 'moto[server]').
set -euo pipefail
N=300; TOTAL_MB=60; RUNS=3; BUILD=1
while [ $# -gt 0 ]; do
    case "$1" in
        --n) N=$2; shift 2 ;;
        --total-mb) TOTAL_MB=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

REPO=$(cd "$(dirname "$0")/.." && pwd)
BENCH=${BENCH:-/work/shared/bench}
ROOT=${BENCH_ROOT:-/tmp/bundler-bench-publish-s3}
for tool in moto_server curl python3 dotnet; do
    command -v $tool >/dev/null || { echo "missing $tool" >&2; exit 1; }
done
mkdir -p "$ROOT"
if [ $BUILD = 1 ]; then
    dotnet build "$REPO/src/Bundler.Cli" -c Release -v q -nologo >/dev/null
fi
DLL=$REPO/artifacts/bin/Bundler.Cli/release/dotnet-bundle-packages.dll

SET=$ROOT/set$N
if [ ! -f "$SET/.complete" ]; then
    rm -rf "$SET"
    python3 "$BENCH/gen-packages.py" "$SET" --n "$N" --total-mb "$TOTAL_MB" --seed 1 --versioned >/dev/null
    mkdir -p "$SET/in" && ln "$SET"/pkgs/*.zip "$SET/in/"
    touch "$SET/.complete"
fi

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
moto_server -H 127.0.0.1 -p "$PORT" >"$ROOT/moto.log" 2>&1 &
MOTO=$!
trap 'kill $MOTO 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.1; done
export AWS_ENDPOINT_URL_S3=http://127.0.0.1:$PORT AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1

# publish LABEL PREFIX: one timed pack --publish of $SET/in; prints "label seconds files bytes".
publish() {
    local start end
    start=$(date +%s.%N)
    dotnet "$DLL" pack --from-dir "$SET/in" --publish "s3://bench/$2/" --json >"$ROOT/$1.json"
    end=$(date +%s.%N)
    python3 - "$1" "$(echo "$end - $start" | bc -l)" "$ROOT/$1.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[3]))["published"]
print(f"{sys.argv[1]} {float(sys.argv[2]):.2f} s, {p['uploadedFiles']} files, {p['uploadedBytes'] / 1e6:.2f} MB uploaded of {p['objects']} objects")
PY
}

archives=("$SET"/pkgs/*.zip)
first=${archives[0]##*/}
cp --remove-destination "$SET/pkgs/$first" "$ROOT/original.zip"
for run in $(seq "$RUNS"); do
    curl -sf -X PUT -o /dev/null "http://127.0.0.1:$PORT/bench"
    ln -f "$ROOT/original.zip" "$SET/in/$first"
    start=$(date +%s.%N)
    dotnet "$DLL" pack --from-dir "$SET/in" -o "$ROOT/alone.tar.zst" --progress none >/dev/null
    echo "pack-alone-$run $(echo "$(date +%s.%N) - $start" | bc -l | xargs printf '%.2f') s (pack -o, the same set, no publish)"
    ln -f "$ROOT/original.zip" "$SET/in/$first"
    publish "empty-$run" "run$run"
    publish "unchanged-$run" "run$run"
    python3 - "$ROOT/original.zip" "$SET/in/$first" "$run" <<'PY'
import random, shutil, sys, zipfile
shutil.copyfile(sys.argv[1], sys.argv[2] + ".tmp")
with zipfile.ZipFile(sys.argv[2] + ".tmp", "a") as z:
    z.writestr("changed.bin", random.Random(int(sys.argv[3])).randbytes(64 * 1024))
import os; os.replace(sys.argv[2] + ".tmp", sys.argv[2])
PY
    publish "one-changed-$run" "run$run"
done
ln -f "$ROOT/original.zip" "$SET/in/$first"
