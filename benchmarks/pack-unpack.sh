#!/usr/bin/env bash
# Pack/unpack benchmark for Bundler against a plain "unzip + tar | zstd" peer, plus peak memory of unpack on a
# large bundle. See benchmarks/README.md for what is measured and the targets.
#
#   benchmarks/pack-unpack.sh [--n 300] [--total-mb 280] [--runs 3] [--warmup 1] [--big-gb 2] [--no-build]
#
# Work files live under $BENCH_ROOT (default /tmp/bundler-bench); generated package sets are cached there and reused
# when the parameters match. Results: $BENCH_ROOT/results.md (markdown) and $BENCH_ROOT/hyperfine.json.
set -euo pipefail

N=300
TOTAL_MB=280
RUNS=3
WARMUP=1
BIG_GB=2
BUILD=1
ARGS_LINE="$0 $*"

usage() {
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
    cat <<'EOF'

Options:
  --n N           packages in the benchmark set (default 300)
  --total-mb MB   total size of the set's .zip archives in MB (default 280)
  --runs R        hyperfine runs per command (default 3)
  --warmup W      hyperfine warmup runs per command (default 1)
  --big-gb G      installed size in GB (10^9 bytes, fractions allowed, e.g. 0.1) of the large bundle used for the
                  peak-memory measurement of unpack; 0 skips that step (default 2)
  --no-build      do not run `dotnet build`; use the existing Release output
Environment: BENCH_ROOT (default /tmp/bundler-bench)
EOF
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --n) N="$2"; shift 2 ;;
        --total-mb) TOTAL_MB="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        --warmup) WARMUP="$2"; shift 2 ;;
        --big-gb) BIG_GB="$2"; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done

is_number() { [[ "$1" =~ ^[0-9]+([.][0-9]+)?$ ]]; }
[[ "$N" =~ ^[1-9][0-9]*$ ]] || { echo "--n must be a positive integer" >&2; exit 2; }
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "--runs must be a positive integer" >&2; exit 2; }
[[ "$WARMUP" =~ ^[0-9]+$ ]] || { echo "--warmup must be a non-negative integer" >&2; exit 2; }
is_number "$TOTAL_MB" || { echo "--total-mb must be a number" >&2; exit 2; }
is_number "$BIG_GB" || { echo "--big-gb must be a number (0 to skip)" >&2; exit 2; }

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$SCRIPT_DIR/.." && pwd)"
GEN="${GEN_PACKAGES:-/work/shared/bench/gen-packages.py}"
BENCH_ROOT="${BENCH_ROOT:-/tmp/bundler-bench}"
RESULTS_MD="$BENCH_ROOT/results.md"
HF_JSON="$BENCH_ROOT/hyperfine.json"

log() { printf '\n== %s\n' "$*" >&2; }

# ---------------------------------------------------------------------------------------------------------------- tools
log "checking tools"
declare -A PKG_OF=([zstd]=zstd [unzip]=unzip [hyperfine]=hyperfine [/usr/bin/time]=time [tar]=tar [python3]=python3 [dotnet]="")
missing=()
for tool in zstd unzip hyperfine /usr/bin/time tar python3 dotnet; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        missing+=("$tool")
    fi
