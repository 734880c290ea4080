using Microsoft.AspNetCore.Builder;
using Bundler.Core.Download;
using Bundler.Serving.Faults;
using Bundler.Serving.Network;
using Bundler.Testing;
using Bundler.Testing.Download;
using Bundler.Testing.Http;

namespace Bundler.Core.Tests.Download.Transfer;

/// <summary>
/// A slot that frees at the tail of a run, with nothing left to start, takes the unread back part of a file still being
/// fetched. The server here sends whole-file responses slowly (a per-connection cap) and ranges at full speed, so the
/// large file is still arriving when the small ones are done.
/// </summary>
public sealed class TailSplitTests : IDisposable
{
    private const int LargeSize = 3 * 1024 * 1024 + 4321;
    private const long SlowBytesPerSecond = 2_000_000;
    private const long CrawlBytesPerSecond = 500_000;
    private readonly TempDirectory _temp = new();
    private readonly Dictionary<string, byte[]> _files = [];
    private readonly Random _random = new(7);
    private readonly System.Collections.Concurrent.ConcurrentBag<string> _rangesAsked = [];
    private readonly TaskCompletionSource _rangeRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TailSplitTests()
    {
        Directory.CreateDirectory(_temp["site"]);
        foreach (var (name, size) in new[] { ("large.bin", LargeSize), ("s1.bin", 60_000), ("s2.bin", 60_000), ("s3.bin", 60_000) })
        {
            AddFile(name, size);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Download_SlotIdleAtTheTail_FetchesTheRestOfALargeFileInPieces(bool withHash)
    {
        await using var server = await StartAsync(new FaultPlan(), wholeBytesPerSecond: CrawlBytesPerSecond);
        using var client = BundlerHttpClient.Create();

        var results = await new DownloadEngine(client, Options(segments: 4)).DownloadAsync(Requests(server, withHash));

        var large = results.Single(r => r.Request.Url.AbsolutePath == "/large.bin");
        Assert.Equal(_files["large.bin"], await File.ReadAllBytesAsync(large.Path));
        Assert.Equal(DownloadSite.Sri(_files["large.bin"]), large.Integrity);
        // The server logs a request when its response has ended, which may be just after the client has the bytes.
        await server.WaitForRequestsAsync(r => r.Path == "/large.bin", large.Requests);
        var ranged = server.Requests.Where(r => r.Path == "/large.bin" && r.Range is not null).ToList();
        Assert.NotEmpty(ranged);
        Assert.All(ranged, r => Assert.Equal(206, r.StatusCode));
        Assert.Equal(1 + ranged.Count, large.Requests);
        // The whole-file response was abandoned where the splits put its end: no byte came twice. It crawls next to the
        // ranges, so the splits left it only a small part of the file (the server counts what it wrote, which includes
        // what the sockets buffered).
        var whole = server.Requests.Single(r => r.Path == "/large.bin" && r.Range is null);
        Assert.InRange(whole.ResponseBytes, 1, LargeSize / 4);
        Assert.Equal(LargeSize, large.BytesTransferred);
    }

    [Fact]
    public async Task Download_OneSegmentPerFile_NeverSplits()
    {
        await using var server = await StartAsync(new FaultPlan());
        using var client = BundlerHttpClient.Create();

        var results = await new DownloadEngine(client, Options(segments: 1)).DownloadAsync(Requests(server, withHash: true));

        Assert.Equal(_files["large.bin"], await File.ReadAllBytesAsync(results.Single(r => r.Request.Url.AbsolutePath == "/large.bin").Path));
        Assert.DoesNotContain(server.Requests, r => r.Range is not null);
    }

    [Fact]
    public async Task Download_SplitOffPieceGetsTheWholeFile_StartsOverWithOneStream()
    {
        // The first response advertises ranges; every later request is answered with the whole file, at full speed.
        var plan = new FaultPlan(new Fault(FaultKind.NoRange, "/large.bin", Times: int.MaxValue) { After = 1 });
        await using var server = await StartAsync(plan);
        using var client = BundlerHttpClient.Create();

        var results = await new DownloadEngine(client, Options(segments: 4)).DownloadAsync(Requests(server, withHash: true));

        var large = results.Single(r => r.Request.Url.AbsolutePath == "/large.bin");
        Assert.Equal(_files["large.bin"], await File.ReadAllBytesAsync(large.Path));
        Assert.True(plan.InjectedCount("/large.bin") >= 1, "no split was attempted");
        Assert.Empty(Directory.GetFiles(Path.Combine(_temp["cache"], "tmp")));
    }

    [Fact]
    public async Task Download_HostRefusedASplit_SplitsNoOtherFileFromIt()
    {
        // Two large files arrive slowly, a smaller one beside them; the small ones go first on the fourth slot. The
        // first split (of a large file) is refused and that file starts over; when the smaller one ends, its slot
        // would split the other large file, but the host has refused ranges once in this run.
        var plan = new FaultPlan(new Fault(FaultKind.NoRange, Times: int.MaxValue) { After = 1 });
        AddFile("large2.bin", LargeSize);
        AddFile("medium.bin", 1024 * 1024);
        await using var server = await StartAsync(plan);
        using var client = BundlerHttpClient.Create();
        var requests = new[] { "large.bin", "large2.bin", "medium.bin", "s1.bin", "s2.bin", "s3.bin" }
            .Select(n => new DownloadRequest(server.Url(n), DownloadSite.Sri(_files[n]))).ToList();

        var results = await new DownloadEngine(client, Options(segments: 4) with { Concurrency = 4 }).DownloadAsync(requests);

        Assert.All(results, r => Assert.Equal(_files[r.Request.Url.Segments[^1]], File.ReadAllBytes(r.Path)));
        // Counted as asked: the fault takes the Range header off before the server's log sees it.
        Assert.Single(_rangesAsked);
        Assert.Equal(1, results.Single(r => r.Request.Url.AbsolutePath == "/medium.bin").Requests);
    }

    [Fact]
    public async Task Download_CancelledWhileSplit_LeavesNoPartialFile()
    {
        await using var server = await StartAsync(new FaultPlan(), rangeBytesPerSecond: 200_000);
        using var client = BundlerHttpClient.Create();
        using var cancel = new CancellationTokenSource();
        var engine = new DownloadEngine(client, Options(segments: 4));

        var download = engine.DownloadAsync(Requests(server, withHash: true), cancellationToken: cancel.Token);
        await _rangeRequested.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(100);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => download);
        Assert.Empty(Directory.GetFiles(Path.Combine(_temp["cache"], "tmp")));
        Assert.DoesNotContain(Directory.Exists(Path.Combine(_temp["cache"], "content")) ? Directory.GetFiles(Path.Combine(_temp["cache"], "content"), "*", SearchOption.AllDirectories) : [],
            f => new FileInfo(f).Length == LargeSize);
    }

    public void Dispose() => _temp.Dispose();

    private void AddFile(string name, int size)
    {
        var bytes = new byte[size];
        _random.NextBytes(bytes);
        _files[name] = bytes;
        File.WriteAllBytes(Path.Combine(_temp["site"], name), bytes);
    }

    // The large file first, so it is under way when the small ones are fetched one after another on the second slot.
    private List<DownloadRequest> Requests(LoopbackServer server, bool withHash) =>
        [.. new[] { "large.bin", "s1.bin", "s2.bin", "s3.bin" }.Select(n => new DownloadRequest(server.Url(n), withHash ? DownloadSite.Sri(_files[n]) : null))];

    private DownloadOptions Options(int segments) => new()
    {
        CacheDirectory = _temp["cache"],
        Concurrency = 2,
        Segments = segments,
        SegmentThreshold = 64 * 1024 * 1024,
        RetryDelay = TimeSpan.FromMilliseconds(10),
        StallTimeout = TimeSpan.FromSeconds(10),
    };

    private Task<LoopbackServer> StartAsync(FaultPlan plan, long? rangeBytesPerSecond = null, long wholeBytesPerSecond = SlowBytesPerSecond) =>
        LoopbackServer.StartAsync(app =>
        {
            app.Use(async (context, next) =>
            {
                var ranged = context.Request.Headers.Range.Count > 0;
                if (ranged)
                {
                    _rangesAsked.Add(context.Request.Path.Value!);
                    _rangeRequested.TrySetResult();
                }

                var rate = ranged ? rangeBytesPerSecond : wholeBytesPerSecond;
                if (rate is { } bytesPerSecond)
                {
                    context.Response.Body = new ThrottledResponseStream(context.Response.Body, new BandwidthPacer(bytesPerSecond), link: null);
                }

                await next(context);
            });
            app.UseFaults(plan);
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(_temp["site"]),
                ServeUnknownFileTypes = true,
            });
        });
}
