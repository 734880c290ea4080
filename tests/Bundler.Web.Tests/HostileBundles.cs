using System.Formats.Tar;
using System.Security.Cryptography;
using Bundler.Core.Writing;
using Bundler.Loader.Format;
using Bundler.Testing;
using Bundler.Testing.Hostile;

namespace Bundler.Web.Tests;

/// <summary>
/// The hostile bundles the .NET reader's tests refuse (doctored manifests, forged tar entries, zstd bombs, cut and
/// corrupted files, <see cref="HostileBundleEntries"/>), each written as the <c>packages.tar.zst</c> of a folder, so
/// both loaders can be given the same bytes.
/// </summary>
internal static class HostileBundles
{
    private static readonly Dictionary<string, Func<string, Task>> Writers = new(StringComparer.Ordinal)
    {
        ["unsafe-path-dotdot"] = FirstFile(f => f with { Path = "../../escaped.txt" }),
        ["unsafe-path-absolute"] = FirstFile(f => f with { Path = "/tmp/escaped.txt" }),
        ["unsafe-path-backslash"] = FirstFile(f => f with { Path = "a\\..\\..\\escaped.txt" }),
        ["unsafe-path-drive"] = FirstFile(f => f with { Path = "C:escaped.txt" }),
        ["device-name"] = FirstFile(f => f with { Path = "aux.txt" }),
        ["trailing-dot"] = FirstFile(f => f with { Path = "readme." }),
        ["forbidden-character"] = FirstFile(f => f with { Path = "what?.txt" }),
        ["duplicate-paths"] = Manifest(m => WithPackage(m, p => p with { Files = [p.Files[0], p.Files[0], .. p.Files.Skip(1)] })),
        ["case-colliding-paths"] = Manifest(m => WithPackage(m, p => p with { Files = [.. p.Files.Take(3), p.Files[3] with { Path = "readme.md" }, .. p.Files.Skip(4)] })),
        ["normalization-colliding-paths"] = Manifest(m => WithPackage(m, p => p with
        {
            Files = [.. p.Files, p.Files[^1] with { Path = "zz/caf\u00e9.txt" }, p.Files[^1] with { Path = "zz/cafe\u0301.txt" }],
        })),
        ["file-over-size-limit"] = FirstFile(f => f with { Size = 1L << 40 }),
        ["wrong-hash"] = FirstFile(f => f with { Sha256 = new string('0', 64) }),
        ["wrong-size"] = FirstFile(f => f with { Size = f.Size + 1 }),
        ["wrong-offset"] = Manifest(m => WithPackage(m, p => p with { Files = [p.Files[0], p.Files[1] with { Offset = p.Files[1].Offset + 512 }, .. p.Files.Skip(2)] })),
        ["huge-frame-count"] = Manifest(m => WithPackage(m, p => p with { FrameCount = int.MaxValue })),
        ["package-folder-inside-another"] = Manifest(m => m with { Packages = [m.Packages[0] with { Id = "@a", Version = "b" }, m.Packages[0] with { Id = "@a/b", Version = "1" }] }),
        ["truncated"] = Bytes(b => b[..^40]),
        ["cut-inside-manifest"] = Bytes(b => b[..30]),
        ["corrupted-frame"] = CorruptedFrame,
        ["data-after-last-frame"] = Bytes(b => [.. b, .. "trailing garbage"u8]),
        ["plain-tar-zst"] = folder => Task.FromResult(TestArchives.TarZst(BundlePath(folder), ArchiveContent.Sample("plain"))),
        ["zstd-bomb-giant"] = ZstdBomb(content => RawZstd.Frame(content, declaredContentSize: 1UL << 40)),
        ["zstd-bomb-undeclared"] = ZstdBomb(content => RawZstd.Frame(content, zeros: 1 << 17)),
        ["zstd-bomb-overflowing"] = ZstdBomb(content => RawZstd.Frame(content, zeros: 1 << 17, declaredContentSize: (ulong)content.Length)),
        ["character-device"] = SpecialEntry(new UstarTarEntry(TarEntryType.CharacterDevice, "evil/1.0.0/entry")),
        ["fifo"] = SpecialEntry(new UstarTarEntry(TarEntryType.Fifo, "evil/1.0.0/entry")),
        ["symbolic-link"] = SpecialEntry(new UstarTarEntry(TarEntryType.SymbolicLink, "evil/1.0.0/entry") { LinkName = "../../../../etc" }),
        ["hard-link"] = SpecialEntry(new UstarTarEntry(TarEntryType.HardLink, "evil/1.0.0/entry") { LinkName = "/etc/passwd" }),
        ["entry-named-otherwise"] = folder =>
        {
            var tar = PackageTar(new UstarTarEntry(TarEntryType.RegularFile, "../../escaped.txt") { DataStream = new MemoryStream("x"u8.ToArray()) });
            BundleForger.WriteRaw(BundlePath(folder), "evil", "1.0.0", tar, [new FileEntry { Path = "ok.txt", Size = 1, Mode = 420, Sha256 = Sha256("x"u8.ToArray()), Offset = 1024 }]);
            return Task.CompletedTask;
        },
    };

