namespace Bundler.Loader.Format;

/// <summary>
/// Constants of the bundle layout (docs/FORMAT.md):
/// <code>
/// u32le 0x184D2A5B | u32le N | "BNDL" | u16le version | u16le flags | u32le jsonLength | zstd frame(manifest JSON)
/// then the payload: independent zstd frames whose concatenated content is one tar stream.
/// </code>
/// </summary>
internal static class BundleFormat
{
    public const uint SkippableFrameMagic = 0x184D2A5B;
    public const int SkippableFrameHeaderSize = 8;
    public const int ManifestHeaderSize = 12;
    public const ushort Version = 1;
    public const int TarBlockSize = 512;
    public const int TarTrailerSize = 2 * TarBlockSize;
    public const int DefaultFrameContentSize = 4 * 1024 * 1024;
    public const int MinFrameContentSize = 64 * 1024;
    public const int MaxFrameContentSize = 16 * 1024 * 1024;
    public const int MaxManifestFrameSize = 64 * 1024 * 1024;
    public const int MaxManifestJsonSize = 256 * 1024 * 1024;
    public const int RegularFileMode = 420;     // 0644
    public const int ExecutableFileMode = 493;  // 0755
    public const int DirectoryMode = 493;       // 0755

    public static ReadOnlySpan<byte> ManifestMagic => "BNDL"u8;

    /// <summary>Largest compressed size a frame of <paramref name="contentSize"/> bytes may have (zstd's own bound plus slack).</summary>
    public static long MaxCompressedFrameSize(long contentSize) => contentSize + (contentSize >> 7) + 1024;

    public static long PadToBlock(long size) => (size + TarBlockSize - 1) / TarBlockSize * TarBlockSize;
}
