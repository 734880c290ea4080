using System.Text.Json;
using Bundler.Loader.Format;
using Bundler.Loader.Unpacking;
using Bundler.Testing;

namespace Bundler.Build.Tests;

/// <summary>The README's way in: install Bundler.Cli from a local feed into a tool manifest, then run it.</summary>
[Collection(PackedFeed.Name)]
public sealed class ToolScenario(PackagesFixture packages)
{
    [Fact]
    public async Task Tool_InstalledFromTheFeed_ShowsHelpAndPacks()
    {
        using var temp = new TempDirectory();
        // No source but the one given on the command line: the tool needs nothing else.
        File.WriteAllText(temp["nuget.config"], "<configuration><packageSources><clear /></packageSources></configuration>");
        (await DotNet.RunAsync(temp.Path, packages.Environment, "new", "tool-manifest")).EnsureSuccess();
        (await DotNet.RunAsync(temp.Path, packages.Environment, "tool", "install", "--add-source", packages.Feed, "Bundler.Cli", "--version", packages.Version)).EnsureSuccess();

        var help = (await DotNet.RunAsync(temp.Path, packages.Environment, "bundle-packages", "--help")).EnsureSuccess();
        foreach (var command in new[] { "pack", "unpack", "inspect", "verify" })
        {
            Assert.Contains(command, help.Output, StringComparison.Ordinal);
        }

        Directory.CreateDirectory(temp["archives"]);
        TestArchives.TarGz(temp["archives/gamma.3.1.0.tgz"], new ArchiveContent().Add("package/index.js", "gamma"));
        var pack = (await DotNet.RunAsync(temp.Path, packages.Environment, "bundle-packages", "pack", "--from-dir", "archives", "-o", "out/gamma.tar.zst", "--json")).EnsureSuccess();
        using var summary = JsonDocument.Parse(pack.Output);
        Assert.Equal(1, summary.RootElement.GetProperty("packages").GetInt32());

        await using var bundle = File.OpenRead(temp["out/gamma.tar.zst"]);
        var verified = await BundleReader.VerifyAsync(bundle);
        Assert.Equal("gamma", Assert.Single(verified.Manifest.Packages).Id);

        var usage = await DotNet.RunAsync(temp.Path, packages.Environment, "bundle-packages", "pack");
        Assert.Equal(2, usage.ExitCode);
    }
}
