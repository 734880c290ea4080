using Bundler.Loader;
using Bundler.Loader.Loading;
using Bundler.Serving;
using Bundler.Testing;

namespace Bundler.Web.Tests;

/// <summary>Every hostile bundle the .NET reader refuses is refused by the browser loader too, served by the same server over h2.</summary>
public sealed class HostileBundleTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>, IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [BrowserFact]
    public async Task Load_TheBundleTheHostileOnesAreMadeFrom_LoadsInBothLoaders()
    {
        await HostileBundles.WriteGoodAsync(_temp["good"]);
        await using var server = await StartAsync(_temp["good"]);

        var report = await PackageLoader.LoadAsync(server.HttpsUrl!.AbsoluteUri, _temp["good-target"], Options());
        var result = await fixture.Site.LoadAsync(fixture.Browser, server.HttpsUrl!, "bundle", null, listFiles: true, CancellationToken.None);

        Assert.True(result.Ok, result.Error);
        Assert.Equal(report.Files, result.Files.Count);
    }

    [BrowserTheory]
    [MemberData(nameof(HostileBundles.Names), MemberType = typeof(HostileBundles))]
    public async Task Load_HostileBundle_RefusedByTheDotNetLoaderAndTheBrowserLoader(string name)
    {
        await HostileBundles.WriteAsync(name, _temp[name]);
        await using var server = await StartAsync(_temp[name]);
        var target = _temp["target"];

        var dotnet = await Assert.ThrowsAsync<BundleException>(() => PackageLoader.LoadAsync(server.HttpsUrl!.AbsoluteUri, target, Options()));
        var browser = await fixture.Site.LoadAsync(fixture.Browser, server.HttpsUrl!, "bundle", null, listFiles: false, CancellationToken.None);

        Assert.False(Directory.Exists(target));
        Assert.False(browser.Ok, $"The browser loader accepted what .NET refuses: {dotnet.Message}");
        Assert.Equal("BundleError", browser.ErrorName);
    }

    private PackageLoadOptions Options() => new() { Mode = LoadMode.Bundle, TrustedServerCertificate = fixture.Certificate };

    private Task<StaticFileServer> StartAsync(string folder) =>
        StaticFileServer.StartAsync(folder, new StaticFileServerOptions { Certificate = fixture.Certificate, AllowAnyOrigin = true }, null, CancellationToken.None);
}
