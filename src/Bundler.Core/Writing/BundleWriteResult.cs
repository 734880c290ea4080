using Bundler.Loader.Format;

namespace Bundler.Core.Writing;

/// <summary>What <see cref="BundleWriter"/> wrote.</summary>
public sealed record BundleWriteResult
{
    /// <summary>Full path of the bundle.</summary>
    public required string Path { get; init; }

    /// <summary>Size of the bundle in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>The manifest written at the bundle's head.</summary>
    public required Manifest Manifest { get; init; }

    /// <summary>Entries that were left out, with the reason (links inside a package, for example).</summary>
    public required IReadOnlyList<string> Warnings { get; init; }
}
