namespace Bundler.Loader.Archives.Zip;

/// <summary>
/// One central-directory record of a zip: name (as UTF-8, and whether every reader decodes it so), general-purpose
/// flags, compression method, sizes and local header offset.
/// </summary>
internal readonly record struct ZipCentralEntry(string Name, bool NameIsPortable, ushort Flags, ushort Method, long LocalHeaderOffset, long CompressedSize, long UncompressedSize)
{
    public const ushort Stored = 0;
    public const ushort Deflated = 8;

    /// <summary>Traditional (bit 0) or strong (bit 6) encryption.</summary>
    public static bool IsEncrypted(ushort flags) => (flags & 0x41) != 0;
}
