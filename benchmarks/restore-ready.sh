#!/usr/bin/env bash
# Restore-ready bundles over a simulated WAN (see /work/shared/bench/README.md; needs root): a cold `dotnet restore`
# of a real project from a static v3 feed served by nginx, against `restore-from` of the bundle `pack --project` made
# of the same project (then the offline restore that follows it), one `dotnet restore` of the project with
# Bundler.Build as an MSBuild SDK and BundlerRestoreFrom naming the bundle (and the same restore again, when nothing is
# missing), and `curl | zstd -dc | tar -x` of the same bundle.
#
#   benchmarks/restore-ready.sh [--set small|large|xl] [--rtt 40] [--mbit 200] [--unthrottled] [--runs 3] [--no-build] [--keep-wan]
#
# The project is net8.0 with Microsoft.Extensions.Hosting, Newtonsoft.Json and Polly (small), or a solution-sized
# set (large: also EF Core with SQLite, Serilog.AspNetCore, Azure.Storage.Blobs, Azure.Identity, Swashbuckle,
# FluentValidation, AutoMapper, Dapper, StackExchange.Redis; xl, 100+ packages: also JWT bearer authentication,
# OpenTelemetry with the OTLP exporter, gRPC, Npgsql's EF Core provider, Microsoft.Data.SqlClient, Quartz,
# CsvHelper, Humanizer, System.Reactive). --unthrottled replaces the simulated link by a plain veth pair (WAN_MODE=veth,
# no added delay, tbf at 10 Gbit/s): the same feed address and server, no link limit. Its packages (and the targeting packs restore
# downloads) are fetched once from nuget.org into a seed folder, the only step that needs the internet, and turned
# into the static feed with /work/shared/bench/nuget/mkfeed.py. Runs alternate so a slow spell of the shared machine
# hits each command alike; the table gives medians. Work folder: BENCH_ROOT (default
# /tmp/bundler-bench-restore-ready-SET).
set -euo pipefail
SET=small; RTT=40; MBIT=200; RUNS=3; BUILD=1; KEEP_WAN=0; UNTHROTTLED=0
while [ $# -gt 0 ]; do
    case "$1" in
        --set) SET=$2; shift 2 ;;
        --rtt) RTT=$2; shift 2 ;;
        --mbit) MBIT=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        --unthrottled) UNTHROTTLED=1; shift ;;
        --keep-wan) KEEP_WAN=1; shift ;;
        -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

REPO=$(cd "$(dirname "$0")/.." && pwd)
. "$REPO/benchmarks/native-aot.sh"
BENCH=${BENCH:-/work/shared/bench}
case "$SET" in small|large|xl) ;; *) echo "--set is small, large or xl" >&2; exit 2 ;; esac
ROOT=${BENCH_ROOT:-/tmp/bundler-bench-restore-ready-$SET}
WWW=$ROOT/www
OUT=$ROOT/out
FEED_URL=http://10.203.0.2/feed/
for tool in curl zstd tar nginx ip gcc python3 dotnet bc; do
    command -v $tool >/dev/null || { echo "missing $tool: apt-get install -y curl zstd nginx-light iproute2 gcc bc" >&2; exit 1; }
done
mkdir -p "$WWW" "$ROOT/empty-source"
chmod 755 "$ROOT" "$WWW"

if [ $BUILD = 1 ] || [ ! -d "$ROOT/sdk-feed" ]; then
    dotnet build "$REPO/src/Bundler.Cli" -c Release -v q -nologo >/dev/null
    rm -rf "$ROOT/sdk-feed" "$ROOT/sdk-packages"
    dotnet pack "$REPO/src/Bundler.Build" -c Release -o "$ROOT/sdk-feed" -v q -nologo >/dev/null
