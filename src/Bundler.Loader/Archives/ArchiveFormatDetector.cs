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

        if (head.StartsWith((ReadOnlySpan<byte>)[0x28, 0xB5, 0x2F, 0xFD]))
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
