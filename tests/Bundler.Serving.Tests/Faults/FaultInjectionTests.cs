using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Bundler.Serving.Faults;
using Bundler.Serving.Network;
using Bundler.Testing;

namespace Bundler.Serving.Tests.Faults;

/// <summary>The built-in server with <c>--faults</c>: what clients see, in what proportions, and what the log says.</summary>
public sealed class FaultInjectionTests : IDisposable
{
    private const int FileCount = 20;
    private const int FileSize = 4096;

    /// <summary>How much earlier than asked a delay may end: .NET runs timers on a coarse clock (4 ms ticks on Linux).</summary>
    private static readonly TimeSpan TimerSlack = TimeSpan.FromMilliseconds(10);

    private readonly TempDirectory _temp = new();
    private readonly ConcurrentQueue<ServedRequest> _log = new();

    public FaultInjectionTests()
    {
        for (var i = 0; i < FileCount; i++)
        {
            File.WriteAllBytes(_temp[$"f{i}.bin"], RandomBytes(FileSize, seed: i));
        }
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Serve_SeededPlan_InjectsEachKindInItsShareAsClientsAndTheLogSee()
    {
        const int requests = 1200;
        var spec = "500=0.1,429=0.05,reset=0.05,truncate=0.05,stall=0.02,bitflip=0.05";
        var plan = new FaultPlan(FaultSpec.Parse(spec, TimeSpan.FromMilliseconds(200)), seed: 7);
        await using var server = await StartAsync(plan);
        using var client = new HttpClient();
        var seen = new ConcurrentQueue<string>();

        await Parallel.ForEachAsync(Enumerable.Range(0, requests), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (r, ct) =>
            seen.Enqueue(await FetchAsync(client, server, r % FileCount, ct)));
        await server.WaitUntilIdleAsync(CancellationToken.None);

        var observed = seen.CountBy(s => s).ToDictionary();
        foreach (var fault in plan.Faults)
        {
            var expected = requests * fault.Probability;
            var spread = 4.5 * Math.Sqrt(expected * (1 - fault.Probability));
            Assert.InRange(plan.InjectedCount(fault.Kind), Math.Max(1, expected - spread), expected + spread);
            Assert.Equal(plan.InjectedCount(fault.Kind), _log.Count(r => r.Fault == FaultSpec.Name(fault.Kind)));
        }

        Assert.Equal(plan.InjectedCount(FaultKind.ServerError), observed.GetValueOrDefault("500"));
        Assert.Equal(plan.InjectedCount(FaultKind.TooManyRequests), observed.GetValueOrDefault("429"));
        Assert.Equal(plan.InjectedCount(FaultKind.WrongBytes), observed.GetValueOrDefault("one byte changed"));
        Assert.Equal(
            plan.InjectedCount(FaultKind.ResetMidBody) + plan.InjectedCount(FaultKind.TruncatedBody) + plan.InjectedCount(FaultKind.StallBody),
            observed.GetValueOrDefault("broken"));
        Assert.Equal(requests - plan.Injected.Count, observed.GetValueOrDefault("intact"));
        Assert.Equal(requests, observed.Values.Sum());
    }

    [Fact]
    public async Task Serve_SameOrAnotherSeed_InjectsTheSameOrOtherFaults()
    {
        var spec = "500=0.1,429=0.1,reset=0.1,truncate=0.1,bitflip=0.1";
        async Task<string[]> RunAsync(int seed)
        {
            var plan = new FaultPlan(FaultSpec.Parse(spec, TimeSpan.FromSeconds(1)), seed);
            await using var server = await StartAsync(plan);
            using var client = new HttpClient();
            await Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (r, ct) =>
                await FetchAsync(client, server, r % FileCount, ct));
            return [.. plan.Injected.Select(i => $"{i.Path} {i.Kind}").Order(StringComparer.Ordinal)];
        }

        var first = await RunAsync(seed: 3);
        var again = await RunAsync(seed: 3);
        var other = await RunAsync(seed: 4);

        Assert.NotEmpty(first);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public async Task Bitflip_WholeRangeAndSlowNetwork_ChangesOneByteKeepingTheLength()
    {
        var large = RandomBytes(1_000_001, seed: 99);
        await File.WriteAllBytesAsync(_temp["large.bin"], large);
        await File.WriteAllBytesAsync(_temp["one.bin"], [42]);
        var plan = new FaultPlan(FaultSpec.Parse("bitflip=1", TimeSpan.FromSeconds(1)), seed: 1);
        var roundTrip = TimeSpan.FromMilliseconds(50);
        var network = NetworkProfile.Unthrottled with { RoundTrip = roundTrip, BytesPerSecond = NetworkUnits.MegabitsPerSecond(200) };
        await using var server = await StartAsync(plan, network);
        using var client = new HttpClient();

        var one = await client.GetByteArrayAsync(new Uri(server.Http1Url!, "one.bin"));
        var whole = await client.GetByteArrayAsync(new Uri(server.Http1Url!, "large.bin"));
        using var rangeRequest = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Http1Url!, "f0.bin")) { Headers = { Range = new RangeHeaderValue(100, 999) } };
        using var range = await client.SendAsync(rangeRequest);
        var rangeBytes = await range.Content.ReadAsByteArrayAsync();
        await server.WaitUntilIdleAsync(CancellationToken.None);

