using Bundler.Core.Download;
using Bundler.Loader;
using Bundler.Testing.Feeds;
using Bundler.Testing.Http;
using Bundler.Testing.Sources;

namespace Bundler.Core.Tests.Sources.NuGet;

/// <summary>The nuget source against a real v3 feed on 127.0.0.1.</summary>
public sealed class NuGetSourceTests : IDisposable
{
    private readonly PackageSetHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private static string BundleJson(LoopbackServer server, string packages, bool transitive = false, string framework = "net8.0") => $$"""
        {
          "sources": { "feed": { "type": "nuget", "url": "{{NuGetTestFeed.ServiceIndex(server)}}", "targetFramework": "{{framework}}", "transitive": {{(transitive ? "true" : "false")}} } },
          "packages": [ {{packages}} ]
        }
        """;

    private static string Package(string id, string version) => $$"""{ "source": "feed", "id": "{{id}}", "version": "{{version}}" }""";

    [Theory]
    [InlineData("1.0.5", "1.1.0")]
    [InlineData("[1.0,2.0)", "1.0.0")]
    [InlineData("1.*", "1.1.0")]
    [InlineData("*", "2.0.0")]
    [InlineData("[2.0.0]", "2.0.0")]
    [InlineData("1.*-*", "1.2.0-beta")]
    [InlineData("[1.1.1, )", "2.0.0")]
    [InlineData("[1.2.0-alpha, )", "1.2.0-beta")]
    public async Task Resolve_VersionRange_PicksWhatNuGetPicks(string range, string expected)
    {
        var feed = new NuGetTestFeed().Add("A", "1.0.0").Add("A", "1.1.0").Add("A", "1.2.0-beta").Add("A", "2.0.0").Add("A", "3.0.0-rc.1");
        await using var server = await feed.StartAsync();

        var set = await _harness.ResolveAsync(BundleJson(server, Package("A", range)));

        var package = Assert.Single(set.Packages);
        Assert.Equal(expected, package.Version);
        Assert.Equal(server.Url($"v3/flat/a/{expected}/a.{expected}.nupkg"), package.ArchiveUrl);
        Assert.True(package.Direct);
    }

    /// <summary>
    /// root → App 1.0, Lib 1.0 ; App → Shared ≥ 1.0, Log ≥ 1.0, Core ≥ 2.0 ; Lib → Shared ≥ 1.5, Core ≥ 1.0 ;
    /// Log 1.0 → Old (net6.0), Near (net8.0), Far (netstandard2.0): only the nearest group counts ; Shared 1.5 → Core ≥ 3.0,
    /// eclipsed because Shared's parents (App, Lib) name Core themselves ; Shared 1.0 → Gone, which leaves with Shared 1.0.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Resolve_TransitiveWithOrWithoutRegistration_FollowsNuGetRules(bool registration)
    {
        var feed = new NuGetTestFeed { Registration = registration }
            .Add("App", "1.0.0", new TestDependency("Shared", "[1.0.0, )", "net8.0"), new TestDependency("Log", "1.0.0", "net8.0"), new TestDependency("Core", "2.0.0", "net8.0"))
            .Add("Lib", "1.0.0", new TestDependency("Shared", "1.5.0"), new TestDependency("Core", "1.0.0"))
            .Add("Shared", "1.0.0", new TestDependency("Gone", "1.0.0"))
            .Add("Shared", "1.5.0", new TestDependency("Core", "3.0.0"))
            .Add("Shared", "2.0.0")
            .Add("Log", "1.0.0", new TestDependency("Old", "1.0.0", "net6.0"), new TestDependency("Near", "1.0.0", "net8.0"), new TestDependency("Far", "1.0.0", "netstandard2.0"))
            .Add("Core", "1.0.0").Add("Core", "2.0.0").Add("Core", "3.0.0")
            .Add("Gone", "1.0.0").Add("Old", "1.0.0").Add("Near", "1.0.0").Add("Far", "1.0.0");
        await using var server = await feed.StartAsync();

        var set = await _harness.ResolveAsync(BundleJson(server, Package("App", "1.0.0") + "," + Package("Lib", "1.0.0"), transitive: true));

        // Shared: cousins want ≥1.0 and ≥1.5 → 1.5 (lowest satisfying both), and Shared 1.0's Gone leaves with it.
        // Core: App and Lib both name it at the same depth → 2.0; Shared 1.5's Core ≥ 3.0 is eclipsed by them.
        // Log: net8.0 is the nearest group, so Near but not Old or Far.
        Assert.Equal(["App 1.0.0", "Core 2.0.0", "Lib 1.0.0", "Log 1.0.0", "Near 1.0.0", "Shared 1.5.0"], PackageSetHarness.Names(set));
        Assert.Equal(["App", "Lib"], set.Packages.Where(p => p.Direct).Select(p => p.Id));
        Assert.Equal(!registration, server.Count(r => r.Path.EndsWith(".nuspec", StringComparison.Ordinal)) > 0);
        Assert.Equal(registration, server.Count(r => r.Path.StartsWith("/v3/reg/", StringComparison.Ordinal)) > 0);
    }

    [Fact]
    public async Task Resolve_DirectReferenceBelowATransitiveRange_DirectReferenceWins()
    {
        var feed = new NuGetTestFeed()
            .Add("App", "1.0.0", new TestDependency("Json", "[13.0.0, )"))
            .Add("Json", "12.0.0").Add("Json", "13.0.0");
        await using var server = await feed.StartAsync();

        var set = await _harness.ResolveAsync(BundleJson(server, Package("App", "1.0.0") + "," + Package("Json", "12.0.0"), transitive: true));

        Assert.Equal(["App 1.0.0", "Json 12.0.0"], PackageSetHarness.Names(set));
    }

