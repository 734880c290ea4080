namespace Bundler.Loader.Format;

/// <summary>One independent zstd frame of the payload.</summary>
public sealed record FrameEntry
{
    /// <summary>Offset of the frame's first byte, counted from the first payload byte (just after the manifest frame).</summary>
    public required long Offset { get; init; }

    /// <summary>Compressed length of the frame in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>Offset in the uncompressed tar stream of the frame's first content byte.</summary>
    public required long TarOffset { get; init; }

    /// <summary>Uncompressed length of the frame's content.</summary>
    public required long TarSize { get; init; }
}
