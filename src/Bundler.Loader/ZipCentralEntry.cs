namespace Bundler.Loader;

/// <summary>One central-directory record of a zip: name (as UTF-8), general-purpose flags, compression method, sizes and local header offset.</summary>
internal readonly record struct ZipCentralEntry(string Name, ushort Flags, ushort Method, long LocalHeaderOffset, long CompressedSize, long UncompressedSize)
{
    public const ushort Stored = 0;
    public const ushort Deflated = 8;

    public bool IsEncrypted => (Flags & 1) != 0;
}
