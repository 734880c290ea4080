using System.Diagnostics;
using Bundler.Core.Download;
using Bundler.Loader.Http;
using Bundler.Serving.Faults;
using Bundler.Testing.Download;

namespace Bundler.Core.Tests.Download.Transfer;

/// <summary>
/// A body that drips (a byte every 100 ms after 400 KB) restarts the stall timer on every byte; the minimum rate
/// fails it like a stall, and the retry resumes from the byte received.
/// </summary>
public sealed class MinimumRateTests
{
    private static readonly MinimumTransferRate Floor = new(1000, TimeSpan.FromSeconds(1));

    [Fact]
    public async Task Download_BodyDripsUnderTheMinimumRate_IsResumedFromTheByteReceived()
    {
        await using var site = await DownloadSite.StartAsync("a.bin", 1_000_000, new FaultPlan(new Fault(FaultKind.DripBody) { AtByte = 400_000 }));
        using var client = BundlerHttpClient.Create();
        var stopwatch = Stopwatch.StartNew();

        var result = (await new DownloadEngine(client, site.Options with { Segments = 1, MinimumRate = Floor }).DownloadAsync([site.Request("a.bin")]))[0];

        // The stall timeout is 10 s: the minimum rate, not the stall timer, ended the dripping body.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(8), $"took {stopwatch.Elapsed}");
        Assert.Equal(site.Files["a.bin"], await File.ReadAllBytesAsync(result.Path));
        await site.Server.WaitForRequestsAsync(_ => true, count: 2);
        var requests = site.Server.Requests;
        Assert.Equal(2, requests.Count);
        var resume = System.Text.RegularExpressions.Regex.Match(requests.Single(r => r.Range is not null).Range!, "^bytes=([0-9]+)-");
        Assert.InRange(long.Parse(resume.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 400_000, 400_100);
        Assert.Equal([("/a.bin", FaultKind.DripBody)], site.Faults.Injected);
    }

    [Fact]
    public async Task Download_BodyDripsWithoutRetries_FailsNamingTheRate()
    {
        await using var site = await DownloadSite.StartAsync("a.bin", 1_000_000, new FaultPlan(new Fault(FaultKind.DripBody) { AtByte = 400_000 }));
        using var client = BundlerHttpClient.Create();

        var failure = await Assert.ThrowsAsync<DownloadException>(() =>
            new DownloadEngine(client, site.Options with { Segments = 1, MinimumRate = Floor, MaxRetries = 0 }).DownloadAsync([site.Request("a.bin")]));

        Assert.Contains("too slow", failure.Message, StringComparison.Ordinal);
        Assert.Contains("1000 bytes/s over 1 s", failure.Message, StringComparison.Ordinal);
        Assert.Empty(site.TemporaryFiles());
    }

    [Fact]
    public void Meter_PausesBetweenReads_AreNotCountedAsSlowNetwork()
    {
        var clock = new ManualClock();
        var meter = new TransferRateMeter(Floor, clock);

        for (var i = 0; i < 20; i++)
        {
            meter.Reading();
            clock.Advance(TimeSpan.FromMilliseconds(100));
            Assert.Null(meter.Arrived(200));
            // The reader takes its time with the bytes; the network is not waited on meanwhile.
            clock.Advance(TimeSpan.FromSeconds(5));
        }

        meter.Reading();
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.NotNull(meter.Arrived(10));
    }
}
