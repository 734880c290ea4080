namespace Bundler.Loader.Format;

/// <summary>
/// Bounds that protect the machine from hostile bundles and archives. Defaults are documented in docs/FORMAT.md;
/// raise them for bundles you trust that are legitimately larger.
/// </summary>
public sealed record BundleLimits
{
    /// <summary>Most bytes all files of one bundle (or one source archive) may expand to. Default 32 GiB.</summary>
    public long MaxTotalSize { get; init; } = 32L * 1024 * 1024 * 1024;

    /// <summary>Most bytes one file may have. Default 4 GiB.</summary>
    public long MaxFileSize { get; init; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Most files in one bundle. Default 1,000,000.</summary>
    public int MaxFileCount { get; init; } = 1_000_000;

    /// <summary>Most bytes of a file path inside a package, in UTF-8. Default 1024.</summary>
    public int MaxPathLength { get; init; } = 1024;

    /// <summary>
    /// Highest ratio of expanded to compressed bytes a source archive (or one of its entries) may show, declared or
    /// actual, once it has expanded past <see cref="CompressionRatioThreshold"/>. Default 1000.
    /// </summary>
    public double MaxCompressionRatio { get; init; } = 1000;

    /// <summary>Expanded size below which the compression ratio is not checked. Default 16 MiB.</summary>
    public long CompressionRatioThreshold { get; init; } = 16L * 1024 * 1024;

    /// <summary>True when <paramref name="expanded"/> bytes from <paramref name="compressed"/> are past the threshold and over the ratio.</summary>
    internal bool ExceedsCompressionRatio(long expanded, long compressed) =>
        expanded > CompressionRatioThreshold && expanded > MaxCompressionRatio * Math.Max(1, compressed);

    /// <summary>The defaults.</summary>
    public static BundleLimits Default { get; } = new();
}
