using System.Diagnostics;
using Bundler.Testing.Http;

namespace Bundler.Testing.Feeds;

/// <summary>
/// A solution (<c>app.slnx</c>) restored from a <see cref="NuGetTestFeed"/> on a real Kestrel server, for checks
/// against real <c>dotnet restore</c>. Its graph has every rule restore follows:
/// <list type="bullet">
/// <item>cousins: <c>Lib.A</c> needs <c>Deep &gt;= 1.1.0</c>, <c>Lib.B</c> needs <c>Deep &gt;= 1.3.0</c>: restore takes 1.3.0;</item>
/// <item>nearest wins: <c>App</c> references <c>Mid 2.0.0</c>, and <c>Lib.A</c> needs <c>Mid 1.0.0</c>, which alone
/// depends on <c>Gone</c>: restore takes Mid 2.0.0 and no Gone;</item>
/// <item>a direct reference wins: <c>Lib.A</c> needs <c>Pinned &gt;= 0.9.0</c>, <c>App</c> references 2.0.0;</item>
/// <item>two target frameworks (net10.0, netstandard2.0): <c>Lib.A</c> needs <c>OnlyStd</c> for netstandard2.0 only,
/// and netstandard2.0 brings the SDK's implicit <c>NETStandard.Library</c> (served by the feed, a made-up one);</item>
/// <item>PackageDownload of <c>Tool.Pack</c>, which restore downloads but lists as no library;</item>
/// <item>central package management, with <c>Other</c> taking <c>Deep 1.4.0</c> by VersionOverride.</item>
/// </list>
/// Restore writes into <see cref="PackagesFolder"/> (RestorePackagesPath), never the user's global packages folder.
/// </summary>
public sealed class RestoreTestSolution : IAsyncDisposable
{
    private readonly TempDirectory _temp = new();

    private RestoreTestSolution(LoopbackServer feed)
    {
        Feed = feed;
        Directory.CreateDirectory(EmptySource);
    }

    public LoopbackServer Feed { get; }

    /// <summary>The folder of app.slnx, Directory.Packages.props, nuget.config and the two projects.</summary>
    public string Root => _temp["solution"];

    public string Solution => Path.Combine(Root, "app.slnx");

    /// <summary>Where restores of the solution put packages unless told otherwise.</summary>
    public string PackagesFolder => _temp["packages"];

    /// <summary>A package source with nothing in it, for restores that must find everything in the packages folder.</summary>
    public string EmptySource => _temp["empty-source"];

    public string this[string relative] => _temp[relative];

    /// <summary>The <c>id/version</c> folders (lower case) restore would put in a packages folder for the solution.</summary>
    public static IReadOnlySet<string> ExpectedPackages { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "lib.a/1.0.0", "lib.b/1.0.0", "deep/1.3.0", "deep/1.4.0", "mid/2.0.0", "pinned/2.0.0", "onlystd/1.0.0",
        "netstandard.library/2.0.3", "microsoft.netcore.platforms/1.1.0", "tool.pack/1.0.0",
    };

    public static async Task<RestoreTestSolution> CreateAsync()
    {
        var feed = await new NuGetTestFeed()
            .Add("Lib.A", "1.0.0", new TestDependency("Deep", "1.1.0"), new TestDependency("Mid", "1.0.0"), new TestDependency("Pinned", "0.9.0"),
                new TestDependency("Deep", "1.1.0", "netstandard2.0"), new TestDependency("Mid", "1.0.0", "netstandard2.0"), new TestDependency("Pinned", "0.9.0", "netstandard2.0"), new TestDependency("OnlyStd", "1.0.0", "netstandard2.0"))
            .Add("Lib.B", "1.0.0", new TestDependency("Deep", "1.3.0"))
            .Add("Deep", "1.0.0").Add("Deep", "1.1.0").Add("Deep", "1.3.0").Add("Deep", "1.4.0").Add("Deep", "2.0.0")
            .Add("Mid", "1.0.0", new TestDependency("Gone", "1.0.0")).Add("Mid", "2.0.0")
            .Add("Gone", "1.0.0")
            .Add("Pinned", "0.9.0").Add("Pinned", "1.0.0").Add("Pinned", "2.0.0")
            .Add("OnlyStd", "1.0.0")
            .Add("NETStandard.Library", "2.0.3", new TestDependency("Microsoft.NETCore.Platforms", "1.1.0"))
            .Add("Microsoft.NETCore.Platforms", "1.1.0")
            .Add("Tool.Pack", "1.0.0")
            .StartAsync();
        var solution = new RestoreTestSolution(feed);
        solution.Write();
        return solution;
    }

    /// <summary>Runs <c>dotnet restore</c> of the solution with <paramref name="arguments"/>; returns the exit code and all it printed.</summary>
    public (int ExitCode, string Output) Restore(params string[] arguments) => Dotnet(Root, ["restore", Solution, "-nologo", "-v:q", .. arguments]);

    /// <summary>The <c>id/version</c> folders of a packages folder that restore counts as installed (they hold <c>.nupkg.metadata</c>).</summary>
    public static IReadOnlySet<string> InstalledPackages(string packagesFolder) => Directory.EnumerateFiles(packagesFolder, ".nupkg.metadata", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(packagesFolder, Path.GetDirectoryName(f)!).Replace('\\', '/'))
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/> (and, for MSBuild commands, no node reuse) and <paramref name="environment"/> added to this process's.</summary>
    public static (int ExitCode, string Output) Dotnet(string workingDirectory, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (start.ArgumentList[0] is "restore" or "build" or "msbuild")
        {
            start.ArgumentList.Add("-nodeReuse:false");
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error.Result);
    }

    public async ValueTask DisposeAsync()
    {
        await Feed.DisposeAsync();
        _temp.Dispose();
    }

    private void Write()
    {
        Directory.CreateDirectory(Path.Combine(Root, "App"));
        Directory.CreateDirectory(Path.Combine(Root, "Other"));
        File.WriteAllText(Path.Combine(Root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="test" value="{NuGetTestFeed.ServiceIndex(Feed)}" allowInsecureConnections="true" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(Root, "Directory.Build.props"), $"""
            <Project>
              <PropertyGroup>
                <RestorePackagesPath>{PackagesFolder}</RestorePackagesPath>
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(Root, "Directory.Packages.props"), """
            <Project>
              <PropertyGroup>
                <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
                <PackageVersion Include="Lib.A" Version="1.0.0" />
                <PackageVersion Include="Lib.B" Version="1.0.0" />
                <PackageVersion Include="Mid" Version="2.0.0" />
                <PackageVersion Include="Pinned" Version="2.0.0" />
                <PackageVersion Include="Deep" Version="1.0.0" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(Root, "App", "App.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFrameworks>net10.0;netstandard2.0</TargetFrameworks>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Lib.A" />
                <PackageReference Include="Lib.B" />
                <PackageReference Include="Mid" />
                <PackageReference Include="Pinned" />
                <PackageDownload Include="Tool.Pack" Version="[1.0.0]" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(Root, "Other", "Other.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Deep" VersionOverride="1.4.0" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Solution, """
            <Solution>
              <Project Path="App/App.csproj" />
              <Project Path="Other/Other.csproj" />
            </Solution>
            """);
    }
}
