using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Bundler.Core.Download;
using Bundler.Core.Download.Scheduling;
using Bundler.Testing;
using Bundler.Testing.Http;

namespace Bundler.Core.Tests.Download.Scheduling;

public sealed class ConcurrencyTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Download_ForcedConcurrency_NeverExceedsIt(int concurrency)
    {
        var gauge = new Gauge();
        await using var server = await SlowServerAsync(gauge);
        using var temp = new TempDirectory();
        using var client = BundlerHttpClient.Create();
        var requests = Enumerable.Range(0, 8).Select(i => new DownloadRequest(server.Url($"f{i}"))).ToList();

        await new DownloadEngine(client, new DownloadOptions { CacheDirectory = temp.Path, Concurrency = concurrency }).DownloadAsync(requests);

        Assert.Equal(concurrency, gauge.Peak);
    }

    [Fact]
    public async Task Download_Adaptive_UsesSeveralConnectionsUpToPerHostCap()
    {
        var gauge = new Gauge();
        await using var server = await SlowServerAsync(gauge);
        using var temp = new TempDirectory();
        using var client = BundlerHttpClient.Create();
        var requests = Enumerable.Range(0, 24).Select(i => new DownloadRequest(server.Url($"f{i}"))).ToList();
        var options = new DownloadOptions { CacheDirectory = temp.Path, InitialPerHost = 2, MaxPerHost = 5 };

        await new DownloadEngine(client, options).DownloadAsync(requests);

        Assert.Equal(5, gauge.Peak);
        Assert.Equal(5, server.Requests.Select(r => r.ConnectionId).Distinct().Count());
    }

    [Fact]
    public void Controller_AMaxPerHostBelowTheInitial_CapsTheStart()
    {
        var controller = new ConcurrencyController(new DownloadOptions { InitialPerHost = 8, MaxPerHost = 3 });

        Assert.Equal(3, controller.LimitFor("h"));
    }

    [Fact]
    public async Task Controller_PushBack_HalvesThenGrowsAgain()
    {
        var controller = new ConcurrencyController(new DownloadOptions { InitialPerHost = 8, MaxPerHost = 16 });
        using (var slot = await controller.AcquireAsync("h", CancellationToken.None))
        {
            slot.Succeeded();
            slot.Succeeded();
            Assert.Equal(10, controller.LimitFor("h"));
            slot.PushedBack();
            Assert.Equal(5, controller.LimitFor("h"));
            slot.PushedBack(); // within a second of the last: the same burst, counted once
            Assert.Equal(5, controller.LimitFor("h"));
            for (var i = 0; i < 6; i++)
            {
                slot.Succeeded(); // additive increase: about +1 per window's worth of successes
            }
        }

        Assert.Equal(6, controller.LimitFor("h"));
        Assert.Equal(8, controller.LimitFor("other"));
    }

    [Fact]
    public async Task Controller_SlotReleasedWithNobodyWaiting_RaisesIdleAndOffersIt()
    {
        var controller = new ConcurrencyController(new DownloadOptions { Concurrency = 2 });
        var idle = new List<string>();
        controller.Idle += idle.Add;
        var first = await controller.AcquireAsync("h", CancellationToken.None);
        var second = await controller.AcquireAsync("h", CancellationToken.None);
        Assert.Null(controller.TryAcquireIdle("h"));
        var waiting = controller.AcquireAsync("h", CancellationToken.None).AsTask();

        first.Dispose(); // goes to the waiter: not idle
        var third = await waiting;
        Assert.Empty(idle);
        second.Dispose();
        Assert.Equal(["h"], idle);
        var offered = controller.TryAcquireIdle("h");
        Assert.NotNull(offered);
        Assert.Null(controller.TryAcquireIdle("h"));

        offered.Return(); // handed back unused, or by a holder that retries: not offered again
        Assert.Equal(["h"], idle);
        third.Dispose();
        Assert.Equal(["h", "h"], idle);
        Assert.Equal(0, controller.InFlight);
    }

    [Fact]
    public async Task Download_H2cPriorKnowledge_UsesHttp2()
    {
        var gauge = new Gauge();
        await using var server = await SlowServerAsync(gauge, HttpProtocols.Http2);
        using var temp = new TempDirectory();
        using var client = BundlerHttpClient.Create(http2PriorKnowledge: true);

        await new DownloadEngine(client, new DownloadOptions { CacheDirectory = temp.Path }).DownloadAsync([new DownloadRequest(server.Url("f1")), new DownloadRequest(server.Url("f2"))]);

        Assert.All(server.Requests, r => Assert.Equal("HTTP/2", r.Protocol));
    }

    /// <summary>Answers /fN with 64 KiB after 100 ms, measuring how many requests are in flight at once.</summary>
    private static Task<LoopbackServer> SlowServerAsync(Gauge gauge, HttpProtocols protocols = HttpProtocols.Http1) =>
        LoopbackServer.StartAsync(app => app.Run(async context =>
        {
            using var _ = gauge.Enter();
            await Task.Delay(100, context.RequestAborted);
            var body = new byte[64 * 1024];
            body[0] = (byte)context.Request.Path.Value!.Length;
            body[1] = (byte)context.Request.Path.Value![^1];
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }), protocols);

    private sealed class Gauge
    {
        private int _current;
        private int _peak;

        public int Peak => Volatile.Read(ref _peak);

        public IDisposable Enter()
        {
            var now = Interlocked.Increment(ref _current);
            int peak;
            while (now > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, peak) != peak)
            {
            }

            return new Exit(this);
        }

        private sealed class Exit(Gauge gauge) : IDisposable
        {
            public void Dispose() => Interlocked.Decrement(ref gauge._current);
        }
    }
}
