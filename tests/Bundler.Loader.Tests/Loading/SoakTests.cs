using System.Globalization;
using Xunit.Abstractions;
using Bundler.Core.Download;
using Bundler.Core.Pipeline;
using Bundler.Core.Publishing;
using Bundler.Core.Writing;
using Bundler.Loader.Loading;
using Bundler.Serving;
using Bundler.Serving.Faults;
using Bundler.Testing;
using Bundler.Testing.Loading;

namespace Bundler.Loader.Tests.Loading;

/// <summary>
/// Pack and load a package set again and again through the real server injecting 5% faults (a new seed each
/// iteration): every run gives the byte-identical bundle or tree, or fails with a clear error, leaving the previous
/// output as it was; and each load mode rides through the faults in at least 80% of the iterations. CI runs
/// 80 packages × 3 iterations; BUNDLER_SOAK=1 runs 300 × 20 (BUNDLER_SOAK_SEED another sequence).
/// </summary>
public sealed class SoakTests(ITestOutputHelper log) : IDisposable
{
    private const string Faults = "5%";
    private static readonly TimeSpan StallFor = TimeSpan.FromSeconds(1);
    private static readonly bool Long = Environment.GetEnvironmentVariable("BUNDLER_SOAK") == "1";
    private static readonly int PackageCount = Long ? 300 : 80;
    private static readonly int Iterations = Long ? 20 : 3;
    // Broken, stalled and refused responses are retried or resumed, and a wrong archive is fetched again, so what
    // still fails a load is rare: a flipped bit in bundle or ranges mode (verified, never fetched again) or one body
    // failing past its budget. 80% leaves room for those and fails a loader that gives up on a single broken body.
    private static readonly int MinimumLoadedPerMode = Iterations * 4 / 5;
    private static readonly int Seed = int.Parse(Environment.GetEnvironmentVariable("BUNDLER_SOAK_SEED") ?? "20261125", CultureInfo.InvariantCulture);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Pack_ThroughInjectedFaults_GivesTheReferenceBundleOrFailsKeepingThePrevious()
    {
        var set = SoakPackageSet.Create(_temp["archives"], PackageCount, Seed);
        var output = Path.Combine(Directory.CreateDirectory(_temp["out"]).FullName, "packages.tar.zst");
        await File.WriteAllTextAsync(output, "previous");
        var (packed, failed, injected) = (0, 0, 0);
        for (var i = 0; i < Iterations; i++)
        {
            var plan = new FaultPlan(FaultSpec.Parse(Faults, StallFor), Seed + i);
            await using var server = await StartAsync(set.Folder, plan);
            var what = $"pack iteration {i} (seed {plan.Seed})";
            // The manifest records each archive's URL, and the server's port is new each iteration.
            var reference = await BundleWriter.WriteAsync(set.DownloadedInputs(server.Http1Url!), _temp[$"reference-{i}.tar.zst"]);
            set.WriteBundleJson(_temp["bundle.json"], server.Http1Url!);
            var previous = await File.ReadAllBytesAsync(output);
            var options = new PackageSetPackOptions
            {
                Download = new DownloadOptions
                {
                    CacheDirectory = _temp[$"cache-{i}"],
                    MaxRetries = 1,
                    RetryDelay = TimeSpan.FromMilliseconds(10),
                    MaxRetryDelay = TimeSpan.FromMilliseconds(200),
                    StallTimeout = TimeSpan.FromSeconds(10),
                },
            };
            try
            {
                var inputs = await PackageSetPacker.PrepareAsync(_temp["bundle.json"], options, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
                await BundleWriter.WriteAsync(inputs, output);
                var expected = await File.ReadAllBytesAsync(reference.Path);
                var actual = await File.ReadAllBytesAsync(output);
                Assert.True(expected.SequenceEqual(actual), $"{what}: packed a different bundle");
                packed++;
            }
            catch (DownloadException ex)
            {
                Assert.Contains(server.Http1Url!.AbsoluteUri, ex.Message, StringComparison.Ordinal);
                var actual = await File.ReadAllBytesAsync(output);
                Assert.True(previous.SequenceEqual(actual), $"{what}: failed ({ex.Message}) but changed the bundle");
                log.WriteLine($"{what}: {ex.Message.Split('\n')[0]}");
                failed++;
            }

            Assert.Equal(["packages.tar.zst"], TreeAssert.Listing(_temp["out"]));
            injected += plan.Injected.Count;
        }

        log.WriteLine($"{Iterations} packs of {PackageCount} packages: {packed} packed, {failed} failed, {injected} faults injected");
        Assert.True(packed > 0, $"no pack succeeded ({failed} failed)");
        Assert.True(injected > 0, "no fault was injected");
    }

    [Fact]
    public async Task Load_ThroughInjectedFaultsInEveryMode_GivesTheReferenceTreeOrFailsKeepingThePrevious()
    {
        var set = SoakPackageSet.Create(_temp["archives"], PackageCount, Seed);
        var publish = await LegacyPublishFolder.WriteAsync(set.LocalInputs(), _temp["publish"]);
        await PackageLoader.LoadAsync(publish.Location, _temp["reference"]);
        var reference = TreeAssert.Snapshot(_temp["reference"]);
        var target = Path.Combine(_temp["loaded"], "target");
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        var retries = new Dictionary<LoadMode, int>();
        var injected = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var plan = new FaultPlan(FaultSpec.Parse(Faults, StallFor), Seed + i);
            await using var server = await StartAsync(publish.Location, plan);
            foreach (var mode in new[] { LoadMode.Bundle, LoadMode.Files, LoadMode.Ranges })
            {
                var what = $"load iteration {i} (seed {plan.Seed}) in {mode} mode";
                // A previous tree that differs from the reference, so that a failed load that wrote anything shows.
                var stale = StaleFile(target, i, mode);
                var previous = Directory.Exists(target) ? TreeAssert.Snapshot(target) : null;
                string outcome;
                try
                {
                    var report = await PackageLoader.LoadAsync(server.Http1Url!.AbsoluteUri, target, new PackageLoadOptions { Mode = mode }).WaitAsync(TimeSpan.FromMinutes(2));
                    Assert.True(reference.SequenceEqual(TreeAssert.Snapshot(target)), $"{what}: loaded a different tree");
                    retries[mode] = retries.GetValueOrDefault(mode) + report.Retries;
                    outcome = "loaded";
                }
                catch (BundleException ex)
                {
                    Assert.Contains(server.Http1Url!.AbsoluteUri, ex.Message, StringComparison.Ordinal);
                    Assert.True(previous is null ? !Directory.Exists(target) : previous.SequenceEqual(TreeAssert.Snapshot(target)), $"{what}: failed ({ex.Message}) but changed the target");
                    log.WriteLine($"{what}: {ex.Message}");
                    outcome = "failed";
                }
                catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
                {
                    Assert.Fail($"{what}: {ex.GetType().Name} instead of a clear error: {ex}");
                    throw;
                }

                outcomes[$"{mode} {outcome}"] = outcomes.GetValueOrDefault($"{mode} {outcome}") + 1;
                LoadAssert.NothingBesideTarget(target);
                Assert.True(stale is null || File.Exists(stale));
            }

            injected += plan.Injected.Count;
        }

        var summary = $"{Iterations} iterations × 3 modes, {PackageCount} packages: {string.Join(", ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}: {o.Value}"))}; "
            + $"retries in the loads that succeeded: {string.Join(", ", retries.OrderBy(r => r.Key).Select(r => $"{r.Key} {r.Value}"))}; {injected} faults injected";
        log.WriteLine(summary);
        Assert.True(injected > 0, "no fault was injected");
        foreach (var mode in new[] { LoadMode.Bundle, LoadMode.Files, LoadMode.Ranges })
        {
            Assert.True(outcomes.GetValueOrDefault($"{mode} loaded") >= MinimumLoadedPerMode, $"{mode} mode loaded in fewer than {MinimumLoadedPerMode} of {Iterations} iterations: {summary}");
        }
    }

    private static Task<StaticFileServer> StartAsync(string root, FaultPlan plan) =>
        StaticFileServer.StartAsync(root, new StaticFileServerOptions { Protocols = ServeProtocols.Http1, Faults = plan }, onRequest: null, CancellationToken.None);

    /// <summary>Overwrites one loaded file, different each time; null before the first load that succeeded.</summary>
    private static string? StaleFile(string target, int iteration, LoadMode mode)
    {
        if (!Directory.Exists(target))
        {
            return null;
        }

        var files = Directory.GetFiles(target, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var file = files[(iteration * 3 + (int)mode) % files.Length];
        File.WriteAllText(file, $"stale before iteration {iteration}, {mode}");
        return file;
    }
}
