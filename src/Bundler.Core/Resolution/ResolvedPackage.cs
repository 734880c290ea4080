using Bundler.Core.Download;
using Bundler.Core.PackageSets;

namespace Bundler.Core.Resolution;

/// <summary>
/// One package of a resolved set: an exact version and where its archive is, with the hash and size its source
/// publishes. Immutable; equal packages compare equal, so two resolutions can be compared.
/// </summary>
internal sealed record ResolvedPackage
{
    /// <summary>The bundle.json name of the source it came from.</summary>
    public required string Source { get; init; }

    public required SourceKind SourceKind { get; init; }

    public required string Id { get; init; }

    /// <summary>The exact version, normalized (NuGet: <c>1.0.0</c> for <c>1.0</c>; npm and wheels as published).</summary>
    public required string Version { get; init; }

    /// <summary>Where the archive is: an http(s) URL, or for a folder source a file URL.</summary>
    public required Uri ArchiveUrl { get; init; }

    /// <summary>The archive's size when the source publishes it.</summary>
    public long? Size { get; init; }

    /// <summary>The archive's hash as the source publishes it (<c>sha512-…</c>, <c>sha256-…</c>), if it does.</summary>
    public string? Integrity { get; init; }

    public bool KeepArchive { get; init; }

    public IReadOnlyList<string> Include { get; init; } = [];

    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>Whether bundle.json names it (false: it is in the set as a dependency).</summary>
    public bool Direct { get; init; }

    public bool Equals(ResolvedPackage? other) =>
        other is not null
        && Source == other.Source && SourceKind == other.SourceKind && Id == other.Id && Version == other.Version
        && ArchiveUrl == other.ArchiveUrl && Size == other.Size && Integrity == other.Integrity
        && KeepArchive == other.KeepArchive && Include.SequenceEqual(other.Include) && Exclude.SequenceEqual(other.Exclude)
        && Direct == other.Direct;

    public override int GetHashCode() => HashCode.Combine(Source, Id, Version, ArchiveUrl);
}
