# Sourced by the benchmark scripts: Native AOT builds of the repository's programs for this machine (needs clang or
# gcc, as the ILCompiler does).

# native_publish PROJECT OUT BUILD: publishes PROJECT (a folder of the repository) with Native AOT for this machine's
# runtime identifier into OUT; with BUILD=0, a build already in OUT is kept.
native_publish() {
    local project=$1 out=$2 build=$3 rid
    [ "$build" = 0 ] && [ -d "$out" ] && return 0
    rid=$(dotnet --info | awk '/^ *RID:/ { print $2; exit }')
    rm -rf "$out" "$out.part"
    dotnet publish "$(dirname "${BASH_SOURCE[0]}")/../$project" -c Release -r "$rid" -o "$out.part" -nologo -v q >&2
    mv "$out.part" "$out"
}