fi
SDK_VERSION=$(basename "$(ls "$ROOT"/sdk-feed/Bundler.Build.*.nupkg)" .nupkg); SDK_VERSION=${SDK_VERSION#Bundler.Build.}
rm -rf "$ROOT/cli"; cp -r "$REPO/artifacts/bin/Bundler.Cli/release" "$ROOT/cli"
DLL=$ROOT/cli/dotnet-bundle-packages.dll
# The tool as this platform installs it (Native AOT), timed beside the portable one.
native_publish src/Bundler.Cli "$ROOT/cli-native" "$BUILD" >/dev/null
NATIVE=$ROOT/cli-native/dotnet-bundle-packages

project() { # project DIR: the benchmark's project, restoring from $1's nuget.config
    mkdir -p "$1"
    cat >"$1/App.csproj" <<'EOF'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
    <NuGetAudit>false</NuGetAudit>
    <RestorePackagesWithLockFile>true</RestorePackagesWithLockFile>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.Extensions.Hosting" Version="8.0.1" />
    <PackageReference Include="Newtonsoft.Json" Version="13.0.3" />
    <PackageReference Include="Polly" Version="8.4.2" />
  </ItemGroup>
  <ItemGroup Condition="'$(BenchSet)' == 'large' or '$(BenchSet)' == 'xl'">
    <PackageReference Include="Microsoft.EntityFrameworkCore.Sqlite" Version="8.0.30" />
    <PackageReference Include="Serilog.AspNetCore" Version="8.0.3" />
    <PackageReference Include="Azure.Storage.Blobs" Version="12.26.0" />
    <PackageReference Include="Azure.Identity" Version="1.14.2" />
    <PackageReference Include="Swashbuckle.AspNetCore" Version="7.2.0" />
    <PackageReference Include="FluentValidation" Version="11.11.0" />
    <PackageReference Include="AutoMapper" Version="14.0.0" />
    <PackageReference Include="Dapper" Version="2.1.66" />
    <PackageReference Include="StackExchange.Redis" Version="2.8.16" />
  </ItemGroup>
  <ItemGroup Condition="'$(BenchSet)' == 'xl'">
    <PackageReference Include="Microsoft.AspNetCore.Authentication.JwtBearer" Version="8.0.11" />
    <PackageReference Include="OpenTelemetry.Extensions.Hosting" Version="1.9.0" />
    <PackageReference Include="OpenTelemetry.Exporter.OpenTelemetryProtocol" Version="1.15.3" />
    <PackageReference Include="Grpc.Net.Client" Version="2.66.0" />
    <PackageReference Include="Npgsql.EntityFrameworkCore.PostgreSQL" Version="8.0.11" />
    <PackageReference Include="Microsoft.Data.SqlClient" Version="5.2.2" />
    <PackageReference Include="Quartz" Version="3.20.0" />
    <PackageReference Include="CsvHelper" Version="33.0.1" />
    <PackageReference Include="Humanizer.Core" Version="2.14.1" />
    <PackageReference Include="System.Reactive" Version="6.0.1" />
  </ItemGroup>
</Project>
EOF
    echo "<Project><PropertyGroup><BenchSet>$SET</BenchSet></PropertyGroup></Project>" >"$1/Directory.Build.props"
}

# Once: the closure from nuget.org, and the static feed made of it.
if [ ! -f "$ROOT/.seeded" ]; then
    rm -rf "$ROOT/seed" "$ROOT/seed-packages" "$WWW/feed"
    project "$ROOT/seed"
    dotnet restore "$ROOT/seed" --packages "$ROOT/seed-packages" -nologo -v q
    python3 "$BENCH/nuget/mkfeed.py" "$ROOT/seed-packages" "$WWW/feed" "$FEED_URL" >&2
    touch "$ROOT/.seeded"
fi
APP=$ROOT/app
project "$APP"
cat >"$APP/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="bench" value="${FEED_URL}index.json" allowInsecureConnections="true" />
  </packageSources>
</configuration>
EOF

# The same project with Bundler.Build as an MSBuild SDK (from a local folder feed, by source mapping), so that its
# restore loads BundlerRestoreFrom first. Its lock file is copied from the app's once the pack has written it.
SDKAPP=$ROOT/sdk-app
project "$SDKAPP"
echo "<Project><Import Project=\"Sdk.props\" Sdk=\"Bundler.Build\" /><PropertyGroup><BenchSet>$SET</BenchSet></PropertyGroup></Project>" >"$SDKAPP/Directory.Build.props"
echo '<Project><Import Project="Sdk.targets" Sdk="Bundler.Build" /></Project>' >"$SDKAPP/Directory.Build.targets"
echo "{ \"msbuild-sdks\": { \"Bundler.Build\": \"$SDK_VERSION\" } }" >"$SDKAPP/global.json"
cat >"$SDKAPP/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="sdk" value="$ROOT/sdk-feed" />
    <add key="bench" value="${FEED_URL}index.json" allowInsecureConnections="true" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="sdk"><package pattern="Bundler.*" /></packageSource>
    <packageSource key="bench"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
EOF

if [ $UNTHROTTLED = 1 ]; then
    WAN_MODE=veth "$BENCH/wan.sh" up 0 10000 >/dev/null
    LINK="unthrottled veth pair (no added delay, tbf 10 Gbit/s)"
else
    "$BENCH/wan.sh" up "$RTT" "$MBIT" >/dev/null
    LINK="$RTT ms RTT, $MBIT Mbit/s"
fi
cleanup() { "$BENCH/serve.sh" stop >/dev/null 2>&1 || true; [ $KEEP_WAN = 1 ] || "$BENCH/wan.sh" down >/dev/null 2>&1 || true; }
trap cleanup EXIT
"$BENCH/serve.sh" "$WWW" >/dev/null
curl -sf -o /dev/null "${FEED_URL}index.json"

# The bundle, packed from the project (its restore goes to the feed through the link; not timed).
rm -rf "$ROOT/pack-packages" "$APP/obj" "$APP/packages.lock.json"
NUGET_PACKAGES=$ROOT/pack-packages dotnet "$DLL" pack --project "$APP" --publish "$WWW/bundle" --progress none >&2
# The publish folder is content-addressed: index.json names the bundle and its manifest.
entry() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$WWW/bundle/index.json" "$1"; }
BUNDLE_PATH=$(entry bundle)
BUNDLE_BYTES=$(stat -c %s "$WWW/bundle/$BUNDLE_PATH")
PACKAGES=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["packages"]))' "$WWW/bundle/$(entry manifest)")
URL=http://10.203.0.2/bundle

