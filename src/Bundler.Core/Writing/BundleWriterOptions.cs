using Bundler.Loader.Format;

namespace Bundler.Core.Writing;

/// <summary>Options for <see cref="BundleWriter"/>.</summary>
public sealed record BundleWriterOptions
{
    /// <summary>Lowest accepted <see cref="CompressionLevel"/> (zstd's fastest).</summary>
    public const int MinCompressionLevel = -7;

    /// <summary>Highest accepted <see cref="CompressionLevel"/>.</summary>
    public const int MaxCompressionLevel = 22;

    /// <summary>zstd level of the payload frames: -7 to -1 (faster) or 1 to 22 (smaller). Default 3.</summary>
    public int CompressionLevel { get; init; } = 3;

    /// <summary>Largest uncompressed size of one frame, from 64 KiB to 16 MiB. Default 4 MiB.</summary>
    public int MaxFrameSize { get; init; } = BundleFormat.DefaultFrameContentSize;

    /// <summary>How many frames are compressed at once. Default: the number of processors.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Bounds against hostile archives (sizes, compression ratios, path lengths).</summary>
    public BundleLimits Limits { get; init; } = BundleLimits.Default;
}
