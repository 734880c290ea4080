#!/usr/bin/env bash
# Real package sets (benchmarks/real-sets/*/bundle.json with their committed lock files): fetched once from the
# registries into a cache (the only step that needs the internet), then, with per-file figures beside MB/s:
#   1. `unpack` of each set's bundle against `zstd -dc | tar -x`, into tmpfs and into the disk;
#   2. every `load` mode from the built-in server under simulated networks, against `curl | zstd -dc | tar -x` (the
#      bundle), `curl --parallel` + unzip/tar of each archive (many files), and the link's floor (one round trip, then
#      the bytes that command moved at the link's rate).
#
#   benchmarks/real-sets.sh [--set nuget] [--net cable:20:100] [--runs 3] [--unpack-runs 5] [--no-build]
#
# --set and --net are repeatable (default: every set; cable, dsl and 4g as NAME:RTT_MS:MBIT). Runs alternate between
# the commands so a slow spell of the shared machine hits each alike; tables give medians. Work folder: BENCH_ROOT
# (default /tmp/bundler-bench-real); results in $BENCH_ROOT/results.md.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/publish-names.sh"
. "$(dirname "${BASH_SOURCE[0]}")/native-aot.sh"
SETS=(); NETS=(); RUNS=3; UNPACK_RUNS=5; BUILD=1
while [ $# -gt 0 ]; do
    case "$1" in
        --set) SETS+=("$2"); shift 2 ;;
        --net) NETS+=("$2"); shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --unpack-runs) UNPACK_RUNS=$2; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

