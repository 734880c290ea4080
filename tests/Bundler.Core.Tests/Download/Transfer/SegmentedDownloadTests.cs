using Bundler.Core.Download;
using Bundler.Serving.Faults;
using Bundler.Testing.Download;

namespace Bundler.Core.Tests.Download.Transfer;

public sealed class SegmentedDownloadTests
{
    private const int Size = 6 * 1024 * 1024 + 12_345;

    [Fact]
    public async Task Download_LargeFileFromRangeServer_FetchesSegmentsInParallel()
    {
        await using var site = await DownloadSite.StartAsync("big.bin", Size);
        using var client = BundlerHttpClient.Create();

        var result = (await new DownloadEngine(client, site.Options with { Segments = 4 }).DownloadAsync([site.Request("big.bin")]))[0];

        Assert.Equal(site.Files["big.bin"], await File.ReadAllBytesAsync(result.Path));
        // The server logs a request when its response has ended, which may be just after the client has the bytes.
        await site.Server.WaitForRequestsAsync(_ => true, result.Requests);
        var ranged = site.Server.Requests.Where(r => r.Range is not null).ToList();
        // Three segments besides the first response; a segment that finishes early may take half of a slower one's rest.
        Assert.InRange(ranged.Count, 3, 3 + 8);
        Assert.All(ranged, r => Assert.Equal(206, r.StatusCode));
        Assert.Equal(1 + ranged.Count, result.Requests);
        // The first response serves the first segment only, so the bytes on the wire stay close to the file's size.
        Assert.InRange(result.BytesTransferred, Size, Size + (2 * 1024 * 1024));
    }

    [Fact]
    public async Task Download_LargeFileWithoutRangeSupport_UsesOneRequest()
    {
        await using var site = await DownloadSite.StartAsync("big.bin", Size, new FaultPlan(new Fault(FaultKind.NoRange, Times: int.MaxValue)));
        using var client = BundlerHttpClient.Create();

        var result = (await new DownloadEngine(client, site.Options).DownloadAsync([site.Request("big.bin")]))[0];

        Assert.Equal(site.Files["big.bin"], await File.ReadAllBytesAsync(result.Path));
        Assert.Single(site.Server.Requests);
        Assert.Null(site.Server.Requests[0].Range);
    }

    [Fact]
    public async Task Download_SegmentReset_ResumesThatSegment()
    {
        // The first request is segment 0 (a plain GET); the second, a Range request for another segment, breaks once.
        var reset = new Fault(FaultKind.ResetMidBody, "/big.bin", Times: 2) { AtByte = 500_000 };
        await using var site = await DownloadSite.StartAsync("big.bin", Size, new FaultPlan(reset));
        using var client = BundlerHttpClient.Create();

        var result = (await new DownloadEngine(client, site.Options with { Segments = 3 }).DownloadAsync([site.Request("big.bin")]))[0];

        Assert.Equal(site.Files["big.bin"], await File.ReadAllBytesAsync(result.Path));
        Assert.True(site.Server.Requests.Count >= 4, string.Join(", ", site.Server.Requests.Select(r => r.Range)));
        Assert.Empty(site.TemporaryFiles());
    }

    [Fact]
    public async Task Download_SegmentsRefusedAfterFirstResponse_StartsOverWithOneStream()
    {
        // The first GET advertises ranges; every later request gets the whole file.
        var plan = new FaultPlan(new Fault(FaultKind.NoRange, Times: int.MaxValue) { After = 1 });
        await using var site = await DownloadSite.StartAsync("big.bin", Size, plan);
        using var client = BundlerHttpClient.Create();

        var reports = new List<DownloadProgress>();
        var result = (await new DownloadEngine(client, site.Options).DownloadAsync([site.Request("big.bin")], new InlineProgress(reports.Add)))[0];

        Assert.Equal(site.Files["big.bin"], await File.ReadAllBytesAsync(result.Path));
        Assert.Contains(site.Server.Requests, r => r.Range is null && r.StatusCode == 200 && r.ResponseBytes == Size);
        // The bytes of the abandoned segments are taken out of the progress again.
        Assert.Equal(Size, reports[^1].BytesDone);
        Assert.Empty(site.TemporaryFiles());
    }
}
