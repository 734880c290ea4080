using NuGet.Packaging;
using NuGet.Versioning;

namespace Bundler.Core.Sources.NuGet;

/// <summary>What a feed says about one package version: its dependency groups, and its hash and size if published.</summary>
internal sealed record NuGetPackageInfo(
    NuGetVersion Version,
    IReadOnlyList<PackageDependencyGroup> DependencyGroups,
    string? Sha512,
    long? Size);
