using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Bundler.Testing.Hostile;

/// <summary>
/// The hostile-archive corpus, made by the tests themselves (nothing is downloaded): archives that try to escape
/// the target (slip, absolute, drive and backslash paths, links), carry devices, hold names that are not the same
/// file on every operating system (Windows device names, trailing dots and spaces, characters Windows cannot hold,
/// names one only under Unicode normalization), collide, declare huge sizes,
/// explode (zip, gzip and zstd bombs, overlapping zip entries), are cut short or corrupt, or lie about an entry.
/// </summary>
public static class HostileCorpus
{
    /// <summary>The one file of the benign package every hostile archive imitates.</summary>
    public const string BenignFile = "ok.txt";

    public static byte[] BenignContent => "ok"u8.ToArray();

    private const string Unsafe = "'..' segment";
    private const string Outside = "outside the package";
    private const string DeviceName = "is a device name on Windows";
    private const string Normalization = "collide: differing only in case or Unicode normalization";
    private const long SeventeenMiB = 17 * 1024 * 1024;

    public static IReadOnlyList<HostileArchive> Archives { get; } =
    [
        ZipWith("zip-slip", "../evil.txt", Unsafe),
        ZipWith("zip-slip-nested", "lib/../../evil.txt", Unsafe),
        ZipWith("zip-backslash-slip", "..\\..\\evil.txt", Unsafe),
        ZipWith("zip-absolute", "/etc/evil.txt", "absolute"),
        ZipWith("zip-drive-backslash", "C:\\evil.txt", "colon"),
        ZipWith("zip-drive-slash", "C:/evil.txt", "colon"),
        ZipWith("zip-drive-relative", "C:evil.txt", "colon"),
        TarWith("tar-slip", "../evil.txt", Unsafe),
        TarWith("tar-backslash-slip", "..\\evil.txt", Unsafe),
        TarWith("tar-absolute", "/etc/evil.txt", "absolute"),
        TarWith("tar-drive", "C:\\evil.txt", "colon"),
        TarLink("tar-symlink-up", TarEntryType.SymbolicLink, "lib/link", "../../../etc/passwd"),
        TarLink("tar-symlink-absolute", TarEntryType.SymbolicLink, "link", "/etc/passwd"),
        TarLink("tar-hardlink-up", TarEntryType.HardLink, "hard", "../outside"),
        TarLink("tar-hardlink-absolute", TarEntryType.HardLink, "hard", "/etc/passwd"),
        new("zip-symlink-up", "zip-symlink-up.zip", () => Benign().File("link", "../../etc/passwd"u8.ToArray(), 0xA1FF).ToArray(), "link", Outside),
        TarDevice("tar-character-device", TarEntryType.CharacterDevice),
        TarDevice("tar-block-device", TarEntryType.BlockDevice),
        TarDevice("tar-fifo", TarEntryType.Fifo),
        new("zip-character-device", "zip-character-device.zip", () => Benign().File("dev/tty", [], 0x21A4).ToArray(), "dev/tty", "special file"),
        TarRaw("tar-gnu-sparse", "sparse.bin", name => RawTar.Header(name, 'S'), "GNU sparse file.*without --sparse"),
        new("tar-pax-sparse", "tar-pax-sparse.tar", () => BenignTar(w => w.WriteEntry(PaxSparse())), "GNUSparseFile.0/sparse.bin", "sparse file.*without --sparse"),
        TarRaw("tar-base256-uid", "uid.txt", name => RawTar.Header(name, '0', h => RawTar.BaseTwoFiftySix(h, 108, 8, 1L << 40)), "base-256 uid of 1099511627776 out of range"),
        TarRaw("tar-base256-mtime-past-9999", "mtime.txt", name => RawTar.Header(name, '0', h => RawTar.BaseTwoFiftySix(h, 136, 12, 1L << 40)), "base-256 mtime of 1099511627776 out of range"),
        TarRaw("tar-base256-size-past-long", "size.txt", name => RawTar.Header(name, '0', h => { h.AsSpan(124, 12).Fill(0xFF); h[124] = 0x80; }), "base-256 size of .* out of range|cannot be read"),
        TarRaw("tar-pax-global-then-sparse", "sparse.bin", name => [.. RawTar.Header("global", 'g'), .. RawTar.Header(name, 'S')], "GNU sparse file"),
        new("tar-multi-volume", "tar-multi-volume.tar", () => [.. BenignTar(extra: null, trailer: false), .. RawTar.Header("part.bin", 'M'), .. RawTar.Trailer()], "part.bin", "MultiVolume entry"),
        new("tar-volume-label", "tar-volume-label.tar", () => [.. BenignTar(extra: null, trailer: false), .. RawTar.Header("label", 'V'), .. RawTar.Trailer()], "label", "TapeVolume entry"),
        TarRaw("tar-garbage-size", "garbage.txt", name => RawTar.Header(name, '0', h => "zz9!"u8.CopyTo(h.AsSpan(124))), "Unable to parse number.*corrupt"),
        // Names that are not the same file on every operating system (PortableSegment, PathCollisionChecker).
        ZipWith("zip-windows-device-name", "aux.txt", DeviceName),
        TarWith("tar-windows-device-name-folder", "lib/CON/index.js", DeviceName),
        ZipWith("zip-windows-device-name-two-extensions", "nul.tar.gz", DeviceName),
        TarWith("tar-windows-device-name-superscript", "COM\u00b9.txt", DeviceName),
        ZipWith("zip-trailing-dot", "readme.", "ends with a dot"),
        TarWith("tar-trailing-space-folder", "lib /a.txt", "ends with a space"),
        ZipWith("zip-windows-forbidden-character", "what?.txt", "contains '\\?', which Windows does not allow"),
        TarWith("tar-windows-forbidden-character", "a<b>.txt", "contains '<', which Windows does not allow"),
        new("zip-normalization-collision", "zip-normalization-collision.zip", () => Benign().File("caf\u00e9.txt", "1"u8.ToArray()).File("cafe\u0301.txt", "2"u8.ToArray()).ToArray(), "caf\u00e9.txt", Normalization, RefusedInFilesMode: false),
        new("tar-normalization-case-collision", "tar-normalization-case-collision.tar", () => BenignTar(w => { w.WriteEntry(Pax("CAF\u00c9.txt", "1"u8.ToArray())); w.WriteEntry(Pax("cafe\u0301.txt", "2"u8.ToArray())); }), "cafe\u0301.txt", Normalization, RefusedInFilesMode: false),
        new("zip-duplicate", "zip-duplicate.zip", () => Benign().File("same.txt", "1"u8.ToArray()).File("same.txt", "2"u8.ToArray()).ToArray(), "same.txt", "appears twice"),
        new("zip-case-collision", "zip-case-collision.zip", () => Benign().File("A.txt", "1"u8.ToArray()).File("a.txt", "2"u8.ToArray()).ToArray(), "a.txt", "colliding", RefusedInFilesMode: false),
        new("zip-file-and-folder", "zip-file-and-folder.zip", () => Benign().File("lib", "1"u8.ToArray()).File("lib/a.dll", "2"u8.ToArray()).ToArray(), "lib", "colliding", RefusedInFilesMode: false),
        new("zip64-declaring-1-TiB", "zip64-declaring-1-TiB.zip", () => Benign().Declaring("huge.bin", "tiny"u8.ToArray(), 1L << 40).ToArray(), "huge.bin", "declares 1099511627776 bytes.*MaxFileSize"),
        new("tar-declaring-8-GiB", "tar-declaring-8-GiB.tar", TarDeclaringEightGiB, "huge.bin", "declares 8589934591 bytes.*MaxFileSize"),
        new("zip-lying-about-size", "zip-lying-about-size.zip", ZipLyingAboutSize, BenignFile, "more bytes than the 2 it declares|does not match the manifest"),
        new("zip-bomb", "zip-bomb.zip", ZipBomb, "zeros.bin", "bomb"),
        new("zip-overlapping-headers", "zip-overlapping-headers.zip", () => Benign().Alias("copy.txt", BenignFile).ToArray(), "copy.txt", "overlaps the bytes of"),
        // Files mode holds each file to the manifest's sha256, not to the zip's CRC: the bytes here are the benign ones.
        new("zip-wrong-crc", "zip-wrong-crc.zip", () => new RawZip().File(BenignFile, BenignContent, deflate: false, new ZipQuirks(WrongCentralCrc: true)).ToArray(), BenignFile, "corrupt.*CRC-32", RefusedInFilesMode: false),
        // The same through the zip library's path (a Unicode Path field keeps it off the native one).
        new("zip-wrong-crc-library-path", "zip-wrong-crc-library-path.zip", () => new RawZip().File(BenignFile, BenignContent, deflate: false, new ZipQuirks(WrongCentralCrc: true, UnicodePath: BenignFile)).ToArray(), BenignFile, "corrupt.*CRC-32", RefusedInFilesMode: false),
        new("zip-symlink-lying-about-size", "zip-symlink-lying-about-size.zip", () => Benign().File("link", new byte[50_000], deflate: true, new ZipQuirks(UncompressedSizeDelta: -49_995), unixMode: 0xA1FF).ToArray(), "link", "symbolic link.*more bytes than the 5"),
        new("zip-inconsistent-end-record", "zip-inconsistent-end-record.zip", () => Benign().File("b.txt", "b"u8.ToArray()).EndRecordCounts(onThisDisk: 1, total: 2).ToArray(), "end-of-central-directory", "inconsistent"),
        new("zip-overlapping-data", "zip-overlapping-data.zip", () => Benign().File("outer.bin", new byte[100]).Alias("inner.bin", "outer.bin", offset: 30 + 9 + 40).ToArray(), "inner.bin", "overlaps the bytes of 'outer.bin'"),
        new("zstd-bomb-undeclared-size", "zstd-bomb-undeclared-size.tar.zst", () => ZstdBomb(declaredContentSize: null), "zstd-bomb-undeclared-size.tar.zst", "decompression bomb.*MaxCompressionRatio"),
        new("zstd-declaring-1-TiB", "zstd-declaring-1-TiB.tar.zst", ZstdDeclaringOneTiB, "zstd-declaring-1-TiB.tar.zst", "decompress|cannot be read"),
        new("gzip-bomb", "gzip-bomb.tgz", GzipBomb, "gzip-bomb.tgz", "decompression bomb.*MaxCompressionRatio"),
        new("tgz-truncated", "tgz-truncated.tgz", () => Truncated(TarGz(BenignTar(w => w.WriteEntry(Pax("data.bin", new byte[20_000]))))), "tgz-truncated.tgz", "decompress|cannot be read|not a valid tar"),
        new("zstd-truncated", "zstd-truncated.tar.zst", () => Truncated(RawZstd.Frame(BenignTar())), "zstd-truncated.tar.zst", "decompress|cannot be read|not a valid tar"),
        new("tgz-corrupt", "tgz-corrupt.tgz", TgzCorrupt, "tgz-corrupt.tgz", "decompress|cannot be read|not a valid tar|corrupt"),
    ];

