using System.Buffers.Binary;

namespace Bundler.Loader;

/// <summary>
/// Reads a zip's central directory itself (zip64 included): each entry's name, flags, method, sizes and where its
/// bytes lie, which the zip library does not expose. A directory this cannot parse gives null and is left to the zip
/// library to refuse. Names are decoded as UTF-8.
/// </summary>
internal static class ZipCentralDirectory
{
    private const uint EndOfCentralDirectorySignature = 0x06054b50;
    private const uint Zip64LocatorSignature = 0x07064b50;
    private const uint Zip64EndSignature = 0x06064b50;
    private const uint CentralHeaderSignature = 0x02014b50;
    private const uint LocalHeaderSignature = 0x04034b50;
    private const int EndOfCentralDirectorySize = 22;
    private const int MaxCommentSize = ushort.MaxValue;

    public static List<ZipCentralEntry>? Read(FileStream zip)
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

        var entries = new List<ZipCentralEntry>((int)count);
        var at = 0;
        for (long n = 0; n < count; n++)
        {
            if (at + 46 > directory.Length || BinaryPrimitives.ReadUInt32LittleEndian(directory.AsSpan(at)) != CentralHeaderSignature)
            {
                return null;
            }

            var header = directory.AsSpan(at);
            var flags = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
            var method = BinaryPrimitives.ReadUInt16LittleEndian(header[10..]);
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
            ReadZip64Extra(header.Slice(46 + nameLength, extraLength), ref uncompressed, ref compressed, ref localOffset);
            entries.Add(new ZipCentralEntry(name, flags, method, localOffset, compressed, uncompressed));
            at += 46 + nameLength + extraLength + commentLength;
        }

        return entries;
    }

    /// <summary>Takes the 64-bit sizes and offset from the zip64 extra field where the 32-bit ones are saturated.</summary>
    private static void ReadZip64Extra(ReadOnlySpan<byte> extra, ref long uncompressed, ref long compressed, ref long localOffset)
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
                if (uncompressed == uint.MaxValue && field.Length >= 8)
                {
                    uncompressed = (long)BinaryPrimitives.ReadUInt64LittleEndian(field);
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

    public static bool ReadAt(FileStream zip, long offset, Span<byte> buffer)
    {
        if (offset < 0 || offset + buffer.Length > zip.Length)
        {
            return false;
        }

        return RandomAccess.Read(zip.SafeFileHandle, buffer, offset) == buffer.Length;
    }

    /// <summary>Where the entry's compressed data starts (after its local header), or null when its local header is not there.</summary>
    public static long? DataStart(FileStream zip, ZipCentralEntry entry)
    {
        Span<byte> header = stackalloc byte[30];
        if (!ReadAt(zip, entry.LocalHeaderOffset, header) || BinaryPrimitives.ReadUInt32LittleEndian(header) != LocalHeaderSignature)
        {
            return null;
        }

        var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header[26..]);
        var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header[28..]);
        return entry.LocalHeaderOffset + 30 + nameLength + extraLength;
    }
}
