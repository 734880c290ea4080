using Bundler.Core.PackageSets;
using Bundler.Core.Resolution;
using Bundler.Core.Sources;
using Bundler.Loader;
using Bundler.Testing.Feeds;
using Bundler.Testing.Http;
using Bundler.Testing.Sources;

namespace Bundler.Core.Tests.Sources.NuGet;

/// <summary>A nuget source that takes its feeds, credentials and package source mapping from a nuget.config.</summary>
public sealed class NuGetConfigTests : IDisposable
{
    private const string BundleJson = """
        {
          "sources": { "corp": { "type": "nuget", "config": "nuget.config", "targetFramework": "net8.0", "transitive": true } },
          "packages": [ { "source": "corp", "id": "Private.Lib", "version": "1.0.0" } ]
        }
        """;

    private readonly PackageSetHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private void WriteConfig(LoopbackServer publicFeed, LoopbackServer privateFeed, bool mapping = true) =>
        NuGetConfigFile.WritePublicAndPrivate(_harness.Temp["nuget.config"], publicFeed, privateFeed, mapping);

    [Fact]
    public async Task Resolve_SourceMapping_RoutesEachIdWithCredentialsOnlyToTheirFeed()
    {
        // The public feed also has a Private.Lib (a higher one): mapping must keep the id on the private feed.
        await using var publicFeed = await new NuGetTestFeed().Add("Public.Dep", "2.0.0").Add("Private.Lib", "9.0.0").StartAsync();
        await using var privateFeed = await new NuGetTestFeed { RequiredCredentials = "user:secret" }
            .Add("Private.Lib", "1.0.0", new TestDependency("Public.Dep", "2.0.0"))
            .Add("Public.Dep", "2.0.0", new TestDependency("Never.Fetched", "1.0.0"))
            .StartAsync();
        WriteConfig(publicFeed, privateFeed);

        var set = await _harness.ResolveAsync(BundleJson);

        Assert.Equal(["Private.Lib 1.0.0", "Public.Dep 2.0.0"], PackageSetHarness.Names(set));
        Assert.Equal(privateFeed.BaseUri.Authority, set.Packages[0].ArchiveUrl.Authority);
        Assert.Equal(publicFeed.BaseUri.Authority, set.Packages[1].ArchiveUrl.Authority);
        Assert.All(privateFeed.Requests, r => Assert.Equal("Basic dXNlcjpzZWNyZXQ=", r.Authorization));
        Assert.All(publicFeed.Requests, r => Assert.Null(r.Authorization));
        Assert.DoesNotContain(privateFeed.Requests, r => r.Path.Contains("public.dep", StringComparison.Ordinal));
        Assert.DoesNotContain(publicFeed.Requests, r => r.Path.Contains("private.lib", StringComparison.Ordinal));
        Assert.DoesNotContain("secret", await File.ReadAllTextAsync(_harness.BundleJson), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_WithoutSourceMapping_TakesTheHighestOfAllFeeds()
    {
        await using var publicFeed = await new NuGetTestFeed().Add("Private.Lib", "1.5.0").StartAsync();
        await using var privateFeed = await new NuGetTestFeed { RequiredCredentials = "user:secret" }.Add("Private.Lib", "1.0.0").StartAsync();
        WriteConfig(publicFeed, privateFeed, mapping: false);

        var set = await _harness.ResolveAsync(BundleJson.Replace("\"1.0.0\"", "\"1.1.0\"", StringComparison.Ordinal));

        Assert.Equal(["Private.Lib 1.5.0"], PackageSetHarness.Names(set));
        Assert.Equal(publicFeed.BaseUri.Authority, set.Packages[0].ArchiveUrl.Authority);
        Assert.All(publicFeed.Requests, r => Assert.Null(r.Authorization));
    }

    [Fact]
    public async Task Resolve_FeedPointingAtAnotherHost_SendsCredentialsOnlyToTheFeed()
    {
        await using var elsewhere = await new NuGetTestFeed().Add("Private.Lib", "1.0.0").StartAsync();
        var privateFeed = new NuGetTestFeed { RequiredCredentials = "user:secret", Registration = false, FlatContainer = elsewhere.Url("v3/flat/") };
        await using var privateServer = await privateFeed.StartAsync();
        await using var publicFeed = await new NuGetTestFeed().StartAsync();
        WriteConfig(publicFeed, privateServer);

        var set = await _harness.ResolveAsync(BundleJson);

        Assert.Equal(["Private.Lib 1.0.0"], PackageSetHarness.Names(set));
        Assert.NotEmpty(elsewhere.Requests);
        Assert.All(elsewhere.Requests, r => Assert.Null(r.Authorization));
        Assert.Equal("Basic dXNlcjpzZWNyZXQ=", Assert.Single(privateServer.Requests).Authorization);
    }

    [Fact]
    public async Task Resolve_WrongCredentials_FailsNamingTheFeed()
    {
        await using var publicFeed = await new NuGetTestFeed().StartAsync();
        await using var privateFeed = await new NuGetTestFeed { RequiredCredentials = "user:other" }.Add("Private.Lib", "1.0.0").StartAsync();
        WriteConfig(publicFeed, privateFeed);

        var error = await Assert.ThrowsAsync<BundleException>(() => _harness.ResolveAsync(BundleJson));

        Assert.Contains("Source 'corp/private' refused access", error.Message, StringComparison.Ordinal);
        Assert.Contains("check the credentials", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_ConfigGoneAfterResolution_ComeFromTheConfigReadOnce()
    {
        await using var publicFeed = await new NuGetTestFeed().StartAsync();
        await using var privateFeed = await new NuGetTestFeed { RequiredCredentials = "user:secret" }.Add("Private.Lib", "1.0.0").StartAsync();
        WriteConfig(publicFeed, privateFeed);
        _harness.Write(BundleJson);
        using var client = new HttpClient();
        var sources = new PackageSources(await PackageSetParser.LoadAsync(_harness.BundleJson, CancellationToken.None), client);

        await PackageResolver.ResolveAsync(sources, CancellationToken.None);
        File.Delete(_harness.Temp["nuget.config"]);
        var credentials = sources.Credentials();

        var credential = Assert.Single(credentials);
        Assert.True(credential.AppliesTo(privateFeed.Url("v3/index.json")));
    }
}
