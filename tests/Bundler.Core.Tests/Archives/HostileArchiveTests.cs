using System.Formats.Tar;
using System.IO.Compression;
using Bundler.Core.Writing;
using Bundler.Loader;
using Bundler.Loader.Format;
using Bundler.Testing;

namespace Bundler.Core.Tests.Archives;

/// <summary>Source archives that try to escape, collide, lie or explode are refused by name, and nothing is written.</summary>
public sealed class HostileArchiveTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public HostileArchiveTests()
    {
        Directory.CreateDirectory(_temp["out"]);
        File.WriteAllText(_temp["out/bundle.tar.zst"], "previous output");
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("../evil.txt", "'..' segment")]
    [InlineData("lib/../../evil.txt", "'..' segment")]
    [InlineData("/etc/evil.txt", "absolute")]
    [InlineData("C:/evil.txt", "colon")]
    [InlineData("C:\\evil.txt", "colon")]
    public async Task Pack_ZipEntryEscapingOrAbsolute_RefusedNamingIt(string entryName, string reason)
    {
        var zip = ZipWith((entryName, "evil"u8.ToArray(), 0x81A4));

        var error = await RefusedAsync(zip);

        Assert.Contains(entryName, error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../evil.txt")]
    [InlineData("/etc/evil.txt")]
    public async Task Pack_TarEntryEscapingOrAbsolute_RefusedNamingIt(string entryName)
    {
        var tgz = TestArchives.TarGz(_temp["p.tgz"], new ArchiveContent().Add("ok.txt", "ok"), tar =>
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, entryName) { DataStream = new MemoryStream("x"u8.ToArray()) }));

        var error = await RefusedAsync(tgz);

        Assert.Contains(entryName, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TarEntryType.SymbolicLink, "lib/link", "../../../etc/passwd")]
    [InlineData(TarEntryType.SymbolicLink, "link", "/etc/passwd")]
    [InlineData(TarEntryType.HardLink, "hard", "../outside")]
    public async Task Pack_TarLinkLeavingThePackage_Refused(TarEntryType type, string name, string target)
    {
        var tgz = TestArchives.TarGz(_temp["p.tgz"], new ArchiveContent().Add("ok.txt", "ok"), tar =>
            tar.WriteEntry(new PaxTarEntry(type, name) { LinkName = target }));

        var error = await RefusedAsync(tgz);

        Assert.Contains($"'{name}' -> '{target}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("outside the package", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pack_ZipSymlinkLeavingThePackage_Refused()
    {
        var zip = ZipWith(("ok.txt", "ok"u8.ToArray(), 0x81A4), ("link", "../../etc/passwd"u8.ToArray(), 0xA1FF));

        var error = await RefusedAsync(zip);

        Assert.Contains("'link' -> '../../etc/passwd'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pack_LinkInsideThePackage_SkippedWithAWarning()
    {
        var tgz = TestArchives.TarGz(_temp["p.tgz"], new ArchiveContent().Add("bin/tool", "tool"), tar =>
            tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/alias") { LinkName = "tool" }));

        var result = await BundleWriter.WriteAsync([Input(tgz)], _temp["ok.tar.zst"]);

        Assert.Equal(["tool"], result.Manifest.Packages[0].Files.Select(f => f.Path.Split('/')[^1]));
        Assert.Contains(result.Warnings, w => w.Contains("'bin/alias' -> 'tool'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(TarEntryType.CharacterDevice)]
    [InlineData(TarEntryType.BlockDevice)]
    [InlineData(TarEntryType.Fifo)]
    public async Task Pack_TarDeviceEntry_RefusedNamingIt(TarEntryType type)
    {
        var tar = TestArchives.Tar(_temp["p.tar"], new ArchiveContent().Add("ok.txt", "ok"), writer =>
            writer.WriteEntry(new PaxTarEntry(type, "dev/thing")));

        var error = await RefusedAsync(tar);

        Assert.Contains("dev/thing", error.Message, StringComparison.Ordinal);
        Assert.Contains(type.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("same.txt", "same.txt")]
    [InlineData("Readme.md", "README.md")]
    [InlineData("lib", "lib/a.dll")]
    public async Task Pack_DuplicateOrCollidingPaths_Refused(string first, string second)
    {
        var zip = ZipWith((first, "1"u8.ToArray(), 0x81A4), (second, "2"u8.ToArray(), 0x81A4));

        var error = await RefusedAsync(zip);

        Assert.Contains("colliding", error.Message, StringComparison.Ordinal);
        Assert.Contains(second.Split('/')[0], error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Pack_ZipBombOverTheDefaultRatio_Refused()
    {
        // 17 MiB of zeros deflates about 1030:1, over the default limit of 1000:1 (past the 16 MiB threshold).
        var zip = _temp["bomb.zip"];
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            using var stream = archive.CreateEntry("zeros.bin", CompressionLevel.SmallestSize).Open();
            stream.Write(new byte[17 * 1024 * 1024]);
        }

        var error = await RefusedAsync(zip);

        Assert.Contains("zeros.bin", error.Message, StringComparison.Ordinal);
        Assert.Contains("bomb", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pack_CompressedTarBomb_StoppedWhileDecompressing()
    {
        var content = new ArchiveContent().Add("zeros.bin", new byte[8 * 1024 * 1024]);
        var tgz = TestArchives.TarGz(_temp["bomb.tgz"], content);
        var limits = new BundleLimits { MaxCompressionRatio = 50, CompressionRatioThreshold = 1024 * 1024 };

        var error = await RefusedAsync(tgz, new BundleWriterOptions { Limits = limits });

        Assert.Contains("bomb", error.Message, StringComparison.Ordinal);
        Assert.Contains("bomb.tgz", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pack_ZipEntryLyingAboutItsSize_Refused()
    {
        var zip = TestArchives.Zip(_temp["liar.zip"], new ArchiveContent().Add("big.txt", new string('a', 10_000)));
        PatchZipUncompressedSize(zip, 100);

        var error = await RefusedAsync(zip);

        Assert.Contains("big.txt", error.Message, StringComparison.Ordinal);
        Assert.Contains("more bytes than the 100 it declares", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pack_CorruptArchive_RefusedByName()
    {
        var tgz = TestArchives.TarGz(_temp["p.tgz"], ArchiveContent.Sample("p"));
        var bytes = File.ReadAllBytes(tgz);
        File.WriteAllBytes(tgz, bytes[..(bytes.Length / 2)]);

        var error = await RefusedAsync(tgz);

        Assert.Contains("p.tgz", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pack_NotAnArchive_RefusedByName()
    {
        File.WriteAllText(_temp["notes.zip"], "this is not a zip");

        var error = await RefusedAsync(_temp["notes.zip"]);

        Assert.Contains("notes.zip", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pack_PackageFoldersNesting_Refused()
    {
        var zip = TestArchives.Zip(_temp["n.zip"], new ArchiveContent().Add("a.txt", "a"));
        PackageInput[] inputs = [new() { Id = "@a", Version = "b", ArchivePath = zip }, new() { Id = "@a/b", Version = "1", ArchivePath = zip }];

        var error = await Assert.ThrowsAsync<BundleException>(() => BundleWriter.WriteAsync(inputs, _temp["out/bundle.tar.zst"]));

        Assert.Contains("collides with another package's", error.Message, StringComparison.Ordinal);
        Assert.Equal("previous output", File.ReadAllText(_temp["out/bundle.tar.zst"]));
    }

    private static PackageInput Input(string archive) => new() { Id = "hostile", Version = "1.0.0", ArchivePath = archive };

    /// <summary>Packs a good package and the hostile one; asserts the refusal left the previous output and folder as they were.</summary>
    private async Task<BundleException> RefusedAsync(string archive, BundleWriterOptions? options = null)
    {
        var good = new PackageInput { Id = "good", Version = "1.0.0", ArchivePath = TestArchives.Zip(_temp["good.zip"], ArchiveContent.Sample("good")) };
        var before = TreeAssert.Listing(_temp["out"]);

        var error = await Assert.ThrowsAsync<BundleException>(() => BundleWriter.WriteAsync([good, Input(archive)], _temp["out/bundle.tar.zst"], options));

        Assert.Equal("previous output", File.ReadAllText(_temp["out/bundle.tar.zst"]));
        Assert.Equal(before, TreeAssert.Listing(_temp["out"]));
        return error;
    }

    private string ZipWith(params (string Name, byte[] Bytes, int UnixMode)[] entries)
    {
        var path = _temp["hostile.zip"];
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, bytes, mode) in entries)
        {
            var entry = zip.CreateEntry(name);
            entry.ExternalAttributes = mode << 16;
            using var stream = entry.Open();
            stream.Write(bytes);
        }

        return path;
    }

    private static void PatchZipUncompressedSize(string path, int size)
    {
        var bytes = File.ReadAllBytes(path);
        for (var i = 0; i < bytes.Length - 4; i++)
        {
            if (bytes[i] == 'P' && bytes[i + 1] == 'K' && bytes[i + 2] == 3 && bytes[i + 3] == 4)
            {
                BitConverter.TryWriteBytes(bytes.AsSpan(i + 22), size);
            }
            else if (bytes[i] == 'P' && bytes[i + 1] == 'K' && bytes[i + 2] == 1 && bytes[i + 3] == 2)
            {
                BitConverter.TryWriteBytes(bytes.AsSpan(i + 24), size);
            }
        }

        File.WriteAllBytes(path, bytes);
    }
}