# The loaded folder must give restore everything, held to packages.lock.json (written by the pack's restore):
# checked once, before timing.
rm -rf "$OUT" "$APP/obj"
dotnet "$DLL" restore-from "$URL/" --packages "$OUT/packages" >&2
dotnet restore "$APP" --locked-mode --packages "$OUT/packages" --source "$ROOT/empty-source" -nologo -v q -nodeReuse:false >&2
cp "$APP/packages.lock.json" "$SDKAPP/packages.lock.json"
# sdkrestore: one restore that loads the bundle first; the SDK itself resolves from its own packages folder.
sdkrestore() {
    env NUGET_PACKAGES="$ROOT/sdk-packages" NUGET_HTTP_CACHE_PATH="$OUT/http-cache" dotnet restore "$SDKAPP" --locked-mode \
        --packages "$OUT/packages" -p:BundlerRestoreFrom="$URL/" -nologo -v n -nodeReuse:false
}
rm -rf "$OUT"
sdkrestore | grep "Bundler: restore-from" >&2

# timed LABEL COMMAND...: one run; appends "label seconds" to $ROOT/times.txt
timed() {
    local label=$1; shift
    sync
    local start end
    start=$(date +%s.%N)
    if ! "$@" >"$ROOT/$label.log" 2>&1; then echo "$label FAILED (see $ROOT/$label.log)" >&2; exit 1; fi
    end=$(date +%s.%N)
    echo "$label $(echo "$end - $start" | bc -l)" | tee -a "$ROOT/times.txt" >&2
}
# sync: the previous command's writes reach the disk before the next is timed, not during it.
fresh() { rm -rf "$OUT" "$APP/obj" "$SDKAPP/obj"; mkdir -p "$OUT/packages"; sync; }
: >"$ROOT/times.txt"
for run in $(seq "$RUNS"); do
    fresh
    timed cold-restore env NUGET_PACKAGES="$OUT/packages" NUGET_HTTP_CACHE_PATH="$OUT/http-cache" \
        dotnet restore "$APP" -nologo -v q -nodeReuse:false
    fresh
    timed peer bash -c "set -o pipefail; curl -sf '$URL/$BUNDLE_PATH' | zstd -dc | tar -x -C '$OUT/packages'"
    fresh
    timed restore-from dotnet "$DLL" restore-from "$URL/" --packages "$OUT/packages"
    fresh
    timed restore-from-native "$NATIVE" restore-from "$URL/" --packages "$OUT/packages"
    timed offline-restore env NUGET_HTTP_CACHE_PATH="$OUT/http-cache" \
        dotnet restore "$APP" --locked-mode --packages "$OUT/packages" --source "$ROOT/empty-source" -nologo -v q -nodeReuse:false
    fresh
    timed sdk-restore sdkrestore
    timed sdk-noop sdkrestore
done

python3 - "$ROOT/times.txt" "$BUNDLE_BYTES" "$PACKAGES" "$LINK" "$RUNS" "$(git -C "$REPO" rev-parse --short HEAD)" <<'EOF' | tee "$ROOT/results.md"
import statistics, sys
path, bundle, packages, link, runs, commit = sys.argv[1:]
times = {}
for line in open(path):
    label, seconds = line.split()
    times.setdefault(label, []).append(float(seconds))
pipeline = [a + b for a, b in zip(times["restore-from"], times["offline-restore"])]
times["pipeline"] = pipeline
median = {k: statistics.median(v) for k, v in times.items()}
cold, peer = median["cold-restore"], median["peer"]
print(f"Link: {link}; {packages} packages, bundle {int(bundle) / 1e6:.1f} MB; {runs} alternating runs, medians; commit {commit}.\n")
print("| command | median s | min s | max s | / cold restore | / curl \\| zstd \\| tar |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
names = {"cold-restore": "cold `dotnet restore` from the static feed", "peer": "`curl \\| zstd -dc \\| tar -x` of the bundle",
         "restore-from": "`restore-from` the bundle (a ready packages folder), portable tool",
         "restore-from-native": "the same, Native AOT tool (as installed on linux-x64)", "offline-restore": "then `dotnet restore` with no source",
         "pipeline": "`restore-from` + offline `dotnet restore`",
         "sdk-restore": "one `dotnet restore` with `BundlerRestoreFrom` (SDK)", "sdk-noop": "the same again, nothing missing"}
for label in ("cold-restore", "peer", "restore-from", "restore-from-native", "offline-restore", "pipeline", "sdk-restore", "sdk-noop"):
    v = times[label]
    print(f"| {names[label]} | {median[label]:.2f} | {min(v):.2f} | {max(v):.2f} | {median[label] / cold:.2f} | {median[label] / peer:.2f} |")
EOF
