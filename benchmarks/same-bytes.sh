#!/usr/bin/env bash
# Checks that the working tree writes the same bytes as another commit: builds the tool at BASE (default: main) and
# here, packs the sample archives (two option sets) and a generated set (bundle and publish folder) with each, and
# compares. Exits 1 on the first difference.
#
#   benchmarks/same-bytes.sh [BASE] [--n 40] [--total-mb 20]
#
# Work files live under $BENCH_ROOT/same-bytes (default /tmp/bundler-bench/same-bytes).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/publish-names.sh"

BASE=main
N=40
TOTAL_MB=20
while [[ $# -gt 0 ]]; do
    case "$1" in
        --n) N="$2"; shift 2 ;;
        --total-mb) TOTAL_MB="$2"; shift 2 ;;
        -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) BASE="$1"; shift ;;
    esac
done

repo=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_ROOT:-/tmp/bundler-bench}/same-bytes
gen="$repo/../shared/bench/gen-packages.py"
rm -rf "$work" && mkdir -p "$work"
trap 'git -C "$repo" worktree remove --force "$work/base-tree" 2>/dev/null || true' EXIT

git -C "$repo" worktree add --detach -q "$work/base-tree" "$BASE"
for side in base here; do
    tree=$([ $side = base ] && echo "$work/base-tree" || echo "$repo")
    dotnet build "$tree/src/Bundler.Cli" -c Release -nologo -v q -p:ArtifactsPath="$work/$side-artifacts" >/dev/null
done

python3 "$gen" --n "$N" --total-mb "$TOTAL_MB" --seed 7 --versioned "$work/gen" >/dev/null
for side in base here; do
    cli=("dotnet" "$work/$side-artifacts/bin/Bundler.Cli/release/dotnet-bundle-packages.dll")
    out="$work/$side"
    mkdir -p "$out"
    "${cli[@]}" pack --from-dir "$repo/samples/archives" -o "$out/sample.tar.zst" --progress none >/dev/null
    "${cli[@]}" pack --from-dir "$repo/samples/archives" -o "$out/sample-nuget.tar.zst" --nuget-layout --level 9 --frame-size 64K --progress none >/dev/null
    "${cli[@]}" pack --from-dir "$work/gen/pkgs" -o "$out/generated.tar.zst" --progress none >/dev/null
    "${cli[@]}" pack --from-dir "$work/gen/pkgs" --publish "$out/site" --progress none >/dev/null
done

# The marker file of a publish folder is not part of the bytes compared (publish folders before it had none).
if diff -r --exclude=.bundler-publish "$work/base" "$work/here" >/dev/null; then
    (cd "$work/here" && sha256sum ./*.tar.zst "site/$(publish_bundle site)")
    echo "same bytes as $BASE ($(git -C "$repo" rev-parse --short "$BASE"))"
else
    diff -rq --exclude=.bundler-publish "$work/base" "$work/here" || true
    echo "error: the bytes differ from $BASE" >&2
    exit 1
fi
