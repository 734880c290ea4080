using Bundler.Loader.Format;
using Bundler.Loader.Http;
using Bundler.Loader.Loading;
using Bundler.Serving.Faults;
using Bundler.Testing;
using Bundler.Testing.Http;
using Bundler.Testing.Loading;

namespace Bundler.Loader.Tests.Loading;

/// <summary>
/// A body that drips (a byte every 100 ms) restarts the stall timer on every byte; in every mode the minimum rate
/// counts it as broken off, and it is resumed from the byte received, or the load fails naming the rate.
/// </summary>
public sealed class MinimumRateTests : IAsyncLifetime
{
    private const string Bundle = "/packages.tar.zst";
    private static readonly MinimumTransferRate Floor = new(1000, TimeSpan.FromSeconds(1));
    private PublishedPackages _published = null!;

    public async Task InitializeAsync() => _published = await PublishedPackages.CreateAsync();

    public Task DisposeAsync()
    {
        _published.Dispose();
        return Task.CompletedTask;
    }

    private string LargeArchive => "/" + PublishLayout.LegacyArchivePath(_published.Manifest.Packages.Single(p => p.Id == PublishedPackages.LargeId));

    // Ranges mode: the first request reads the bundle's head; the drip hits a range of frames after it.
    private Fault DripFor(LoadMode mode, int times = 1) => mode switch
    {
        LoadMode.Files => new Fault(FaultKind.DripBody, LargeArchive, times) { AtByte = 150_000 },
        LoadMode.Ranges => new Fault(FaultKind.DripBody, Bundle, times) { After = 1, AtByte = 20_000 },
        // Striking each resume early too, so that the resumes run out before the bundle's end.
        _ => new Fault(FaultKind.DripBody, Bundle, times) { AtByte = times == 1 ? 150_000 : 20_000 },
    };

    [Theory]
    [InlineData(LoadMode.Bundle)]
    [InlineData(LoadMode.Files)]
    [InlineData(LoadMode.Ranges)]
    public async Task Load_BodyDripsUnderTheMinimumRate_IsResumedFromTheByteReceived(LoadMode mode)
    {
        var plan = new FaultPlan(DripFor(mode));
        await using var server = await FaultyServer.ServeDirectoryAsync(_published.Folder, plan);
        var target = _published.NewTarget($"drip-{mode}");

        var report = await PackageLoader.LoadAsync(server.BaseUri.ToString(), target, new PackageLoadOptions
        {
            Mode = mode,
            MinimumRate = Floor,
            MaxRangeRequestSize = 128 * 1024,
        }).WaitAsync(TimeSpan.FromSeconds(60));

        TreeAssert.Holds(target, _published.ExpectedTree);
        Assert.Single(plan.Injected);
        Assert.Equal(1, report.Retries);
    }

    [Theory]
    [InlineData(LoadMode.Bundle)]
    [InlineData(LoadMode.Ranges)]
    public async Task Load_EveryBodyDrips_FailsNamingTheRate(LoadMode mode)
    {
        var plan = new FaultPlan(DripFor(mode, int.MaxValue));
        await using var server = await FaultyServer.ServeDirectoryAsync(_published.Folder, plan);
        var target = _published.NewTarget($"drip-fails-{mode}");

        var failure = await Assert.ThrowsAsync<BundleException>(() => PackageLoader.LoadAsync(server.BaseUri.ToString(), target, new PackageLoadOptions
        {
            Mode = mode,
            MinimumRate = Floor,
            MaxRangeRequestSize = 128 * 1024,
        }).WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Contains("too slow", failure.Message, StringComparison.Ordinal);
        Assert.Contains("1000 bytes/s over 1 s", failure.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target));
    }
}
