using System.Diagnostics;
using Bundler.Core.Download;
using Bundler.Serving.Faults;
using Bundler.Testing.Download;

namespace Bundler.Core.Tests.Download;

public sealed class DownloadEngineTests
{
    private static readonly Dictionary<string, int> ThreeFiles = new() { ["a.bin"] = 300_000, ["b.bin"] = 70_000, ["c.bin"] = 1 };

    [Fact]
    public async Task Download_ValidSet_CachesVerifiedBytesInRequestOrder()
    {
        await using var site = await DownloadSite.StartAsync(ThreeFiles);
        using var client = BundlerHttpClient.Create();
        var requests = site.RequestAll();

        var results = await new DownloadEngine(client, site.Options).DownloadAsync(requests);

        Assert.Equal(requests, results.Select(r => r.Request));
        foreach (var result in results)
        {
            var name = DownloadSite.NameOf(result.Request);
            Assert.Equal(site.Files[name], await File.ReadAllBytesAsync(result.Path));
            Assert.Equal(DownloadSite.Sri(site.Files[name]), result.Integrity);
            Assert.StartsWith(site.Cache, result.Path, StringComparison.Ordinal);
            Assert.False(result.FromCache);
            Assert.Equal(1, result.Requests);
        }

        Assert.Empty(site.TemporaryFiles());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Download_SecondRun_SendsNoRequests(bool withHash)
    {
        await using var site = await DownloadSite.StartAsync(ThreeFiles);
        using var client = BundlerHttpClient.Create();
        await new DownloadEngine(client, site.Options).DownloadAsync(site.RequestAll(withHash));
        site.Server.ClearLog();

        var again = await new DownloadEngine(client, site.Options).DownloadAsync(site.RequestAll(withHash));

        Assert.Empty(site.Server.Requests);
        Assert.All(again, r => Assert.True(r.FromCache));
        Assert.All(again, r => Assert.Equal(site.Files[DownloadSite.NameOf(r.Request)], File.ReadAllBytes(r.Path)));
    }

    [Theory]
    [InlineData(nameof(FaultKind.ServerError))]
    [InlineData(nameof(FaultKind.TooManyRequests))]
    [InlineData(nameof(FaultKind.ResetMidBody))]
    [InlineData(nameof(FaultKind.TruncatedBody))]
    [InlineData(nameof(FaultKind.StallBody))]
    [InlineData(nameof(FaultKind.WrongBytes))]
    public async Task Download_OneFaultPerFile_FinishesWithCorrectBytes(string kindName)
    {
        var kind = Enum.Parse<FaultKind>(kindName);
        var fault = new Fault(kind) { RetryAfter = TimeSpan.FromMilliseconds(100) };
        await using var site = await DownloadSite.StartAsync(ThreeFiles, new FaultPlan(fault));
        using var client = BundlerHttpClient.Create();

        var results = await new DownloadEngine(client, OptionsFor(site, kind)).DownloadAsync(site.RequestAll());

        Assert.All(results, r => Assert.Equal(site.Files[DownloadSite.NameOf(r.Request)], File.ReadAllBytes(r.Path)));
        Assert.Equal(3, site.Faults.InjectedCount(kind));
        foreach (var name in site.Files.Keys)
        {
            await site.Server.WaitForRequestsAsync(r => r.Path == "/" + name, 2);
            Assert.Equal(2, site.Server.CountPath("/" + name));
        }

        Assert.Empty(site.TemporaryFiles());
    }

    [Theory]
    [InlineData(nameof(FaultKind.ResetMidBody))]
    [InlineData(nameof(FaultKind.TruncatedBody))]
    [InlineData(nameof(FaultKind.StallBody))]
    public async Task Download_BrokenBody_ResumesWithRangeFromByteReceived(string kindName)
    {
        var kind = Enum.Parse<FaultKind>(kindName);
        await using var site = await DownloadSite.StartAsync("a.bin", 1_000_000, new FaultPlan(new Fault(kind) { AtByte = 400_000 }));
        using var client = BundlerHttpClient.Create();

        var result = (await new DownloadEngine(client, OptionsFor(site, kind)).DownloadAsync([site.Request("a.bin")]))[0];

        Assert.Equal(site.Files["a.bin"], await File.ReadAllBytesAsync(result.Path));
        var requests = site.Server.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Null(requests[0].Range);
        Assert.Equal(400_000, requests[0].ResponseBytes);
        // An aborted connection may lose bytes the server had already written; the client resumes from what it received.
        var resume = System.Text.RegularExpressions.Regex.Match(requests[1].Range!, "^bytes=([0-9]+)-(999999)?$");
        Assert.True(resume.Success, requests[1].Range);
        var resumedAt = long.Parse(resume.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(resumedAt, 1, 400_000);
        Assert.Equal(206, requests[1].StatusCode);
        Assert.Equal(1_000_000 - resumedAt, requests[1].ResponseBytes);
        Assert.Equal(1_000_000, result.BytesTransferred);
    }

    [Fact]
    public async Task Download_ResetOnServerWithoutRanges_StartsOverAndFinishes()
    {
        var plan = new FaultPlan(new Fault(FaultKind.ResetMidBody), new Fault(FaultKind.NoRange, Times: int.MaxValue));
        await using var site = await DownloadSite.StartAsync("a.bin", 500_000, plan);
        using var client = BundlerHttpClient.Create();

        var result = (await new DownloadEngine(client, site.Options).DownloadAsync([site.Request("a.bin")]))[0];

        Assert.Equal(site.Files["a.bin"], await File.ReadAllBytesAsync(result.Path));
        Assert.Equal(2, site.Server.Requests.Count);
        Assert.Equal(200, site.Server.Requests[1].StatusCode);
        Assert.Equal(500_000, site.Server.Requests[1].ResponseBytes);
    }

    [Fact]
    public async Task Download_PersistentServerError_FailsNamingUrlAfterRetries()
    {
        await using var site = await DownloadSite.StartAsync("a.bin", 1000, new FaultPlan(new Fault(FaultKind.ServerError, Times: int.MaxValue)));
        using var client = BundlerHttpClient.Create();
        var options = site.Options with { MaxRetries = 3 };

        var error = await Assert.ThrowsAsync<DownloadException>(() => new DownloadEngine(client, options).DownloadAsync([site.Request("a.bin")]));

        Assert.Contains(site.Server.Url("a.bin").ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("500", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, site.Server.CountPath("/a.bin"));
        Assert.Empty(site.CachedContent());
        Assert.Empty(site.TemporaryFiles());
    }

    [Fact]
    public async Task Download_NotFound_FailsAtOnceNamingUrl()
    {
        await using var site = await DownloadSite.StartAsync("a.bin", 1000);
        using var client = BundlerHttpClient.Create();
        var missing = new DownloadRequest(site.Server.Url("missing.bin"));

        var error = await Assert.ThrowsAsync<DownloadException>(() => new DownloadEngine(client, site.Options).DownloadAsync([missing]));

        Assert.Contains(missing.Url.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("404", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, site.Server.CountPath("/missing.bin"));
    }

    [Fact]
    public async Task Download_WrongBytesEveryTime_RetriesOnceThenFailsNamingUrl()
    {
        await using var site = await DownloadSite.StartAsync("a.bin", 10_000, new FaultPlan(new Fault(FaultKind.WrongBytes, Times: int.MaxValue)));
        using var client = BundlerHttpClient.Create();

        var error = await Assert.ThrowsAsync<DownloadException>(() => new DownloadEngine(client, site.Options).DownloadAsync([site.Request("a.bin")]));

        Assert.Contains(site.Server.Url("a.bin").ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("wrong content twice", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, site.Server.CountPath("/a.bin"));
        Assert.Empty(site.CachedContent());
        Assert.Empty(site.TemporaryFiles());
    }

    [Fact]
    public async Task Download_TooManyRequests_WaitsForRetryAfter()
    {
        await using var site = await DownloadSite.StartAsync("a.bin", 1000, new FaultPlan(new Fault(FaultKind.TooManyRequests) { RetryAfter = TimeSpan.FromSeconds(1) }));
        using var client = BundlerHttpClient.Create();
        var stopwatch = Stopwatch.StartNew();

        await new DownloadEngine(client, site.Options).DownloadAsync([site.Request("a.bin")]);

        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(950), $"retried after {stopwatch.Elapsed}");
        // Requests are logged when their response completes, which under heavy load need not be in arrival order.
        Assert.Equal([200, 429], site.Server.Requests.Select(r => r.StatusCode).Order());
    }

    [Fact]
    public async Task Download_Cancelled_LeavesNoPartialFiles()
    {
        var stall = new Fault(FaultKind.StallBody, Times: int.MaxValue) { AtByte = 100_000, StallFor = TimeSpan.FromSeconds(30) };
        await using var site = await DownloadSite.StartAsync(ThreeFiles, new FaultPlan(stall));
        using var client = BundlerHttpClient.Create();
        var options = site.Options with { StallTimeout = TimeSpan.FromSeconds(30) };
        using var cancellation = new CancellationTokenSource();
        var reachedStall = new TaskCompletionSource();
        var progress = new InlineProgress(p =>
        {
            // b.bin and c.bin end before the stall point; a.bin stalls after 100,000 bytes.
            if (p.FilesDone == 2 && p.BytesDone >= 170_001)
            {
                reachedStall.TrySetResult();
            }
        });

        var run = new DownloadEngine(client, options with { ProgressInterval = TimeSpan.FromMilliseconds(20) }).DownloadAsync(site.RequestAll(), progress, cancellation.Token);
        await reachedStall.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.NotEmpty(site.TemporaryFiles());
        var stopwatch = Stopwatch.StartNew();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"stopped after {stopwatch.Elapsed}");
        Assert.Empty(site.TemporaryFiles());
        Assert.Equal(2, site.CachedContent().Length);
    }

    [Fact]
    public async Task Download_SomeFail_KeepsFinishedAndNextRunFetchesOnlyTheRest()
    {
        await using var site = await DownloadSite.StartAsync(ThreeFiles, new FaultPlan(new Fault(FaultKind.ServerError, "/b.bin", Times: 2)));
        using var client = BundlerHttpClient.Create();
        var options = site.Options with { MaxRetries = 1 };

        var error = await Assert.ThrowsAsync<DownloadException>(() => new DownloadEngine(client, options).DownloadAsync(site.RequestAll()));
        Assert.Contains(site.Server.Url("b.bin").ToString(), error.Message, StringComparison.Ordinal);
        Assert.Equal(2, site.CachedContent().Length);
        site.Server.ClearLog();

        var results = await new DownloadEngine(client, options).DownloadAsync(site.RequestAll());

        // The server logs a request when its response has ended, which may be just after the client has the bytes.
        await site.Server.WaitForRequestsAsync(_ => true);
        Assert.Equal(["/b.bin"], site.Server.Requests.Select(r => r.Path));
        Assert.All(results, r => Assert.Equal(site.Files[DownloadSite.NameOf(r.Request)], File.ReadAllBytes(r.Path)));
    }

    [Fact]
    public async Task Download_TwoConcurrentRunsIntoOneCache_BothSucceed()
    {
        var sizes = Enumerable.Range(0, 12).ToDictionary(i => $"f{i}.bin", i => 50_000 + (i * 10_000));
        await using var site = await DownloadSite.StartAsync(sizes);
        using var client = BundlerHttpClient.Create();

        var runs = await Task.WhenAll(
            new DownloadEngine(client, site.Options).DownloadAsync(site.RequestAll(withHash: false)),
            new DownloadEngine(client, site.Options).DownloadAsync(site.RequestAll(withHash: false)));

        Assert.Equal(runs[0].Select(r => r.Path), runs[1].Select(r => r.Path));
        Assert.All(runs.SelectMany(r => r), r => Assert.Equal(site.Files[DownloadSite.NameOf(r.Request)], File.ReadAllBytes(r.Path)));
        Assert.Equal(12, site.CachedContent().Length);
        Assert.Empty(site.TemporaryFiles());
    }

    [Fact]
    public async Task Download_DuplicateRequests_FetchedOnce()
    {
        await using var site = await DownloadSite.StartAsync("a.bin", 1000);
        using var client = BundlerHttpClient.Create();

        DownloadRequest[] requests = [site.Request("a.bin"), site.Request("a.bin") with { Size = null }];

        var results = await new DownloadEngine(client, site.Options).DownloadAsync(requests);
        // The server records a request when its response has ended, which can be just after the client has the bytes.
        await site.Server.WaitForRequestsAsync(r => r.Path == "/a.bin");

        Assert.Equal(1, site.Server.CountPath("/a.bin"));
        Assert.Equal(results[0].Path, results[1].Path);
        Assert.Same(requests[1], results[1].Request);
    }

    [Fact]
    public async Task Download_MalformedIntegrity_FailsNamingUrl()
    {
        await using var site = await DownloadSite.StartAsync("a.bin", 1000);
        using var client = BundlerHttpClient.Create();

        var error = await Assert.ThrowsAsync<DownloadException>(() => new DownloadEngine(client, site.Options).DownloadAsync([site.Request("a.bin") with { Integrity = "md5-abc" }]));

        Assert.Contains(site.Server.Url("a.bin").ToString(), error.Message, StringComparison.Ordinal);
        Assert.Empty(site.Server.Requests);
    }

    [Fact]
    public async Task Download_WrongExpectedSize_FailsNamingUrl()
    {
        await using var site = await DownloadSite.StartAsync("a.bin", 1000);
        using var client = BundlerHttpClient.Create();

        var error = await Assert.ThrowsAsync<DownloadException>(() => new DownloadEngine(client, site.Options).DownloadAsync([site.Request("a.bin", withHash: false) with { Size = 999 }]));

        Assert.Contains(site.Server.Url("a.bin").ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("not the expected 999", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_WithProgress_ReportsCompletionOnceWithTheTotals()
    {
        await using var site = await DownloadSite.StartAsync(ThreeFiles);
        using var client = BundlerHttpClient.Create();
        var reports = new List<DownloadProgress>();

        await new DownloadEngine(client, site.Options).DownloadAsync(site.RequestAll(withHash: false), new InlineProgress(reports.Add));

        var last = reports[^1];
        Assert.True(last.Completed);
        Assert.Single(reports, r => r.Completed);
        Assert.Equal(3, last.FilesDone);
        Assert.Equal(3, last.FilesTotal);
        Assert.Equal(370_001, last.BytesDone);
        Assert.Equal(370_001, last.BytesTotal);
    }

    private static DownloadOptions OptionsFor(DownloadSite site, FaultKind kind) =>
        kind == FaultKind.StallBody ? site.Options with { StallTimeout = TimeSpan.FromSeconds(1) } : site.Options;
}
