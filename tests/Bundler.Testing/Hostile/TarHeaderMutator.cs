using System.Text;

namespace Bundler.Testing.Hostile;

/// <summary>
/// Rewrites one header block of a tar stream with what other writers (GNU tar, star, old archivers) put there and
/// bundles never have: the type flags of sparse files, multi-volume parts, volume labels, GNU long names and links,
/// pax and pax global headers; base-256 numbers (huge, negative, just past what octal holds); non-octal garbage; a pax
/// header of GNU.sparse records inserted before an entry. The checksum is fixed most of the time, so most mutations
/// reach the field checks rather than the checksum check.
/// </summary>
public static class TarHeaderMutator
{
    private static readonly char[] TypeFlags = ['S', 'M', 'V', 'L', 'K', 'x', 'g', 'N', 'D', '0', '5', '\0', '7'];

    private static readonly (string Name, int Offset, int Length)[] NumericFields =
    [
        ("mode", 100, 8), ("uid", 108, 8), ("gid", 116, 8), ("size", 124, 12), ("mtime", 136, 12), ("checksum", 148, 8),
    ];

    /// <summary>A copy of <paramref name="tar"/> with the header at <paramref name="headerOffsets"/>[k] (k random) mutated, and what was done.</summary>
    public static (byte[] Tar, string Mutation) Mutate(byte[] tar, IReadOnlyList<int> headerOffsets, Random random)
    {
        var at = headerOffsets[random.Next(headerOffsets.Count)];
        var bytes = (byte[])tar.Clone();
        var header = bytes.AsSpan(at, RawTar.BlockSize);
        string mutation;
        switch (random.Next(5))
        {
            case 0:
                var flag = TypeFlags[random.Next(TypeFlags.Length)];
                header[156] = (byte)flag;
                mutation = $"typeflag '{(flag == '\0' ? "\\0" : flag)}'";
                break;
            case 1:
                var (name, offset, length) = NumericFields[random.Next(NumericFields.Length - 1)];
                var value = BaseTwoFiftySixValue(random, length);
                value.CopyTo(header.Slice(offset, length));
                mutation = $"base-256 {name} {Convert.ToHexString(value)}";
                break;
            case 2:
                var field = NumericFields[random.Next(NumericFields.Length)];
                var garbage = Garbage(random, field.Length);
                garbage.CopyTo(header.Slice(field.Offset, field.Length));
                mutation = $"garbage {field.Name} '{Encoding.Latin1.GetString(garbage)}'";
                break;
            case 3:
                var pax = PaxSparseHeader(random);
                bytes = [.. tar[..at], .. pax, .. tar[at..]];
                return (bytes, $"pax GNU.sparse header ({pax.Length} bytes) inserted at {at}");
            default:
                // A long-name ('L') or long-link ('K') header whose body is what follows it.
                header[156] = (byte)(random.Next(2) == 0 ? 'L' : 'K');
                RawTar.BaseTwoFiftySix(bytes, at + 124, 12, random.Next(0, 4 * RawTar.BlockSize));
                mutation = $"GNU long {(char)header[156]} header over the next blocks";
                break;
        }

        if (random.Next(5) != 0)
        {
            FixChecksum(header);
        }
        else
        {
            mutation += ", checksum stale";
        }

        return (bytes, $"{mutation} at {at}");
    }

    /// <summary>The offsets of the header blocks of a tar stream made by a ustar or pax writer (data padded to 512), up to the trailer.</summary>
    public static List<int> HeaderOffsets(byte[] tar)
    {
        var offsets = new List<int>();
        for (var at = 0; at + RawTar.BlockSize <= tar.Length && tar.AsSpan(at, RawTar.BlockSize).ContainsAnyExcept((byte)0);)
        {
            offsets.Add(at);
            var size = Convert.ToInt64(Encoding.ASCII.GetString(tar, at + 124, 11).Trim('\0', ' ') is { Length: > 0 } digits ? digits : "0", 8);
            at += RawTar.BlockSize + (int)((size + RawTar.BlockSize - 1) / RawTar.BlockSize * RawTar.BlockSize);
        }

        return offsets;
    }

    private static byte[] BaseTwoFiftySixValue(Random random, int length)
    {
        var value = new byte[length];
        switch (random.Next(4))
        {
            case 0: // negative
                value.AsSpan().Fill(0xFF);
                value[^1] = (byte)random.Next(256);
                break;
            case 1: // all bits set: past any long
                value.AsSpan().Fill(0xFF);
                value[0] = 0x80;
                break;
            case 2: // just past what octal holds
                var octalMax = length == 12 ? 8_589_934_591L : 2_097_151L;
                var bytes = BitConverter.GetBytes(octalMax + 1 + random.Next(1000));
                for (var i = 0; i < Math.Min(8, length - 1); i++)
                {
                    value[length - 1 - i] = bytes[i];
                }

                value[0] |= 0x80;
                break;
            default:
                random.NextBytes(value);
                value[0] |= 0x80;
                break;
        }

        return value;
    }

    private static byte[] Garbage(Random random, int length)
    {
        var garbage = new byte[length];
        const string Characters = "0123456789-+ xZ!\0\u00ff";
        for (var i = 0; i < length; i++)
        {
            garbage[i] = (byte)Characters[random.Next(Characters.Length)];
        }

        return garbage;
    }

    private static byte[] PaxSparseHeader(Random random)
    {
        string[] keys = ["GNU.sparse.major", "GNU.sparse.minor", "GNU.sparse.name", "GNU.sparse.realsize", "GNU.sparse.size", "GNU.sparse.numblocks", "GNU.sparse.map", "path", "size"];
        var records = new StringBuilder();
        for (var i = 1 + random.Next(4); i > 0; i--)
        {
            var key = keys[random.Next(keys.Length)];
            var value = random.Next(3) switch { 0 => random.Next(0, 100_000).ToString(System.Globalization.CultureInfo.InvariantCulture), 1 => "-1", _ => "0,512,1024,0" };
            var body = $" {key}={value}\n";
            var digits = body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
            var length = body.Length + digits;
            length += length.ToString(System.Globalization.CultureInfo.InvariantCulture).Length - digits;
            records.Append(System.Globalization.CultureInfo.InvariantCulture, $"{length}{body}");
        }

        var data = Encoding.ASCII.GetBytes(records.ToString());
        var header = RawTar.FileHeader("././@PaxHeader", data.Length);
        header[156] = (byte)'x';
        FixChecksum(header);
        var padded = new byte[(data.Length + RawTar.BlockSize - 1) / RawTar.BlockSize * RawTar.BlockSize];
        data.CopyTo(padded, 0);
        return [.. header, .. padded];
    }

    private static void FixChecksum(Span<byte> header)
    {
        header.Slice(148, 8).Fill((byte)' ');
        var sum = 0;
        foreach (var b in header)
        {
            sum += b;
        }

        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0')).CopyTo(header[148..]);
        header[154] = 0;
    }
}
