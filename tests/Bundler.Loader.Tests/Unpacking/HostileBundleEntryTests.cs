using System.Text.RegularExpressions;
using Bundler.Core.Writing;
using Bundler.Loader.Loading;
using Bundler.Loader.Unpacking;
using Bundler.Testing;
using Bundler.Testing.Hostile;
using Bundler.Testing.Http;
using Bundler.Testing.IO;
using Bundler.Testing.Loading;

namespace Bundler.Loader.Tests.Unpacking;

/// <summary>
/// Bundles whose tar stream holds GNU and pax extensions a bundle never has (<see cref="HostileBundleEntries"/>),
/// through every path a bundle is read: unpack, verify, and load in bundle and ranges mode. Each is refused with a
/// <see cref="BundleException"/> naming the entry (and, for loads, the bundle's URL); the target stays as it was.
/// </summary>
public sealed class HostileBundleEntryTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public HostileBundleEntryTests()
    {
        Directory.CreateDirectory(_temp["served"]);
        Directory.CreateDirectory(_temp["area/target/mine"]);
        File.WriteAllText(_temp["area/target/mine/keep.txt"], "mine");
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [MemberData(nameof(HostileBundleEntries.Names), MemberType = typeof(HostileBundleEntries))]
    public async Task Unpack_HostileTarEntry_RefusedNamingTheEntry(string name)
    {
        var item = HostileBundleEntries.Get(name);
        var bundle = Forge(item);

        var error = await Assert.ThrowsAsync<BundleException>(async () =>
        {
            await using var stream = new ForwardOnlyStream(File.OpenRead(bundle), 4096);
            await BundleReader.UnpackAsync(stream, _temp["area/target"]);
        });

        AssertRefusal(item, error);
        LoadAssert.Untouched(_temp["area/target"]);
    }

    [Theory]
    [MemberData(nameof(HostileBundleEntries.Names), MemberType = typeof(HostileBundleEntries))]
    public async Task Verify_HostileTarEntry_RefusedNamingTheEntry(string name)
    {
        var item = HostileBundleEntries.Get(name);
        var bundle = Forge(item);

        var error = await Assert.ThrowsAsync<BundleException>(async () =>
        {
            await using var stream = File.OpenRead(bundle);
            await BundleReader.VerifyAsync(stream);
        });

        AssertRefusal(item, error);
    }

    public static IEnumerable<object[]> NamesAndStreamingModes =>
        HostileBundleEntries.All.SelectMany(e => new[] { new object[] { e.Name, LoadMode.Bundle }, [e.Name, LoadMode.Ranges] });

    [Theory]
    [MemberData(nameof(NamesAndStreamingModes))]
    public async Task Load_HostileTarEntry_RefusedNamingTheBundleAndEntry(string name, LoadMode mode)
    {
        var item = HostileBundleEntries.Get(name);
        Forge(item);
        await using var server = await LoopbackServer.ServeDirectoryAsync(_temp["served"]);
        var url = server.Url("evil.tar.zst").ToString();

        var error = await Assert.ThrowsAsync<BundleException>(() =>
            PackageLoader.LoadAsync(url, _temp["area/target"], new PackageLoadOptions { Mode = mode }));

        AssertRefusal(item, error);
        Assert.Contains(url, error.Message, StringComparison.Ordinal);
        LoadAssert.Untouched(_temp["area/target"]);
    }

    /// <summary>The control: the same forged bundle with an ordinary header for the file loads in every mode.</summary>
    [Theory]
    [InlineData(LoadMode.Bundle)]
    [InlineData(LoadMode.Ranges)]
    public async Task Load_ForgedBundleWithAnOrdinaryHeader_Loads(LoadMode mode)
    {
        HostileBundleEntries.Write(_temp["served/evil.tar.zst"], "ok.txt", RawTar.Header(HostileBundleEntries.Folder + "ok.txt", '0'));
        await using var server = await LoopbackServer.ServeDirectoryAsync(_temp["served"]);

        await PackageLoader.LoadAsync(server.Url("evil.tar.zst").ToString(), _temp["area/target"], new PackageLoadOptions { Mode = mode });

        Assert.Equal(["evil/1.0.0/ok.txt", "mine/keep.txt"], TreeAssert.Snapshot(_temp["area/target"]).Keys);
    }

    /// <summary>
    /// An mtime past 2242 does not fit 11 octal digits; GNU tar writes it in base-256. Such a date (up to the year 9999)
    /// is read and, like every mtime, dropped: a bundle holding one unpacks, an archive holding one packs.
    /// </summary>
    [Fact]
    public async Task UnpackAndPack_Base256MtimeInTheYear3000_Accepted()
    {
        var header = RawTar.Header(HostileBundleEntries.Folder + "future.txt", '0', h => RawTar.BaseTwoFiftySix(h, 136, 12, HostileBundleEntries.MtimeInTheYear3000));
        HostileBundleEntries.Write(_temp["future.tar.zst"], "future.txt", header);
        Directory.CreateDirectory(_temp["in"]);
        var archive = _temp["in/future.1.0.0.tar"];
        var benign = TestArchives.TarBytes(new ArchiveContent().Add(HostileCorpus.BenignFile, HostileCorpus.BenignContent));
        await File.WriteAllBytesAsync(archive, [.. benign[..^(2 * RawTar.BlockSize)], .. RawTar.Header("future.txt", '0', h => RawTar.BaseTwoFiftySix(h, 136, 12, HostileBundleEntries.MtimeInTheYear3000)), .. RawTar.Trailer()]);

        await using (var stream = File.OpenRead(_temp["future.tar.zst"]))
        {
            await BundleReader.UnpackAsync(stream, _temp["area/target"]);
        }

        await BundleWriter.WriteAsync([new PackageInput { Id = "future", Version = "1.0.0", ArchivePath = archive }], _temp["packed.tar.zst"]);
        await using (var stream = File.OpenRead(_temp["packed.tar.zst"]))
        {
            await BundleReader.UnpackAsync(stream, _temp["area/target"]);
        }

        Assert.Equal(["evil/1.0.0/future.txt", "future/1.0.0/future.txt", "future/1.0.0/ok.txt", "mine/keep.txt"], TreeAssert.Snapshot(_temp["area/target"]).Keys);
    }

    private string Forge(HostileBundleEntry item)
    {
        var bundle = _temp["served/evil.tar.zst"];
        HostileBundleEntries.Write(item, bundle);
        return bundle;
    }

    private static void AssertRefusal(HostileBundleEntry item, BundleException error)
    {
        Assert.True(error.Message.Contains($"'{item.Entry}'", StringComparison.Ordinal), $"'{item.Entry}' is not named in: {error.Message}");
        Assert.True(Regex.IsMatch(error.Message, item.Reason), $"/{item.Reason}/ does not match: {error.Message}");
    }
}
