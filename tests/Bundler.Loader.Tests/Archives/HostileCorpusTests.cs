using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Bundler.Core.Download;
using Bundler.Core.Publishing;
using Bundler.Core.Writing;
using Bundler.Loader.Format;
using Bundler.Loader.Loading;
using Bundler.Testing;
using Bundler.Testing.Hostile;
using Bundler.Testing.Http;
using Bundler.Testing.Loading;

namespace Bundler.Loader.Tests.Archives;

/// <summary>
/// Every archive of <see cref="HostileCorpus"/> along the two paths an original archive takes: packed into a bundle,
/// and extracted by a files-mode load from a publish folder whose manifest vouches for it. Each is refused naming the
/// archive and the entry; nothing anywhere under the test's folder changes. (Bundles, the third path, are in
/// <see cref="Unpacking.HostileBundleTests"/>: a bundle never carries an original archive to extract.)
/// </summary>
public sealed class HostileCorpusTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public HostileCorpusTests()
    {
        Directory.CreateDirectory(_temp["out"]);
        File.WriteAllText(_temp["out/bundle.tar.zst"], "previous output");
        Directory.CreateDirectory(_temp["area/target/mine"]);
        File.WriteAllText(_temp["area/target/mine/keep.txt"], "mine");
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [MemberData(nameof(HostileCorpus.Names), MemberType = typeof(HostileCorpus))]
    public async Task Pack_HostileArchive_RefusedNamingArchiveAndEntry(string name)
    {
        var item = HostileCorpus.Get(name);
        var archive = _temp["archives/" + item.FileName];
        Directory.CreateDirectory(_temp["archives"]);
        await File.WriteAllBytesAsync(archive, item.Build());
        var good = new PackageInput { Id = "good", Version = "1.0.0", ArchivePath = TestArchives.Zip(_temp["archives/good.zip"], ArchiveContent.Sample("good")) };
        var hostile = new PackageInput { Id = "hostile", Version = "1.0.0", ArchivePath = archive };
        var before = TreeAssert.Snapshot(_temp.Path);

        var error = await Assert.ThrowsAsync<BundleException>(() => BundleWriter.WriteAsync([good, hostile], _temp["out/bundle.tar.zst"]));

        AssertNames(item, error);
        Assert.Equal(before, TreeAssert.Snapshot(_temp.Path));
        Assert.Equal(["bundle.tar.zst"], TreeAssert.Listing(_temp["out"]));
    }

    [Theory]
    [MemberData(nameof(HostileCorpus.FilesModeNames), MemberType = typeof(HostileCorpus))]
    public async Task FilesMode_HostileArchive_RefusedNamingArchiveAndEntry(string name)
    {
        var item = HostileCorpus.Get(name);
        var publish = await PublishVouchingForAsync(item.FileName, item.Build());
        await using var server = await LoopbackServer.ServeDirectoryAsync(publish);
        var before = TreeAssert.Snapshot(_temp.Path);

        var error = await Assert.ThrowsAsync<BundleException>(() =>
            PackageLoader.LoadAsync(server.BaseUri.ToString(), _temp["area/target"], new PackageLoadOptions { Mode = LoadMode.Files }));

        AssertNames(item, error);
        Assert.Equal(before, TreeAssert.Snapshot(_temp.Path));
        LoadAssert.NothingBesideTarget(_temp["area/target"]);
    }

    /// <summary>The writer and files mode hold an entry to one set of rules, and word a refusal alike but for how they name the archive.</summary>
    [Theory]
    [InlineData("zip-slip")]
    [InlineData("tar-absolute")]
    [InlineData("tar-symlink-up")]
    [InlineData("tar-hardlink-absolute")]
    [InlineData("zip-symlink-up")]
    [InlineData("tar-fifo")]
    [InlineData("zip-character-device")]
    [InlineData("zip-duplicate")]
    [InlineData("zip64-declaring-1-TiB")]
    [InlineData("tar-declaring-8-GiB")]
    [InlineData("zip-overlapping-headers")]
    public async Task EntryRefusal_PackAndFilesMode_WordedAlikeButForTheArchiveName(string name)
    {
        var item = HostileCorpus.Get(name);
        var bytes = item.Build();
        var archive = _temp["archives/" + item.FileName];
        Directory.CreateDirectory(_temp["archives"]);
        await File.WriteAllBytesAsync(archive, bytes);
        var publish = await PublishVouchingForAsync(item.FileName, bytes);

        var packed = await Assert.ThrowsAsync<BundleException>(() =>
            BundleWriter.WriteAsync([new PackageInput { Id = "hostile", Version = "1.0.0", ArchivePath = archive }], _temp["out/bundle.tar.zst"]));
        var loaded = await Assert.ThrowsAsync<BundleException>(() =>
            PackageLoader.LoadAsync(publish, _temp["area/target"], new PackageLoadOptions { Mode = LoadMode.Files }));

        var packedArchive = $"The archive '{archive}' of hostile 1.0.0 ";
        var loadedArchive = $"{Path.Combine(publish, "files", item.FileName)}: the archive of hostile 1.0.0 ";
        Assert.StartsWith(packedArchive, packed.Message, StringComparison.Ordinal);
        Assert.StartsWith(loadedArchive, loaded.Message, StringComparison.Ordinal);
        Assert.Equal(packed.Message[packedArchive.Length..], loaded.Message[loadedArchive.Length..]);
    }

    /// <summary>The control: without its hostile part, an archive goes through both harnesses above.</summary>
    [Theory]
    [InlineData("benign.zip")]
    [InlineData("benign.tgz")]
    public async Task PackAndFilesMode_BenignArchive_PackedAndLoaded(string fileName)
    {
        var bytes = fileName.EndsWith(".zip", StringComparison.Ordinal) ? HostileCorpus.BenignZip() : HostileCorpus.BenignTgz();
        var publish = await PublishVouchingForAsync(fileName, bytes);
        await using var server = await LoopbackServer.ServeDirectoryAsync(publish);

        await BundleWriter.WriteAsync([new PackageInput { Id = "hostile", Version = "1.0.0", ArchivePath = Path.Combine(publish, "files", fileName) }], _temp["out/bundle.tar.zst"]);
        await PackageLoader.LoadAsync(server.BaseUri.ToString(), _temp["area/target"], new PackageLoadOptions { Mode = LoadMode.Files });

        Assert.Equal("ok", await File.ReadAllTextAsync(_temp["area/target/hostile/1.0.0/ok.txt"]));
        Assert.Equal(["hostile/1.0.0/ok.txt", "mine/keep.txt"], TreeAssert.Snapshot(_temp["area/target"]).Keys);
    }

    /// <summary>Files mode writes only the paths its manifest lists; a manifest listing two that differ only in case is refused.</summary>
    [Fact]
    public async Task FilesMode_ManifestWithCaseCollidingPaths_Refused()
    {
        var publish = await PublishVouchingForAsync("collide.zip", HostileCorpus.Get("zip-case-collision").Build());
        RewriteManifest(publish, m => m with
        {
            Packages = [m.Packages[0] with { Files = [m.Packages[0].Files[0] with { Path = "A.txt" }, m.Packages[0].Files[0] with { Path = "a.txt", Offset = m.Packages[0].Files[0].Offset + 1024 }, m.Packages[0].Files[0]] }],
        });
        var before = TreeAssert.Snapshot(_temp.Path);

        var error = await Assert.ThrowsAsync<BundleException>(() =>
            PackageLoader.LoadAsync(publish, _temp["area/target"], new PackageLoadOptions { Mode = LoadMode.Files }));

        Assert.Contains("'a.txt' and 'A.txt' collide: differing only in case", error.Message, StringComparison.Ordinal);
        Assert.Contains("manifest.json", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, TreeAssert.Snapshot(_temp.Path));
    }

    /// <summary>The same for two paths that differ only in Unicode normalization (NFC and NFD): one file on macOS.</summary>
    [Fact]
    public async Task FilesMode_ManifestWithNormalizationCollidingPaths_Refused()
    {
        var publish = await PublishVouchingForAsync("collide.zip", HostileCorpus.Get("zip-normalization-collision").Build());
        RewriteManifest(publish, m => m with
        {
            Packages = [m.Packages[0] with { Files = [m.Packages[0].Files[0] with { Path = "cafe\u0301.txt" }, m.Packages[0].Files[0] with { Path = "caf\u00e9.txt", Offset = m.Packages[0].Files[0].Offset + 1024 }, m.Packages[0].Files[0] with { Offset = m.Packages[0].Files[0].Offset + 2048 }] }],
        });
        var before = TreeAssert.Snapshot(_temp.Path);

        var error = await Assert.ThrowsAsync<BundleException>(() =>
            PackageLoader.LoadAsync(publish, _temp["area/target"], new PackageLoadOptions { Mode = LoadMode.Files }));

        Assert.Contains("'caf\u00e9.txt' and 'cafe\u0301.txt' collide: differing only in case or Unicode normalization", error.Message, StringComparison.Ordinal);
        Assert.Contains("manifest.json", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, TreeAssert.Snapshot(_temp.Path));
    }

    private static void AssertNames(HostileArchive item, BundleException error)
    {
        Assert.True(error.Message.Contains(item.FileName, StringComparison.Ordinal), $"The archive is not named in: {error.Message}");
        Assert.True(error.Message.Contains(item.Entry, StringComparison.Ordinal), $"'{item.Entry}' is not named in: {error.Message}");
        Assert.True(Regex.IsMatch(error.Message, item.Reason), $"/{item.Reason}/ does not match: {error.Message}");
    }

    /// <summary>
    /// A publish folder of one package, 'hostile 1.0.0', packed from a benign archive named <paramref name="fileName"/>
    /// (only ok.txt), whose archive is then replaced by <paramref name="bytes"/> with the manifest's size and integrity
    /// updated to match: a publisher (or a manifest) that vouches for a hostile archive.
    /// </summary>
    private async Task<string> PublishVouchingForAsync(string fileName, byte[] bytes)
    {
        var benign = _temp["benign/" + fileName];
        Directory.CreateDirectory(_temp["benign"]);
        await File.WriteAllBytesAsync(benign, HostileCorpus.BenignZip());
        var result = await LegacyPublishFolder.WriteAsync([new PackageInput { Id = "hostile", Version = "1.0.0", ArchivePath = benign }], _temp["publish"]);
        await File.WriteAllBytesAsync(Path.Combine(result.Location, "files", fileName), bytes);
        var integrity = "sha512-" + Convert.ToBase64String(SHA512.HashData(bytes));
        RewriteManifest(result.Location, m => m with { Packages = [m.Packages[0] with { Archive = m.Packages[0].Archive with { Size = bytes.Length, Integrity = integrity } }] });
        return result.Location;
    }

    private static void RewriteManifest(string publish, Func<Manifest, Manifest> change)
    {
        var path = Path.Combine(publish, "manifest.json");
        File.WriteAllBytes(path, ManifestJson.Serialize(change(ManifestJson.Deserialize(File.ReadAllBytes(path)))));
    }
}
