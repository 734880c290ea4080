#!/usr/bin/env bash
# How pack, publish, unpack, every load mode and an update grow with the number of packages: wall time, time per package and
# peak memory (max RSS) for generated sets of the same shape (~30 KB per package) from 100 to 10,000 packages.
# Linear means a flat "ms/package" column. See benchmarks/README.md ("Scaling with the package count").
#
#   benchmarks/scaling.sh [--counts "100 1000 2000 5000 10000"] [--kb-per-package 30] [--work DIR] [--no-build]
#
# Loads go over loopback HTTP from the CLI's own `serve` (unthrottled), so the load modes' request scheduling is part
# of what is measured. Outputs are written under --work (default /dev/shm, a tmpfs: on a disk, creating and deleting
# tens of thousands of files makes the file system's inode allocation, not the tool, the cost that grows; pass a disk
# folder to measure that). Generated sets are kept under $BENCH_ROOT (default /tmp/bundler-bench) and reused.
set -euo pipefail

COUNTS="100 1000 2000 5000 10000"
KB_PER_PACKAGE=30
BUILD=1
WORK_PARENT=/dev/shm
ARGS_LINE="$0 $*"

while [[ $# -gt 0 ]]; do
    case "$1" in
        --counts) COUNTS="$2"; shift 2 ;;
        --kb-per-package) KB_PER_PACKAGE="$2"; shift 2 ;;
        --work) WORK_PARENT="$2"; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
for n in $COUNTS; do [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "--counts must hold positive integers, not '$n'" >&2; exit 2; }; done
[[ "$KB_PER_PACKAGE" =~ ^[1-9][0-9]*$ ]] || { echo "--kb-per-package must be a positive integer" >&2; exit 2; }

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$SCRIPT_DIR/.." && pwd)"
GEN="${GEN_PACKAGES:-/work/shared/bench/gen-packages.py}"
BENCH_ROOT="${BENCH_ROOT:-/tmp/bundler-bench}"
RESULTS_MD="$BENCH_ROOT/scaling.md"
[[ -f "$GEN" ]] || { echo "generator not found: $GEN (set GEN_PACKAGES)" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "missing /usr/bin/time (apt-get install -y time)" >&2; exit 1; }
mkdir -p "$BENCH_ROOT"
log() { printf '\n== %s\n' "$*" >&2; }

CLI_DIR="$BENCH_ROOT/scaling-cli"
if [[ $BUILD -eq 1 ]]; then
    log "building the CLI (Release)"
    dotnet build "$REPO/src/Bundler.Cli" -c Release -nologo -v q -nodeReuse:false >"$BENCH_ROOT/build.log" 2>&1 \
        || { tail -20 "$BENCH_ROOT/build.log" >&2; exit 1; }
fi
rm -rf "$CLI_DIR"
cp -a "$REPO/artifacts/bin/Bundler.Cli/release" "$CLI_DIR"
CLI=(dotnet "$CLI_DIR/dotnet-bundle-packages.dll")
COMMIT="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)"

[[ -d "$WORK_PARENT" && -w "$WORK_PARENT" ]] || { echo "--work $WORK_PARENT is not a writable folder" >&2; exit 2; }
W="$(mktemp -d "$WORK_PARENT/bundler-scaling.XXXXXX")"
WORK_FS="$(df --output=fstype "$W" | tail -1)"
SERVER_PID=""
cleanup() { [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null || true; rm -rf "$W"; }
trap cleanup EXIT

# measure NAME N CMD...: runs CMD under /usr/bin/time -v, appends "NAME N seconds maxrss_kb" to $W/rows.
measure() {
    local name="$1" n="$2"; shift 2
    if ! /usr/bin/time -v -o "$W/time.txt" "$@" >"$W/out.txt" 2>&1; then
        tail -5 "$W/out.txt" >&2
        echo "$name at $n packages failed" >&2
        exit 1
    fi
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$W/time.txt")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$W/time.txt")
    echo "$name $n $wall $rss" >>"$ROWS"
    printf '%-16s %6d packages  %7.2f s  %6.1f MiB\n' "$name" "$n" "$wall" "$(awk -v k="$rss" 'BEGIN {print k / 1024}')" >&2
}

