using NuGet.Versioning;
using Bundler.Core.Download;

namespace Bundler.Core.PackageSets;

/// <summary>A validated package entry of a package set.</summary>
internal sealed record PackageRequest
{
    public required string Source { get; init; }

    public required string Id { get; init; }

    /// <summary>The version or range as written, or null for "the newest".</summary>
    public string? Version { get; init; }

    /// <summary>The range in NuGet form; npm ranges are translated and may need several (<c>||</c>).</summary>
    public required IReadOnlyList<VersionRange> Ranges { get; init; }

    public Uri? Url { get; init; }

    public string? Integrity { get; init; }

    public long? Size { get; init; }

    public bool? KeepArchive { get; init; }

    public IReadOnlyList<string> Include { get; init; } = [];

    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary><c>file:line:column</c> of the entry, for messages.</summary>
    public required string Location { get; init; }
}
