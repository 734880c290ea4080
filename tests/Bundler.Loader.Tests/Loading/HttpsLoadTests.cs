using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Bundler.Loader.Loading;
using Bundler.Loader.Unpacking;
using Bundler.Serving;
using Bundler.Serving.Tls;
using Bundler.Testing.Http;
using Bundler.Testing.Loading;

namespace Bundler.Loader.Tests.Loading;

/// <summary>Loading from the HTTPS server: HTTP/2 by ALPN when offered, and its certificate trusted only when named.</summary>
public sealed class HttpsLoadTests : IAsyncLifetime
{
    private readonly X509Certificate2 _certificate = ServerCertificate.CreateDevelopment();
    private readonly List<ServedRequest> _log = [];
    private PublishedPackages _published = null!;

    public async Task InitializeAsync() => _published = await PublishedPackages.CreateAsync();

    public Task DisposeAsync()
    {
        _published.Dispose();
        _certificate.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData(LoadMode.Bundle, true, "HTTP/2")]
    [InlineData(LoadMode.Files, true, "HTTP/2")]
    [InlineData(LoadMode.Ranges, true, "HTTP/2")]
    [InlineData(LoadMode.Bundle, false, "HTTP/1.1")]
    [InlineData(LoadMode.Files, false, "HTTP/1.1")]
    public async Task Load_HttpsTrustingTheServersCertificate_GivesTheUnpackedTreeOverTheNegotiatedProtocol(LoadMode mode, bool offerHttp2, string negotiated)
    {
        await using var server = await StartAsync(offerHttp2 ? ServeProtocols.Both : ServeProtocols.Http1);
        var unpacked = _published.NewTarget("unpack");
        await using (var bundle = File.OpenRead(_published.BundlePath))
        {
            await BundleReader.UnpackAsync(bundle, unpacked);
        }

        var target = _published.NewTarget("https");
        var report = await PackageLoader.LoadAsync(server.HttpsUrl!.AbsoluteUri, target, new PackageLoadOptions { Mode = mode, TrustedServerCertificate = _certificate });
        await server.WaitUntilIdleAsync(CancellationToken.None);

        LoadAssert.SameTree(unpacked, target);
        Assert.Equal(_published.ExpectedTree.Count, report.Files);
        var requests = Snapshot();
        Assert.NotEmpty(requests);
        Assert.All(requests, r => Assert.Equal(negotiated, r.Protocol));
    }

    [Fact]
    public async Task Load_HttpsWithoutTrustingTheCertificate_FailsNamingUrlAndOption()
    {
        await using var server = await StartAsync(ServeProtocols.Both);
        var target = _published.NewTarget("untrusted");

        var error = await Assert.ThrowsAsync<BundleException>(() => PackageLoader.LoadAsync(server.HttpsUrl!.AbsoluteUri, target, new PackageLoadOptions()));

        Assert.Contains(new Uri(server.HttpsUrl!, "index.json").AbsoluteUri, error.Message, StringComparison.Ordinal);
        Assert.Contains("UntrustedRoot", error.Message, StringComparison.Ordinal);
        Assert.Contains("--trust-cert FILE (TrustedServerCertificate in the options)", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target));
        Assert.Empty(Snapshot());
    }

    [Fact]
    public async Task Load_HttpsTrustingAnotherCertificate_Refused()
    {
        await using var server = await StartAsync(ServeProtocols.Both);
        using var other = ServerCertificate.CreateDevelopment();
        var target = _published.NewTarget("other");

        var error = await Assert.ThrowsAsync<BundleException>(() => PackageLoader.LoadAsync(server.HttpsUrl!.AbsoluteUri, target, new PackageLoadOptions { TrustedServerCertificate = other }));

        Assert.Contains("the TLS connection could not be established", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target));
        Assert.Empty(Snapshot());
    }

    [Fact]
    public async Task Load_HttpsRedirectedToCleartextHttp_RefusedWithoutTouchingTheHttpServer()
    {
        await using var cleartext = await LoopbackServer.ServeDirectoryAsync(_published.Folder);
        await using var redirecting = await LoopbackServer.StartAsync(
            app => app.Run(context =>
            {
                context.Response.StatusCode = StatusCodes.Status302Found;
                context.Response.Headers.Location = cleartext.Url(context.Request.Path.Value!).AbsoluteUri;
                return Task.CompletedTask;
            }),
            certificate: _certificate);
        var target = _published.NewTarget("downgrade");

        var error = await Assert.ThrowsAsync<BundleException>(() => PackageLoader.LoadAsync(redirecting.BaseUri.AbsoluteUri, target, new PackageLoadOptions { TrustedServerCertificate = _certificate }));

        Assert.Contains($"Refused a redirect of GET {redirecting.Url("index.json")}", error.Message, StringComparison.Ordinal);
        Assert.Contains("would leave https for cleartext http", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, redirecting.Count(_ => true));
        Assert.Equal(0, cleartext.Count(_ => true));
        Assert.False(Directory.Exists(target));
    }

    private Task<StaticFileServer> StartAsync(ServeProtocols protocols) =>
        StaticFileServer.StartAsync(_published.Folder, new StaticFileServerOptions { Protocols = protocols, Certificate = _certificate }, Record, CancellationToken.None);

    private void Record(ServedRequest request)
    {
        lock (_log)
        {
            _log.Add(request);
        }
    }

    private List<ServedRequest> Snapshot()
    {
        lock (_log)
        {
            return [.. _log];
        }
    }
}