    [Fact]
    public async Task Resolve_PagedRegistrationWithPublishedHashes_ReadsBoth()
    {
        var feed = new NuGetTestFeed { PagedRegistration = true, PublishHashes = true }
            .Add("A", "1.0.0", new TestDependency("B", "1.0.0")).Add("B", "1.0.0");
        await using var server = await feed.StartAsync();

        var set = await _harness.ResolveAsync(BundleJson(server, Package("A", "1.0.0"), transitive: true));

        Assert.Equal(["A 1.0.0", "B 1.0.0"], PackageSetHarness.Names(set));
        var a = set.Packages[0];
        var nupkg = new NuGetTestPackage("A", "1.0.0", [new TestDependency("B", "1.0.0")]).Nupkg();
        Assert.Equal("sha512-" + Convert.ToBase64String(System.Security.Cryptography.SHA512.HashData(nupkg)), a.Integrity);
        Assert.Equal(nupkg.Length, a.Size);
        Assert.True(server.CountPath("/v3/reg/a/page.json") >= 1);
    }

    [Fact]
    public async Task Resolve_FeedWithOnlyNupkgs_ReadsDependenciesAndHashFromThePackages()
    {
        var feed = new NuGetTestFeed { Registration = false, Nuspecs = false }
            .Add("A", "1.0.0", new TestDependency("B", "1.0.0", "netstandard2.0")).Add("B", "1.0.0");
        await using var server = await feed.StartAsync();

        var set = await _harness.ResolveAsync(BundleJson(server, Package("A", "1.0.0"), transitive: true));

        Assert.Equal(["A 1.0.0", "B 1.0.0"], PackageSetHarness.Names(set));
        var nupkg = new NuGetTestPackage("A", "1.0.0", [new TestDependency("B", "1.0.0", "netstandard2.0")]).Nupkg();
        Assert.Equal("sha512-" + Convert.ToBase64String(System.Security.Cryptography.SHA512.HashData(nupkg)), set.Packages[0].Integrity);
        Assert.Equal(nupkg.Length, set.Packages[0].Size);
    }

    [Fact]
    public async Task Resolve_UnknownPackage_FailsNamingPackageAndSource()
    {
        await using var server = await new NuGetTestFeed().Add("A", "1.0.0").StartAsync();

        var error = await Assert.ThrowsAsync<BundleException>(() => _harness.ResolveAsync(BundleJson(server, Package("Missing.Package", "1.0.0"))));

        Assert.Contains("'Missing.Package'", error.Message, StringComparison.Ordinal);
        Assert.Contains("source 'feed'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_NoVersionSatisfies_FailsNamingRangeVersionsAndDependencyPath()
    {
        var feed = new NuGetTestFeed().Add("A", "1.0.0", new TestDependency("B", "[5.0.0, 6.0.0)")).Add("B", "1.0.0").Add("B", "2.0.0");
        await using var server = await feed.StartAsync();

        var error = await Assert.ThrowsAsync<BundleException>(() => _harness.ResolveAsync(BundleJson(server, Package("A", "1.0.0"), transitive: true)));

        Assert.Contains("No version of 'B' satisfies '[5.0.0, 6.0.0)' (required by A 1.0.0) on source 'feed'", error.Message, StringComparison.Ordinal);
        Assert.Contains("1.0.0, 2.0.0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_DependencyCycle_FailsNamingTheCycle()
    {
        var feed = new NuGetTestFeed()
            .Add("A", "1.0.0", new TestDependency("B", "1.0.0"))
            .Add("B", "1.0.0", new TestDependency("C", "1.0.0"))
            .Add("C", "1.0.0", new TestDependency("B", "1.0.0"));
        await using var server = await feed.StartAsync();

        var error = await Assert.ThrowsAsync<BundleException>(() => _harness.ResolveAsync(BundleJson(server, Package("A", "1.0.0"), transitive: true)));

        Assert.Contains("dependency cycle A 1.0.0 -> B 1.0.0 -> C 1.0.0 -> B", error.Message, StringComparison.Ordinal);
        Assert.Contains("source 'feed'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_UnreachableSource_FailsNamingSourceAndUrl()
    {
        var server = await new NuGetTestFeed().StartAsync();
        var json = BundleJson(server, Package("A", "1.0.0"));
        var url = NuGetTestFeed.ServiceIndex(server);
        await server.DisposeAsync();

        var error = await Assert.ThrowsAsync<BundleException>(() => _harness.ResolveAsync(json));

        Assert.Contains($"Source 'feed' is unreachable at {url}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_Unauthorized_FailsSayingAccessWasRefused()
    {
        await using var server = await new NuGetTestFeed { RequiredCredentials = "user:secret" }.Add("A", "1.0.0").StartAsync();

        var error = await Assert.ThrowsAsync<BundleException>(() => _harness.ResolveAsync(BundleJson(server, Package("A", "1.0.0"))));

        Assert.Contains("Source 'feed' refused access", error.Message, StringComparison.Ordinal);
        Assert.Contains("401", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_MalformedFeedJson_FailsNamingTheUrl()
    {
        var feed = new NuGetTestFeed().Add("A", "1.0.0");
        feed.MalformedPaths.Add("/v3/flat/a/index.json");
        await using var server = await feed.StartAsync();

        var error = await Assert.ThrowsAsync<BundleException>(() => _harness.ResolveAsync(BundleJson(server, Package("A", "1.0.0"))));

        Assert.Contains($"Source 'feed': {server.Url("v3/flat/a/index.json")} returned malformed JSON", error.Message, StringComparison.Ordinal);
    }
}
