using Bundler.Loader.Format;
using Bundler.Loader.Loading;
using Bundler.Loader.Unpacking;
using Bundler.Testing;
using Bundler.Testing.Http;
using Bundler.Testing.Loading;

namespace Bundler.Loader.Tests.Loading;

/// <summary>The three load modes, over a real loopback server and from a local folder, against the same publish folder.</summary>
public sealed class LoadModeTests : IAsyncLifetime
{
    private PublishedPackages _published = null!;

    public async Task InitializeAsync() => _published = await PublishedPackages.CreateAsync();

    public Task DisposeAsync()
    {
        _published.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task AllModes_OverHttp_GiveTheTreeUnpackGives()
    {
        await using var server = await LoopbackServer.ServeDirectoryAsync(_published.Folder);
        var unpacked = _published.NewTarget("unpack");
        await using (var bundle = File.OpenRead(_published.BundlePath))
        {
            await BundleReader.UnpackAsync(bundle, unpacked);
        }

        foreach (var mode in Enum.GetValues<LoadMode>())
        {
            var target = _published.NewTarget(mode.ToString());
            var report = await PackageLoader.LoadAsync(server.BaseUri.ToString(), target, new PackageLoadOptions { Mode = mode });

            Assert.Equal(mode, report.Mode);
            TreeAssert.Holds(target, _published.ExpectedTree);
            LoadAssert.SameTree(unpacked, target);
            LoadAssert.NothingBesideTarget(target);
            Assert.Equal(_published.Manifest.Packages.Count, report.Packages);
            Assert.Equal(_published.ExpectedTree.Count, report.Files);
            Assert.Empty(report.Warnings);
        }
    }

    [Fact]
    public async Task AllModes_FromALocalFolder_GiveTheSameTree()
    {
        foreach (var mode in Enum.GetValues<LoadMode>())
        {
            var target = _published.NewTarget("local-" + mode);
            await PackageLoader.LoadAsync(_published.Folder, target, new PackageLoadOptions { Mode = mode });
            TreeAssert.Holds(target, _published.ExpectedTree);
        }
    }

    [Fact]
    public async Task BundleMode_SendsOneGet_AndReportsWhatCrossedTheWire()
    {
        await using var server = await LoopbackServer.ServeDirectoryAsync(_published.Folder);

        var report = await PackageLoader.LoadAsync(server.Url("packages.tar.zst").ToString(), _published.NewTarget("one-get"));

        var request = Assert.Single(server.Requests);
        Assert.Equal(("/packages.tar.zst", null, 200), (request.Path, request.Range, request.StatusCode));
        Assert.Equal(new FileInfo(_published.BundlePath).Length, report.TransferredBytes);
        Assert.Equal(request.ResponseBytes, report.TransferredBytes);
        Assert.Equal((1, 1, 0), (report.Requests, report.Connections, report.Retries));
        Assert.DoesNotContain("retr", report.ToSummary(), StringComparison.Ordinal);
        Assert.True(report.Wall >= report.Transfer && report.Transfer > TimeSpan.Zero && report.TimeToFirstByte > TimeSpan.Zero);
        Assert.True(report.PeakMemory > 0);
    }

    [Fact]
    public async Task FilesMode_FetchesTheManifestAndEveryArchiveOnce_NeverTheBundle()
    {
        await using var server = await LoopbackServer.ServeDirectoryAsync(_published.Folder);

        var report = await PackageLoader.LoadAsync(server.BaseUri.ToString(), _published.NewTarget("files"), new PackageLoadOptions { Mode = LoadMode.Files });

        var expected = _published.Manifest.Packages.Select(p => "/files/" + p.Archive.Name).Append("/index.json").Append("/manifest.json").Order(StringComparer.Ordinal);
        Assert.Equal(expected, server.Requests.Select(r => Uri.UnescapeDataString(r.Path)).Order(StringComparer.Ordinal));
        Assert.All(server.Requests, r => Assert.Equal(r.Path == "/index.json" ? 404 : 200, r.StatusCode));
        Assert.Equal(server.Requests.Sum(r => r.ResponseBytes), report.TransferredBytes);
        Assert.Equal(server.Requests.Count, report.Requests);
        // The handler may open a connection that a request then does not need, so the client can count more than the server served on.
        Assert.InRange(report.Connections!.Value, server.Requests.Select(r => r.ConnectionId).Distinct().Count(), report.Requests);
    }

    [Fact]
    public async Task RangesMode_MaxRangeRequestSize_SendsSingleRangesWithinItCoveringEachFrameOnce()
    {
        await using var server = await LoopbackServer.ServeDirectoryAsync(_published.Folder);
        const long maxRequest = 100_000;

        var report = await PackageLoader.LoadAsync(server.BaseUri.ToString(), _published.NewTarget("ranges"), new PackageLoadOptions { Mode = LoadMode.Ranges, MaxRangeRequestSize = maxRequest, MaxConcurrentRequests = 4 });

        Assert.Equal(404, server.Requests[0].StatusCode);
        var bundleRequests = server.Requests.Skip(1).ToList();
        var ranges = bundleRequests.Select(r => ParseRange(r.Range)).OrderBy(r => r.First).ToList();
        Assert.All(bundleRequests, r => Assert.Equal((206, "/packages.tar.zst"), (r.StatusCode, r.Path)));
        Assert.True(ranges.Count > 3, $"only {ranges.Count} requests");
        Assert.All(ranges.Skip(1), r => Assert.True(r.Last - r.First + 1 <= maxRequest));
        Assert.All(ranges.Skip(1).Zip(ranges.Skip(2)), pair => Assert.True(pair.First.Last < pair.Second.First, "overlapping ranges"));
        Assert.Equal(new FileInfo(_published.BundlePath).Length - 1, ranges[^1].Last);
        Assert.Equal(server.Requests.Sum(r => r.ResponseBytes), report.TransferredBytes);
    }

    internal static (long First, long Last) ParseRange(string? header)
    {
        Assert.NotNull(header);
        Assert.StartsWith("bytes=", header, StringComparison.Ordinal);
        Assert.DoesNotContain(",", header, StringComparison.Ordinal);
        var parts = header["bytes=".Length..].Split('-');
        return (long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
