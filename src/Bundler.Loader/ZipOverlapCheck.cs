using System.Buffers.Binary;

namespace Bundler.Loader;

/// <summary>
/// Finds zip entries whose bytes overlap: two central-directory records pointing at the same local header, or one
/// entry's data running into the next entry's header. That is how the densest zip bombs reuse one compressed stream
/// for thousands of files; no zip writer makes it. Reads the central directory itself (zip64 included), because the
/// zip library does not expose where each entry's data lies. A central directory this cannot parse is left to the
/// zip library to refuse.
/// </summary>
internal static class ZipOverlapCheck
{
    private const uint EndOfCentralDirectorySignature = 0x06054b50;
    private const uint Zip64LocatorSignature = 0x07064b50;
    private const uint Zip64EndSignature = 0x06064b50;
    private const uint CentralHeaderSignature = 0x02014b50;
    private const uint LocalHeaderSignature = 0x04034b50;
    private const int EndOfCentralDirectorySize = 22;
    private const int MaxCommentSize = ushort.MaxValue;

    /// <summary>The names of the first two entries that overlap, or null when none do.</summary>
    public static (string Entry, string Overlapped)? Find(string zipPath)
    {
        using var zip = new FileStream(zipPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess);
        var entries = ReadCentralDirectory(zip);
        if (entries is null)
        {
            return null;
        }

        entries.Sort((a, b) => a.LocalHeaderOffset.CompareTo(b.LocalHeaderOffset));
        for (var i = 1; i < entries.Count; i++)
        {
            var previous = entries[i - 1];
            var end = DataEnd(zip, previous);
            if (end is not null && entries[i].LocalHeaderOffset < end)
            {
                return (entries[i].Name, previous.Name);
            }
        }

        return null;
    }

    /// <summary>Where the entry's compressed data ends, or null when its local header is not there (the zip library reports that).</summary>
    private static long? DataEnd(FileStream zip, CentralEntry entry)
    {
        Span<byte> header = stackalloc byte[30];
        if (!ReadAt(zip, entry.LocalHeaderOffset, header) || BinaryPrimitives.ReadUInt32LittleEndian(header) != LocalHeaderSignature)
        {
            return null;
        }

        var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header[26..]);
        var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header[28..]);
        return entry.LocalHeaderOffset + 30 + nameLength + extraLength + entry.CompressedSize;
    }

    private static List<CentralEntry>? ReadCentralDirectory(FileStream zip)
    {
        var length = zip.Length;
        var tailLength = (int)Math.Min(length, EndOfCentralDirectorySize + MaxCommentSize);
        var tail = new byte[tailLength];
        if (!ReadAt(zip, length - tailLength, tail))
        {
            return null;
        }

        var end = -1;
        for (var i = tailLength - EndOfCentralDirectorySize; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i)) == EndOfCentralDirectorySignature)
            {
                end = i;
                break;
            }
        }

        if (end < 0)
        {
            return null;
        }

        var record = tail.AsSpan(end);
        long count = BinaryPrimitives.ReadUInt16LittleEndian(record[10..]);
        long size = BinaryPrimitives.ReadUInt32LittleEndian(record[12..]);
        long offset = BinaryPrimitives.ReadUInt32LittleEndian(record[16..]);
        var endOffset = length - tailLength + end;
        if ((count == ushort.MaxValue || size == uint.MaxValue || offset == uint.MaxValue) && endOffset >= 20)
        {
            Span<byte> locator = stackalloc byte[20];
            Span<byte> zip64End = stackalloc byte[56];
            if (ReadAt(zip, endOffset - 20, locator) && BinaryPrimitives.ReadUInt32LittleEndian(locator) == Zip64LocatorSignature
                && ReadAt(zip, (long)BinaryPrimitives.ReadUInt64LittleEndian(locator[8..]), zip64End)
                && BinaryPrimitives.ReadUInt32LittleEndian(zip64End) == Zip64EndSignature)
            {
                count = (long)BinaryPrimitives.ReadUInt64LittleEndian(zip64End[32..]);
                size = (long)BinaryPrimitives.ReadUInt64LittleEndian(zip64End[40..]);
                offset = (long)BinaryPrimitives.ReadUInt64LittleEndian(zip64End[48..]);
            }
        }

        if (size < 0 || offset < 0 || offset + size > length || size > int.MaxValue || count < 0 || count > size / 46)
        {
            return null;
        }

        var directory = new byte[size];
        if (!ReadAt(zip, offset, directory))
        {
            return null;
        }

        var entries = new List<CentralEntry>((int)count);
        var at = 0;
        for (long n = 0; n < count; n++)
        {
            if (at + 46 > directory.Length || BinaryPrimitives.ReadUInt32LittleEndian(directory.AsSpan(at)) != CentralHeaderSignature)
            {
                return null;
            }

            var header = directory.AsSpan(at);
            long compressed = BinaryPrimitives.ReadUInt32LittleEndian(header[20..]);
            long uncompressed = BinaryPrimitives.ReadUInt32LittleEndian(header[24..]);
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header[28..]);
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header[30..]);
            var commentLength = BinaryPrimitives.ReadUInt16LittleEndian(header[32..]);
            long localOffset = BinaryPrimitives.ReadUInt32LittleEndian(header[42..]);
            if (at + 46 + nameLength + extraLength + commentLength > directory.Length)
            {
                return null;
            }

            var name = System.Text.Encoding.UTF8.GetString(header.Slice(46, nameLength));
            ReadZip64Extra(header.Slice(46 + nameLength, extraLength), uncompressed == uint.MaxValue, ref compressed, ref localOffset);
            entries.Add(new CentralEntry(name, localOffset, compressed));
            at += 46 + nameLength + extraLength + commentLength;
        }

        return entries;
    }

    /// <summary>Takes the 64-bit compressed size and offset from the zip64 extra field when the 32-bit ones are saturated.</summary>
    private static void ReadZip64Extra(ReadOnlySpan<byte> extra, bool hasUncompressed, ref long compressed, ref long localOffset)
    {
        while (extra.Length >= 4)
        {
            var id = BinaryPrimitives.ReadUInt16LittleEndian(extra);
            var length = BinaryPrimitives.ReadUInt16LittleEndian(extra[2..]);
            if (4 + length > extra.Length)
            {
                return;
            }

            if (id == 0x0001)
            {
                var field = extra.Slice(4, length);
                if (hasUncompressed && field.Length >= 8)
                {
                    field = field[8..];
                }

                if (compressed == uint.MaxValue && field.Length >= 8)
                {
                    compressed = (long)BinaryPrimitives.ReadUInt64LittleEndian(field);
                    field = field[8..];
                }

                if (localOffset == uint.MaxValue && field.Length >= 8)
                {
                    localOffset = (long)BinaryPrimitives.ReadUInt64LittleEndian(field);
                }

                return;
            }

            extra = extra[(4 + length)..];
        }
    }

    private static bool ReadAt(FileStream zip, long offset, Span<byte> buffer)
    {
        if (offset < 0 || offset + buffer.Length > zip.Length)
        {
            return false;
        }

        return RandomAccess.Read(zip.SafeFileHandle, buffer, offset) == buffer.Length;
    }

    private readonly record struct CentralEntry(string Name, long LocalHeaderOffset, long CompressedSize);
}
