using Bundler.Core.Resolution.Locking;
using Bundler.Testing.Feeds;

namespace Bundler.Build.Tests;

/// <summary>
/// A real build whose items name a NuGet feed: the task resolves the closure, downloads into the cache and bundles,
/// inside MSBuild next to the SDK's own NuGet assemblies.
/// </summary>
[Collection(PackedFeed.Name)]
public sealed class NuGetSourceScenario(PackagesFixture packages)
{
    [Fact]
    public async Task Build_NuGetItems_AreDownloadedOnceAndBundledAsAGlobalPackagesFolder()
    {
        await using var feed = await new NuGetTestFeed()
            .Add("A.First", "1.0.0", new TestDependency("C.Dep", "1.0.0"))
            .Add("C.Dep", "1.0.0")
            .StartAsync();
        using var project = new ScenarioProject(packages, $"""
            <BundleSource Include="feed" Type="nuget" Url="{NuGetTestFeed.ServiceIndex(feed).AbsoluteUri}" TargetFramework="net8.0" Transitive="true" />
            <BundlePackage Include="A.First" Version="[1.0.0,2.0.0)" />
            """);
        var cache = Path.Combine(project.AppDirectory, "cache");

        var result = await project.BuildAsync("-t:BundlePackages", $"-p:BundlerCacheFolder={cache}", "-v:n");
        var manifest = await project.VerifyBundleAsync();
        var requests = feed.Requests.Count;
        var again = await project.BuildAsync("-t:BundlePackages", $"-p:BundlerCacheFolder={cache}", "-v:n");
        var locked = await project.BuildAsync("-t:BundlePackages", $"-p:BundlerCacheFolder={cache}", "-p:BundlerLockedMode=true");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(["a.first/1.0.0", "c.dep/1.0.0"], manifest.Packages.Select(p => p.Folder).Order(StringComparer.Ordinal));
        Assert.All(manifest.Packages, p => Assert.Contains(p.Files, f => f.Path == ".nupkg.metadata"));
        Assert.True(File.Exists(project.LockFile));
        Assert.Contains("Bundler: downloaded 2/2 archives", result.Output, StringComparison.Ordinal);
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Contains("skipped bundling", again.Output, StringComparison.Ordinal);
        Assert.True(locked.ExitCode == 0, locked.Output);
        Assert.Equal(requests, feed.Requests.Count);
    }
}
