using System.Runtime.InteropServices;
using Bundler.Testing;

namespace Bundler.Build.Tests;

/// <summary>
/// Packs Bundler.Build and Bundler.Cli once per test run into a local feed, and gives each scenario what a user's machine
/// would have: a nuget.config with that feed (for Bundler.*) and the usual source (for anything else), and a packages
/// folder of its own, so that a copy restored by an earlier run can never stand in for the package just packed.
/// </summary>
public sealed class PackagesFixture : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _root = new();

    public string Feed => _root["feed"];

    public string PackagesFolder => _root["nuget-packages"];

    public string Version { get; private set; } = "";

    /// <summary>
    /// What every <c>dotnet</c> command of a scenario runs with: its own packages folder, and its own CLI home, whose
    /// tool resolver cache would otherwise remember where an earlier run restored a local tool of the same version.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["NUGET_PACKAGES"] = PackagesFolder,
        ["DOTNET_CLI_HOME"] = _root["cli-home"],
    };

    /// <summary>
    /// The runtime identifier of the Native AOT tool package packed for this machine; null when this machine cannot
    /// build one (no C toolchain), and the feed's tool is the portable one alone.
    /// </summary>
    public string? NativeRuntimeIdentifier { get; private set; }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Feed);
        // Packing uses the machine's own packages folder: the repository's dependencies are restored there already.
        await PackAsync("src/Bundler.Build");

        // The tool as a release packs it: the package users install, naming a package per runtime identifier, then each
        // of those this machine can build: the portable one and its own platform's precompiled one.
        var host = RuntimeInformation.RuntimeIdentifier;
        await PackAsync("src/Bundler.Cli", NativeToolchain.Available ? [] : ["-p:ToolPackageRuntimeIdentifiers=any"]);
        foreach (var rid in ToolPackage.RuntimeIdentifiers(Directory.GetFiles(Feed, "Bundler.Cli.*.nupkg").Single()))
        {
            if (rid == "any")
            {
                await PackAsync("src/Bundler.Cli", ["-r", rid]);
            }
            else if (rid == host)
            {
                await PackAsync("src/Bundler.Cli", ["-r", rid]);
                NativeRuntimeIdentifier = rid;
            }
        }

        var package = Directory.GetFiles(Feed, "Bundler.Build.*.nupkg").Single();
        Version = Path.GetFileNameWithoutExtension(package)["Bundler.Build.".Length..];
    }

    private async Task PackAsync(string project, string[]? properties = null) =>
        (await DotNet.RunAsync(RepositoryRoot.Path, null, ["pack", project, "-o", Feed, "-nodeReuse:false", "--disable-build-servers", "-tl:off", .. properties ?? []])).EnsureSuccess();

    /// <summary>Writes a nuget.config into <paramref name="directory"/> that maps Bundler.* to the local feed only, everything else to <paramref name="otherSource"/>.</summary>
    public void WriteNuGetConfig(string directory, string otherSource = "https://api.nuget.org/v3/index.json") => File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <clear />
            <add key="local" value="{Feed}" />
            <add key="other" value="{otherSource}" allowInsecureConnections="true" />
          </packageSources>
          <packageSourceMapping>
            <packageSource key="local"><package pattern="Bundler.*" /></packageSource>
            <packageSource key="other"><package pattern="*" /></packageSource>
          </packageSourceMapping>
        </configuration>
        """);

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _root.Dispose();
}
