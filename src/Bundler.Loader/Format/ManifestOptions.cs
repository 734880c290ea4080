namespace Bundler.Loader.Format;

/// <summary>The writer options a bundle was made with; recorded so that it can be made again.</summary>
public sealed record ManifestOptions
{
    /// <summary>The zstd compression level of the payload frames.</summary>
    public required int CompressionLevel { get; init; }

    /// <summary>The largest uncompressed size of one payload frame, in bytes.</summary>
    public required int MaxFrameSize { get; init; }
}
