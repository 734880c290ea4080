using Bundler.Testing;
using Bundler.Testing.Feeds;

namespace Bundler.Cli.Tests.Commands.Projects;

/// <summary>
/// <c>pack --project</c> and bundle.json's <c>project</c> source against real <c>dotnet restore</c> of a solution
/// (<see cref="RestoreTestSolution"/>: nearest wins, cousins, a direct reference, two target frameworks, implicit
/// references, PackageDownload, central package management with VersionOverride) served by a real feed.
/// </summary>
[Collection(RestoredSolutionGroup.Name)]
public sealed class PackProjectTests(RestoredSolutionFixture fixture) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task PackProject_Solution_BundleHoldsWhatAFreshRestoreUses()
    {
        var load = await CliRun.RunAsync(["load", fixture.Site, "-o", _temp["loaded"]]);

        Assert.True(load.ExitCode == 0, load.Error);
        var bundled = RestoreTestSolution.InstalledPackages(_temp["loaded"]);
        var fresh = RestoreTestSolution.InstalledPackages(fixture.FreshPackages);
        Assert.Equal(RestoreTestSolution.ExpectedPackages.Order(), bundled.Order());
        Assert.Subset(fresh.ToHashSet(), bundled.ToHashSet());
        // A fresh restore also keeps the versions it downloaded only to read their dependencies before a cousin's
        // range moved it on (Deep 1.1.0): no project uses them, and the offline restore below needs none of them.
        Assert.Equal(["deep/1.1.0"], fresh.Except(bundled).Order());
    }

    [Fact]
    public async Task PackProject_LoadedIntoEmptyFolder_RestoresOfflineWithNoSource()
    {
        var load = await CliRun.RunAsync(["load", fixture.Site, "-o", _temp["loaded"]]);
        Assert.True(load.ExitCode == 0, load.Error);

        var restore = fixture.Solution.Restore("--packages", _temp["loaded"], "--source", fixture.Solution.EmptySource, "-p:RestoreNoHttpCache=true");

        Assert.True(restore.ExitCode == 0, restore.Output);
        Assert.Equal(RestoreTestSolution.ExpectedPackages.Order(), RestoreTestSolution.InstalledPackages(_temp["loaded"]).Order());
    }

    [Fact]
    public async Task PackBundleJson_ProjectSourceWithPackages_TakesOnlyThoseAtRestoresVersionsAndLocks()
    {
        var bundleJson = WriteBundleJson("""[{ "source": "app", "id": "deep" }, { "source": "app", "id": "Pinned" }]""");

        var pack = await CliRun.RunAsync(["pack", bundleJson, "-o", _temp["deep.tar.zst"], "--progress", "none"]);
        var locked = await CliRun.RunAsync(["pack", bundleJson, "-o", _temp["deep-locked.tar.zst"], "--progress", "none", "--locked"]);
        var load = await CliRun.RunAsync(["load", _temp["deep.tar.zst"], "-o", _temp["loaded"]]);

        Assert.True(pack.ExitCode == 0, pack.Error);
        Assert.True(locked.ExitCode == 0, locked.Error);
        Assert.True(load.ExitCode == 0, load.Error);
        Assert.Equal(["deep/1.3.0", "deep/1.4.0", "pinned/2.0.0"], RestoreTestSolution.InstalledPackages(_temp["loaded"]).Order());
        var lockText = await File.ReadAllTextAsync(_temp["bundle.lock.json"]);
        Assert.Contains("\"url\": \"deep/1.3.0/deep.1.3.0.nupkg\"", lockText, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Solution.PackagesFolder, lockText, StringComparison.Ordinal);
        Assert.Equal(await File.ReadAllBytesAsync(_temp["deep.tar.zst"]), await File.ReadAllBytesAsync(_temp["deep-locked.tar.zst"]));
    }

    [Fact]
    public async Task PackBundleJson_ProjectSourceNamesPackageRestoreDoesNotTake_FailsNamingItAndWritesNothing()
    {
        var bundleJson = WriteBundleJson("""[{ "source": "app", "id": "Deep" }, { "source": "app", "id": "Gone" }]""");

        var pack = await CliRun.RunAsync(["pack", bundleJson, "-o", _temp["out.tar.zst"], "--progress", "none"]);

        Assert.Equal(1, pack.ExitCode);
        Assert.Contains("does not take package 'Gone'", pack.Error, StringComparison.Ordinal);
        Assert.Contains("bundle.json:", pack.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp["out.tar.zst"]));
        Assert.False(File.Exists(_temp["bundle.lock.json"]));
    }

    [Fact]
    public async Task PackProject_PackagesLockFileNoLongerMatches_FailsWithRestoresErrorNamingThePackage()
    {
        var project = Path.Combine(fixture.Solution.Root, "Locked");
        Directory.CreateDirectory(project);
        await File.WriteAllTextAsync(Path.Combine(project, "Locked.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
              <ItemGroup><PackageReference Include="Lib.B" /></ItemGroup>
            </Project>
            """);
        // Written when the project took Deep directly; it now takes Lib.B instead.
        await File.WriteAllTextAsync(Path.Combine(project, "packages.lock.json"), """
            {
              "version": 2,
              "dependencies": {
                "net10.0": {
                  "Deep": { "type": "Direct", "requested": "[1.0.0, )", "resolved": "1.0.0", "contentHash": "AAAA" }
                }
              }
            }
            """);

        var pack = await CliRun.RunAsync(["pack", "--project", project, "-o", _temp["out.tar.zst"], "--progress", "none"]);

        Assert.Equal(1, pack.ExitCode);
        Assert.Contains("NU1004", pack.Error, StringComparison.Ordinal);
        Assert.Contains("Lib.B", pack.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp["out.tar.zst"]));
    }

    [Fact]
    public async Task PackProject_NupkgChangedInThePackagesFolder_FailsNamingItAndWritesNothing()
    {
        var project = Path.Combine(fixture.Solution.Root, "Tampered");
        Directory.CreateDirectory(project);
        await File.WriteAllTextAsync(Path.Combine(project, "Directory.Build.props"), $"""
            <Project>
              <PropertyGroup><RestorePackagesPath>{_temp["tampered-packages"]}</RestorePackagesPath><NuGetAudit>false</NuGetAudit></PropertyGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(project, "Tampered.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
              <ItemGroup><PackageReference Include="Lib.B" /></ItemGroup>
            </Project>
            """);
        var first = await CliRun.RunAsync(["pack", "--project", project, "-o", _temp["first.tar.zst"], "--progress", "none"]);
        Assert.True(first.ExitCode == 0, first.Error);
        var nupkg = _temp["tampered-packages/lib.b/1.0.0/lib.b.1.0.0.nupkg"];
        var bytes = await File.ReadAllBytesAsync(nupkg);
        bytes[^1] ^= 1;
        await File.WriteAllBytesAsync(nupkg, bytes);

        var pack = await CliRun.RunAsync(["pack", "--project", project, "-o", _temp["out.tar.zst"], "--progress", "none"]);

        Assert.Equal(1, pack.ExitCode);
        Assert.Contains($"'{nupkg}' is not the Lib.B 1.0.0 restore extracted", pack.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp["out.tar.zst"]));
    }

    private string WriteBundleJson(string packages)
    {
        var path = _temp["bundle.json"];
        File.WriteAllText(path, $$"""
            { "sources": { "app": { "type": "project", "path": "{{fixture.Solution.Solution}}" } }, "packages": {{packages}} }
            """);
        return path;
    }
}
