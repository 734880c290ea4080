using System.Buffers.Binary;
using System.Text;

namespace Bundler.Testing.Hostile;

/// <summary>
/// Writes zip files byte by byte (stored or deflated entries), so a test can make what no zip library writes: sizes a
/// header lies about, central-directory records that share or point into another entry's bytes, local headers that
/// disagree with the central record, end records that contradict themselves.
/// </summary>
public sealed class RawZip
{
    private const ushort Utf8Flag = 0x0800;
    private const ushort DosDate1980 = 0x0021;
    private const ushort Stored = 0;
    private const ushort Deflated = 8;
    private readonly List<Entry> _entries = [];
    private (ushort OnDisk, ushort Total)? _endCounts;

    /// <summary>A stored file with unix mode <paramref name="unixMode"/> (type bits included: 0x81A4 is a 0644 regular file).</summary>
    public RawZip File(string name, byte[] data, int unixMode = 0x81A4) => Add(new Entry(name, data, unixMode, null, null, 0));

    /// <summary>A stored file whose headers declare <paramref name="declaredSize"/> uncompressed bytes (in a zip64 field).</summary>
    public RawZip Declaring(string name, byte[] data, long declaredSize) => Add(new Entry(name, data, 0x81A4, declaredSize, null, 0));

    /// <summary>A central-directory record named <paramref name="name"/> for the bytes of <paramref name="existing"/>, <paramref name="offset"/> bytes into its local header.</summary>
    public RawZip Alias(string name, string existing, int offset = 0) => Add(new Entry(name, [], 0x81A4, null, existing, offset));

    /// <summary>A file, deflated when <paramref name="deflate"/>, written with <paramref name="quirks"/>.</summary>
    public RawZip File(string name, byte[] data, bool deflate, ZipQuirks quirks, int unixMode = 0x81A4) =>
        Add(new Entry(name, data, unixMode, null, null, 0) { Method = deflate ? Deflated : Stored, Payload = deflate ? Deflate(data) : data, Quirks = quirks });

    /// <summary>Writes these counts in the end-of-central-directory record instead of the true ones.</summary>
    public RawZip EndRecordCounts(ushort onThisDisk, ushort total)
    {
        _endCounts = (onThisDisk, total);
        return this;
    }

