using System.Globalization;
using System.Text;

namespace Bundler.Testing.Hostile;

/// <summary>Writes ustar headers byte by byte, so a test can declare sizes no tar writer would (and omit the data).</summary>
public static class RawTar
{
    public const int BlockSize = 512;

    /// <summary>One ustar header block for a regular file <paramref name="name"/> declaring <paramref name="size"/> bytes (at most 8 GiB - 1).</summary>
    public static byte[] FileHeader(string name, long size)
    {
        var header = new byte[BlockSize];
        Encoding.ASCII.GetBytes(name).CopyTo(header, 0);
        Octal(header, 100, 8, 0b110_100_100);
        Octal(header, 108, 8, 0);
        Octal(header, 116, 8, 0);
        Octal(header, 124, 12, size);
        Octal(header, 136, 12, 0);
        header[156] = (byte)'0';
        "ustar\000"u8.CopyTo(header.AsSpan(257));
        header.AsSpan(148, 8).Fill((byte)' ');
        var checksum = header.Sum(b => b);
        Octal(header, 148, 7, checksum);
        header[155] = (byte)' ';
        return header;
    }

    /// <summary>
    /// One header block for <paramref name="name"/> of <paramref name="type"/> (a GNU/ustar type flag) with an empty
    /// body, after <paramref name="patch"/> has changed its bytes (e.g. a base-256 number in a numeric field); the
    /// checksum is computed last.
    /// </summary>
    public static byte[] Header(string name, char type, Action<byte[]>? patch = null)
    {
        var header = FileHeader(name, 0);
        header[156] = (byte)type;
        patch?.Invoke(header);
        header.AsSpan(148, 8).Fill((byte)' ');
        Octal(header, 148, 7, header.Sum(b => b));
        header[155] = (byte)' ';
        return header;
    }

    /// <summary>Writes <paramref name="value"/> as a GNU base-256 number (high bit of the first byte set) into a field.</summary>
    public static void BaseTwoFiftySix(byte[] header, int offset, int length, long value)
    {
        for (var i = length - 1; i >= 0; i--)
        {
            header[offset + i] = (byte)value;
            value >>= 8;
        }

        header[offset] |= 0x80;
    }

    /// <summary>The two zero blocks that end a tar stream.</summary>
    public static byte[] Trailer() => new byte[2 * BlockSize];

    private static void Octal(byte[] header, int offset, int length, long value)
    {
        var digits = Convert.ToString(value, 8).PadLeft(length - 1, '0');
        if (digits.Length > length - 1)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value.ToString(CultureInfo.InvariantCulture) + " does not fit the field");
        }

        Encoding.ASCII.GetBytes(digits).CopyTo(header, offset);
        header[offset + length - 1] = 0;
    }
}
