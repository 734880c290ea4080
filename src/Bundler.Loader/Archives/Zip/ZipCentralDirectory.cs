using System.Buffers.Binary;

namespace Bundler.Loader.Archives.Zip;

/// <summary>
/// Reads a zip's central directory itself (zip64 included): each entry's name, flags, method, sizes and where its
/// bytes lie, which the zip library does not expose. A directory this cannot parse gives null and is left to the zip
/// library to refuse. An end record that contradicts itself (a second disk, or counts that disagree, which lets two
/// readers find two different directories in one file) throws <see cref="InvalidDataException"/>. Names are decoded
/// as UTF-8.
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
    private const int LocalHeaderSize = 30;
    private const ushort Utf8NameFlag = 0x800;
    private const ushort DataDescriptorFlag = 0x8;
    private const ushort Zip64FieldId = 0x0001;
    private const ushort UnicodePathFieldId = 0x7075;

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
        var disk = BinaryPrimitives.ReadUInt16LittleEndian(record[4..]);
        var directoryDisk = BinaryPrimitives.ReadUInt16LittleEndian(record[6..]);
        var countOnDisk = BinaryPrimitives.ReadUInt16LittleEndian(record[8..]);
        long count = BinaryPrimitives.ReadUInt16LittleEndian(record[10..]);
        if (countOnDisk != count || (disk != 0 && disk != ushort.MaxValue) || (directoryDisk != 0 && directoryDisk != ushort.MaxValue))
        {
            throw new InvalidDataException($"the zip's end-of-central-directory record is inconsistent (disk {disk}, directory on disk {directoryDisk}, {countOnDisk} entries on this disk of {count}); multi-disk zips are not supported");
        }

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
                if (BinaryPrimitives.ReadUInt32LittleEndian(zip64End[16..]) != 0 || BinaryPrimitives.ReadUInt32LittleEndian(zip64End[20..]) != 0
                    || BinaryPrimitives.ReadUInt64LittleEndian(zip64End[24..]) != BinaryPrimitives.ReadUInt64LittleEndian(zip64End[32..]))
                {
                    throw new InvalidDataException("the zip's zip64 end-of-central-directory record is inconsistent (a second disk, or entry counts that disagree); multi-disk zips are not supported");
                }

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

            var rawName = header.Slice(46, nameLength);
            var extra = header.Slice(46 + nameLength, extraLength);
            var name = System.Text.Encoding.UTF8.GetString(rawName);
            // A zip library may read the name another way: in its own code page when the UTF-8 flag is clear, or from
            // an Info-ZIP Unicode Path field. Only a name every reader sees alike can be matched to an entry by name.
            var nameIsPortable = ((flags & Utf8NameFlag) != 0 || !rawName.ContainsAnyExceptInRange((byte)0x20, (byte)0x7E)) && !FindField(extra, UnicodePathFieldId, out _);
            ReadZip64Extra(extra, ref uncompressed, ref compressed, ref localOffset);
            entries.Add(new ZipCentralEntry(name, nameIsPortable, flags, method, localOffset, compressed, uncompressed));
            at += 46 + nameLength + extraLength + commentLength;
        }

        return entries;
    }

    /// <summary>Takes the 64-bit sizes and offset from the zip64 extra field where the 32-bit ones are saturated.</summary>
    private static void ReadZip64Extra(ReadOnlySpan<byte> extra, ref long uncompressed, ref long compressed, ref long localOffset)
    {
        if (!FindField(extra, Zip64FieldId, out var field))
        {
            return;
        }

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
    }

    /// <summary>
    /// Walks the extra fields up to the first with <paramref name="fieldId"/>. A field whose length runs past the end of
    /// the extra data ends the walk: found (with no data) when it has that id, not found otherwise.
    /// </summary>
    private static bool FindField(ReadOnlySpan<byte> extra, ushort fieldId, out ReadOnlySpan<byte> field)
    {
        while (extra.Length >= 4)
        {
            var id = BinaryPrimitives.ReadUInt16LittleEndian(extra);
            var length = BinaryPrimitives.ReadUInt16LittleEndian(extra[2..]);
            var whole = 4 + length <= extra.Length;
            if (id == fieldId)
            {
                field = whole ? extra.Slice(4, length) : [];
                return true;
            }

            if (!whole)
            {
                break;
            }

            extra = extra[(4 + length)..];
        }

        field = [];
        return false;
    }

    public static bool ReadAt(FileStream zip, long offset, Span<byte> buffer)
    {
        if (offset < 0 || offset + buffer.Length > zip.Length)
        {
            return false;
        }

        return RandomAccess.Read(zip.SafeFileHandle, buffer, offset) == buffer.Length;
    }

    /// <summary>
    /// The entry's local header and where its compressed data starts, or null when the local header is not there. The
    /// sizes are the local header's own (zip64 field included), or the central record's when a data descriptor follows
    /// the data, which is what a zip library reading the entry goes by.
    /// </summary>
    public static ZipLocalHeader? ReadLocalHeader(FileStream zip, ZipCentralEntry entry)
    {
        Span<byte> header = stackalloc byte[LocalHeaderSize];
        if (!ReadAt(zip, entry.LocalHeaderOffset, header) || BinaryPrimitives.ReadUInt32LittleEndian(header) != LocalHeaderSignature)
        {
            return null;
        }

        var flags = BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
        var method = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
        long compressed = BinaryPrimitives.ReadUInt32LittleEndian(header[18..]);
        long uncompressed = BinaryPrimitives.ReadUInt32LittleEndian(header[22..]);
        var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header[26..]);
        var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header[28..]);
        if ((flags & DataDescriptorFlag) != 0)
        {
            (compressed, uncompressed) = (entry.CompressedSize, entry.UncompressedSize);
        }
        else if (compressed == uint.MaxValue || uncompressed == uint.MaxValue)
        {
            var extra = new byte[extraLength];
            long unused = 0;
            if (!ReadAt(zip, entry.LocalHeaderOffset + LocalHeaderSize + nameLength, extra))
            {
                return null;
            }

            ReadZip64Extra(extra, ref uncompressed, ref compressed, ref unused);
        }

        return new ZipLocalHeader(flags, method, compressed, uncompressed, entry.LocalHeaderOffset + LocalHeaderSize + nameLength + extraLength);
    }
}
