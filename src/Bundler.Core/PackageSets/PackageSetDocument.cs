using System.Text.Json.Serialization;
using Bundler.Core.Download;

namespace Bundler.Core.PackageSets;

/// <summary>The bundle.json file as written: named sources and the packages to take from them.</summary>
internal sealed record PackageSetDocument
{
    [JsonPropertyName("$schema")]
    public string? Schema { get; init; }

    public required Dictionary<string, SourceDocument> Sources { get; init; }

    public required List<PackageDocument> Packages { get; init; }
}

/// <summary>One entry of bundle.json's <c>sources</c>; which members apply depends on <see cref="Type"/>.</summary>
internal sealed record SourceDocument
{
    public required string Type { get; init; }

    public string? Url { get; init; }

    public string? Config { get; init; }

    public string? Path { get; init; }

    public string? Lock { get; init; }

    public string? BaseUrl { get; init; }

    public string? TargetFramework { get; init; }

    public bool? Transitive { get; init; }

    public bool? KeepArchive { get; init; }
}

/// <summary>One entry of bundle.json's <c>packages</c>.</summary>
internal sealed record PackageDocument
{
    public required string Source { get; init; }

    public required string Id { get; init; }

    public string? Version { get; init; }

    public string? Url { get; init; }

    public string? Integrity { get; init; }

    public long? Size { get; init; }

    public bool? KeepArchive { get; init; }

    public List<string>? Include { get; init; }

    public List<string>? Exclude { get; init; }
}
