using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Bundler.Core.Download;
using Bundler.Core.Pipeline;
using Bundler.Core.Writing;
using Bundler.Loader;
using Bundler.Serving;
using Bundler.Testing;
using Bundler.Testing.Download;
using Bundler.Testing.Hostile;
using Bundler.Testing.Http;

namespace Bundler.Core.Tests.Pipeline;

/// <summary>
/// <c>pack bundle.json</c> writes each package as its download is verified, against a real server whose archives
/// arrive late, fail once or are hostile: the bundle is the one a pack from the warm cache writes, and a failure
/// stops the pack at once, leaving the previous output, the cache's verified archives and no temporary file.
/// </summary>
public sealed class PipelinedPackTests : IAsyncDisposable
{
    private static readonly TimeSpan SlowArchiveDelay = TimeSpan.FromSeconds(1.5);

    private readonly TempDirectory _temp = new();
    private readonly ConcurrentDictionary<string, int> _served = new();
    private LoopbackServer? _web;

    public PipelinedPackTests()
    {
        Directory.CreateDirectory(_temp["web"]);
        Directory.CreateDirectory(_temp["out"]);
        File.WriteAllText(_temp["out/bundle.tar.zst"], "previous output");
    }

    public async ValueTask DisposeAsync()
    {
        if (_web is not null)
        {
            await _web.DisposeAsync();
        }

        _temp.Dispose();
    }

    [Fact]
    public async Task PackAsync_SlowFirstArchiveAndOneFailingOnce_WritesTheBundleOfTheWarmCache()
    {
        string[] ids = ["a-slow", "b", "c-flaky", "d", "e"];
        foreach (var (id, seed) in ids.Select((id, i) => (id, i + 1)))
        {
            TestArchives.TarGz(_temp[$"web/{id}.tgz"], ArchiveContent.Sample(id, seed, blobSize: 60_000));
        }

        var bundleJson = await ServeAndDescribeAsync(ids);
        var arrived = new List<string>();
        var reports = new ConcurrentQueue<PackProgress>();

        var cold = await PackageSetPacker.PackAsync(bundleJson, Options() with { PackProgress = new InlineProgress<PackProgress>(reports.Enqueue) }, (arrivals, written, ct) =>
            BundleWriter.WriteAsync(RecordAsync(arrivals, arrived, ct), _temp["out/bundle.tar.zst"], new BundleWriterOptions { MaxFrameSize = 64 * 1024 }, written, ct), CancellationToken.None);
        var requestsCold = _web!.Requests.Count;
        var warmInputs = await PackageSetPacker.PrepareAsync(bundleJson, Options(), CancellationToken.None);
        await BundleWriter.WriteAsync(warmInputs, _temp["warm.tar.zst"], new BundleWriterOptions { MaxFrameSize = 64 * 1024 });

        // The first package of the bundle came last, and the flaky one was fetched again after its 500.
        Assert.Equal("a-slow", arrived[^1]);
        Assert.Equal(2, _web.CountPath("/c-flaky.tgz"));
        // One stream of progress: packages were written while the slow download ran, and the last report is the end.
        Assert.Contains(reports, r => r.PackagesWritten > 0 && r.Download is { Completed: false });
        Assert.Equal((true, ids.Length, ids.Length, 1.0), (reports.Last().Completed, reports.Last().PackagesWritten, reports.Last().PackagesTotal, reports.Last().Fraction));
        Assert.Equal(requestsCold, _web.Requests.Count);
        Assert.Equal(ids, cold.Manifest.Packages.Select(p => p.Id));
        Assert.Equal(await File.ReadAllBytesAsync(_temp["warm.tar.zst"]), await File.ReadAllBytesAsync(_temp["out/bundle.tar.zst"]));
        Assert.Equal(["bundle.tar.zst"], TreeAssert.Listing(_temp["out"]));
    }