    /// <summary>The corpus archives, by name, for theories.</summary>
    public static IEnumerable<object[]> Names => Archives.Select(a => new object[] { a.Name });

    /// <summary>The names of the archives files mode refuses (see <see cref="HostileArchive.RefusedInFilesMode"/>).</summary>
    public static IEnumerable<object[]> FilesModeNames => Archives.Where(a => a.RefusedInFilesMode).Select(a => new object[] { a.Name });

    public static HostileArchive Get(string name) => Archives.Single(a => a.Name == name);

    /// <summary>A zip holding only the benign file: what a hostile archive looks like without its hostile part.</summary>
    public static byte[] BenignZip() => Benign().ToArray();

    /// <summary>A tarball (gzip) holding only the benign file.</summary>
    public static byte[] BenignTgz() => TarGz(BenignTar());

    /// <summary>A .tar.zst of the benign file plus <paramref name="zeros"/> bytes of zeros in zeros.bin, at about 32,000:1.</summary>
    public static byte[] ZstdOfZeros(long zeros, ulong? declaredContentSize = null)
    {
        var head = BenignTar(extra: null, trailer: false).Concat(RawTar.FileHeader("zeros.bin", zeros)).ToArray();
        var padding = (RawTar.BlockSize - (zeros % RawTar.BlockSize)) % RawTar.BlockSize;
        return RawZstd.Frame(head, zeros + padding + 2 * RawTar.BlockSize, declaredContentSize);
    }