    static HostileBundles()
    {
        foreach (var entry in HostileBundleEntries.All)
        {
            Writers["tar-" + entry.Name] = folder =>
            {
                HostileBundleEntries.Write(entry, BundlePath(folder));
                return Task.CompletedTask;
            };
        }
    }

    public static IEnumerable<object[]> Names => Writers.Keys.Order(StringComparer.Ordinal).Select(name => new object[] { name });

    /// <summary>Writes the bundle named <paramref name="name"/> as <c>packages.tar.zst</c> in a new <paramref name="folder"/>.</summary>
    public static Task WriteAsync(string name, string folder)
    {
        Directory.CreateDirectory(folder);
        return Writers[name](folder);
    }

    /// <summary>The bundle every doctored one starts from: one zip package of the sample files.</summary>
    public static async Task WriteGoodAsync(string folder)
    {
        Directory.CreateDirectory(folder);
        var archive = TestArchives.Zip(Path.Combine(folder, "pkg.zip"), ArchiveContent.Sample("pkg"));
        await BundleWriter.WriteAsync([new PackageInput { Id = "pkg", Version = "1.0.0", ArchivePath = archive }], BundlePath(folder));
        File.Delete(archive);
    }

    private static string BundlePath(string folder) => Path.Combine(folder, "packages.tar.zst");

    private static Func<string, Task> Manifest(Func<Manifest, Manifest> change) => async folder =>
    {
        await WriteGoodAsync(folder);
        BundleForger.RewriteManifest(BundlePath(folder), change);
    };

    private static Func<string, Task> FirstFile(Func<FileEntry, FileEntry> change) =>
        Manifest(m => WithPackage(m, p => p with { Files = [change(p.Files[0]), .. p.Files.Skip(1)] }));

    private static Manifest WithPackage(Manifest manifest, Func<PackageEntry, PackageEntry> change) =>
        manifest with { Packages = [change(manifest.Packages[0]), .. manifest.Packages.Skip(1)] };

    private static Func<string, Task> Bytes(Func<byte[], byte[]> change) => async folder =>
    {
        await WriteGoodAsync(folder);
        await File.WriteAllBytesAsync(BundlePath(folder), change(await File.ReadAllBytesAsync(BundlePath(folder))));
    };

    private static async Task CorruptedFrame(string folder)
    {
        await WriteGoodAsync(folder);
        var manifest = BundleForger.ReadManifest(BundlePath(folder));
        var bytes = await File.ReadAllBytesAsync(BundlePath(folder));
        var payloadStart = bytes.Length - (int)manifest.PayloadSize;
        bytes[payloadStart + (int)(manifest.Frames[0].Offset + manifest.Frames[0].Size / 2)] ^= 0x5A;
        await File.WriteAllBytesAsync(BundlePath(folder), bytes);
    }

    private static Func<string, Task> ZstdBomb(Func<byte[], byte[]> encode) => folder =>
    {
        var bytes = Enumerable.Repeat((byte)'x', 4096).ToArray();
        var tar = PackageTar(new UstarTarEntry(TarEntryType.RegularFile, "evil/1.0.0/ok.txt") { DataStream = new MemoryStream(bytes), Mode = (UnixFileMode)420 });
        BundleForger.WriteRaw(BundlePath(folder), "evil", "1.0.0", tar, [new FileEntry { Path = "ok.txt", Size = bytes.Length, Mode = 420, Sha256 = Sha256(bytes), Offset = 1024 }], encode);
        return Task.CompletedTask;
    };

    private static Func<string, Task> SpecialEntry(TarEntry entry) => folder =>
    {
        BundleForger.WriteRaw(BundlePath(folder), "evil", "1.0.0", PackageTar(entry), [new FileEntry { Path = "entry", Size = 0, Mode = 420, Sha256 = Sha256([]), Offset = 1024 }]);
        return Task.CompletedTask;
    };

    /// <summary>The tar bytes of package <c>evil 1.0.0</c>: its folder entry, then <paramref name="entry"/>, without the trailer.</summary>
    private static byte[] PackageTar(TarEntry entry)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Ustar, leaveOpen: true))
        {
            writer.WriteEntry(new UstarTarEntry(TarEntryType.Directory, "evil/1.0.0/"));
            writer.WriteEntry(entry);
        }

        return buffer.ToArray()[..^RawTar.Trailer().Length];
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
