using System.Text.RegularExpressions;
using Bundler.Core.Pipeline;
using Bundler.Core.Writing;
using Bundler.Testing;
using Bundler.Testing.Feeds;
using Bundler.Testing.Http;

namespace Bundler.Build.Tests;

/// <summary>
/// <c>BundlerRestoreFrom</c> with Bundler.Build as an MSBuild SDK: real <c>dotnet restore</c> of a solution whose
/// package feed is unreachable and whose packages folder is empty takes every package from the bundle, loaded once for
/// the solution over HTTP; a later <c>dotnet build</c> finds them all there and adds nothing.
/// </summary>
[Collection(PackedFeed.Name)]
public sealed partial class RestoreFromScenario(PackagesFixture packages) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Restore_SolutionWithBundlerRestoreFromAndNoReachableFeed_LoadsTheBundleOnceAndRestoresLocked()
    {
        await using var solution = await RestoreTestSolution.CreateAsync();
        WriteDirectoryBuildProps(solution, solution.PackagesFolder, restoreFrom: null);
        // Online once: the lock files, and the bundle of what restore took.
        var online = solution.Restore();
        Assert.True(online.ExitCode == 0, online.Output);
        Directory.CreateDirectory(_temp["site"]);
        await PackageSetPacker.PackProjectAsync(solution.Solution, new PackageSetPackOptions(), (arrivals, written, ct) => BundleWriter.WriteAsync(arrivals, _temp["site/packages.tar.zst"], null, written, ct), CancellationToken.None);
        await using var site = await LoopbackServer.ServeDirectoryAsync(_temp["site"]);

        // Offline: the feed's address now refuses connections, the packages folder is empty, Bundler.Build is an SDK,
        // and the bundle is served over HTTP.
        var offlinePackages = _temp["offline-packages"];
        WriteOfflineConfiguration(solution, offlinePackages, site.Url("packages.tar.zst").AbsoluteUri);
        var restore = await DotNet.RunAsync(solution.Root, packages.Environment, "restore", solution.Solution, "--locked-mode", "-v:n", "-nodeReuse:false", "--disable-build-servers", "-tl:off");
        var build = await DotNet.RunAsync(solution.Root, packages.Environment, "build", Path.Combine(solution.Root, "Other", "Other.csproj"), "-v:n", "-nodeReuse:false", "--disable-build-servers", "-tl:off");

        restore.EnsureSuccess();
        var loads = LoadLine().Matches(restore.Output);
        Assert.Single(loads);
        Assert.Equal($"{RestoreTestSolution.ExpectedPackages.Count} packages added, 0 already there", loads[0].Groups["counts"].Value);
        Assert.Equal(RestoreTestSolution.ExpectedPackages.Order(StringComparer.Ordinal), RestoreTestSolution.InstalledPackages(offlinePackages).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(offlinePackages), e => Path.GetFileName(e).StartsWith('.'));
        build.EnsureSuccess();
        Assert.Equal($"0 packages added, {RestoreTestSolution.ExpectedPackages.Count} already there", Assert.Single(LoadLine().Matches(build.Output)).Groups["counts"].Value);
    }

    [Fact]
    public async Task Restore_BundlerRestoreFromMissingBundle_FailsNamingItAndAddsNothing()
    {
        await using var solution = await RestoreTestSolution.CreateAsync();
        var offlinePackages = _temp["offline-packages"];
        WriteOfflineConfiguration(solution, offlinePackages, _temp["no-such.tar.zst"]);

        var restore = await DotNet.RunAsync(solution.Root, packages.Environment, "restore", solution.Solution, "-nodeReuse:false", "--disable-build-servers", "-tl:off");

        Assert.NotEqual(0, restore.ExitCode);
        Assert.Contains($"BNDL0014: BundlerRestoreFrom '{_temp["no-such.tar.zst"]}' could not be loaded", restore.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.Exists(offlinePackages) ? Directory.EnumerateFileSystemEntries(offlinePackages) : []);
    }

    [GeneratedRegex(@"Bundler: restore-from .+? into .+?: (?<counts>\d+ packages added, \d+ already there)")]
    private static partial Regex LoadLine();

    private static void WriteDirectoryBuildProps(RestoreTestSolution solution, string packagesFolder, string? restoreFrom) =>
        File.WriteAllText(Path.Combine(solution.Root, "Directory.Build.props"), $"""
            <Project>
              {(restoreFrom is null ? "" : """<Import Project="Sdk.props" Sdk="Bundler.Build" />""")}
              <PropertyGroup>
                <RestorePackagesPath>{packagesFolder}</RestorePackagesPath>
                <RestorePackagesWithLockFile>true</RestorePackagesWithLockFile>
                <NuGetAudit>false</NuGetAudit>
                <BundlerRestoreFrom>{restoreFrom}</BundlerRestoreFrom>
              </PropertyGroup>
            </Project>
            """);

    /// <summary>
    /// Bundler.Build as an MSBuild SDK for every project (its version in global.json, its package from the local feed,
    /// as source mapping says), the solution's feed at an address nothing listens on, and an empty packages folder.
    /// </summary>
    private void WriteOfflineConfiguration(RestoreTestSolution solution, string packagesFolder, string bundle)
    {
        WriteDirectoryBuildProps(solution, packagesFolder, bundle);
        File.WriteAllText(Path.Combine(solution.Root, "Directory.Build.targets"), """
            <Project>
              <Import Project="Sdk.targets" Sdk="Bundler.Build" />
            </Project>
            """);
        File.WriteAllText(Path.Combine(solution.Root, "global.json"), $$"""{ "msbuild-sdks": { "Bundler.Build": "{{packages.Version}}" } }""");
        packages.WriteNuGetConfig(solution.Root, otherSource: "http://127.0.0.1:9/v3/index.json");
    }
}
