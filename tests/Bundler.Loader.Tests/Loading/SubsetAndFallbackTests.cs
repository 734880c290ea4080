using Bundler.Loader.Format;
using Bundler.Loader.Loading;
using Bundler.Testing;
using Bundler.Testing.Http;
using Bundler.Testing.Loading;

namespace Bundler.Loader.Tests.Loading;

/// <summary>Loading some packages only, and ranges mode against a server that ignores Range.</summary>
public sealed class SubsetAndFallbackTests : IAsyncLifetime
{
    private PublishedPackages _published = null!;

    public async Task InitializeAsync() => _published = await PublishedPackages.CreateAsync();

    public Task DisposeAsync()
    {
        _published.Dispose();
        return Task.CompletedTask;
    }

    private Dictionary<string, byte[]> ExpectedFor(string id) =>
        _published.ExpectedTree.Where(kv => kv.Key.StartsWith(id + "/", StringComparison.Ordinal)).ToDictionary();

    [Fact]
    public async Task RangesMode_Subset_FetchesOnlyTheHeadAndThatPackagesFrames()
    {
        await using var server = await LoopbackServer.ServeDirectoryAsync(_published.Folder);
        // The large package comes first, so the head request brings only its start; the wheel lies well after.
        var wheel = _published.Manifest.Packages.Single(p => p.Id == "wheel_package");
        var (first, last) = _published.FrameRange(wheel);
        var target = _published.NewTarget("subset");

        var report = await PackageLoader.LoadAsync(server.BaseUri.ToString(), target, new PackageLoadOptions { Mode = LoadMode.Ranges, Packages = ["WHEEL_package"] });

        TreeAssert.Holds(target, ExpectedFor("wheel_package"));
        Assert.Equal(1, report.Packages);
        Assert.Equal(("/index.json", 404), (server.Requests[0].Path, server.Requests[0].StatusCode));
        var ranges = server.Requests.Skip(1).Select(r => LoadModeTests.ParseRange(r.Range)).OrderBy(r => r.First).ToList();
        var head = ranges[0];
        Assert.Equal(0, head.First);
        var trailer = _published.Manifest.Frames[^1];
        var trailerStart = new FileInfo(_published.BundlePath).Length - trailer.Size;
        foreach (var range in ranges.Skip(1))
        {
            // Every request after the head lies inside the package's frames or is the trailer frame.
            Assert.True((range.First >= first && range.Last <= last) || range.First >= trailerStart, $"bytes {range.First}-{range.Last} are not the package's ({first}-{last})");
        }

        var fetched = server.Requests.Sum(r => r.ResponseBytes);
        Assert.True(fetched <= (head.Last + 1) + (last - first + 1) + trailer.Size, $"{fetched} bytes fetched");
        Assert.True(fetched < new FileInfo(_published.BundlePath).Length / 4, $"{fetched} bytes fetched of {new FileInfo(_published.BundlePath).Length}");
    }

    [Fact]
    public async Task FilesMode_Subset_FetchesOnlyTheManifestAndThoseArchives()
    {
        await using var server = await LoopbackServer.ServeDirectoryAsync(_published.Folder);
        var target = _published.NewTarget("files-subset");

        await PackageLoader.LoadAsync(server.BaseUri.ToString(), target, new PackageLoadOptions { Mode = LoadMode.Files, Packages = ["npm-package", "Zip.Package/1.0.1"] });

        TreeAssert.Holds(target, ExpectedFor("npm-package").Concat(ExpectedFor("Zip.Package")).ToDictionary());
        Assert.Equal(["/files/Zip.Package.1.0.1.zip", "/files/npm-package.1.0.5.tgz", "/index.json", "/manifest.json"], server.Requests.Select(r => r.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task BundleMode_Subset_WritesOnlyThosePackagesKeepingOthersInTheTarget()
    {
        var target = _published.NewTarget("bundle-subset");
        await PackageLoader.LoadAsync(_published.Folder, target, new PackageLoadOptions { Packages = ["tar-package"] });
        await PackageLoader.LoadAsync(_published.Folder, target, new PackageLoadOptions { Packages = ["zstd-package"] });

        TreeAssert.Holds(target, ExpectedFor("tar-package").Concat(ExpectedFor("zstd-package")).ToDictionary());
    }

    [Fact]
    public async Task RangesMode_UnknownPackage_RefusedNamingItAndWritingNothing()
    {
        var target = _published.NewTarget("unknown");
        var error = await Assert.ThrowsAsync<BundleException>(() => PackageLoader.LoadAsync(_published.Folder, target, new PackageLoadOptions { Mode = LoadMode.Ranges, Packages = ["no-such-package"] }));

        Assert.Contains("'no-such-package'", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target));
        LoadAssert.NothingBesideTarget(target);
    }

    [Fact]
    public async Task RangesMode_ServerWithoutRange_FallsBackToOneBundleFetchWithAWarning()
    {
        await using var server = await PublishServers.WithoutRangeAsync(_published.Folder);
        var target = _published.NewTarget("fallback");

        var report = await PackageLoader.LoadAsync(server.BaseUri.ToString(), target, new PackageLoadOptions { Mode = LoadMode.Ranges });

        TreeAssert.Holds(target, _published.ExpectedTree);
        Assert.Equal(LoadMode.Bundle, report.Mode);
        Assert.Contains(report.Warnings, w => w.Contains("without Range support", StringComparison.Ordinal));
        Assert.Equal(("/index.json", 404), (server.Requests[0].Path, server.Requests[0].StatusCode));
        var request = Assert.Single(server.Requests.Skip(1));
        Assert.Equal((200, new FileInfo(_published.BundlePath).Length), (request.StatusCode, request.ResponseBytes));
        Assert.Equal(request.ResponseBytes, report.TransferredBytes);
    }
}
