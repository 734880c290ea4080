using Bundler.Loader;

namespace Bundler.Core;

/// <summary>
/// Counts the bytes one source archive expands to and stops a decompression bomb: more than
/// <see cref="BundleLimits.MaxTotalSize"/> in all, or, past <see cref="BundleLimits.CompressionRatioThreshold"/>,
/// more than <see cref="BundleLimits.MaxCompressionRatio"/> times the archive's size.
/// </summary>
internal sealed class ExpansionBudget(PackageInput package, long archiveSize, BundleLimits limits)
{
    private long _expanded;

    public void Add(long bytes)
    {
        _expanded += bytes;
        if (_expanded > limits.MaxTotalSize)
        {
            throw new BundleException($"The archive '{package.ArchivePath}' of {package.Id} {package.Version} expands to more than {limits.MaxTotalSize} bytes (BundleLimits.MaxTotalSize); refusing it as a decompression bomb.");
        }

        if (_expanded > limits.CompressionRatioThreshold && _expanded > limits.MaxCompressionRatio * Math.Max(1, archiveSize))
        {
            throw new BundleException($"The archive '{package.ArchivePath}' of {package.Id} {package.Version} expands more than {limits.MaxCompressionRatio}:1 ({_expanded} bytes from {archiveSize}); refusing it as a decompression bomb (BundleLimits.MaxCompressionRatio).");
        }
    }
}
