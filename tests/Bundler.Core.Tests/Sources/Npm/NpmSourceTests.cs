using System.Security.Cryptography;
using Bundler.Core.Download;
using Bundler.Core.Pipeline;
using Bundler.Loader;
using Bundler.Testing.Feeds;
using Bundler.Testing.Http;
using Bundler.Testing.Sources;

namespace Bundler.Core.Tests.Sources.Npm;

/// <summary>The npm source against a real registry on 127.0.0.1.</summary>
public sealed class NpmSourceTests : IDisposable
{
    private readonly PackageSetHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private static string BundleJson(LoopbackServer server, bool transitive, params (string Name, string? Range)[] packages) => $$"""
        {
          "sources": { "npm": { "type": "npm", "url": "{{server.BaseUri}}", "transitive": {{(transitive ? "true" : "false")}} } },
          "packages": [ {{string.Join(", ", packages.Select(p => p.Range is null
              ? $$"""{ "source": "npm", "id": "{{p.Name}}" }"""
              : $$"""{ "source": "npm", "id": "{{p.Name}}", "version": "{{p.Range}}" }"""))}} ]
        }
        """;

    [Theory]
    [InlineData("^1.0.0", "1.4.0")]
    [InlineData("~1.2.0", "1.2.5")]
    [InlineData("1.x || 3", "3.0.0")]
    [InlineData("1.0.0 - 1.2", "1.2.5")]
    [InlineData(null, "2.0.0")]
    [InlineData("next", "3.0.0-beta.2")]
    [InlineData("^3.0.0-beta.1", "3.0.0")]
    [InlineData(">=3.0.0-beta.1 <3.0.0", "3.0.0-beta.2")]
    [InlineData(">=2.1", null)]
    public async Task Resolve_VersionRange_PicksWhatNpmPicks(string? range, string? expected)
    {
        // latest is 2.0.0 (a tag npm prefers when it satisfies), 3.0.0 is above it, 1.4.1 is deprecated.
        var registry = new NpmTestRegistry()
            .Add("lib", "1.0.0").Add("lib", "1.2.5").Add("lib", "1.4.0").Add(new NpmTestPackage("lib", "1.4.1") { Deprecated = "broken" })
            .Add("lib", "2.0.0").Add("lib", "3.0.0-beta.2").Add("lib", "3.0.0")
            .Tag("lib", "latest", "2.0.0").Tag("lib", "next", "3.0.0-beta.2");
        await using var server = await registry.StartAsync();
        var json = BundleJson(server, false, ("lib", range));

        if (expected is null)
        {
            var error = await Assert.ThrowsAsync<BundleException>(() => _harness.ResolveAsync(json.Replace(">=2.1", ">=3.1", StringComparison.Ordinal)));
            Assert.Contains("No version of 'lib' satisfies '>=3.1' on source 'npm'", error.Message, StringComparison.Ordinal);
            return;
        }

        var set = await _harness.ResolveAsync(json);

        var package = Assert.Single(set.Packages);
        Assert.Equal(expected, package.Version);
        Assert.Equal(server.Url($"lib/-/lib-{expected}.tgz"), package.ArchiveUrl);
        var tarball = new NpmTestPackage("lib", expected).Tarball();
        Assert.Equal("sha512-" + Convert.ToBase64String(SHA512.HashData(tarball)), package.Integrity);
    }

