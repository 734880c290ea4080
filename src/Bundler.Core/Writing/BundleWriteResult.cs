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

    /// <summary>
    /// The bundle's integrity: <c>sha256-</c> and the Base64 of the SHA-256 of its manifest JSON, which covers every
    /// file, frame and original archive. An application that loads with it as
    /// <c>PackageLoadOptions.ExpectedIntegrity</c> accepts this bundle and no other.
    /// </summary>
    public required string Integrity { get; init; }

    /// <summary>The signature file written beside the bundle (<c>&lt;bundle&gt;.sig</c>), or null when it was not signed.</summary>
    public string? SignaturePath { get; init; }

    /// <summary>Entries that were left out, with the reason (links inside a package, for example).</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>The packages written, in bundle order, as the writer read them (ids and versions normalized).</summary>
    internal IReadOnlyList<PackageInput> Inputs { get; init; } = [];
}