    [Fact]
    public async Task PackAsync_HostileArchiveWhileADownloadIsStillRunning_FailsAtOnceNamingIt()
    {
        var hostile = HostileCorpus.Archives.First(a => a.Name == "zip-slip");
        await File.WriteAllBytesAsync(_temp["web/evil.zip"], hostile.Build());
        TestArchives.TarGz(_temp["web/z-stalled.tgz"], ArchiveContent.Sample("z", 1));
        var bundleJson = await ServeAndDescribeAsync(["evil", "z-stalled"], extension: id => id == "evil" ? ".zip" : ".tgz");

        var pack = PackageSetPacker.PackAsync(bundleJson, Options(), (arrivals, written, ct) =>
            BundleWriter.WriteAsync(arrivals, _temp["out/bundle.tar.zst"], options: null, written, ct), CancellationToken.None);
        var error = await Assert.ThrowsAsync<BundleException>(() => pack.WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Contains("evil 1.0.0", error.Message, StringComparison.Ordinal);
        Assert.Contains(hostile.Entry, error.Message, StringComparison.Ordinal);
        Assert.Equal("previous output", await File.ReadAllTextAsync(_temp["out/bundle.tar.zst"]));
        Assert.Equal(["bundle.tar.zst"], TreeAssert.Listing(_temp["out"]));
        // The hostile archive was verified (its bytes are what the server sends) and stays cached; the stalled one left no part file.
        Assert.Single(CacheFiles("content"));
        Assert.Empty(CacheFiles("tmp"));
    }

    [Fact]
    public async Task PackAsync_CancelledWhileDownloading_ThrowsAndLeavesNothingBehind()
    {
        TestArchives.TarGz(_temp["web/a.tgz"], ArchiveContent.Sample("a", 1));
        TestArchives.TarGz(_temp["web/z-stalled.tgz"], ArchiveContent.Sample("z", 2));
        var bundleJson = await ServeAndDescribeAsync(["a", "z-stalled"]);
        using var cancel = new CancellationTokenSource();

        var pack = PackageSetPacker.PackAsync(bundleJson, Options(), (arrivals, written, ct) =>
            BundleWriter.WriteAsync(CancelAfterFirstAsync(arrivals, cancel, ct), _temp["out/bundle.tar.zst"], options: null, written, ct), cancel.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pack.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal("previous output", await File.ReadAllTextAsync(_temp["out/bundle.tar.zst"]));
        Assert.Equal(["bundle.tar.zst"], TreeAssert.Listing(_temp["out"]));
        Assert.Empty(CacheFiles("tmp"));
    }

    /// <summary>
    /// Serves web/: <c>*-slow</c> archives after a delay, <c>*-stalled</c> ones only after a minute (unless the client
    /// leaves), and <c>*-flaky</c> ones with a 500 the first time.
    /// </summary>
    private async Task<string> ServeAndDescribeAsync(string[] ids, Func<string, string>? extension = null)
    {
        _web = await LoopbackServer.StartAsync(app =>
        {
            app.Use(async (context, next) =>
            {
                var path = context.Request.Path.Value ?? "";
                var times = _served.AddOrUpdate(path, 1, (_, n) => n + 1);
                if (path.Contains("-slow", StringComparison.Ordinal))
                {
                    await Task.Delay(SlowArchiveDelay, context.RequestAborted);
                }
                else if (path.Contains("-stalled", StringComparison.Ordinal))
                {
                    await Task.Delay(TimeSpan.FromMinutes(1), context.RequestAborted);
                }
                else if (path.Contains("-flaky", StringComparison.Ordinal) && times == 1)
                {
                    context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                    return;
                }

                await next(context);
            });
            app.UseStaticFolder(_temp["web"]);
        });
        var packages = ids.Select(id => $$"""{ "source": "web", "id": "{{id}}", "version": "1.0.0", "url": "{{_web.Url(id + (extension?.Invoke(id) ?? ".tgz")).AbsoluteUri}}" }""");
        await File.WriteAllTextAsync(_temp["bundle.json"], $$"""{ "sources": { "web": { "type": "urls" } }, "packages": [ {{string.Join(", ", packages)}} ] }""");
        return _temp["bundle.json"];
    }

    private PackageSetPackOptions Options() => new()
    {
        Download = new DownloadOptions { CacheDirectory = _temp["cache"], RetryDelay = TimeSpan.FromMilliseconds(10), MaxRetryDelay = TimeSpan.FromMilliseconds(50) },
    };

    private string[] CacheFiles(string folder) =>
        Directory.Exists(_temp["cache/" + folder]) ? Directory.GetFiles(_temp["cache/" + folder], "*", SearchOption.AllDirectories) : [];

    private static async IAsyncEnumerable<PackageInput> RecordAsync(IAsyncEnumerable<PackageInput> arrivals, List<string> ids, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var input in arrivals.WithCancellation(cancellationToken))
        {
            ids.Add(input.Id);
            yield return input;
        }
    }

    private static async IAsyncEnumerable<PackageInput> CancelAfterFirstAsync(IAsyncEnumerable<PackageInput> arrivals, CancellationTokenSource cancel, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var input in arrivals.WithCancellation(cancellationToken))
        {
            yield return input;
            await cancel.CancelAsync();
        }
    }
}