        Assert.Equal([42 ^ 0xFF], one);
        Assert.Equal(large.Length, whole.Length);
        Assert.Equal(1, Differences(large, whole));
        Assert.Equal(HttpStatusCode.PartialContent, range.StatusCode);
        Assert.Equal(900, rangeBytes.Length);
        Assert.Equal(1, Differences(File.ReadAllBytes(_temp["f0.bin"])[100..1000], rangeBytes));
        Assert.Equal(3, plan.InjectedCount(FaultKind.WrongBytes));
        Assert.All(_log, r => Assert.Equal("bitflip", r.Fault));
        Assert.Equal(3, _log.Count);
        Assert.All(_log, r => Assert.True(r.FirstByte >= roundTrip - TimerSlack, $"first byte after {r.FirstByte}"));
    }

    [Fact]
    public async Task Stall_Body_PausesForTheStallTimeThenAborts()
    {
        var plan = new FaultPlan(FaultSpec.Parse("stall=1", TimeSpan.FromMilliseconds(500)), seed: 1);
        await using var server = await StartAsync(plan);
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(1) };
        var stopwatch = Stopwatch.StartNew();

        using var response = await client.GetAsync(new Uri(server.Http1Url!, "f1.bin"), HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var received = 0;
        var buffer = new byte[FileSize];
        var error = await Record.ExceptionAsync(async () =>
        {
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                received += read;
            }
        });
        stopwatch.Stop();
        await server.WaitUntilIdleAsync(CancellationToken.None);

        Assert.IsAssignableFrom<IOException>(error);
        Assert.Equal(FileSize / 2, received);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(450), TimeSpan.FromSeconds(30));
        Assert.Equal("stall", Assert.Single(_log).Fault);
    }

    [Fact]
    public async Task BodyFault_ResponseWithoutABody_NotCountedAsInjected()
    {
        var plan = new FaultPlan(FaultSpec.Parse("truncate=1", TimeSpan.FromSeconds(1)), seed: 1);
        await using var server = await StartAsync(plan);
        using var client = new HttpClient();

        using var missing = await client.GetAsync(new Uri(server.Http1Url!, "nope.bin"));
        await server.WaitUntilIdleAsync(CancellationToken.None);

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Empty(plan.Injected);
        Assert.Null(Assert.Single(_log).Fault);
    }

    private async Task<StaticFileServer> StartAsync(FaultPlan plan, NetworkProfile? network = null) =>
        await StaticFileServer.StartAsync(
            _temp.Path,
            new StaticFileServerOptions { Protocols = ServeProtocols.Http1, Faults = plan, Network = network ?? NetworkProfile.Unthrottled },
            _log.Enqueue,
            CancellationToken.None);

    /// <summary>What the client saw: 500, 429, a broken body, one byte changed, or the file intact.</summary>
    private async Task<string> FetchAsync(HttpClient client, StaticFileServer server, int file, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetAsync(new Uri(server.Http1Url!, $"f{file}.bin"), cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return response.StatusCode switch
            {
                HttpStatusCode.InternalServerError => "500",
                HttpStatusCode.TooManyRequests when response.Headers.RetryAfter is not null => "429",
                HttpStatusCode.OK when body.Length == FileSize => Differences(File.ReadAllBytes(_temp[$"f{file}.bin"]), body) switch
                {
                    0 => "intact",
                    1 => "one byte changed",
                    var n => $"{n} bytes changed",
                },
                var status => $"status {(int)status} with {body.Length} bytes",
            };
        }
        catch (HttpRequestException)
        {
            return "broken";
        }
    }

    private static int Differences(byte[] expected, byte[] actual) => expected.Zip(actual).Count(p => p.First != p.Second);

    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
