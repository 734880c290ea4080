using System.Text.Json;
using Bundler.Testing;
using Bundler.Testing.Sources;

namespace Bundler.Core.Tests.Sources;

/// <summary>
/// Closures from the registries this machine is configured with, compared with what the ecosystems' own tools resolve
/// for the same references: <c>dotnet restore</c> (project.assets.json) and <c>npm install --package-lock-only</c>.
/// </summary>
public sealed class OnlineClosureTests : IDisposable
{
    private readonly PackageSetHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private static readonly (string Id, string Version)[] NuGetReferences =
        [("Microsoft.Extensions.Logging", "8.0.0"), ("Newtonsoft.Json", "13.0.1"), ("Serilog.Sinks.Console", "5.0.0"), ("NuGet.Packaging", "6.7.0")];

    private static readonly (string Name, string Range)[] NpmReferences =
        [("express", "^4.18.0"), ("react-dom", "^18.2.0"), ("chalk", "^4.1.0"), ("semver", "~7.5.0")];

    [OnlineFact("dotnet")]
    public async Task Resolve_NuGetClosureOnline_EqualsDotnetRestore()
    {
        var project = _harness.Temp["restore"];
        Directory.CreateDirectory(project);
        await File.WriteAllTextAsync(Path.Combine(project, "probe.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net8.0</TargetFramework>
                <RestoreEnablePackagePruning>false</RestoreEnablePackagePruning>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                <ImportDirectoryBuildProps>false</ImportDirectoryBuildProps>
                <ImportDirectoryPackagesProps>false</ImportDirectoryPackagesProps>
              </PropertyGroup>
              <ItemGroup>
                {string.Join("\n    ", NuGetReferences.Select(r => $"<PackageReference Include=\"{r.Id}\" Version=\"{r.Version}\" />"))}
              </ItemGroup>
            </Project>
            """);
        var restore = ExternalTool.Shell($"dotnet restore probe.csproj --packages {_harness.Temp["packages"]}", project);
        Assert.True(restore.ExitCode == 0, restore.Output + restore.Error);
        using var assets = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(project, "obj", "project.assets.json")));
        var expected = assets.RootElement.GetProperty("libraries").EnumerateObject()
            .Where(l => l.Value.GetProperty("type").GetString() == "package")
            .Select(l => l.Name.Replace('/', ' '))
            .Order(StringComparer.OrdinalIgnoreCase).ToList();
        var source = ExternalTool.Shell("dotnet nuget list source --format short").Output
            .Split('\n').Select(l => l.Trim()).First(l => l.StartsWith('E') && l.Contains("http", StringComparison.Ordinal))[1..].Trim();

        var set = await _harness.ResolveAsync($$"""
            {
              "sources": { "nuget": { "type": "nuget", "url": "{{source}}", "targetFramework": "net8.0", "transitive": true } },
              "packages": [ {{string.Join(", ", NuGetReferences.Select(r => $$"""{ "source": "nuget", "id": "{{r.Id}}", "version": "{{r.Version}}" }"""))}} ]
            }
            """);

        var actual = set.Packages.Select(p => $"{p.Id} {p.Version}").Order(StringComparer.OrdinalIgnoreCase).ToList();
        Assert.Equal(expected.Select(e => e.ToUpperInvariant()), actual.Select(a => a.ToUpperInvariant()));
    }

    [OnlineFact("npm")]
    public async Task Resolve_NpmClosureOnline_EqualsNpmInstallPackageLockOnly()
    {
        var project = _harness.Temp["npm"];
        Directory.CreateDirectory(project);
        await File.WriteAllTextAsync(Path.Combine(project, "package.json"), JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["name"] = "probe",
            ["version"] = "1.0.0",
            ["dependencies"] = NpmReferences.ToDictionary(r => r.Name, r => r.Range),
        }));
        var install = ExternalTool.Shell("npm install --package-lock-only --ignore-scripts --no-audit --no-fund", project);
        Assert.True(install.ExitCode == 0, install.Output + install.Error);
        using var lockFile = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(project, "package-lock.json")));
        var expected = lockFile.RootElement.GetProperty("packages").EnumerateObject()
            .Where(p => p.Name.Length > 0)
            .Select(p => (p.Value.TryGetProperty("name", out var name) ? name.GetString()! : p.Name[(p.Name.LastIndexOf("node_modules/", StringComparison.Ordinal) + 13)..])
                + " " + p.Value.GetProperty("version").GetString())
            .Distinct().Order(StringComparer.Ordinal).ToList();
        var registry = ExternalTool.Shell("npm config get registry").Output.Trim();

        var set = await _harness.ResolveAsync($$"""
            {
              "sources": { "npm": { "type": "npm", "url": "{{registry}}", "transitive": true } },
              "packages": [ {{string.Join(", ", NpmReferences.Select(r => $$"""{ "source": "npm", "id": "{{r.Name}}", "version": "{{r.Range}}" }"""))}} ]
            }
            """);

        var actual = set.Packages.Select(p => $"{p.Id} {p.Version}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, actual);
    }
}
