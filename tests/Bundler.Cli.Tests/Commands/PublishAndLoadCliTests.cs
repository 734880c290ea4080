using System.Text.Json;
using Bundler.Loader.Format;
using Bundler.Serving.Faults;
using Bundler.Testing;
using Bundler.Testing.Http;
using Bundler.Testing.Loading;

namespace Bundler.Cli.Tests.Commands;

/// <summary><c>pack --publish</c> and <c>load</c>, run through the tool's entry point against real folders and a loopback server.</summary>
public sealed class PublishAndLoadCliTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public PublishAndLoadCliTests()
    {
        Directory.CreateDirectory(_temp["in"]);
        TestArchives.Zip(_temp["in/Some.Package.1.2.3.nupkg"], ArchiveContent.Sample("Some.Package"));
        TestArchives.TarGz(_temp["in/is-number.7.0.0.tgz"], ArchiveContent.Sample("is-number", 2));
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Pack_Publish_WritesTheBundleTheManifestAndTheOriginalArchivesUnderTheirDigests()
    {
        var pack = await RunAsync("pack", "--from-dir", _temp["in"], "--publish", _temp["pub"]);

        Assert.Equal(0, pack.ExitCode);
        Assert.Equal([".bundler-publish", "bundles", "files", "index.json", "integrity.txt", "manifests"], TreeAssert.Listing(_temp["pub"]));
        Assert.Equal(File.ReadAllBytes(_temp["in/is-number.7.0.0.tgz"]), File.ReadAllBytes(PublishFolder.ArchivePath(_temp["pub"], "is-number.7.0.0.tgz")));
        Assert.Equal(File.ReadAllBytes(_temp["in/Some.Package.1.2.3.nupkg"]), File.ReadAllBytes(PublishFolder.ArchivePath(_temp["pub"], "Some.Package.1.2.3.nupkg")));
        var bundle = PublishFolder.BundlePath(_temp["pub"]);
        Assert.Equal("bundles/sha256-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(bundle))) + "/packages.tar.zst", PublishFolder.BundleName(_temp["pub"]));
        var embedded = BundleForger.ReadManifest(bundle);
        Assert.Equal(ManifestJson.Serialize(embedded), File.ReadAllBytes(PublishFolder.ManifestPath(_temp["pub"])));
        Assert.Contains("Published to " + _temp["pub"], pack.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pack_PublishIntoAnExistingFolder_ReplacesOnlyAPreviousPublishFolder()
    {
        Assert.Equal(0, (await RunAsync("pack", "--from-dir", _temp["in"], "--publish", _temp["pub"])).ExitCode);
        File.Delete(_temp["in/is-number.7.0.0.tgz"]);
        Assert.Equal(0, (await RunAsync("pack", "--from-dir", _temp["in"], "--publish", _temp["pub"])).ExitCode);
        // The previous publish's objects stay for loads still reading them; the one before is removed.
        Assert.Equal(2, TreeAssert.Listing(_temp["pub/bundles"]).Length);
        Assert.Equal(0, (await RunAsync("pack", "--from-dir", _temp["in"], "--publish", _temp["pub"])).ExitCode);
        Assert.Equal([PublishFolder.BundleName(_temp["pub"]).Split('/')[1]], TreeAssert.Listing(_temp["pub/bundles"]));
        Assert.Equal([PublishFolder.ArchiveName(_temp["pub"], "Some.Package.1.2.3.nupkg").Split('/')[1]], TreeAssert.Listing(_temp["pub/files"]));
        Assert.Equal(["in", "pub"], TreeAssert.Listing(_temp.Path));

        Directory.CreateDirectory(_temp["mine"]);
        File.WriteAllText(_temp["mine/notes.txt"], "mine");
        var refused = await RunAsync("pack", "--from-dir", _temp["in"], "--publish", _temp["mine"]);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("not a publish folder", refused.Error, StringComparison.Ordinal);
        Assert.Equal(["notes.txt"], TreeAssert.Listing(_temp["mine"]));
    }

    [Fact]
    public async Task Load_IntoAnEarlierLoad_FetchesOnlyTheChangedPackageAndSaysSo()
    {
        Assert.Equal(0, (await RunAsync("pack", "--from-dir", _temp["in"], "--publish", _temp["pub"])).ExitCode);
        Assert.Equal(0, (await RunAsync("load", _temp["pub"], "-o", _temp["tree"])).ExitCode);
        File.Delete(_temp["in/is-number.7.0.0.tgz"]);
        TestArchives.TarGz(_temp["in/is-number.7.0.1.tgz"], ArchiveContent.Sample("is-number", 3));
        Assert.Equal(0, (await RunAsync("pack", "--from-dir", _temp["in"], "--publish", _temp["pub"])).ExitCode);

        var update = await RunAsync("load", _temp["pub"], "-o", _temp["tree"], "--verify-local", "--json");

        Assert.Equal(0, update.ExitCode);
        using var json = JsonDocument.Parse(update.Output);
        Assert.Equal(["Some.Package/1.2.3"], json.RootElement.GetProperty("kept").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["is-number/7.0.1"], json.RootElement.GetProperty("fetched").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["is-number/7.0.0"], json.RootElement.GetProperty("removed").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["7.0.1"], TreeAssert.Listing(_temp["tree/is-number"]));
        var text = await RunAsync("load", _temp["pub"], "-o", _temp["tree"]);
        Assert.Contains("update: 2 kept, 0 fetched, 0 removed", text.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pack_WithBothOrNeitherOfOutputAndPublish_IsAUsageError()
    {
        Assert.Equal(2, (await RunAsync("pack", "--from-dir", _temp["in"])).ExitCode);
        Assert.Equal(2, (await RunAsync("pack", "--from-dir", _temp["in"], "-o", _temp["b.tar.zst"], "--publish", _temp["pub"])).ExitCode);
    }

    [Fact]
    public async Task Load_SubsetOverHttpInEveryMode_PrintsTheReport()
    {
        Assert.Equal(0, (await RunAsync("pack", "--from-dir", _temp["in"], "--publish", _temp["pub"])).ExitCode);
        await using var server = await LoopbackServer.ServeDirectoryAsync(_temp["pub"]);
        foreach (var mode in new[] { "bundle", "files", "ranges" })
        {
            var load = await RunAsync("load", server.BaseUri.ToString(), "-o", _temp["tree-" + mode], "--mode", mode, "--packages", "is-number", "--json");

            Assert.Equal(0, load.ExitCode);
            using var json = JsonDocument.Parse(load.Output);
            Assert.Equal(mode, json.RootElement.GetProperty("mode").GetString());
            Assert.Equal(1, json.RootElement.GetProperty("packages").GetInt32());
            Assert.True(json.RootElement.GetProperty("transferredBytes").GetInt64() > 0);
            Assert.Equal([".bundler-load", "is-number"], TreeAssert.Listing(_temp["tree-" + mode]));
        }

        var text = await RunAsync("load", _temp["pub"], "-o", _temp["tree-text"]);
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("bundle: 2 packages, 10 files", text.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pack_NuGetLayout_LaysOutOnlyTheNupkgsAsAGlobalPackagesFolder()
    {
        Assert.Equal(0, (await RunAsync("pack", "--from-dir", _temp["in"], "--publish", _temp["pub"], "--nuget-layout")).ExitCode);
        Assert.Equal(0, (await RunAsync("load", _temp["pub"], "-o", _temp["tree"], "--mode", "files")).ExitCode);

        Assert.Equal([".bundler-load", "is-number", "some.package"], TreeAssert.Listing(_temp["tree"]));
        Assert.Equal(["1.2.3"], TreeAssert.Listing(_temp["tree/some.package"]));
        var nupkgHash = Convert.ToBase64String(System.Security.Cryptography.SHA512.HashData(File.ReadAllBytes(_temp["in/Some.Package.1.2.3.nupkg"])));
        Assert.Equal(nupkgHash, File.ReadAllText(_temp["tree/some.package/1.2.3/some.package.1.2.3.nupkg.sha512"]));
        Assert.Contains(nupkgHash, File.ReadAllText(_temp["tree/some.package/1.2.3/.nupkg.metadata"]), StringComparison.Ordinal);
        Assert.True(File.Exists(_temp["tree/is-number/7.0.0/README.md"]));
    }

    [Fact]
    public async Task Load_BadLocationOrMode_ExitsWithTheRightCode()
    {
        var missing = await RunAsync("load", _temp["nowhere"], "-o", _temp["tree"]);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("nowhere", missing.Error, StringComparison.Ordinal);
        Assert.Equal(2, (await RunAsync("load", _temp["pub"], "-o", _temp["tree"], "--mode", "teleport")).ExitCode);
        Assert.False(Directory.Exists(_temp["tree"]));
    }

    [Fact]
    public async Task Load_StallTimeout_ResumesAfterThatLongAndRefusesABadValue()
    {
        Assert.Equal(0, (await RunAsync("pack", "--from-dir", _temp["in"], "--publish", _temp["pub"])).ExitCode);
        var plan = new FaultPlan(new Fault(FaultKind.StallBody, "/" + PublishFolder.BundleName(_temp["pub"])) { AtByte = 100 });
        await using var server = await FaultyServer.ServeDirectoryAsync(_temp["pub"], plan);

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var load = await RunAsync("load", server.BaseUri.ToString(), "-o", _temp["tree"], "--stall-timeout", "1s", "--json");

        Assert.Equal(0, load.ExitCode);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20));
        using var json = JsonDocument.Parse(load.Output);
        Assert.Equal(1, json.RootElement.GetProperty("retries").GetInt32());
        Assert.True(File.Exists(_temp["tree/is-number/7.0.0/README.md"]));

        var bad = await RunAsync("load", server.BaseUri.ToString(), "-o", _temp["tree2"], "--stall-timeout", "soon");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--stall-timeout 'soon'", bad.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp["tree2"]));
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }
}
