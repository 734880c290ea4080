#!/usr/bin/env bash
# Load benchmark: bundle mode from an nginx on 127.0.0.1, by `dotnet-bundle-packages load` and by the sample loader
# application (samples/RuntimeLoader) compiled ahead of time, against the plain pipeline `curl -s URL | zstd -dc | tar
# -x` on the same bundle; plus the peak RSS of a bundle-mode load of a large bundle.
# See benchmarks/README.md.
#
#   benchmarks/load.sh [--n 300] [--total-mb 280] [--runs 5] [--warmup 1] [--big-gb 2] [--no-build]
#
# Reuses the package sets that pack-unpack.sh caches under $BENCH_ROOT (default /tmp/bundler-bench), generating them
# when absent. Results: $BENCH_ROOT/load-results.md.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/publish-names.sh"
. "$(dirname "${BASH_SOURCE[0]}")/native-aot.sh"

N=300; TOTAL_MB=280; RUNS=5; WARMUP=1; BIG_GB=2; BUILD=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --n) N="$2"; shift 2 ;;
        --total-mb) TOTAL_MB="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        --warmup) WARMUP="$2"; shift 2 ;;
        --big-gb) BIG_GB="$2"; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GEN="${GEN_PACKAGES:-/work/shared/bench/gen-packages.py}"
BENCH_ROOT="${BENCH_ROOT:-/tmp/bundler-bench}"
WORK="$BENCH_ROOT/load-work"
PORT="${PORT:-18471}"
log() { printf '\n== %s\n' "$*" >&2; }

for tool in curl zstd tar nginx hyperfine /usr/bin/time python3 dotnet; do
    command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install -y curl zstd nginx-light hyperfine time)" >&2; exit 1; }
done
mkdir -p "$BENCH_ROOT" "$WORK"

log "building the CLI (Release)"
if [[ $BUILD == 1 ]]; then dotnet build "$REPO/src/Bundler.Cli" -c Release -nologo -v q >&2; fi
rm -rf "$BENCH_ROOT/load-cli" && cp -r "$REPO/artifacts/bin/Bundler.Cli/release" "$BENCH_ROOT/load-cli"
DLL="$BENCH_ROOT/load-cli/dotnet-bundle-packages.dll"
log "publishing samples/RuntimeLoader (Native AOT)"
native_publish samples/RuntimeLoader "$BENCH_ROOT/load-aot" "$BUILD"
AOT="$BENCH_ROOT/load-aot/RuntimeLoader"
COMMIT="$(git -C "$REPO" rev-parse --short HEAD)$(git -C "$REPO" diff --quiet -- src || echo +dirty)"

make_set() { # DIR N MB: gen-packages.py output plus bundle-in/ of <name>.<version>.zip hard links
    local dir="$1"
    [[ -f "$dir/bundle-in/.linked" ]] && return
    python3 "$GEN" "$dir" --n "$2" --total-mb "$3" --seed 1 >&2
    python3 - "$dir" <<'EOF'
import json, os, shutil, sys
d = sys.argv[1]; out = os.path.join(d, "bundle-in"); os.makedirs(out, exist_ok=True)
for m in json.load(open(os.path.join(d, "manifest.json"))):
    src, dst = os.path.join(d, m["file"]), os.path.join(out, f"{m['name']}.{m['version']}.zip")
    if not os.path.lexists(dst):
        try: os.link(src, dst)
        except OSError: shutil.copyfile(src, dst)
EOF
    touch "$dir/bundle-in/.linked"
}

log "package set: n=$N total-mb=$TOTAL_MB"
SET="$BENCH_ROOT/load-set-n$N-mb$TOTAL_MB"
make_set "$SET" "$N" "$TOTAL_MB"
rm -rf "$WORK/www" && mkdir -p "$WORK/www"
dotnet "$DLL" pack --from-dir "$SET/bundle-in" --publish "$WORK/www/set" >&2

log "nginx on 127.0.0.1:$PORT"
cat >"$WORK/nginx.conf" <<EOF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 256; }
http {
    access_log off; sendfile on; tcp_nopush on;
    client_body_temp_path $WORK/tmp; proxy_temp_path $WORK/tmp; fastcgi_temp_path $WORK/tmp; uwsgi_temp_path $WORK/tmp; scgi_temp_path $WORK/tmp;
    server { listen 127.0.0.1:$PORT; root $WORK/www; }
}
EOF
mkdir -p "$WORK/tmp"
nginx -c "$WORK/nginx.conf"
trap 'nginx -c "$WORK/nginx.conf" -s stop 2>/dev/null || true' EXIT
URL="http://127.0.0.1:$PORT/set/$(publish_bundle "$WORK/www/set")"
curl -sf -o /dev/null "$URL"

