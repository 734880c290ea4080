using System.Security.Cryptography;
using Bundler.Core.Download;
using Bundler.Core.Pipeline;
using Bundler.Testing;
using Bundler.Testing.Feeds;
using Bundler.Testing.Http;

namespace Bundler.Cli.Tests.Commands;

/// <summary><c>pack bundle.json</c> end to end: resolve against real feeds, download into the cache, bundle, publish, load.</summary>
public sealed class PackFromBundleJsonTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Pack_BundleJsonToPublishFolder_LoadsTheSameInEveryMode()
    {
        await using var feed = await new NuGetTestFeed()
            .Add("A.First", "1.0.0", new TestDependency("C.Dep", "1.0.0"))
            .Add("C.Dep", "1.0.0")
            .Add("C.Dep", "1.1.0")
            .StartAsync();
        Directory.CreateDirectory(_temp["web"]);
        TestArchives.TarGz(_temp["web/tool.tgz"], ArchiveContent.Sample("tool", 2));
        await using var web = await LoopbackServer.ServeDirectoryAsync(_temp["web"]);
        var bundleJson = WriteBundleJson(feed, web);

        var pack = await RunAsync("pack", bundleJson, "--publish", _temp["pub"], "--cache", _temp["cache"], "--progress", "none");

        Assert.True(pack.ExitCode == 0, pack.Error);
        Assert.Contains("3 packages", pack.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(_temp["bundle.lock.json"]));
        Assert.Equal(1, feed.CountPath("/v3/flat/c.dep/1.0.0/c.dep.1.0.0.nupkg"));
        Assert.Equal(1, web.CountPath("/tool.tgz"));
        foreach (var mode in new[] { "bundle", "files", "ranges" })
        {
            var load = await RunAsync("load", _temp["pub"], "-o", _temp["tree-" + mode], "--mode", mode);
            Assert.True(load.ExitCode == 0, load.Error);
        }

        TreeAssert.Equal(_temp["tree-bundle"], _temp["tree-files"]);
        TreeAssert.Equal(_temp["tree-bundle"], _temp["tree-ranges"]);
        // NuGet packages land as a global packages folder; the dependency is in, at the lowest version that satisfies it.
        Assert.True(File.Exists(_temp["tree-bundle/a.first/1.0.0/a.first.nuspec"]));
        Assert.True(File.Exists(_temp["tree-bundle/a.first/1.0.0/.nupkg.metadata"]));
        Assert.True(File.Exists(_temp["tree-bundle/c.dep/1.0.0/lib/netstandard2.0/C.Dep.dll"]));
        Assert.False(Directory.Exists(_temp["tree-bundle/c.dep/1.1.0"]));
        Assert.False(File.Exists(_temp["tree-bundle/a.first/1.0.0/lib/netstandard2.0/A.First.xml"]));
        Assert.True(Directory.Exists(_temp["tree-bundle/tool/2.0.0"]));
    }

    [Fact]
    public async Task Pack_SecondAndLockedRun_WriteTheSameBundleWithoutRefetchingArchives()
    {
        await using var feed = await new NuGetTestFeed().Add("A.First", "1.0.0", new TestDependency("C.Dep", "1.0.0")).Add("C.Dep", "1.0.0").StartAsync();
        Directory.CreateDirectory(_temp["web"]);
        TestArchives.TarGz(_temp["web/tool.tgz"], ArchiveContent.Sample("tool", 2));
        await using var web = await LoopbackServer.ServeDirectoryAsync(_temp["web"]);
        var bundleJson = WriteBundleJson(feed, web);

        var first = await RunAsync("pack", bundleJson, "-o", _temp["one.tar.zst"], "--cache", _temp["cache"], "--progress", "none");
        feed.ClearLog();
        web.ClearLog();
        var second = await RunAsync("pack", bundleJson, "-o", _temp["two.tar.zst"], "--cache", _temp["cache"], "--progress", "none");
        var afterSecond = feed.Requests.Count + web.Requests.Count;
        var locked = await RunAsync("pack", bundleJson, "-o", _temp["three.tar.zst"], "--cache", _temp["cache"], "--progress", "none", "--locked");

        Assert.Equal((0, 0, 0), (first.ExitCode, second.ExitCode, locked.ExitCode));
        Assert.Equal(0, afterSecond);
        // --locked checks the lock against the feed's metadata, but the archives still come from the cache.
        Assert.DoesNotContain(feed.Requests, r => r.Path.EndsWith(".nupkg", StringComparison.Ordinal));
        Assert.Empty(web.Requests);
        Assert.Equal(await File.ReadAllBytesAsync(_temp["one.tar.zst"]), await File.ReadAllBytesAsync(_temp["two.tar.zst"]));
        Assert.Equal(await File.ReadAllBytesAsync(_temp["one.tar.zst"]), await File.ReadAllBytesAsync(_temp["three.tar.zst"]));
    }

    [Fact]
    public async Task Pack_UnreachableArchive_FailsNamingItsUrlAndKeepsThePreviousBundle()
    {
        await using var feed = await new NuGetTestFeed().Add("A.First", "1.0.0", new TestDependency("C.Dep", "1.0.0")).Add("C.Dep", "1.0.0").StartAsync();
        Directory.CreateDirectory(_temp["web"]);
        await using var web = await LoopbackServer.ServeDirectoryAsync(_temp["web"]);
        var bundleJson = WriteBundleJson(feed, web);
        await File.WriteAllTextAsync(_temp["out.tar.zst"], "previous");

        var pack = await RunAsync("pack", bundleJson, "-o", _temp["out.tar.zst"], "--cache", _temp["cache"], "--progress", "none");

        Assert.Equal(1, pack.ExitCode);
        Assert.Contains(web.Url("tool.tgz").AbsoluteUri, pack.Error, StringComparison.Ordinal);
        Assert.Equal("previous", await File.ReadAllTextAsync(_temp["out.tar.zst"]));
    }

    [Fact]
    public async Task Pack_LockedWithoutALockFile_FailsWritingNothing()
    {
        await using var feed = await new NuGetTestFeed().Add("A.First", "1.0.0", new TestDependency("C.Dep", "1.0.0")).Add("C.Dep", "1.0.0").StartAsync();
        await using var web = await LoopbackServer.ServeDirectoryAsync(_temp.Path);
        var bundleJson = WriteBundleJson(feed, web);

        var pack = await RunAsync("pack", bundleJson, "-o", _temp["out.tar.zst"], "--cache", _temp["cache"], "--progress", "none", "--locked");

        Assert.Equal(1, pack.ExitCode);
        Assert.Contains("bundle.lock.json", pack.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp["out.tar.zst"]));
        Assert.False(File.Exists(_temp["bundle.lock.json"]));
    }

    [Fact]
    public async Task Pack_AuthenticatedFeed_DownloadsWithCredentialsGivenToNoOtherFeed()
    {
        await using var publicFeed = await new NuGetTestFeed().Add("Public.Dep", "2.0.0").StartAsync();
        await using var privateFeed = await new NuGetTestFeed { RequiredCredentials = "user:secret" }
            .Add("Private.Lib", "1.0.0", new TestDependency("Public.Dep", "2.0.0"))
            .StartAsync();
        NuGetConfigFile.WritePublicAndPrivate(_temp["nuget.config"], publicFeed, privateFeed);
        await File.WriteAllTextAsync(_temp["bundle.json"], """
            {
              "sources": { "corp": { "type": "nuget", "config": "nuget.config", "targetFramework": "net8.0", "transitive": true } },
              "packages": [ { "source": "corp", "id": "Private.Lib", "version": "1.0.0" } ]
            }
            """);

        var pack = await RunAsync("pack", _temp["bundle.json"], "-o", _temp["out.tar.zst"], "--cache", _temp["cache"], "--progress", "none");

        Assert.True(pack.ExitCode == 0, pack.Error);
        Assert.Contains(privateFeed.Requests, r => r.Path.EndsWith("private.lib.1.0.0.nupkg", StringComparison.Ordinal) && r.StatusCode == 200);
        Assert.All(privateFeed.Requests, r => Assert.Equal("Basic dXNlcjpzZWNyZXQ=", r.Authorization));
        Assert.Contains(publicFeed.Requests, r => r.Path.EndsWith("public.dep.2.0.0.nupkg", StringComparison.Ordinal));
        Assert.All(publicFeed.Requests, r => Assert.Null(r.Authorization));
        var lockJson = await File.ReadAllTextAsync(_temp["bundle.lock.json"]);
        Assert.DoesNotContain("secret", lockJson, StringComparison.Ordinal);
        // The integrity is the .nupkg's sha512; the lock repeats neither it nor where the .nuspec is.
        Assert.DoesNotContain("nupkgSha512", lockJson, StringComparison.Ordinal);
        Assert.DoesNotContain("nuspecUrl", lockJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pack_VerifiedDownloads_PassesOnASha512ButNotASha256()
    {
        await using var registry = await new NpmTestRegistry().Add("lib", "1.0.0").StartAsync();
        Directory.CreateDirectory(_temp["web"]);
        var wheel = TestArchives.Zip(_temp["web/tool.zip"], ArchiveContent.Sample("tool"));
        await using var web = await LoopbackServer.ServeDirectoryAsync(_temp["web"]);
        var sha256 = "sha256-" + Convert.ToBase64String(SHA256.HashData(await File.ReadAllBytesAsync(wheel)));
        await File.WriteAllTextAsync(_temp["bundle.json"], $$"""
            {
              "sources": { "npm": { "type": "npm", "url": "{{registry.BaseUri}}" }, "web": { "type": "urls" } },
              "packages": [
                { "source": "npm", "id": "lib", "version": "1.0.0" },
                { "source": "web", "id": "tool", "version": "1.0.0", "url": "{{web.Url("tool.zip").AbsoluteUri}}", "integrity": "{{sha256}}" }
              ]
            }
            """);

        var inputs = await PackageSetPacker.PrepareAsync(_temp["bundle.json"], new PackageSetPackOptions { Download = new DownloadOptions { CacheDirectory = _temp["cache"] } }, CancellationToken.None);

        var lib = inputs.Single(i => i.Id == "lib");
        Assert.Equal("sha512-" + Convert.ToBase64String(SHA512.HashData(await File.ReadAllBytesAsync(lib.ArchivePath))), lib.VerifiedSha512);
        Assert.Null(inputs.Single(i => i.Id == "tool").VerifiedSha512);
    }

    [Fact]
    public async Task Pack_DownloadedArchives_KeepTheirUrlFileNamesUnlessTwoShareOne()
    {
        Directory.CreateDirectory(_temp["web/a"]);
        Directory.CreateDirectory(_temp["web/b"]);
        TestArchives.TarGz(_temp["web/tool-2.0.0.tgz"], ArchiveContent.Sample("tool", 2));
        TestArchives.TarGz(_temp["web/a/pkg.tgz"], ArchiveContent.Sample("a", 2));
        TestArchives.TarGz(_temp["web/b/pkg.tgz"], ArchiveContent.Sample("b", 2));
        await using var web = await LoopbackServer.ServeDirectoryAsync(_temp["web"]);
        File.WriteAllText(_temp["bundle.json"], $$"""
            {
              "sources": { "web": { "type": "urls" } },
              "packages": [
                { "source": "web", "id": "tool", "version": "2.0.0", "url": "{{web.Url("tool-2.0.0.tgz").AbsoluteUri}}", "keepArchive": true },
                { "source": "web", "id": "a", "version": "1.0.0", "url": "{{web.Url("a/pkg.tgz").AbsoluteUri}}" },
                { "source": "web", "id": "b", "version": "1.0.0", "url": "{{web.Url("b/pkg.tgz").AbsoluteUri}}" }
              ]
            }
            """);

        var pack = await RunAsync("pack", _temp["bundle.json"], "--publish", _temp["pub"], "--cache", _temp["cache"], "--progress", "none");
        var load = await RunAsync("load", _temp["pub"], "-o", _temp["tree"], "--mode", "files");

        Assert.True(pack.ExitCode == 0, pack.Error);
        Assert.True(load.ExitCode == 0, load.Error);
        // Kept whole, the archive is the package's one file, under the name it was published with.
        Assert.Equal(await File.ReadAllBytesAsync(_temp["web/tool-2.0.0.tgz"]), await File.ReadAllBytesAsync(_temp["tree/tool/2.0.0/tool-2.0.0.tgz"]));
        var published = Directory.GetFiles(_temp["pub/files"], "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
        Assert.Contains("tool-2.0.0.tgz", published);
        // Both other archives are named pkg.tgz at their URLs; each is published under a name of its own.
        Assert.DoesNotContain("pkg.tgz", published);
        Assert.Equal(3, published.Count);
    }

    private string WriteBundleJson(LoopbackServer feed, LoopbackServer web)
    {
        File.WriteAllText(_temp["bundle.json"], $$"""
            {
              "sources": {
                "feed": { "type": "nuget", "url": "{{NuGetTestFeed.ServiceIndex(feed)}}", "targetFramework": "net8.0", "transitive": true },
                "web": { "type": "urls" }
              },
              "packages": [
                { "source": "feed", "id": "A.First", "version": "[1.0.0, 2.0.0)", "exclude": ["**/*.xml"] },
                { "source": "web", "id": "tool", "version": "2.0.0", "url": "{{web.Url("tool.tgz").AbsoluteUri}}" }
              ]
            }
            """);
        return _temp["bundle.json"];
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliApp.RunAsync(args, output, error, CancellationToken.None);
        return (exitCode, output.ToString(), error.ToString());
    }
}
