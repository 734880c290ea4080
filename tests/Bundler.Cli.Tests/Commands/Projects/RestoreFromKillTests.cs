using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Bundler.Loader.IO;
using Bundler.Serving;
using Bundler.Serving.Faults;
using Bundler.Testing;
using Bundler.Testing.Feeds;
using Bundler.Testing.Http;

namespace Bundler.Cli.Tests.Commands.Projects;

/// <summary>
/// A <c>restore-from</c> killed while it streams the bundle (SIGKILL: no cleanup runs) leaves its hidden staging in
/// the packages folder; the next run removes it, leaves the staging of a run that is still alive, and fills the folder.
/// </summary>
[Collection(RestoredSolutionGroup.Name)]
public sealed class RestoreFromKillTests(RestoredSolutionFixture fixture) : IDisposable
{
    private readonly TempDirectory _temp = new();
    private volatile bool _stalling = true;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task RestoreFrom_KilledMidLoad_NextRunRemovesItsStagingButNotALiveOne()
    {
        // While stalling, the bundle's response sends half its body and then nothing until the client is gone.
        var stall = new FaultPlan(new Fault(FaultKind.StallBody, Times: int.MaxValue));
        await using var server = await LoopbackServer.StartAsync(app =>
        {
            app.UseWhen(c => _stalling && c.Request.Path.Value!.EndsWith(".tar.zst", StringComparison.Ordinal), branch => branch.UseFaults(stall));
            app.UseStaticFolder(fixture.Site);
        });
        var packages = _temp["packages"];
        using (var child = CliRun.Start(["restore-from", server.Url("").AbsoluteUri, "--packages", packages]))
        {
            await WaitForStagingAsync(packages);
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
        }

        var killed = Hidden(packages);
        // A run that is alive: its owner lock held, its staging half-written.
        var live = Path.Combine(packages, ".bundler-restore-" + Guid.NewGuid().ToString("N"));
        using var liveOwner = ExclusiveFileLock.TryAcquire(live + ".owner", deleteOnRelease: true)!;
        Directory.CreateDirectory(Path.Combine(live, "deep", "1.3.0"));
        _stalling = false;

        var run = await CliRun.RunAsync(["restore-from", server.Url("").AbsoluteUri, "--packages", packages]);

        Assert.NotEmpty(killed);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(RestoreTestSolution.ExpectedPackages.Order(), RestoreTestSolution.InstalledPackages(packages).Order());
        Assert.Equal([live, live + ".owner"], Hidden(packages));
        Assert.True(Directory.Exists(Path.Combine(live, "deep", "1.3.0")));
    }

    private static List<string> Hidden(string folder) =>
        [.. Directory.EnumerateFileSystemEntries(folder).Where(e => Path.GetFileName(e).StartsWith('.')).Order(StringComparer.Ordinal)];

    private static async Task WaitForStagingAsync(string packages)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (Directory.Exists(packages) && Hidden(packages).Any(e => Path.GetFileName(e).Contains(".partial-", StringComparison.Ordinal)))
            {
                await Task.Delay(300);
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"No staging appeared in '{packages}' within a minute.");
    }
}