    private static RawZip Benign() => new RawZip().File(BenignFile, BenignContent);

    private static HostileArchive ZipWith(string name, string entry, string reason) =>
        new(name, name + ".zip", () => Benign().File(entry, "evil"u8.ToArray()).ToArray(), entry, reason);

    private static HostileArchive TarWith(string name, string entry, string reason) =>
        new(name, name + ".tar", () => BenignTar(w => w.WriteEntry(Pax(entry, "evil"u8.ToArray()))), entry, reason);

    private static HostileArchive TarLink(string name, TarEntryType type, string entry, string target) =>
        new(name, name + ".tgz", () => TarGz(BenignTar(w => w.WriteEntry(new PaxTarEntry(type, entry) { LinkName = target }))), entry, $"'{target}'.*{Outside}|{Outside}.*'{target}'");

    private static HostileArchive TarDevice(string name, TarEntryType type) =>
        new(name, name + ".tar", () => BenignTar(w => w.WriteEntry(new PaxTarEntry(type, "dev/thing"))), "dev/thing", type.ToString());

    /// <summary>
    /// A tar of the benign file then the headers <paramref name="headers"/> makes for <paramref name="entry"/> (and a
    /// trailer): the tar reader fails on the header itself, and the refusal still names the entry.
    /// </summary>
    private static HostileArchive TarRaw(string name, string entry, Func<string, byte[]> headers, string reason) =>
        new(name, name + ".tar", () => [.. BenignTar(extra: null, trailer: false), .. headers(entry), .. RawTar.Trailer()], entry, reason);

