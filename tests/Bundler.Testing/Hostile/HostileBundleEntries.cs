using System.Formats.Tar;
using System.Security.Cryptography;
using Bundler.Loader.Format;

namespace Bundler.Testing.Hostile;

/// <summary>
/// Bundles whose tar stream holds the entry types and header values GNU tar and other writers produce but a bundle
/// never does (sparse files, multi-volume parts, volume labels, global headers, base-256 and unparsable numbers), each
/// where the manifest expects an ordinary empty file. Forged with <see cref="BundleForger.WriteRaw"/>.
/// </summary>
public static class HostileBundleEntries
{
    public const string Id = "evil";
    public const string Version = "1.0.0";
    public const string Folder = Id + "/" + Version + "/";

    /// <summary>An mtime in the year 3000: beyond what 11 octal digits hold (2242), so GNU tar writes it in base-256.</summary>
    public const long MtimeInTheYear3000 = 32_503_680_000;

    public static IReadOnlyList<HostileBundleEntry> All { get; } =
    [
        new("gnu-sparse", "sparse.bin", name => RawTar.Header(name, 'S'), "GNU sparse file.*corrupt or was tampered with"),
        new("pax-sparse", "sparse.bin", PaxSparse, @"sparse file \(pax GNU\.sparse"),
        new("base256-uid", "uid.txt", name => RawTar.Header(name, '0', h => RawTar.BaseTwoFiftySix(h, 108, 8, 1L << 40)), "base-256 uid of 1099511627776 out of range"),
        new("base256-mtime-past-9999", "mtime.txt", name => RawTar.Header(name, '0', h => RawTar.BaseTwoFiftySix(h, 136, 12, 1L << 40)), "base-256 mtime of 1099511627776 out of range"),
        new("base256-size-past-long", "size.txt", name => RawTar.Header(name, '0', h => { h.AsSpan(124, 12).Fill(0xFF); h[124] = 0x80; }), "base-256 size of .* out of range|cannot be read"),
        new("base256-negative-size", "negative.txt", name => RawTar.Header(name, '0', h => h.AsSpan(124, 12).Fill(0xFF)), "base-256 size of a negative value|cannot be read|size -"),
        new("multi-volume", "part.bin", name => RawTar.Header(name, 'M'), "MultiVolume entry where a regular file was expected"),
        new("volume-label", "label", name => RawTar.Header(name, 'V'), "TapeVolume entry where a regular file was expected"),
        new("pax-global", "global", name => RawTar.Header(name, 'g'), "GlobalExtendedAttributes entry where a regular file was expected"),
        new("garbage-size", "garbage.txt", name => RawTar.Header(name, '0', h => "zz9!"u8.CopyTo(h.AsSpan(124))), "cannot be read.*tampered with"),
        new("garbage-mode", "garbage.txt", name => RawTar.Header(name, '0', h => "9x"u8.CopyTo(h.AsSpan(100))), "cannot be read.*tampered with"),
    ];

    public static IEnumerable<object[]> Names => All.Select(e => new object[] { e.Name });

    public static HostileBundleEntry Get(string name) => All.Single(e => e.Name == name);

    /// <summary>Writes the bundle of <paramref name="entry"/> to <paramref name="bundlePath"/>.</summary>
    public static void Write(HostileBundleEntry entry, string bundlePath) =>
        Write(bundlePath, entry.Path, entry.Build(Folder + entry.Path));

    /// <summary>Writes a bundle of <c>evil 1.0.0</c> whose one (empty) file <paramref name="path"/> has <paramref name="headers"/> as its tar headers.</summary>
    public static void Write(string bundlePath, string path, byte[] headers)
    {
        byte[] tar = [.. RawTar.Header(Folder, '5'), .. headers];
        var empty = Convert.ToHexStringLower(SHA256.HashData(Array.Empty<byte>()));
        BundleForger.WriteRaw(bundlePath, Id, Version, tar, [new FileEntry { Path = path, Size = 0, Mode = 420, Sha256 = empty, Offset = tar.Length }]);
    }

    /// <summary>What GNU tar --sparse --format=posix writes for an empty sparse file: a pax header of GNU.sparse.* records, then the file.</summary>
    private static byte[] PaxSparse(string name)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name, new Dictionary<string, string>
            {
                ["GNU.sparse.major"] = "1",
                ["GNU.sparse.minor"] = "0",
                ["GNU.sparse.realsize"] = "10485760",
            }) { Mode = (UnixFileMode)420 });
        }

        return buffer.ToArray()[..^(2 * RawTar.BlockSize)];
    }
}