log "hyperfine: bundle mode (tool, AOT loader) vs curl | zstd -dc | tar -x"
hyperfine --shell bash --runs "$RUNS" --warmup "$WARMUP" --export-json "$WORK/load-hyperfine.json" \
    -n "ours: dotnet-bundle-packages load (bundle mode)" --prepare "rm -rf $WORK/out" "dotnet $DLL load $URL -o $WORK/out --mode bundle" \
    -n "ours: RuntimeLoader, Native AOT (bundle mode)" --prepare "rm -rf $WORK/out-aot" "$AOT $URL $WORK/out-aot bundle" \
    -n "curl | zstd -dc | tar -x" --prepare "rm -rf $WORK/out2 && mkdir -p $WORK/out2" "curl -s $URL | zstd -dc | tar -x -C $WORK/out2" >&2
diff -rq "$WORK/out" "$WORK/out2" >&2 && diff -rq "$WORK/out-aot" "$WORK/out2" >&2 && echo "trees identical" >&2

for mode in files ranges; do
    rm -rf "$WORK/out-$mode"
    dotnet "$DLL" load "http://127.0.0.1:$PORT/set/" -o "$WORK/out-$mode" --mode "$mode" --json >"$WORK/load-$mode.json"
    diff -rq "$WORK/out" "$WORK/out-$mode" >&2
done

BIG_RSS=""; BIG_RSS_AOT=""
if python3 -c "import sys; sys.exit(0 if float('$BIG_GB') > 0 else 1)"; then
    BIG_MB=$(python3 -c "print(int(float('$BIG_GB') * 1000 / 1.7))")
    log "large set for peak memory: ~$BIG_GB GB installed ($BIG_MB MB of zip)"
    BIG="$BENCH_ROOT/load-big-$BIG_GB"
    make_set "$BIG" 60 "$BIG_MB"
    [[ -f "$WORK/www/big/index.json" ]] || dotnet "$DLL" pack --from-dir "$BIG/bundle-in" --publish "$WORK/www/big" >&2
    rm -rf "$WORK/big-out"
    /usr/bin/time -v dotnet "$DLL" load "http://127.0.0.1:$PORT/big/" -o "$WORK/big-out" --mode bundle 2>"$WORK/big-time.txt" >&2
    BIG_RSS=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/big-time.txt")
    BIG_INSTALLED=$(du -sb "$WORK/big-out" | cut -f1)
    BIG_BUNDLE=$(stat -c %s "$WORK/www/big/$(publish_bundle "$WORK/www/big")")
    rm -rf "$WORK/big-out"
    /usr/bin/time -v "$AOT" "http://127.0.0.1:$PORT/big/" "$WORK/big-out" bundle 2>"$WORK/big-time-aot.txt" >&2
    BIG_RSS_AOT=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/big-time-aot.txt")
    rm -rf "$WORK/big-out"
fi

python3 - "$WORK" "$COMMIT" "$BIG_RSS" "${BIG_INSTALLED:-0}" "${BIG_BUNDLE:-0}" "$RUNS" "${BIG_RSS_AOT:-}" <<'EOF' | tee "$BENCH_ROOT/load-results.md"
import json, sys
work, commit, rss, installed, bundle, runs, rss_aot = sys.argv[1:]
h = {r["command"]: r for r in json.load(open(f"{work}/load-hyperfine.json"))["results"]}
tool, aot, peer = (h[n] for n in ("ours: dotnet-bundle-packages load (bundle mode)", "ours: RuntimeLoader, Native AOT (bundle mode)", "curl | zstd -dc | tar -x"))
print(f"Commit {commit}; {runs} runs each, mean ± stddev (wall, warm page cache, nginx on 127.0.0.1).\n")
print("| command | mean s | stddev s | / pipeline |\n| --- | --- | --- | --- |")
for r in (tool, aot, peer):
    print(f"| {r['command']} | {r['mean']:.3f} | {r['stddev'] or 0:.3f} | {r['mean'] / peer['mean']:.2f}x |")  # hyperfine gives no stddev for one run
print(f"\nRatio ours / peer: AOT loader **{aot['mean'] / peer['mean']:.2f}x**, the tool (JIT) {tool['mean'] / peer['mean']:.2f}x (target <= 1.0x)\n")
for mode in ("files", "ranges"):
    j = json.load(open(f"{work}/load-{mode}.json"))
    print(f"- {mode} mode (one run): wall {j['wallSeconds']:.3f} s, {j['requests']} requests, {j['transferredBytes']/1e6:.1f} MB transferred")
if rss:
    print(f"\nPeak RSS of a bundle-mode load of {int(bundle)/1e9:.2f} GB bundle ({int(installed)/1e9:.2f} GB installed): **{int(rss)/1024:.0f} MB** (target <= 150 MB); the AOT loader: {int(rss_aot)/1024:.0f} MB")
EOF