done
if [[ ${#missing[@]} -gt 0 ]]; then
    pkgs=()
    for tool in "${missing[@]}"; do
        if [[ -z "${PKG_OF[$tool]}" ]]; then
            echo "missing: $tool (install the .NET 10 SDK)" >&2
            exit 1
        fi
        pkgs+=("${PKG_OF[$tool]}")
    done
    echo "missing: ${missing[*]}" >&2
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "running: apt-get update -qq && apt-get install -y -qq ${pkgs[*]}" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >&2
    else
        echo "install them with: sudo apt-get install -y ${pkgs[*]}" >&2
        exit 1
    fi
fi
[[ -f "$GEN" ]] || { echo "generator not found: $GEN (set GEN_PACKAGES)" >&2; exit 1; }
echo "hyperfine $(hyperfine --version | awk '{print $2}'), $(zstd --version | head -1), $(tar --version | head -1)" >&2

mkdir -p "$BENCH_ROOT"

# ---------------------------------------------------------------------------------------------------------------- build
# The Release output is copied to $BENCH_ROOT/cli so that someone else rebuilding artifacts/ during the (long) run
# cannot swap the binaries under the benchmark.
CLI_DIR="$BENCH_ROOT/cli"
if [[ $BUILD -eq 1 ]]; then
    log "building the CLI (Release)"
    for attempt in 1 2 3; do
        if dotnet build "$REPO/src/Bundler.Cli" -c Release -nologo -v q -nodeReuse:false >"$BENCH_ROOT/build.log" 2>&1; then
            break
        fi
        tail -20 "$BENCH_ROOT/build.log" >&2
        if [[ $attempt -eq 3 ]]; then
            echo "build failed 3 times; see $BENCH_ROOT/build.log" >&2
            exit 1
        fi
        echo "build failed (attempt $attempt); retrying in 60 s" >&2
        sleep 60
    done
fi
SRC_OUT="$REPO/artifacts/bin/Bundler.Cli/release"
[[ -f "$SRC_OUT/dotnet-bundle-packages.dll" ]] || { echo "no build output in $SRC_OUT" >&2; exit 1; }
rm -rf "$CLI_DIR"
cp -a "$SRC_OUT" "$CLI_DIR"
DLL="$CLI_DIR/dotnet-bundle-packages.dll"
COMMIT="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git -C "$REPO" status --porcelain -- src 2>/dev/null)" ]]; then COMMIT="$COMMIT+dirty"; fi
echo "CLI: $DLL (commit $COMMIT)" >&2

# ------------------------------------------------------------------------------------------------------------- data sets
# gen-packages.py writes pkgs/<name>.zip plus manifest.json (name, version, file); the CLI wants <id>.<version>.zip,
# so each set gets a folder `bundle-in/` of hard links (copies across file systems) named <name>.<version>.zip.
# Not symlinks: the CLI takes an archive's size from FileInfo.Length, which for a symlink is the link's own length,
# so its decompression-bomb check (ratio past 16 MiB expanded) refuses any symlinked archive that expands >16 MiB.
link_set() { # DIR
    python3 - "$1" <<'EOF'
import json, os, shutil, sys
d = sys.argv[1]
out = os.path.join(d, "bundle-in")
os.makedirs(out, exist_ok=True)
for m in json.load(open(os.path.join(d, "manifest.json"))):
    src, dst = os.path.join(d, m["file"]), os.path.join(out, f"{m['name']}.{m['version']}.zip")
    if not os.path.lexists(dst):
        try:
            os.link(src, dst)
        except OSError:
            shutil.copyfile(src, dst)
EOF
}

make_set() { # DIR N TOTAL_MB
    local dir="$1" n="$2" mb="$3" key="gen-packages --n $2 --total-mb $3 --seed 1 $(sha1sum "$GEN" | cut -c1-12) hardlinks"
    if [[ -f "$dir/.complete" && "$(cat "$dir/.complete")" == "$key" ]]; then
        echo "reusing $dir" >&2
        return
    fi
    rm -rf "$dir"
    echo "generating $dir ($n packages, $mb MB)" >&2
    python3 "$GEN" "$dir" --n "$n" --total-mb "$mb" --seed 1 >&2
    link_set "$dir"
    echo "$key" >"$dir/.complete"
}

SET_DIR="$BENCH_ROOT/set-n$N-mb$TOTAL_MB-s1"
log "benchmark set"
make_set "$SET_DIR" "$N" "$TOTAL_MB"
SET="$SET_DIR/bundle-in"
SET_ZIP_BYTES=$(find "$SET" -name "*.zip" -printf "%s\n" | awk "{s+=\$1} END {print s+0}")

# ------------------------------------------------------------------------------------------------------------ hyperfine
W="$BENCH_ROOT/work"
rm -rf "$W"
mkdir -p "$W"
BUNDLE="$W/bundle.tar.zst"            # packed once up front; input of both unpack benchmarks
OURS_PACK="$W/ours.tar.zst"            # written by the timed `pack`
PEER_PACK="$W/peer.tar.zst"
PEER_SCRATCH="$W/peer-scratch"
OURS_OUT="$W/ours-unpacked"
PEER_OUT="$W/peer-unpacked"
q() { printf '%q' "$1"; }

log "packing the bundle used by the unpack benchmarks"
dotnet "$DLL" pack --from-dir "$SET" -o "$BUNDLE" >&2
dotnet "$DLL" verify "$BUNDLE" >&2

# bash, so that the peer commands can use a loop and pipefail. The peer pack splits <id>.<version>.zip the way the CLI
# does: the id ends at the first '.' that is followed by a digit.
PEER_PACK_CMD="set -e; mkdir -p $(q "$PEER_SCRATCH"); for f in $(q "$SET")/*.zip; do b=\${f##*/}; b=\${b%.zip}; [[ \$b =~ ^([^.]*(\\.[^0-9][^.]*)*)\\.([0-9].*)\$ ]]; d=$(q "$PEER_SCRATCH")/\"\${BASH_REMATCH[1]}\"/\"\${BASH_REMATCH[3]}\"; mkdir -p \"\$d\"; unzip -q -o \"\$f\" -d \"\$d\"; done; tar -I 'zstd -T0' -cf $(q "$PEER_PACK") -C $(q "$PEER_SCRATCH") ."
PEER_UNPACK_CMD="set -o pipefail; zstd -dc $(q "$BUNDLE") | tar -x -C $(q "$PEER_OUT")"

log "hyperfine: $RUNS run(s), $WARMUP warmup"
hyperfine --shell bash --runs "$RUNS" --warmup "$WARMUP" --style basic \
    --export-json "$HF_JSON" --export-markdown "$BENCH_ROOT/hyperfine.md" \
    --prepare "rm -f $(q "$OURS_PACK")" \
    -n "ours pack" "dotnet $(q "$DLL") pack --from-dir $(q "$SET") -o $(q "$OURS_PACK") >/dev/null" \
    --prepare "rm -rf $(q "$PEER_SCRATCH") $(q "$PEER_PACK")" \
    -n "peer pack (unzip + tar|zstd -T0)" "$PEER_PACK_CMD" \
    --prepare "rm -rf $(q "$OURS_OUT")" \
    -n "ours unpack" "dotnet $(q "$DLL") unpack $(q "$BUNDLE") -o $(q "$OURS_OUT") >/dev/null" \
    --prepare "rm -rf $(q "$PEER_OUT") && mkdir -p $(q "$PEER_OUT")" \
    -n "peer unpack (zstd -dc | tar -x)" "$PEER_UNPACK_CMD" >&2

INSTALLED_BYTES=$(du -sb "$OURS_OUT" | cut -f1)
INSTALLED_FILES=$(find "$OURS_OUT" -type f | wc -l)
PEER_FILES=$(find "$PEER_OUT" -type f | wc -l)
PEER_SCRATCH_BYTES=$(du -sb "$PEER_SCRATCH" | cut -f1)
BUNDLE_BYTES=$(stat -c %s "$BUNDLE")
PEER_BUNDLE_BYTES=$(stat -c %s "$PEER_PACK")
rm -rf "$PEER_SCRATCH" "$OURS_OUT" "$PEER_OUT" "$OURS_PACK" "$PEER_PACK"

# ------------------------------------------------------------------------------------------------------ big-unpack RSS
BIG_ROW=""
BIG_INFO=""
if python3 -c "import sys; sys.exit(0 if float('$BIG_GB') > 0 else 1)"; then
    log "peak memory of unpack on a ~$BIG_GB GB bundle"
    # ~1/4 of the content is one package with a single large file (streams through many frames); the rest comes
    # from gen-packages.py, whose .zip sets unpack to ~1.7x their size.
    read -r BIG_MB HUGE_MB GEN_BIG_MB GEN_BIG_N < <(python3 -c "
g = float('$BIG_GB'); mb = g * 1000
huge = int(min(1000, mb / 4))
gen_mb = round(max(1.0, (mb - huge) / 1.7), 1)
n = max(4, min(120, int(gen_mb / 10)))
print(int(mb), huge, gen_mb, n)")
    BIG_DIR="$BENCH_ROOT/big-$BIG_GB"
    HUGE_KEY="huge $HUGE_MB MB v1"
    make_set "$BIG_DIR" "$GEN_BIG_N" "$GEN_BIG_MB"
    if [[ "$(cat "$BIG_DIR/.huge" 2>/dev/null)" != "$HUGE_KEY" ]]; then
        echo "writing one package with a single $HUGE_MB MB file" >&2
        rm -f "$BIG_DIR/bundle-in/hugepkg.1.0.0.zip"
        python3 - "$BIG_DIR/bundle-in/hugepkg.1.0.0.zip" "$HUGE_MB" <<'EOF'
import os, random, sys, zipfile
path, mb = sys.argv[1], int(sys.argv[2])
rng = random.Random(7)
words = [("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 10)))) for _ in range(5000)]
text = " ".join(rng.choices(words, k=2_000_000)).encode()  # ~13 MB of compressible text
chunk = 1 << 20
with zipfile.ZipFile(path + ".tmp", "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
    zi = zipfile.ZipInfo("hugepkg/data/blob.bin", date_time=(2024, 1, 1, 0, 0, 0))
    zi.compress_type = zipfile.ZIP_DEFLATED
    with z.open(zi, "w", force_zip64=True) as f:
        for i in range(mb):
            if i % 3 == 0:
                f.write(os.urandom(chunk))          # incompressible third
            else:
                o = rng.randrange(0, len(text) - chunk)
                f.write(text[o:o + chunk])
os.replace(path + ".tmp", path)
EOF
        echo "$HUGE_KEY" >"$BIG_DIR/.huge"
    fi
    BIG_BUNDLE="$W/big.tar.zst"
    BIG_OUT="$W/big-unpacked"
    dotnet "$DLL" pack --from-dir "$BIG_DIR/bundle-in" -o "$BIG_BUNDLE" >&2
    rm -rf "$BIG_OUT"
    /usr/bin/time -v -o "$W/big-time.txt" dotnet "$DLL" unpack "$BIG_BUNDLE" -o "$BIG_OUT" >&2
    BIG_RSS_KB=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$W/big-time.txt")
    BIG_WALL=$(awk -F': ' '/Elapsed \(wall clock\) time/ {print $2}' "$W/big-time.txt")
    BIG_INSTALLED=$(du -sb "$BIG_OUT" | cut -f1)
    BIG_BUNDLE_BYTES=$(stat -c %s "$BIG_BUNDLE")
    rm -rf "$BIG_OUT" "$BIG_BUNDLE"
    BIG_ROW="$BIG_RSS_KB|$BIG_WALL|$BIG_INSTALLED|$BIG_BUNDLE_BYTES"
fi

# -------------------------------------------------------------------------------------------------------------- report
python3 - "$HF_JSON" "$RESULTS_MD" <<EOF
import json, sys
hf = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
def med(name): return hf[name]["median"]
op, pp = med("ours pack"), med("peer pack (unzip + tar|zstd -T0)")
ou, pu = med("ours unpack"), med("peer unpack (zstd -dc | tar -x)")
def mb(b): return f"{int(b) / 1e6:,.1f} MB"
def ok(v, t): return "PASS" if v <= t else "FAIL"
rows = []
rows.append("# Bundler pack/unpack benchmark")
rows.append("")
rows.append("Run: \`$ARGS_LINE\` on $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -m), $(dotnet --version 2>/dev/null) SDK.")
rows.append("")
rows.append(f"Set: $N packages (gen-packages.py --n $N --total-mb $TOTAL_MB --seed 1), {mb($SET_ZIP_BYTES)} of .zip, "
            f"$INSTALLED_FILES files; commit $COMMIT; hyperfine --runs $RUNS --warmup $WARMUP (warm page cache); "
            f"$(nproc) cores.")
rows.append("")
rows.append("| benchmark | ours median (s) | peer median (s) | ours/peer | target | result |")
rows.append("| --- | ---: | ---: | ---: | ---: | --- |")
rows.append(f"| pack | {op:.3f} | {pp:.3f} | {op/pp:.2f}x | <= 1.20x | {ok(op/pp, 1.2)} |")
rows.append(f"| unpack | {ou:.3f} | {pu:.3f} | {ou/pu:.2f}x | <= 1.00x | {ok(ou/pu, 1.0)} |")
rows.append("")
rows.append("| size | value |")
rows.append("| --- | ---: |")
rows.append(f"| input archives (.zip) | {mb($SET_ZIP_BYTES)} |")
rows.append(f"| installed (du -sb of ours unpack) | {mb($INSTALLED_BYTES)} ($INSTALLED_FILES files) |")
rows.append(f"| installed by peer pack's unzip (du -sb) | {mb($PEER_SCRATCH_BYTES)} |")
rows.append(f"| ours bundle | {mb($BUNDLE_BYTES)} |")
rows.append(f"| peer bundle (tar, zstd -3) | {mb($PEER_BUNDLE_BYTES)} |")
big = "$BIG_ROW"
if big:
    rss_kb, wall, inst, bsize = big.split("|")
    rss = int(rss_kb) * 1024 / 1e6   # GNU time reports KiB
    rows.append("")
    rows.append("| peak memory of unpack | value | target | result |")
    rows.append("| --- | ---: | ---: | --- |")
    rows.append(f"| max RSS, /usr/bin/time -v (installed {mb(inst)}, bundle {mb(bsize)}, wall {wall}) "
                f"| {rss:.1f} MB ({int(rss_kb) / 1024:.1f} MiB) | <= 150 MB | {ok(rss, 150)} |")
else:
    rows.append("")
    rows.append("Peak memory of unpack: skipped (--big-gb 0).")
open(sys.argv[2], "w").write("\n".join(rows) + "\n")
EOF

if [[ "$PEER_FILES" -ne "$INSTALLED_FILES" ]]; then
    echo "note: peer unpack of the same bundle produced $PEER_FILES files, ours $INSTALLED_FILES" >&2
fi
rm -rf "$W"
log "results ($RESULTS_MD)"
cat "$RESULTS_MD"