REPO=$(cd "$(dirname "$0")/.." && pwd)
ROOT=${BENCH_ROOT:-/tmp/bundler-bench-real}
[ ${#SETS[@]} -gt 0 ] || SETS=($(cd "$REPO/benchmarks/real-sets" && ls -d */ | tr -d /))
[ ${#NETS[@]} -gt 0 ] || NETS=(cable:20:100 dsl:40:8 4g:60:20)
for tool in curl zstd tar unzip python3 dotnet; do
    command -v $tool >/dev/null || { echo "missing $tool: apt-get install -y curl zstd tar unzip python3" >&2; exit 1; }
done
mkdir -p "$ROOT"
TMPFS=/dev/shm/bundler-bench-real-$$
SERVER=
cleanup() { [ -z "$SERVER" ] || kill "$SERVER" 2>/dev/null || true; rm -rf "$TMPFS" "$ROOT/out"; }
trap cleanup EXIT

if [ $BUILD = 1 ]; then
    dotnet build "$REPO/src/Bundler.Cli" -c Release -v q -nologo >/dev/null
fi
rm -rf "$ROOT/cli"; cp -r "$REPO/artifacts/bin/Bundler.Cli/release" "$ROOT/cli"
cli() { dotnet "$ROOT/cli/dotnet-bundle-packages.dll" "$@"; }
# "ours" is the tool as this platform installs it: the Native AOT one where a C toolchain can build it (then the
# portable tool's unpack is timed beside it), else the portable one.
OURS="dotnet '$ROOT/cli/dotnet-bundle-packages.dll'"; PORTABLE=
if command -v clang >/dev/null || command -v gcc >/dev/null; then
    native_publish src/Bundler.Cli "$ROOT/cli-native" "$BUILD" >/dev/null
    PORTABLE=$OURS; OURS="'$ROOT/cli-native/dotnet-bundle-packages'"
fi
COMMIT=$(git -C "$REPO" rev-parse --short HEAD)$(git -C "$REPO" diff --quiet HEAD -- src || echo +dirty)

now() { date +%s.%N; }
# Appends "NAME SECONDS" to $TIMES for one timed run of the rest of the line (run by bash -c).
timed() { local name=$1; shift; local t0; t0=$(now); bash -c "$*" >/dev/null 2>&1 || { echo "failed: $name: $*" >&2; exit 1; }; echo "$name $(python3 -c "print($(now) - $t0)")" >> "$TIMES"; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Prints a markdown table from $TIMES: medians, and per command its bytes moved ($BYTES_<name>) and floor ($FLOOR_<name>).
table() {
    python3 - "$TIMES" "$FILES" "$FILE_BYTES" "${1:-}" <<'EOF'
import os, statistics, sys
times, files, file_bytes, floors = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
runs = {}
for line in open(times):
    name, seconds = line.split()
    runs.setdefault(name, []).append(float(seconds))
head = "| command | median s | min s | max s | files/s | MB/s (extracted) |"
rule = "| --- | ---: | ---: | ---: | ---: | ---: |"
if floors:
    head += " MB moved | floor s | / floor |"
    rule += " ---: | ---: | ---: |"
print(head); print(rule)
for name, values in runs.items():
    median = statistics.median(values)
    row = f"| {name} | {median:.3f} | {min(values):.3f} | {max(values):.3f} | {files / median:,.0f} | {file_bytes / median / 1e6:.1f} |"
    if floors:
        moved = int(os.environ["BYTES_" + name.replace("-", "_")])
        floor = float(os.environ["FLOOR_" + name.replace("-", "_")])
        row += f" {moved / 1e6:.1f} | {floor:.3f} | **{median / floor:.2f}** |"
    print(row)
EOF
}

RESULTS=$ROOT/results.md
{
    echo "Run: \`benchmarks/real-sets.sh\` on $(date -u '+%Y-%m-%d %H:%M') UTC, commit $COMMIT, $(nproc) cores; medians of alternating runs."
    echo
} > "$RESULTS"

for set in "${SETS[@]}"; do
    SPEC=$REPO/benchmarks/real-sets/$set/bundle.json
    SITE=$ROOT/$set/site
    mkdir -p "$ROOT/$set"
    LOCK_SUM=$(sha256sum "$REPO/benchmarks/real-sets/$set/bundle.lock.json" | cut -c1-64)
    if [ "$(cat "$ROOT/$set/lock.sha256" 2>/dev/null)" != "$LOCK_SUM" ]; then
        echo "== $set: pack --locked (downloads into $ROOT/cache the first time)"
        rm -rf "$SITE"
        cli pack "$SPEC" --locked --publish "$SITE" --cache "$ROOT/cache" --progress none >/dev/null
        echo "$LOCK_SUM" > "$ROOT/$set/lock.sha256"
    fi
    BUNDLE=$SITE/$(publish_bundle "$SITE")
    read -r FILES FILE_BYTES PACKAGES < <(cli inspect --json "$BUNDLE" | python3 -c '
import json, sys
m = json.load(sys.stdin)["manifest"]
print(sum(len(p["files"]) for p in m["packages"]), sum(f["size"] for p in m["packages"] for f in p["files"]), len(m["packages"]))')
    BUNDLE_BYTES=$(stat -c %s "$BUNDLE")
    ARCHIVE_BYTES=$(publish_archives "$SITE" | (cd "$SITE" && xargs du -cb) | tail -1 | cut -f1)
    ARCHIVES=$(publish_archives "$SITE" | wc -l)
    {
        echo "### $set: $PACKAGES packages, $FILES files, $(python3 -c "print(f'{$FILE_BYTES / 1e6:.1f}')") MB extracted; bundle $(python3 -c "print(f'{$BUNDLE_BYTES / 1e6:.1f}')") MB, $ARCHIVES archives $(python3 -c "print(f'{$ARCHIVE_BYTES / 1e6:.1f}')") MB"
        echo
    } >> "$RESULTS"

    for where in tmpfs disk; do
        dir=$TMPFS; [ $where = disk ] && dir=$ROOT/out
        TIMES=$ROOT/$set/unpack-$where.times; : > "$TIMES"
        echo "== $set: unpack into $where ($UNPACK_RUNS alternating runs)"
        for _ in $(seq "$UNPACK_RUNS"); do
            rm -rf "$dir"; mkdir -p "$dir"; sync
            timed "ours-unpack" "$OURS unpack '$BUNDLE' -o '$dir/ours'"
            if [ -n "$PORTABLE" ]; then
                rm -rf "$dir"; mkdir -p "$dir"; sync
                timed "ours-unpack-portable" "$PORTABLE unpack '$BUNDLE' -o '$dir/ours'"
            fi
            rm -rf "$dir"; mkdir -p "$dir/peer"; sync
            timed "peer-unpack" "zstd -dc '$BUNDLE' | tar -x -C '$dir/peer'"
        done
        rm -rf "$dir"
        { echo "Unpack into $where:"; echo; table; echo; } >> "$RESULTS"
    done

    for net in "${NETS[@]}"; do
        IFS=: read -r name rtt mbit <<< "$net"
        port=$(free_port)
        cli serve "$SITE" --port "$port" --protocol h1 --rtt "${rtt}ms" --bandwidth "${mbit}mbit" --quiet >/dev/null 2>&1 &
        SERVER=$!
        for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/index.json" && break; sleep 0.1; done
        URL=http://127.0.0.1:$port
        rate=$(python3 -c "print($mbit * 1e6 / 8)")
        floor() { python3 -c "print($rtt / 1000 + $1 / $rate)"; }
        export BYTES_peer_bundle BYTES_ours_bundle BYTES_ours_ranges BYTES_peer_files BYTES_ours_files
        export FLOOR_peer_bundle FLOOR_ours_bundle FLOOR_ours_ranges FLOOR_peer_files FLOOR_ours_files
        BYTES_peer_bundle=$BUNDLE_BYTES; BYTES_ours_bundle=$BUNDLE_BYTES; BYTES_ours_ranges=$BUNDLE_BYTES
        BYTES_peer_files=$ARCHIVE_BYTES; BYTES_ours_files=$ARCHIVE_BYTES
        FLOOR_peer_bundle=$(floor "$BUNDLE_BYTES"); FLOOR_ours_bundle=$FLOOR_peer_bundle; FLOOR_ours_ranges=$FLOOR_peer_bundle
        FLOOR_peer_files=$(floor "$ARCHIVE_BYTES"); FLOOR_ours_files=$FLOOR_peer_files
        # The many-file peer: six archives at a time (as a browser on HTTP/1.1, and files mode), then each extracted.
        CURL_ARGS=$ROOT/$set/curl-files.args
        publish_archives "$SITE" | while read -r f; do echo "url = \"$URL/$f\""; echo "output = \"${f##*/}\""; done > "$CURL_ARGS"
        EXTRACT='for f in *; do mkdir "x-$f"; case "$f" in *.tgz|*.tar.gz) tar -xzf "$f" -C "x-$f" ;; *) unzip -q "$f" -d "x-$f" ;; esac; done'
        TIMES=$ROOT/$set/$name.times; : > "$TIMES"
        OUT=$TMPFS
        echo "== $set over $name ($rtt ms, $mbit Mbit/s): $RUNS alternating runs"
        for _ in $(seq "$RUNS"); do
            rm -rf "$OUT"; mkdir -p "$OUT"
            timed "peer-bundle" "curl -sf '$URL/${BUNDLE#"$SITE"/}' | zstd -dc | tar -x -C '$OUT'"
            rm -rf "$OUT"
            timed "ours-bundle" "$OURS load '$URL/' -o '$OUT' --mode bundle"
            rm -rf "$OUT"
            timed "ours-ranges" "$OURS load '$URL/' -o '$OUT' --mode ranges"
            rm -rf "$OUT"; mkdir -p "$OUT"
            timed "peer-files" "cd '$OUT' && curl -sf --parallel --parallel-max 6 -K '$CURL_ARGS' && $EXTRACT"
            rm -rf "$OUT"
            timed "ours-files" "$OURS load '$URL/' -o '$OUT' --mode files"
        done
        kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
        { echo "Over $name ($rtt ms RTT, $mbit Mbit/s, HTTP/1.1, the built-in server; into tmpfs):"; echo; table floors; echo; } >> "$RESULTS"
    done
done

cat >> "$RESULTS" <<'LEGEND'
peer-unpack: `zstd -dc | tar -x`; peer-bundle: `curl | zstd -dc | tar -x`; peer-files: `curl --parallel --parallel-max 6`
of every archive, then `unzip` or `tar -xzf` of each; ours-*: `dotnet bundle-packages unpack` or `load --mode *` (the
tool's start-up included), the Native AOT tool where one was built; ours-unpack-portable: the portable (JIT) tool. floor: one round trip, then the bytes moved at the link's rate.
LEGEND
cat "$RESULTS"
