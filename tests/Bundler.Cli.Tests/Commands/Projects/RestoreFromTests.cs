using System.Text.Json;
using Bundler.Testing;
using Bundler.Testing.Feeds;

namespace Bundler.Cli.Tests.Commands.Projects;

/// <summary>
/// <c>restore-from</c>: a bundle of <c>pack --project</c> loaded into a NuGet packages folder, empty or already
/// holding packages, after which real <c>dotnet restore</c> of the solution succeeds with no feed.
/// </summary>
[Collection(RestoredSolutionGroup.Name)]
public sealed class RestoreFromTests(RestoredSolutionFixture fixture) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void RestoreFrom_ToolWithNugetPackagesSet_FillsThatFolderAndRestoreThenNeedsNoFeed()
    {
        var tool = typeof(CliApp).Assembly.Location;
        var packages = _temp["nuget-packages"];

        var run = RestoreTestSolution.Dotnet(_temp.Path, [tool, "restore-from", fixture.Site], new Dictionary<string, string> { ["NUGET_PACKAGES"] = packages });
        var restore = fixture.Solution.Restore("--packages", packages, "--source", fixture.Solution.EmptySource, "-p:RestoreNoHttpCache=true");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains($"Restored into {packages}: {RestoreTestSolution.ExpectedPackages.Count} packages added, 0 already there", run.Output, StringComparison.Ordinal);
        Assert.True(restore.ExitCode == 0, restore.Output);
        Assert.Equal(RestoreTestSolution.ExpectedPackages.Order(), RestoreTestSolution.InstalledPackages(packages).Order());
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(packages), e => Path.GetFileName(e).StartsWith('.'));
    }

    [Fact]
    public async Task RestoreFrom_FolderHoldingSomePackages_AddsTheOthersAndLeavesThoseAlone()
    {
        var packages = _temp["packages"];
        CopyPackage("deep/1.3.0", packages);
        CopyPackage("lib.a/1.0.0", packages);
        var marker = Path.Combine(packages, "deep/1.3.0/marker.txt");
        await File.WriteAllTextAsync(marker, "was here before");
        // An extraction that never finished: no .nupkg.metadata, so restore would not count it.
        Directory.CreateDirectory(Path.Combine(packages, "mid/2.0.0/lib"));
        await File.WriteAllTextAsync(Path.Combine(packages, "mid/2.0.0/lib/half.dll"), "half");

        var run = await CliRun.RunAsync(["restore-from", fixture.Site, "--packages", packages, "--json"]);
        var again = await CliRun.RunAsync(["restore-from", fixture.Site, "--packages", packages, "--json"]);

        Assert.True(run.ExitCode == 0, run.Error);
        var (added, kept, transferred) = Summary(run.Output);
        Assert.Equal(["deep/1.3.0", "lib.a/1.0.0"], kept);
        Assert.Equal(RestoreTestSolution.ExpectedPackages.Except(kept).Order(), added.Order());
        Assert.True(transferred > 0);
        Assert.True(again.ExitCode == 0, again.Error);
        var (addedAgain, keptAgain, transferredAgain) = Summary(again.Output);
        Assert.Empty(addedAgain);
        Assert.Equal(RestoreTestSolution.ExpectedPackages.Order(), keptAgain);
        Assert.Equal(0, transferredAgain);
        Assert.Equal("was here before", await File.ReadAllTextAsync(marker));
        Assert.False(File.Exists(Path.Combine(packages, "mid/2.0.0/lib/half.dll")));
        Assert.Equal(RestoreTestSolution.ExpectedPackages.Order(), RestoreTestSolution.InstalledPackages(packages).Order());
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(packages), e => Path.GetFileName(e).StartsWith('.'));
    }

    [Fact]
    public async Task RestoreFrom_BundleFileIntoFolderHoldingEveryPackage_ReadsOnlyTheManifest()
    {
        var bundle = Directory.EnumerateFiles(fixture.Site, "*.tar.zst", SearchOption.AllDirectories).Single();
        var packages = _temp["packages"];

        var first = await CliRun.RunAsync(["restore-from", bundle, "--packages", packages, "--json"]);
        var again = await CliRun.RunAsync(["restore-from", bundle, "--packages", packages, "--json"]);

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Equal(RestoreTestSolution.ExpectedPackages.Order(), Summary(first.Output).Added.Order());
        Assert.True(Summary(first.Output).TransferredBytes > 0);
        Assert.True(again.ExitCode == 0, again.Error);
        var (added, kept, transferred) = Summary(again.Output);
        Assert.Empty(added);
        Assert.Equal(RestoreTestSolution.ExpectedPackages.Order(), kept);
        // No load ran: a load of the file, even into a staging folder it then drops, reads every byte of it.
        Assert.Equal(0, transferred);
    }

    [Fact]
    public async Task RestoreFrom_BundleOutsideTheNuGetLayout_FailsNamingThePackageAndAddsNothing()
    {
        Directory.CreateDirectory(_temp["archives"]);
        TestArchives.Zip(_temp["archives/tool.1.0.0.zip"], ArchiveContent.Sample("tool", 2));
        var pack = await CliRun.RunAsync(["pack", "--from-dir", _temp["archives"], "-o", _temp["tool.tar.zst"]]);
        Assert.True(pack.ExitCode == 0, pack.Error);
        var packages = _temp["packages"];
        CopyPackage("deep/1.3.0", packages);

        var run = await CliRun.RunAsync(["restore-from", _temp["tool.tar.zst"], "--packages", packages]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("tool/1.0.0 outside the NuGet layout", run.Error, StringComparison.Ordinal);
        Assert.Equal(["deep"], Directory.EnumerateFileSystemEntries(packages).Select(Path.GetFileName));
    }

    private static (List<string> Added, List<string> Kept, long TransferredBytes) Summary(string json)
    {
        using var summary = JsonDocument.Parse(json);
        List<string> Folders(string name) => [.. summary.RootElement.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];
        return (Folders("added"), Folders("kept"), summary.RootElement.GetProperty("transferredBytes").GetInt64());
    }

    private void CopyPackage(string package, string packagesFolder)
    {
        var from = Path.Combine(fixture.FreshPackages, package);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(packagesFolder, package, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
    }
}
