using System.Formats.Tar;
using System.Security.Cryptography;
using Bundler.Core.Writing;
using Bundler.Loader.Format;
using Bundler.Loader.Unpacking;
using Bundler.Testing;
using Bundler.Testing.Hostile;
using Bundler.Testing.IO;

namespace Bundler.Loader.Tests.Unpacking;

/// <summary>Bundles that lie, are cut short, corrupted or crafted to escape are refused with the target left as it was.</summary>
public sealed class HostileBundleTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public HostileBundleTests()
    {
        Directory.CreateDirectory(_temp["area/target/existing/1.0.0"]);
        File.WriteAllText(_temp["area/target/existing/1.0.0/keep.txt"], "keep");
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("../../escaped.txt", "'..' segment")]
    [InlineData("/tmp/escaped.txt", "absolute")]
    [InlineData("a\\..\\..\\escaped.txt", "backslash")]
    [InlineData("C:escaped.txt", "colon")]
    [InlineData("C:\\escaped.txt", "colon")]
    [InlineData("C:/escaped.txt", "colon")]
    [InlineData("..\\..\\escaped.txt", "backslash")]
    public async Task Unpack_ManifestWithUnsafePath_Refused(string path, string reason)
    {
        var bundle = await GoodBundleAsync();
        BundleForger.RewriteManifest(bundle, m => WithFirstFile(m, f => f with { Path = path }));

        var error = await RefusedAsync(bundle);

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unpack_ManifestWithDuplicatePaths_Refused()
    {
        var bundle = await GoodBundleAsync();
        BundleForger.RewriteManifest(bundle, m => WithPackage(m, p => p with { Files = [p.Files[0], p.Files[0], .. p.Files.Skip(1)] }));

        var error = await RefusedAsync(bundle);

        Assert.Contains("out of order or twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unpack_ManifestWithCaseCollidingPaths_Refused()
    {
        var bundle = await GoodBundleAsync();
        // README.md and readme.md are one file on Windows and macOS; 'readme.md' keeps the files in ordinal order.
        BundleForger.RewriteManifest(bundle, m => WithPackage(m, p => p with { Files = [.. p.Files.Take(3), p.Files[3] with { Path = "readme.md" }, .. p.Files.Skip(4)] }));

        var error = await RefusedAsync(bundle);

        Assert.Contains("'readme.md' and 'README.md' collide: differing only in case", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Names Windows cannot hold or maps to a device: the tree would differ between operating systems.</summary>
    [Theory]
    [InlineData("aux.txt", "'aux.txt' is a device name on Windows")]
    [InlineData("lib/CON/index.js", "'CON' is a device name on Windows")]
    [InlineData("nul.tar.gz", "'nul.tar.gz' is a device name on Windows")]
    [InlineData("COM\u00b9.txt", "'COM\u00b9.txt' is a device name on Windows")]
    [InlineData("readme.", "'readme.' ends with a dot")]
    [InlineData("lib /a.txt", "'lib ' ends with a space")]
    [InlineData("what?.txt", "'what?.txt' contains '?'")]
    [InlineData("a<b>.txt", "'a<b>.txt' contains '<'")]
    public async Task Unpack_ManifestWithUnportablePath_Refused(string path, string reason)
    {
        var bundle = await GoodBundleAsync();
        BundleForger.RewriteManifest(bundle, m => WithFirstFile(m, f => f with { Path = path }));

        var error = await RefusedAsync(bundle);

        Assert.Contains($"has a file '{path}' whose path is unsafe: the path element {reason}", error.Message, StringComparison.Ordinal);
    }

    /// <summary>One name in NFD and one in NFC (and, in the second case, upper case) are one file on macOS.</summary>
    [Theory]
    [InlineData("zz/cafe\u0301.txt", "zz/caf\u00e9.txt")]
    [InlineData("zz/CAF\u00c9.txt", "zz/cafe\u0301.txt")]
    public async Task Unpack_ManifestWithNormalizationCollidingPaths_Refused(string first, string second)
    {
        var bundle = await GoodBundleAsync();
        // The last two files renamed, so that order and offsets stay valid.
        BundleForger.RewriteManifest(bundle, m => WithPackage(m, p => p with { Files = [.. p.Files.SkipLast(2), p.Files[^2] with { Path = first }, p.Files[^1] with { Path = second }] }));

        var error = await RefusedAsync(bundle);

        Assert.Contains($"'{second}' and '{first}' collide: differing only in case or Unicode normalization", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unpack_ManifestFileOverTheSizeLimit_RefusedNamingIt()
    {
        var bundle = await GoodBundleAsync();
        BundleForger.RewriteManifest(bundle, m => WithFirstFile(m, f => f with { Size = 1L << 40 }));

        var error = await RefusedAsync(bundle);

        Assert.Contains("'README.md' of 1099511627776 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxFileSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unpack_TarHeaderDeclaringAHugeSize_RefusedNamingTheFile()
    {
        var header = RawTar.FileHeader("evil/1.0.0/ok.txt", (1L << 33) - 1);
        var tar = PackageTar(writer => writer.WriteEntry(new UstarTarEntry(TarEntryType.Directory, "evil/1.0.0/")));
        byte[] package = [.. tar, .. header, .. new byte[RawTar.BlockSize]];
        var hash = Convert.ToHexStringLower(SHA256.HashData(new byte[1]));
        BundleForger.WriteRaw(_temp["evil.tar.zst"], "evil", "1.0.0", package, [new FileEntry { Path = "ok.txt", Size = 1, Mode = 420, Sha256 = hash, Offset = 1024 }]);

        var error = await RefusedAsync(_temp["evil.tar.zst"]);

        Assert.Contains("evil/1.0.0/ok.txt", error.Message, StringComparison.Ordinal);
        Assert.Contains("size 8589934591", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TarEntryType.CharacterDevice)]
    [InlineData(TarEntryType.BlockDevice)]
    [InlineData(TarEntryType.Fifo)]
    public async Task Unpack_TarDeviceEntryWhereTheManifestListsAFile_Refused(TarEntryType type)
    {
        var tar = PackageTar(writer =>
        {
            writer.WriteEntry(new UstarTarEntry(TarEntryType.Directory, "evil/1.0.0/"));
            writer.WriteEntry(new UstarTarEntry(type, "evil/1.0.0/dev"));
        });
        var empty = Convert.ToHexStringLower(SHA256.HashData(Array.Empty<byte>()));
        BundleForger.WriteRaw(_temp["evil.tar.zst"], "evil", "1.0.0", tar, [new FileEntry { Path = "dev", Size = 0, Mode = 420, Sha256 = empty, Offset = 1024 }]);

        var error = await RefusedAsync(_temp["evil.tar.zst"]);

        Assert.Contains($"'evil/1.0.0/dev'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"a {type} entry where a regular file was expected", error.Message, StringComparison.Ordinal);
    }

    /// <summary>zstd bombs in a bundle's frame: what a frame declares and what it holds must both be what the manifest says, before any byte is used.</summary>
    [Theory]
    [InlineData("giant", "declares 1099511627776 content bytes")]
    [InlineData("undeclared", "declares no content bytes")]
    [InlineData("overflowing", "zstd could not decode it")]
    public async Task Unpack_ZstdFrameBomb_RefusedNamingTheFrame(string kind, string reason)
    {
        var bytes = Enumerable.Repeat((byte)'x', 4096).ToArray();
        var tar = PackageTar(writer =>
        {
            writer.WriteEntry(new UstarTarEntry(TarEntryType.Directory, "evil/1.0.0/"));
            writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "evil/1.0.0/ok.txt") { DataStream = new MemoryStream(bytes), Mode = (UnixFileMode)420 });
        });
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Func<byte[], byte[]> encode = kind switch
        {
            "giant" => content => RawZstd.Frame(content, declaredContentSize: 1UL << 40),
            "undeclared" => content => RawZstd.Frame(content, zeros: 1 << 17),
            _ => content => RawZstd.Frame(content, zeros: 1 << 17, declaredContentSize: (ulong)content.Length),
        };
        BundleForger.WriteRaw(_temp["evil.tar.zst"], "evil", "1.0.0", tar, [new FileEntry { Path = "ok.txt", Size = bytes.Length, Mode = 420, Sha256 = hash, Offset = 1024 }], encode);

        var error = await RefusedAsync(_temp["evil.tar.zst"]);

        Assert.Contains("frame 0", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unpack_PackageFolderInsideAnother_Refused()
    {
        var bundle = await GoodBundleAsync();
        BundleForger.RewriteManifest(bundle, m => m with
        {
            Packages = [m.Packages[0] with { Id = "@a", Version = "b" }, m.Packages[0] with { Id = "@a/b", Version = "1" }],
        });

        var error = await RefusedAsync(bundle);

        Assert.Contains("collides with another package's folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unpack_ManifestWithHugeFrameIndex_RefusedAsInvalidNotACrash()
    {
        var bundle = await GoodBundleAsync();
        BundleForger.RewriteManifest(bundle, m => WithPackage(m, p => p with { FrameCount = int.MaxValue }));

        var error = await RefusedAsync(bundle);

        Assert.Contains("manifest is invalid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unpack_ManifestWithWrongHash_RefusedNamingTheFile()
    {
        var bundle = await GoodBundleAsync();
        BundleForger.RewriteManifest(bundle, m => WithFirstFile(m, f => f with { Sha256 = new string('0', 64) }));

        var error = await RefusedAsync(bundle);

        Assert.Contains("does not match the manifest", error.Message, StringComparison.Ordinal);
        Assert.Contains("README.md", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unpack_ManifestWithWrongSize_RefusedNamingTheFile()
    {
        var bundle = await GoodBundleAsync();
        BundleForger.RewriteManifest(bundle, m => WithFirstFile(m, f => f with { Size = f.Size + 1 }));

        var error = await RefusedAsync(bundle);

        Assert.Contains("README.md", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unpack_ManifestWithWrongOffset_Refused()
    {
        var bundle = await GoodBundleAsync();
        BundleForger.RewriteManifest(bundle, m => WithPackage(m, p => p with { Files = [.. p.Files.Take(1), p.Files[1] with { Offset = p.Files[1].Offset + 512 }, .. p.Files.Skip(2)] }));

        var error = await RefusedAsync(bundle);

        Assert.Matches("does not match its manifest|manifest is invalid.*tar offset", error.Message);
    }

    [Fact]
    public async Task Unpack_ManifestTotalOverTheLimit_RefusedBeforeAnythingIsWritten()
    {
        var bundle = await GoodBundleAsync();

        var error = await RefusedAsync(bundle, new BundleLimits { MaxTotalSize = 1000 });

        Assert.Contains("MaxTotalSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unpack_TruncatedBundle_RefusedAsTruncated()
    {
        var bundle = await GoodBundleAsync();
        var bytes = await File.ReadAllBytesAsync(bundle);
        await File.WriteAllBytesAsync(bundle, bytes[..(bytes.Length - 40)]);

        var error = await RefusedAsync(bundle);

        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unpack_BundleCutInsideTheManifest_RefusedAsTruncated()
    {
        var bundle = await GoodBundleAsync();
        var bytes = await File.ReadAllBytesAsync(bundle);
        await File.WriteAllBytesAsync(bundle, bytes[..30]);

        var error = await RefusedAsync(bundle);

        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1, null, "more than")]
    [InlineData(1, null, "only")]
    [InlineData(-1, "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "more than")]
    public async Task Unpack_ManifestJsonOfAnotherLengthThanItsHeaderSays_RefusedAsCorrupt(int change, string? pinned, string reason)
    {
        var bundle = await GoodBundleAsync();
        var bytes = await File.ReadAllBytesAsync(bundle);
        var declared = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16), (uint)(declared + change));
        await File.WriteAllBytesAsync(bundle, bytes);

        var error = await RefusedAsync(bundle, expectedIntegrity: pinned);

        Assert.Contains("manifest is corrupt", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unpack_CorruptedFrame_Refused()
    {
        var bundle = await GoodBundleAsync();
        var manifest = BundleForger.ReadManifest(bundle);
        var bytes = await File.ReadAllBytesAsync(bundle);
        var payloadStart = bytes.Length - (int)manifest.PayloadSize;
        var middle = payloadStart + (int)(manifest.Frames[0].Offset + manifest.Frames[0].Size / 2);
        bytes[middle] ^= 0x5A;
        await File.WriteAllBytesAsync(bundle, bytes);

        var error = await RefusedAsync(bundle);

        Assert.Matches("corrupt|does not match", error.Message);
    }

    [Fact]
    public async Task Unpack_DataAfterTheLastFrame_Refused()
    {
        var bundle = await GoodBundleAsync();
        await File.AppendAllTextAsync(bundle, "trailing garbage");

        var error = await RefusedAsync(bundle);

        Assert.Contains("after its last frame", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unpack_PlainTarZst_RefusedAsNotABundle()
    {
        var path = _temp["plain.tar.zst"];
        TestArchives.TarZst(path, ArchiveContent.Sample("plain"));

        var error = await RefusedAsync(path);

        Assert.Contains("not a Bundler bundle", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TarEntryType.SymbolicLink, "../../../../etc")]
    [InlineData(TarEntryType.HardLink, "/etc/passwd")]
    public async Task Unpack_TarLinkEntryWhereTheManifestListsAFile_Refused(TarEntryType type, string target)
    {
        var tar = PackageTar(writer =>
        {
            writer.WriteEntry(new UstarTarEntry(TarEntryType.Directory, "evil/1.0.0/"));
            writer.WriteEntry(new UstarTarEntry(type, "evil/1.0.0/link") { LinkName = target });
        });
        var empty = Convert.ToHexStringLower(SHA256.HashData(Array.Empty<byte>()));
        BundleForger.WriteRaw(_temp["evil.tar.zst"], "evil", "1.0.0", tar, [new FileEntry { Path = "link", Size = 0, Mode = 420, Sha256 = empty, Offset = 1024 }]);

        var error = await RefusedAsync(_temp["evil.tar.zst"]);

        Assert.Contains($"a {type} entry where a regular file was expected", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unpack_TarEntryNamedOtherThanInTheManifest_RefusedWritingNothingOutside()
    {
        var tar = PackageTar(writer =>
        {
            writer.WriteEntry(new UstarTarEntry(TarEntryType.Directory, "evil/1.0.0/"));
            writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "../../escaped.txt") { DataStream = new MemoryStream("x"u8.ToArray()) });
        });
        var hash = Convert.ToHexStringLower(SHA256.HashData("x"u8));
        BundleForger.WriteRaw(_temp["evil.tar.zst"], "evil", "1.0.0", tar, [new FileEntry { Path = "ok.txt", Size = 1, Mode = 420, Sha256 = hash, Offset = 1024 }]);

        var error = await RefusedAsync(_temp["evil.tar.zst"]);

        Assert.Contains("'../../escaped.txt'", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp["escaped.txt"]));
    }

    [Fact]
    public async Task Unpack_Cancelled_LeavesTheTargetAsItWas()
    {
        var bundle = await GoodBundleAsync();
        var before = TreeAssert.Snapshot(_temp["area/target"]);
        using var cancel = new CancellationTokenSource();
        await using var stream = new CancellingStream(File.OpenRead(bundle), cancel, afterBytes: 2000);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => BundleReader.UnpackAsync(stream, _temp["area/target"], cancellationToken: cancel.Token));

        Assert.Equal(before, TreeAssert.Snapshot(_temp["area/target"]));
        Assert.Equal(["target"], TreeAssert.Listing(_temp["area"]));
    }

    private async Task<string> GoodBundleAsync()
    {
        var input = new PackageInput { Id = "pkg", Version = "1.0.0", ArchivePath = TestArchives.Zip(_temp["pkg.zip"], ArchiveContent.Sample("pkg")) };
        var bundle = _temp["bundle.tar.zst"];
        await BundleWriter.WriteAsync([input], bundle);
        return bundle;
    }

    /// <summary>Unpacks into a target that already holds a package; asserts the refusal changed nothing there or beside it.</summary>
    private async Task<BundleException> RefusedAsync(string bundle, BundleLimits? limits = null, string? expectedIntegrity = null)
    {
        var before = TreeAssert.Snapshot(_temp["area/target"]);
        await using var stream = File.OpenRead(bundle);

        var error = await Assert.ThrowsAsync<BundleException>(() =>
            BundleReader.UnpackAsync(stream, _temp["area/target"], new UnpackOptions { Limits = limits ?? BundleLimits.Default, ExpectedIntegrity = expectedIntegrity }));

        Assert.Equal(before, TreeAssert.Snapshot(_temp["area/target"]));
        Assert.Equal(["target"], TreeAssert.Listing(_temp["area"]));
        return error;
    }

    private static byte[] PackageTar(Action<TarWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Ustar, leaveOpen: true))
        {
            write(writer);
        }

        return buffer.ToArray()[..^BundleFormat.TarTrailerSize];
    }

    private static Manifest WithPackage(Manifest manifest, Func<PackageEntry, PackageEntry> change) =>
        manifest with { Packages = [change(manifest.Packages[0]), .. manifest.Packages.Skip(1)] };

    private static Manifest WithFirstFile(Manifest manifest, Func<FileEntry, FileEntry> change) =>
        WithPackage(manifest, p => p with { Files = [change(p.Files[0]), .. p.Files.Skip(1)] });

    private sealed class CancellingStream(Stream inner, CancellationTokenSource cancel, long afterBytes) : ForwardOnlyStreamBase(inner)
    {
        private long _read;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_read >= afterBytes)
            {
                await cancel.CancelAsync();
                cancellationToken.ThrowIfCancellationRequested();
            }

            var n = await Inner.ReadAsync(buffer[..Math.Min(buffer.Length, 512)], cancellationToken);
            _read += n;
            return n;
        }
    }
}
