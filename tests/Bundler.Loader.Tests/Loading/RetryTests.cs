using System.Diagnostics;
using Bundler.Loader.Loading;
using Bundler.Serving.Faults;
using Bundler.Testing;
using Bundler.Testing.Http;
using Bundler.Testing.Loading;

namespace Bundler.Loader.Tests.Loading;

/// <summary>A request answered with a transient status is sent again, after the wait the server asked for.</summary>
public sealed class RetryTests : IAsyncLifetime
{
    private const string Bundle = "/packages.tar.zst";

    private PublishedPackages _published = null!;

    public async Task InitializeAsync() => _published = await PublishedPackages.CreateAsync();

    public Task DisposeAsync()
    {
        _published.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Load_ServerErrorOnce_SendsAgainAndLoads()
    {
        var plan = new FaultPlan(new Fault(FaultKind.ServerError, Bundle));
        await using var server = await FaultyServer.ServeDirectoryAsync(_published.Folder, plan);
        var target = _published.NewTarget("server-error");

        var report = await PackageLoader.LoadAsync(server.BaseUri.ToString(), target, new PackageLoadOptions { Mode = LoadMode.Bundle });

        TreeAssert.Holds(target, _published.ExpectedTree);
        Assert.Equal([500, 200], server.Requests.Where(r => r.Path == Bundle).Select(r => r.StatusCode));
        Assert.Equal(1, report.Retries);
    }

    [Fact]
    public async Task Load_TooManyRequestsWithRetryAfter_WaitsForItThenLoads()
    {
        var plan = new FaultPlan(new Fault(FaultKind.TooManyRequests, Bundle) { RetryAfter = TimeSpan.FromSeconds(2) });
        await using var server = await FaultyServer.ServeDirectoryAsync(_published.Folder, plan);
        var target = _published.NewTarget("retry-after");

        var clock = Stopwatch.StartNew();
        var report = await PackageLoader.LoadAsync(server.BaseUri.ToString(), target, new PackageLoadOptions { Mode = LoadMode.Bundle });

        TreeAssert.Holds(target, _published.ExpectedTree);
        Assert.Equal([429, 200], server.Requests.Where(r => r.Path == Bundle).Select(r => r.StatusCode));
        Assert.Equal(1, report.Retries);
        // 2 s is also the longest wait the loader grants a Retry-After; without it the retry would follow in about 100 ms.
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.95), $"loaded after {clock.Elapsed.TotalSeconds:0.000} s");
    }
}