    public byte[] ToArray()
    {
        using var zip = new MemoryStream();
        var localOffsets = new Dictionary<Entry, long>(ReferenceEqualityComparer.Instance);
        foreach (var entry in _entries.Where(e => e.AliasOf is null))
        {
            localOffsets[entry] = zip.Position;
            WriteHeader(zip, entry, central: false, localOffset: 0);
            zip.Write(entry.Payload ?? entry.Data);
        }

        var directoryOffset = zip.Position;
        foreach (var entry in _entries)
        {
            var target = entry.AliasOf is null ? entry : _entries.First(e => e.AliasOf is null && e.Name == entry.AliasOf);
            WriteHeader(zip, entry with { Data = target.Data, Payload = target.Payload, Method = target.Method, DeclaredSize = target.DeclaredSize }, central: true, localOffsets[target] + entry.AliasOffset);
        }

        var directorySize = zip.Position - directoryOffset;
        Span<byte> end = stackalloc byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(end[8..], _endCounts?.OnDisk ?? (ushort)_entries.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(end[10..], _endCounts?.Total ?? (ushort)_entries.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(end[12..], (uint)directorySize);
        BinaryPrimitives.WriteUInt32LittleEndian(end[16..], (uint)directoryOffset);
        zip.Write(end);
        return zip.ToArray();
    }

    private RawZip Add(Entry entry)
    {
        _entries.Add(entry);
        return this;
    }

    private static void WriteHeader(Stream zip, Entry entry, bool central, long localOffset)
    {
        var quirks = entry.Quirks ?? new ZipQuirks();
        var name = quirks.Latin1Name ? Encoding.Latin1.GetBytes(entry.Name) : Encoding.UTF8.GetBytes(entry.Name);
        var payload = entry.Payload ?? entry.Data;
        var zip64 = entry.DeclaredSize is not null;
        var extra = new List<byte>();
        if (zip64)
        {
            var field = new byte[20];
            BinaryPrimitives.WriteUInt16LittleEndian(field, 0x0001);
            BinaryPrimitives.WriteUInt16LittleEndian(field.AsSpan(2), 16);
            BinaryPrimitives.WriteInt64LittleEndian(field.AsSpan(4), entry.DeclaredSize!.Value);
            BinaryPrimitives.WriteInt64LittleEndian(field.AsSpan(12), payload.Length);
            extra.AddRange(field);
        }

        if (central && quirks.UnicodePath is { } unicodePath)
        {
            // Info-ZIP Unicode Path: version 1, the CRC-32 of the header's name, then the name in UTF-8.
            var utf8 = Encoding.UTF8.GetBytes(unicodePath);
            var field = new byte[9 + utf8.Length];
            BinaryPrimitives.WriteUInt16LittleEndian(field, 0x7075);
            BinaryPrimitives.WriteUInt16LittleEndian(field.AsSpan(2), (ushort)(5 + utf8.Length));
            field[4] = 1;
            BinaryPrimitives.WriteUInt32LittleEndian(field.AsSpan(5), Crc32(name));
            utf8.CopyTo(field, 9);
            extra.AddRange(field);
        }

        var flags = (ushort)(quirks.Latin1Name ? 0 : Utf8Flag);
        var method = entry.Method;
        var compressedSize = (long)payload.Length;
        if (!central)
        {
            flags |= (ushort)(quirks.LocalEncrypted ? 1 : 0);
            method = quirks.LocalMethod ?? method;
            compressedSize += quirks.LocalCompressedSizeDelta;
        }

        var header = new byte[central ? 46 : 30];
        var span = header.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, central ? 0x02014b50u : 0x04034b50u);
        var at = 4;
        if (central)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span[at..], 0x031E); // made by unix, spec 3.0
            at += 2;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(span[at..], (ushort)(zip64 ? 45 : 20));
        BinaryPrimitives.WriteUInt16LittleEndian(span[(at + 2)..], flags);
        BinaryPrimitives.WriteUInt16LittleEndian(span[(at + 4)..], method);
        BinaryPrimitives.WriteUInt16LittleEndian(span[(at + 8)..], DosDate1980);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(at + 10)..], Crc32(entry.Data) ^ (central && quirks.WrongCentralCrc ? 1u : 0u));
        BinaryPrimitives.WriteUInt32LittleEndian(span[(at + 14)..], zip64 ? uint.MaxValue : (uint)compressedSize);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(at + 18)..], zip64 ? uint.MaxValue : (uint)(entry.Data.Length + quirks.UncompressedSizeDelta));
        BinaryPrimitives.WriteUInt16LittleEndian(span[(at + 22)..], (ushort)name.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(span[(at + 24)..], (ushort)extra.Count);
        if (central)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[38..], (uint)entry.UnixMode << 16);
            BinaryPrimitives.WriteUInt32LittleEndian(span[42..], (uint)localOffset);
        }

        zip.Write(header);
        zip.Write(name);
        zip.Write(extra.ToArray());
    }

    private static byte[] Deflate(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var deflate = new System.IO.Compression.DeflateStream(buffer, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(data);
        }

        return buffer.ToArray();
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    private sealed record Entry(string Name, byte[] Data, int UnixMode, long? DeclaredSize, string? AliasOf, int AliasOffset)
    {
        public ushort Method { get; init; } = Stored;

        /// <summary>The bytes written after the local header: <see cref="Data"/>, or its deflated form.</summary>
        public byte[]? Payload { get; init; }

        public ZipQuirks? Quirks { get; init; }
    }
}