ROWS="$BENCH_ROOT/scaling-rows.txt"
: >"$ROWS"
for n in $COUNTS; do
    set_dir="$BENCH_ROOT/scaling-set-$n-$KB_PER_PACKAGE"
    if [[ ! -f "$set_dir/.complete" ]]; then
        log "generating $n packages"
        rm -rf "$set_dir"
        python3 "$GEN" "$set_dir" --n "$n" --total-mb "$(awk -v n="$n" -v kb="$KB_PER_PACKAGE" 'BEGIN {print n * kb / 1000}')" --seed 1 --versioned >/dev/null
        touch "$set_dir/.complete"
    fi
    log "$n packages"
    rm -rf "$W/run" && mkdir -p "$W/run"
    measure "pack" "$n" "${CLI[@]}" pack --from-dir "$set_dir/pkgs" -o "$W/run/bundle.tar.zst"
    measure "pack --publish" "$n" "${CLI[@]}" pack --from-dir "$set_dir/pkgs" --publish "$W/run/site"
    measure "unpack" "$n" "${CLI[@]}" unpack "$W/run/bundle.tar.zst" -o "$W/run/unpacked"
    rm -rf "$W/run/unpacked"

    "${CLI[@]}" serve "$W/run/site" --port 0 --h2-port 0 -q >"$W/serve.txt" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 100); do grep -q "HTTP/1.1:" "$W/serve.txt" && break; sleep 0.1; done
    url=$(awk '/HTTP\/1.1:/ {print $2}' "$W/serve.txt")
    [[ -n "$url" ]] || { cat "$W/serve.txt" >&2; exit 1; }
    for mode in bundle ranges files; do
        measure "load $mode" "$n" "${CLI[@]}" load "$url" --mode "$mode" -o "$W/run/loaded-$mode"
        if [[ "$mode" == bundle ]]; then
            # An update with nothing changed: the load record read, every package checked on disk and kept.
            measure "update" "$n" "${CLI[@]}" load "$url" --mode bundle -o "$W/run/loaded-$mode"
        fi
        rm -rf "$W/run/loaded-$mode"
    done
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
done

python3 - "$ROWS" "$RESULTS_MD" <<EOF
import sys
rows = [l.split() for l in open(sys.argv[1])]
rows = [(" ".join(r[:-3]), int(r[-3]), float(r[-2]), int(r[-1])) for r in rows]
counts = sorted({r[1] for r in rows})
names = list(dict.fromkeys(r[0] for r in rows))
cell = {(r[0], r[1]): r for r in rows}
out = ["# Scaling with the package count", "",
       "Run: \`$ARGS_LINE\` on $(date -u '+%Y-%m-%d %H:%M UTC'), commit $COMMIT, $(nproc) cores; "
       "gen-packages.py --seed 1 --versioned, ~$KB_PER_PACKAGE KB per package; outputs on $WORK_FS; loads over loopback HTTP.", "",
       "Each cell: wall seconds / ms per package / peak RSS MiB. The marginal cost is the extra time per extra "
       "package between two neighbouring counts (start-up cancels out): flat from the first step to the last means "
       "linear.", "",
       "| step | " + " | ".join(f"{c:,}" for c in counts) + " | marginal ms/package, first step | last step |",
       "| --- | " + " | ".join("---:" for _ in counts) + " | ---: | ---: |"]
for name in names:
    cells, points = [], []
    for c in counts:
        r = cell.get((name, c))
        if r is None:
            cells.append("")
            continue
        points.append((c, r[2]))
        cells.append(f"{r[2]:.2f} s / {r[2] * 1000 / c:.2f} / {r[3] / 1024:.0f}")
    def marginal(a, b): return f"{(b[1] - a[1]) * 1000 / (b[0] - a[0]):.2f}"
    first = marginal(points[0], points[1]) if len(points) > 1 else ""
    last = marginal(points[-2], points[-1]) if len(points) > 1 else ""
    out.append(f"| {name} | " + " | ".join(cells) + f" | {first} | {last} |")
open(sys.argv[2], "w").write("\n".join(out) + "\n")
EOF
log "results ($RESULTS_MD)"
cat "$RESULTS_MD"
