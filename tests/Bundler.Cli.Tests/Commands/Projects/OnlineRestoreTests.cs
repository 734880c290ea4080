using System.Text.Json;
using Bundler.Testing;
using Bundler.Testing.Feeds;

namespace Bundler.Cli.Tests.Commands.Projects;

/// <summary>
/// <c>pack --project</c> against real <c>dotnet restore</c> on real nuget.org graphs the offline tests have not seen:
/// a netstandard2.0 project, a multi-targeting one, and a solution with central package management and lock files.
/// Each is restored fresh into an empty folder; its bundle, loaded into another empty folder with
/// <c>restore-from</c>, holds exactly the packages the fresh restore used, and restore from that folder with an
/// empty source resolves exactly what the fresh restore resolved.
/// </summary>
public sealed class OnlineRestoreTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [OnlineFact("dotnet")]
    public async Task PackProject_NetStandardProjectOnNuGetOrg_RestoresOfflineToWhatAFreshRestoreResolved()
    {
        var project = WriteProject("Std/Std.csproj", "netstandard2.0", """
            <PackageReference Include="Newtonsoft.Json" Version="13.0.3" />
            <PackageReference Include="System.Text.Json" Version="8.0.5" />
            """);

        await AssertRestoresOfflineAsRestoreDidAsync(project, lockedMode: false);
    }

    [OnlineFact("dotnet")]
    public async Task PackProject_MultiTargetingProjectOnNuGetOrg_RestoresOfflineToWhatAFreshRestoreResolved()
    {
        var project = WriteProject("Multi/Multi.csproj", "net8.0;netstandard2.0", """
            <PackageReference Include="Microsoft.Extensions.Logging" Version="8.0.1" />
            <PackageReference Include="Polly" Version="8.4.2" />
            """);

        await AssertRestoresOfflineAsRestoreDidAsync(project, lockedMode: false);
    }

    [OnlineFact("dotnet")]
    public async Task PackProject_CentrallyManagedSolutionOnNuGetOrg_RestoresLockedOfflineToWhatAFreshRestoreResolved()
    {
        await File.WriteAllTextAsync(_temp["Directory.Packages.props"], """
            <Project>
              <PropertyGroup><ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally></PropertyGroup>
              <ItemGroup>
                <PackageVersion Include="Microsoft.Extensions.Http" Version="8.0.1" />
                <PackageVersion Include="Serilog" Version="3.1.1" />
                <PackageVersion Include="Newtonsoft.Json" Version="13.0.3" />
              </ItemGroup>
            </Project>
            """);
        WriteProject("Lib/Lib.csproj", "netstandard2.0", """<PackageReference Include="Microsoft.Extensions.Http" />""");
        WriteProject("App/App.csproj", "net8.0", """
            <PackageReference Include="Serilog" />
            <PackageReference Include="Newtonsoft.Json" VersionOverride="13.0.1" />
            <ProjectReference Include="../Lib/Lib.csproj" />
            """);
        await File.WriteAllTextAsync(_temp["App.slnx"], """
            <Solution>
              <Project Path="App/App.csproj" />
              <Project Path="Lib/Lib.csproj" />
            </Solution>
            """);

        await AssertRestoresOfflineAsRestoreDidAsync(_temp["App.slnx"], lockedMode: true);
    }

    private async Task AssertRestoresOfflineAsRestoreDidAsync(string path, bool lockedMode)
    {
        var (fresh, loaded, empty) = (_temp["fresh"], _temp["loaded"], Directory.CreateDirectory(_temp["empty-source"]).FullName);
        var freshRestore = Dotnet(["restore", path, "--packages", fresh]);
        Assert.True(freshRestore.ExitCode == 0, freshRestore.Output);
        var resolvedFresh = Resolved();

        var pack = await CliRun.RunAsync(["pack", "--project", path, "-o", _temp["bundle.tar.zst"], "--progress", "none"]);
        Assert.True(pack.ExitCode == 0, pack.Error);
        var load = await CliRun.RunAsync(["restore-from", _temp["bundle.tar.zst"], "--packages", loaded]);
        Assert.True(load.ExitCode == 0, load.Error);
        var bundled = RestoreTestSolution.InstalledPackages(loaded);
        var offline = Dotnet(["restore", path, "--packages", loaded, "--source", empty, "-p:RestoreNoHttpCache=true", .. lockedMode ? ["--locked-mode"] : Array.Empty<string>()]);

        Assert.True(offline.ExitCode == 0, offline.Output);
        Assert.Equal(resolvedFresh.Order(StringComparer.Ordinal), bundled.Order(StringComparer.Ordinal));
        Assert.Subset(RestoreTestSolution.InstalledPackages(fresh).ToHashSet(), bundled.ToHashSet());
        Assert.Equal(resolvedFresh.Order(StringComparer.Ordinal), Resolved().Order(StringComparer.Ordinal));
        Assert.Equal(bundled.Order(StringComparer.Ordinal), RestoreTestSolution.InstalledPackages(loaded).Order(StringComparer.Ordinal));
        if (lockedMode)
        {
            Assert.NotEmpty(Directory.EnumerateFiles(_temp.Path, "packages.lock.json", SearchOption.AllDirectories));
        }
    }

    /// <summary>
    /// What the last restore resolved, as <c>id/version</c> folders: every project.assets.json's packages and each
    /// framework's PackageDownload packages, read here as plain JSON.
    /// </summary>
    private HashSet<string> Resolved()
    {
        var resolved = new HashSet<string>(StringComparer.Ordinal);
        foreach (var assets in Directory.EnumerateFiles(_temp.Path, "project.assets.json", SearchOption.AllDirectories))
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(assets));
            foreach (var library in document.RootElement.GetProperty("libraries").EnumerateObject().Where(l => l.Value.GetProperty("type").GetString() == "package"))
            {
                resolved.Add(library.Name.ToLowerInvariant());
            }

            foreach (var framework in document.RootElement.GetProperty("project").GetProperty("frameworks").EnumerateObject())
            {
                foreach (var download in framework.Value.TryGetProperty("downloadDependencies", out var downloads) ? downloads.EnumerateArray() : default)
                {
                    // An exact range: "[8.0.31, 8.0.31]".
                    var version = download.GetProperty("version").GetString()!.Trim('[', ']').Split(',')[0].Trim();
                    resolved.Add($"{download.GetProperty("name").GetString()}/{version}".ToLowerInvariant());
                }
            }
        }

        return resolved;
    }

    private string WriteProject(string relative, string frameworks, string items)
    {
        var path = _temp[relative];
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFrameworks>{frameworks}</TargetFrameworks>
              </PropertyGroup>
              <ItemGroup>
                {items}
              </ItemGroup>
            </Project>
            """);
        return path;
    }

    private (int ExitCode, string Output) Dotnet(IEnumerable<string> arguments)
    {
        WriteConfiguration();
        return RestoreTestSolution.Dotnet(_temp.Path, arguments);
    }

    /// <summary>nuget.org only; pack's restores go into a packages folder of the test's own, never the user's.</summary>
    private void WriteConfiguration()
    {
        File.WriteAllText(_temp["nuget.config"], """
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(_temp["Directory.Build.props"], $"""
            <Project>
              <PropertyGroup>
                <RestorePackagesPath>{_temp["pack-packages"]}</RestorePackagesPath>
                <RestorePackagesWithLockFile Condition="Exists('$(MSBuildThisFileDirectory)Directory.Packages.props')">true</RestorePackagesWithLockFile>
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
            </Project>
            """);
    }
}
