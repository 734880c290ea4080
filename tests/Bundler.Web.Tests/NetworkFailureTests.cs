using System.Collections.Concurrent;
using Bundler.Serving;
using Bundler.Serving.Faults;
using Bundler.Testing;
using Bundler.Testing.Loading;

namespace Bundler.Web.Tests;

/// <summary>The browser loader when the connection fails mid-body or the server errs, against the real server's fault injection over h2.</summary>
public sealed class NetworkFailureTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task LoadFiles_ArchiveResetMidBodyOnce_IsFetchedAgainAndTheLoadSucceeds()
    {
        var path = ArchivePath();
        var requests = new ConcurrentQueue<string>();
        await using var server = await StartAsync(new Fault(FaultKind.ResetMidBody, path), requests);

        var result = await fixture.Site.LoadAsync(fixture.Browser, server.HttpsUrl!, "files", null, listFiles: true, CancellationToken.None);

        Assert.True(result.Ok, result.Error);
        Assert.Equal(2, requests.Count(p => p == path));
        Assert.Equal(fixture.Published.Manifest.Packages.Count, result.Files.Count);
    }

    [BrowserFact]
    public async Task LoadFiles_ArchiveResetEveryTime_FailsAfterThreeAttemptsNamingItsUrl()
    {
        var path = ArchivePath();
        var requests = new ConcurrentQueue<string>();
        await using var server = await StartAsync(new Fault(FaultKind.ResetMidBody, path, Times: int.MaxValue), requests);

        var result = await fixture.Site.LoadAsync(fixture.Browser, server.HttpsUrl!, "files", null, listFiles: false, CancellationToken.None);

        Assert.False(result.Ok);
        Assert.Equal("BundleError", result.ErrorName);
        Assert.Contains(new Uri(server.HttpsUrl!, path.TrimStart('/')).AbsoluteUri, result.Error, StringComparison.Ordinal);
        Assert.Equal(3, requests.Count(p => p == path));
    }

    [BrowserFact]
    public async Task LoadFiles_ArchiveNotFound_FailsAtOnceNamingItsUrlAndStatus()
    {
        var path = ArchivePath();
        File.Move(fixture.Published.Folder + path, fixture.Published.Folder + path + ".moved");
        try
        {
            var requests = new ConcurrentQueue<string>();
            await using var server = await StartAsync(null, requests);

            var result = await fixture.Site.LoadAsync(fixture.Browser, server.HttpsUrl!, "files", null, listFiles: false, CancellationToken.None);

            Assert.False(result.Ok);
            Assert.Contains(path.TrimStart('/') + " answered 404", result.Error, StringComparison.Ordinal);
            Assert.Equal(1, requests.Count(p => p == path));
        }
        finally
        {
            File.Move(fixture.Published.Folder + path + ".moved", fixture.Published.Folder + path);
        }
    }

    [BrowserFact]
    public async Task LoadBundle_ResetMidBody_FailsNamingTheBundleAndHowFarItGot()
    {
        var bundle = PublishFolder.BundleName(fixture.Published.Folder);
        await using var server = await StartAsync(new Fault(FaultKind.ResetMidBody, "/" + bundle) { AtByte = 4096 }, new ConcurrentQueue<string>());

        var result = await fixture.Site.LoadAsync(fixture.Browser, server.HttpsUrl!, "bundle", null, listFiles: false, CancellationToken.None);

        Assert.False(result.Ok);
        Assert.Equal("BundleError", result.ErrorName);
        Assert.Contains($"Reading {new Uri(server.HttpsUrl!, bundle).AbsoluteUri} failed after ", result.Error, StringComparison.Ordinal);
    }

    /// <summary>The request path of the publish folder's first original archive.</summary>
    private string ArchivePath() =>
        "/" + PublishFolder.ArchiveName(fixture.Published.Folder, fixture.Published.Manifest.Packages[0].Archive.Name);

    private Task<StaticFileServer> StartAsync(Fault? fault, ConcurrentQueue<string> requests) =>
        StaticFileServer.StartAsync(fixture.Published.Folder, new StaticFileServerOptions
        {
            Certificate = fixture.Certificate,
            AllowAnyOrigin = true,
            Faults = fault is null ? null : new FaultPlan(fault),
        }, r => requests.Enqueue(r.Path), CancellationToken.None);
}
