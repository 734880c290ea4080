namespace Bundler.Loader.Archives;

/// <summary>Tells an archive's format from its first bytes, never from its name.</summary>
internal static class ArchiveFormatDetector
{
    public static ArchiveFormat Detect(string path)
    {
        Span<byte> head = stackalloc byte[512];
        int length;
        using (var stream = File.OpenRead(path))
        {
            length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        return Detect(head[..length]);
    }

    public static ArchiveFormat Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("PK\u0003\u0004"u8) || head.StartsWith("PK\u0005\u0006"u8))
        {
            return ArchiveFormat.Zip;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]))
        {
            return ArchiveFormat.TarGzip;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00]))
        {
            return ArchiveFormat.TarXz;
        }

        if (head.StartsWith("BZh"u8))
        {
            return ArchiveFormat.TarBzip2;
        }

        // A zstd stream may start with skippable frames (magic 0x184D2A50 to 0x184D2A5F, little-endian), as a bundle
        // does with its manifest: decoders pass over them, so it is a zstd stream all the same.
        if (head.StartsWith((ReadOnlySpan<byte>)[0x28, 0xB5, 0x2F, 0xFD])
            || (head.Length >= 4 && (head[0] & 0xF0) == 0x50 && head[1..4].SequenceEqual((ReadOnlySpan<byte>)[0x2A, 0x4D, 0x18])))
        {
            return ArchiveFormat.TarZstd;
        }

        if (head.Length >= 263 && head[257..262].SequenceEqual("ustar"u8))
        {
            return ArchiveFormat.Tar;
        }

        return ArchiveFormat.Unknown;
    }
}
