using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Bundler.Loader.Http;
using Bundler.Serving.Tls;
using Bundler.Testing.Http;

namespace Bundler.Loader.Tests.Http;

public sealed class RedirectPolicyHandlerTests
{
    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://127.0.0.1:21/x")]
    [InlineData("gopher://127.0.0.1:70/x")]
    public async Task Send_RedirectToOtherScheme_RefusedNamingUrlAndTarget(string target)
    {
        await using var server = await RedirectingServerAsync(_ => target);
        using var client = new HttpClientSettings().CreateClient();

        var error = await Assert.ThrowsAsync<BundleException>(() => client.GetAsync(server.Url("a.tgz")));

        Assert.Contains(server.Url("a.tgz").AbsoluteUri, error.Message, StringComparison.Ordinal);
        Assert.Contains(new Uri(target).AbsoluteUri, error.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.Count(_ => true));
    }

    [Fact]
    public async Task Send_RedirectLoop_RefusedAfterTenHops()
    {
        await using var server = await RedirectingServerAsync(context => context.Request.Path.Value!);
        using var client = new HttpClientSettings().CreateClient();

        var error = await Assert.ThrowsAsync<BundleException>(() => client.GetAsync(server.Url("loop")));

        Assert.Contains("more than 10 redirects", error.Message, StringComparison.Ordinal);
        Assert.Equal(11, server.Count(_ => true));
    }

    [Fact]
    public async Task Send_LoopbackToLoopback_Followed()
    {
        await using var target = await ContentServerAsync(IPAddress.Loopback);
        await using var server = await RedirectingServerAsync(_ => target.Url("x").AbsoluteUri);
        using var client = new HttpClientSettings().CreateClient();

        var body = await client.GetStringAsync(server.Url("a"));

        Assert.Equal("ok", body);
    }

    [InterfaceAddressFact]
    public async Task Send_InterfaceAddressToLoopback_RefusedWithoutTouchingLoopback()
    {
        await using var loopback = await ContentServerAsync(IPAddress.Loopback);
        await using var server = await RedirectingServerAsync(_ => loopback.Url("admin").AbsoluteUri, InterfaceAddress.Value);
        using var client = new HttpClientSettings().CreateClient();

        var error = await Assert.ThrowsAsync<BundleException>(() => client.GetAsync(server.Url("a")));

        Assert.Contains(loopback.Url("admin").AbsoluteUri, error.Message, StringComparison.Ordinal);
        Assert.Contains("--allow-private-redirects", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, loopback.Count(_ => true));
    }

    [InterfaceAddressFact]
    public async Task Send_InterfaceAddressToLoopbackAllowed_Followed()
    {
        await using var loopback = await ContentServerAsync(IPAddress.Loopback);
        await using var server = await RedirectingServerAsync(_ => loopback.Url("admin").AbsoluteUri, InterfaceAddress.Value);
        using var client = new HttpClientSettings { Redirects = new HttpRedirectPolicy { AllowPrivateNetworkRedirects = true } }.CreateClient();

        Assert.Equal("ok", await client.GetStringAsync(server.Url("a")));
    }

    [Fact]
    public async Task Connect_RestrictedToPublic_LoopbackAddressRefusedAtConnect()
    {
        await using var loopback = await ContentServerAsync(IPAddress.Loopback);
        using var client = new HttpClient(new HttpClientSettings().CreateHandler(NetworkAddressSpace.Public));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new UriBuilder(loopback.BaseUri) { Host = "localhost" }.Uri));

        Assert.IsType<AddressSpaceRefusal>(error.InnerException);
        Assert.Equal(0, loopback.Count(_ => true));
    }

    [Fact]
    public async Task Send_HttpsToHttp_RefusedWithoutTouchingTheHttpServer()
    {
        using var certificate = ServerCertificate.CreateDevelopment();
        await using var cleartext = await ContentServerAsync(IPAddress.Loopback);
        await using var server = await RedirectingServerAsync(_ => cleartext.Url("x").AbsoluteUri, certificate: certificate);
        using var client = new HttpClientSettings { TrustedCertificate = certificate }.CreateClient();

        var error = await Assert.ThrowsAsync<BundleException>(() => client.GetAsync(server.Url("a")));

        Assert.StartsWith("https://", server.BaseUri.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains($"{cleartext.Url("x")} would leave https for cleartext http", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, cleartext.Count(_ => true));
    }

    [Fact]
    public async Task Send_HttpsToHttpsOfTheTrustedCertificate_Followed()
    {
        using var certificate = ServerCertificate.CreateDevelopment();
        await using var target = await LoopbackServer.StartAsync(app => app.Run(context => context.Response.WriteAsync("ok")), certificate: certificate);
        await using var server = await RedirectingServerAsync(_ => target.Url("x").AbsoluteUri, certificate: certificate);
        using var client = new HttpClientSettings { TrustedCertificate = certificate }.CreateClient();

        Assert.Equal("ok", await client.GetStringAsync(server.Url("a")));
    }

    private static Task<LoopbackServer> RedirectingServerAsync(Func<HttpContext, string> location, IPAddress? address = null, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null) =>
        LoopbackServer.StartAsync(app => app.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = location(context);
            return Task.CompletedTask;
        }), address: address, certificate: certificate);

    private static Task<LoopbackServer> ContentServerAsync(IPAddress address) =>
        LoopbackServer.StartAsync(app => app.Run(context => context.Response.WriteAsync("ok")), address: address);
}