    [Fact]
    public async Task Resolve_Transitive_TakesTheHighestReusingWhatFitsWithPeersAndOptionals()
    {
        var registry = new NpmTestRegistry()
            .Add(new NpmTestPackage("app", "1.0.0")
            {
                Dependencies = new() { ["left"] = "^1.0.0", ["right"] = "^1.0.0", ["@scope/util"] = "~2.1.0" },
                PeerDependencies = new() { ["peer"] = "^1.0.0" },
                OptionalDependencies = new() { ["opt"] = "*" },
            })
            .Add("left", "1.0.0", ("shared", "^1.0.0"))
            .Add("right", "1.0.0", ("shared", "^1.2.0"))
            .Add("right", "1.1.0", ("shared", "^2.0.0"))
            .Add("shared", "1.0.0").Add("shared", "1.3.0").Add("shared", "2.0.0").Add("shared", "2.5.0")
            .Add("@scope/util", "2.1.4", ("alias", "npm:shared@^1.3.0")).Add("@scope/util", "2.2.0")
            .Add("peer", "1.0.0").Add("peer", "1.9.0").Add("opt", "0.1.0");
        await using var server = await registry.StartAsync();

        var set = await _harness.ResolveAsync(BundleJson(server, true, ("app", "1.0.0")));

        // right resolves to 1.1.0 (highest ^1), which needs shared ^2 → 2.5.0; left's ^1.0.0 gets 1.3.0 (highest ^1);
        // util's alias of shared ^1.3.0 reuses 1.3.0.
        Assert.Equal(["@scope/util 2.1.4", "app 1.0.0", "left 1.0.0", "opt 0.1.0", "peer 1.9.0", "right 1.1.0", "shared 1.3.0", "shared 2.5.0"],
            PackageSetHarness.Names(set));
        Assert.Equal(server.Url("@scope/util/-/util-2.1.4.tgz"), set.Packages[0].ArchiveUrl);
    }

    [Fact]
    public async Task Resolve_UnknownDependency_FailsNamingPackageSourceAndParent()
    {
        await using var server = await new NpmTestRegistry().Add("app", "1.0.0", ("missing-dep", "^1")).StartAsync();

        var error = await Assert.ThrowsAsync<BundleException>(() => _harness.ResolveAsync(BundleJson(server, true, ("app", "^1"))));

        Assert.Contains("Package 'missing-dep' (required by app@1.0.0) is not on source 'npm'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_GitDependency_FailsSayingItIsNotAVersionRange()
    {
        await using var server = await new NpmTestRegistry().Add("app", "1.0.0", ("thing", "github:user/thing")).StartAsync();

        var error = await Assert.ThrowsAsync<BundleException>(() => _harness.ResolveAsync(BundleJson(server, true, ("app", "^1"))));

        Assert.Contains("'thing@github:user/thing' (required by app@1.0.0) is not an npm version range", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pack_ShasumOnlyPackage_ResolvesToItsSha1AndVerifiesTheDownload()
    {
        await using var server = await new NpmTestRegistry().Add(new NpmTestPackage("old", "1.0.0") { ShasumOnly = true }).StartAsync();
        var tarball = new NpmTestPackage("old", "1.0.0").Tarball();

        var resolved = Assert.Single((await _harness.ResolveAsync(BundleJson(server, false, ("old", "1.0.0")))).Packages);
        var input = Assert.Single(await PackageSetPacker.PrepareAsync(_harness.BundleJson, CacheIn(_harness), CancellationToken.None));

#pragma warning disable CA5350 // the sha1 is all the old packument publishes.
        Assert.Equal("sha1-" + Convert.ToBase64String(SHA1.HashData(tarball)), resolved.Integrity);
#pragma warning restore CA5350
        Assert.Equal(tarball, await File.ReadAllBytesAsync(input.ArchivePath));
    }

    [Fact]
    public async Task Pack_ShasumOnlyPackageWithWrongSha1_Refused()
    {
        await using var server = await new NpmTestRegistry().Add(new NpmTestPackage("old", "1.0.0") { ShasumOnly = true, Shasum = new string('0', 40) }).StartAsync();
        _harness.Write(BundleJson(server, false, ("old", "1.0.0")));

        var error = await Assert.ThrowsAsync<DownloadException>(() => PackageSetPacker.PrepareAsync(_harness.BundleJson, CacheIn(_harness), CancellationToken.None));

        Assert.Contains("gave the wrong content twice: its sha1 is", error.Message, StringComparison.Ordinal);
    }

    private static PackageSetPackOptions CacheIn(PackageSetHarness harness) =>
        new() { Download = new DownloadOptions { CacheDirectory = harness.Temp["cache"] } };
}
