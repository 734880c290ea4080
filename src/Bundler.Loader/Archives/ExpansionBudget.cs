using Bundler.Loader.Format;

namespace Bundler.Loader.Archives;

/// <summary>
/// Counts the bytes one archive expands to and stops a decompression bomb: more than
/// <see cref="BundleLimits.MaxTotalSize"/> in all, or, past <see cref="BundleLimits.CompressionRatioThreshold"/>,
/// more than <see cref="BundleLimits.MaxCompressionRatio"/> times the archive's size.
/// </summary>
/// <param name="archive">How errors name the archive, e.g. <c>The archive 'x.tgz' of x 1.0.0</c>.</param>
/// <param name="archiveSize">The archive's own (compressed) size, the base of the ratio.</param>
/// <param name="limits">The limits to hold it to.</param>
internal sealed class ExpansionBudget(string archive, long archiveSize, BundleLimits limits)
{
    private long _expanded;

    public void Add(long bytes)
    {
        _expanded += bytes;
        if (_expanded > limits.MaxTotalSize)
        {
            throw new BundleException($"{archive} expands to more than {limits.MaxTotalSize} bytes (BundleLimits.MaxTotalSize); refusing it as a decompression bomb.");
        }

        if (limits.ExceedsCompressionRatio(_expanded, archiveSize))
        {
            throw new BundleException($"{archive} expands more than {limits.MaxCompressionRatio}:1 ({_expanded} bytes from {archiveSize}); refusing it as a decompression bomb (BundleLimits.MaxCompressionRatio).");
        }
    }
}
