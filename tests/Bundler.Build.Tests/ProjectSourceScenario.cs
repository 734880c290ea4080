using Bundler.Testing.Feeds;

namespace Bundler.Build.Tests;

/// <summary>
/// A real build whose <c>BundleSource Type="project"</c> names a solution (<see cref="RestoreTestSolution"/>, served by
/// a real feed): the task restores it through Core's project source and bundles what restore took, in place.
/// </summary>
[Collection(PackedFeed.Name)]
public sealed class ProjectSourceScenario(PackagesFixture packages)
{
    [Fact]
    public async Task Build_ProjectSourceNamingASolution_BundlesWhatRestoreTakesThenSkipsThenTakesOnlyNamedIds()
    {
        await using var solution = await RestoreTestSolution.CreateAsync();
        var source = $"""<BundleSource Include="app" Type="project" Path="{solution.Solution}" />""";
        using var project = new ScenarioProject(packages, source);

        var first = await project.BuildAsync("-t:BundlePackages");
        var manifest = await project.VerifyBundleAsync();
        var lockText = await File.ReadAllTextAsync(project.LockFile);
        // Set on a PackageReference, BundlerRestoreFrom cannot work (restore does not import the package's targets): the build says so.
        var again = await project.BuildAsync("-t:BundlePackages", "-p:BundlerRestoreFrom=https://cdn.example.com/app/site/");
        project.SetItems(source + """<BundlePackage Include="deep" Source="app" />""");
        var onlyDeep = await project.BuildAsync("-t:BundlePackages");
        var deepManifest = await project.VerifyBundleAsync();

        first.EnsureSuccess();
        Assert.Equal(RestoreTestSolution.ExpectedPackages.Order(StringComparer.Ordinal), manifest.Packages.Select(p => p.Folder).Order(StringComparer.Ordinal));
        Assert.All(manifest.Packages, p => Assert.Contains(p.Files, f => f.Path == ".nupkg.metadata"));
        Assert.Contains("\"type\": \"project\"", lockText, StringComparison.Ordinal);
        Assert.Contains("\"url\": \"deep/1.3.0/deep.1.3.0.nupkg\"", lockText, StringComparison.Ordinal);
        Assert.DoesNotContain(solution.PackagesFolder, lockText, StringComparison.Ordinal);
        again.EnsureSuccess();
        Assert.Contains("skipped bundling", again.Output, StringComparison.Ordinal);
        Assert.Contains("warning BNDL0015: BundlerRestoreFrom is set, but Bundler.Build is referenced as a PackageReference", again.Output, StringComparison.Ordinal);
        onlyDeep.EnsureSuccess();
        Assert.Equal(["deep/1.3.0", "deep/1.4.0"], deepManifest.Packages.Select(p => p.Folder).Order(StringComparer.Ordinal));
    }
}
