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

    /// <summary>
    /// PEM files of ECDSA P-256 private keys (PKCS#8 or SEC 1, unencrypted) that sign the manifest; the signatures are
    /// written to <c>&lt;bundle&gt;.sig</c> beside the bundle (and <c>manifest.json.sig</c> in a publish folder). Empty
    /// (the default) signs nothing. The bundle's bytes are the same either way.
    /// </summary>
    public IReadOnlyList<string> SigningKeyFiles { get; init; } = [];

    /// <summary>Whether zstd takes <paramref name="level"/> for the payload: -7 to -1 or 1 to 22 (0 would mean "its default").</summary>
    public static bool IsValidCompressionLevel(int level) => level is >= MinCompressionLevel and <= MaxCompressionLevel and not 0;

    /// <summary>Whether <paramref name="size"/> can be <see cref="MaxFrameSize"/>: a multiple of the tar block from 64 KiB to 16 MiB.</summary>
    public static bool IsValidFrameSize(int size) =>
        size is >= BundleFormat.MinFrameContentSize and <= BundleFormat.MaxFrameContentSize && size % BundleFormat.TarBlockSize == 0;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/>, naming the property, for a value out of range.</summary>
    internal void Validate()
    {
        if (!IsValidCompressionLevel(CompressionLevel))
        {
            throw new ArgumentOutOfRangeException(nameof(CompressionLevel), CompressionLevel, $"Use {MinCompressionLevel} to -1 (fastest) or 1 to {MaxCompressionLevel}.");
        }

        if (!IsValidFrameSize(MaxFrameSize))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxFrameSize), MaxFrameSize, $"Use a multiple of {BundleFormat.TarBlockSize} from {BundleFormat.MinFrameContentSize} to {BundleFormat.MaxFrameContentSize}.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDegreeOfParallelism, 1, nameof(MaxDegreeOfParallelism));
    }
}