    /// <summary>What GNU tar --sparse --format=posix writes: a regular file holding the sparse map, named by pax attributes.</summary>
    private static PaxTarEntry PaxSparse() =>
        new(TarEntryType.RegularFile, "GNUSparseFile.0/sparse.bin", new Dictionary<string, string>
        {
            ["GNU.sparse.major"] = "1",
            ["GNU.sparse.minor"] = "0",
            ["GNU.sparse.name"] = "sparse.bin",
            ["GNU.sparse.realsize"] = "10485760",
        }) { DataStream = new MemoryStream("1\n0\n0\n"u8.ToArray()) };

    private static PaxTarEntry Pax(string name, byte[] bytes) => new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(bytes) };

    private static byte[] BenignTar(Action<TarWriter>? extra = null, bool trailer = true)
    {
        var tar = TestArchives.TarBytes(new ArchiveContent().Add(BenignFile, BenignContent), extra);
        return trailer ? tar : tar[..^(2 * RawTar.BlockSize)];
    }

    private static byte[] TarGz(byte[] tar)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(tar);
        }

        return buffer.ToArray();
    }

    private static byte[] Truncated(byte[] bytes) => bytes[..(bytes.Length * 2 / 3)];

    private static byte[] TgzCorrupt()
    {
        var random = new Random(7);
        var data = new byte[50_000];
        random.NextBytes(data);
        var tgz = TarGz(BenignTar(w => w.WriteEntry(Pax("data.bin", data))));
        tgz[tgz.Length / 2] ^= 0x5A;
        return tgz;
    }

    private static byte[] TarDeclaringEightGiB() =>
        [.. BenignTar(extra: null, trailer: false), .. RawTar.FileHeader("huge.bin", (1L << 33) - 1), .. RawTar.Trailer()];

    private static byte[] ZipLyingAboutSize()
    {
        // ok.txt inflates to 10,000 bytes, but its headers declare the benign 2.
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var stream = zip.CreateEntry(BenignFile).Open();
            stream.Write(Encoding.ASCII.GetBytes(new string('a', 10_000)));
        }

        var bytes = buffer.ToArray();
        for (var i = 0; i < bytes.Length - 4; i++)
        {
            if (bytes[i] == 'P' && bytes[i + 1] == 'K' && bytes[i + 2] == 3 && bytes[i + 3] == 4)
            {
                BitConverter.TryWriteBytes(bytes.AsSpan(i + 22), BenignContent.Length);
            }
            else if (bytes[i] == 'P' && bytes[i + 1] == 'K' && bytes[i + 2] == 1 && bytes[i + 3] == 2)
            {
                BitConverter.TryWriteBytes(bytes.AsSpan(i + 24), BenignContent.Length);
            }
        }

        return bytes;
    }

    private static byte[] ZipBomb()
    {
        // 17 MiB of zeros deflates about 1030:1, over the default limit of 1000:1 (past the 16 MiB threshold).
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var stream = zip.CreateEntry(BenignFile).Open())
            {
                stream.Write(BenignContent);
            }

            using var zeros = zip.CreateEntry("zeros.bin", CompressionLevel.SmallestSize).Open();
            zeros.Write(new byte[SeventeenMiB]);
        }

        return buffer.ToArray();
    }

    private static byte[] ZstdBomb(ulong? declaredContentSize) => ZstdOfZeros(64L * 1024 * 1024, declaredContentSize);

    private static byte[] ZstdDeclaringOneTiB() => RawZstd.Frame(BenignTar(), declaredContentSize: 1UL << 40);

    private static byte[] GzipBomb()
    {
        // Deflate tops out near 1030:1, so 64 MiB of zeros in a tarball is just over the default ratio.
        const int zeros = 64 * 1024 * 1024;
        byte[] head = [.. BenignTar(extra: null, trailer: false), .. RawTar.FileHeader("zeros.bin", zeros)];
        var tar = new byte[head.Length + zeros + 2 * RawTar.BlockSize];
        head.CopyTo(tar, 0);
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(tar);
        }

        return buffer.ToArray();
    }
}
