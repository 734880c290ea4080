using System.Globalization;
using System.Text;
using Bundler.Loader.Format;

namespace Bundler.Core.Writing;

/// <summary>
/// Writes the tar headers of a bundle exactly as docs/FORMAT.md specifies, so that the bytes depend on this code
/// alone and not on a runtime library's version: a POSIX ustar header (uid, gid and mtime 0, empty user and group
/// names, devmajor and devminor all NUL, no prefix), preceded by a pax 'x' header carrying <c>path</c> when the name exceeds 100 UTF-8 bytes and
/// <c>size</c> when the size does not fit 11 octal digits.
/// </summary>
internal static class TarHeaderWriter
{
    public const byte RegularFile = (byte)'0';
    public const byte Directory = (byte)'5';
    private const byte PaxHeader = (byte)'x';
    private const int NameFieldLength = 100;
    private const long MaxOctalSize = 8589934591; // 077777777777
    private static readonly byte[] PaxHeaderName = "././@PaxHeader"u8.ToArray();

    /// <summary>Bytes the header(s) of an entry take, data excluded.</summary>
    public static int HeaderLength(string name, long size)
    {
        var pax = PaxRecords(name, size);
        return pax.Length == 0 ? BundleFormat.TarBlockSize : 2 * BundleFormat.TarBlockSize + (int)BundleFormat.PadToBlock(pax.Length);
    }

    /// <summary>Writes the header(s) of an entry; <paramref name="destination"/> must hold <see cref="HeaderLength"/> bytes.</summary>
    public static void Write(Span<byte> destination, string name, long size, int mode, byte type)
    {
        var utf8Name = Encoding.UTF8.GetBytes(name);
        var pax = PaxRecords(name, size);
        destination[..HeaderLength(name, size)].Clear();
        if (pax.Length > 0)
        {
            WriteBlock(destination, PaxHeaderName, pax.Length, BundleFormat.RegularFileMode, PaxHeader);
            pax.CopyTo(destination[BundleFormat.TarBlockSize..]);
            destination = destination[(BundleFormat.TarBlockSize + (int)BundleFormat.PadToBlock(pax.Length))..];
        }

        WriteBlock(destination, Truncate(utf8Name), size > MaxOctalSize ? 0 : size, mode, type);
    }

    private static void WriteBlock(Span<byte> block, ReadOnlySpan<byte> name, long size, int mode, byte type)
    {
        name.CopyTo(block);
        WriteOctal(block.Slice(100, 8), mode);
        WriteOctal(block.Slice(108, 8), 0);
        WriteOctal(block.Slice(116, 8), 0);
        WriteOctal(block.Slice(124, 12), size);
        WriteOctal(block.Slice(136, 12), 0);
        block[156] = type;
        "ustar\000"u8.CopyTo(block[257..]);

        block.Slice(148, 8).Fill((byte)' ');
        var checksum = 0;
        foreach (var b in block[..BundleFormat.TarBlockSize])
        {
            checksum += b;
        }

        WriteOctal(block.Slice(148, 7), checksum);
        block[155] = (byte)' ';
    }

    /// <summary>Zero-padded octal digits filling the field but its last byte, which is NUL.</summary>
    private static void WriteOctal(Span<byte> field, long value)
    {
        var digits = Convert.ToString(value, 8).PadLeft(field.Length - 1, '0');
        Encoding.ASCII.GetBytes(digits, field);
        field[^1] = 0;
    }

    private static ReadOnlySpan<byte> Truncate(byte[] utf8Name)
    {
        if (utf8Name.Length <= NameFieldLength)
        {
            return utf8Name;
        }

        var length = NameFieldLength;
        while ((utf8Name[length] & 0xC0) == 0x80)
        {
            length--; // never cut a UTF-8 sequence
        }

        return utf8Name.AsSpan(0, length);
    }

    private static byte[] PaxRecords(string name, long size)
    {
        var records = new StringBuilder();
        if (Encoding.UTF8.GetByteCount(name) > NameFieldLength)
        {
            records.Append(PaxRecord("path", name));
        }

        if (size > MaxOctalSize)
        {
            records.Append(PaxRecord("size", size.ToString(CultureInfo.InvariantCulture)));
        }

        return Encoding.UTF8.GetBytes(records.ToString());
    }

    /// <summary>A pax record "LEN key=value\n", where LEN counts the whole record, its own digits included.</summary>
    private static string PaxRecord(string key, string value)
    {
        var body = Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value) + 3; // ' ', '=', '\n'
        var length = body + 1;
        while (length != body + length.ToString(CultureInfo.InvariantCulture).Length)
        {
            length = body + length.ToString(CultureInfo.InvariantCulture).Length;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{length} {key}={value}\n");
    }
}
