namespace Bundler.Loader.Format;

/// <summary>
/// The table of contents at the head of a bundle: every package, file and frame, known before the first payload byte.
/// Serialized as JSON inside the leading skippable frame (docs/FORMAT.md).
/// </summary>
public sealed record Manifest
{
    /// <summary>Version of the bundle format; this reader understands 1.</summary>
    public required int FormatVersion { get; init; }

    /// <summary>Name and version of the tool that wrote the bundle, e.g. <c>Bundler 0.1.0</c>.</summary>
    public required string Tool { get; init; }

    /// <summary>The writer options the bundle was made with.</summary>
    public required ManifestOptions Options { get; init; }

    /// <summary>Length of the uncompressed tar stream, trailer included.</summary>
    public required long TarSize { get; init; }

    /// <summary>Length of the payload: the sum of all frame sizes.</summary>
    public required long PayloadSize { get; init; }

    /// <summary>The packages, sorted by their folder <c>id/version</c> (ordinal), in the order their bytes appear.</summary>
    public required IReadOnlyList<PackageEntry> Packages { get; init; }

    /// <summary>The payload frames in file order; the last holds only the tar trailer.</summary>
    public required IReadOnlyList<FrameEntry> Frames { get; init; }
}
