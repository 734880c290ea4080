using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Security.Authentication;
using Bundler.Loader.Http;
using Bundler.Serving.Network;
using Bundler.Serving.Tls;
using Bundler.Testing;

namespace Bundler.Serving.Tests.Tls;

/// <summary>The server over HTTPS as a CDN serves: ALPN picks HTTP/2 or HTTP/1.1 on one port, and the handshake pays its round trips.</summary>
[Collection(TimingSensitive.Name)]
public sealed class HttpsServeTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly List<ServedRequest> _log = [];
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _certificate = ServerCertificate.CreateDevelopment();

    public HttpsServeTests() => File.WriteAllText(_temp["hello.txt"], "hello");

    public void Dispose()
    {
        _certificate.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Serve_Https_NegotiatesHttp2ByAlpnAndHttp1OnTheSamePort()
    {
        await using var server = await StartAsync(NetworkProfile.Unthrottled, ServeProtocols.Both);
        using var h2 = Client(HttpVersion.Version20);
        using var h1 = Client(HttpVersion.Version11);

        using var overHttp2 = await h2.GetAsync(new Uri(server.HttpsUrl!, "hello.txt"));
        using var overHttp1 = await h1.GetAsync(new Uri(server.HttpsUrl!, "hello.txt"));
        await server.WaitUntilIdleAsync(CancellationToken.None);

        Assert.Equal(Uri.UriSchemeHttps, server.HttpsUrl!.Scheme);
        Assert.Null(server.Http1Url);
        Assert.Null(server.Http2Url);
        Assert.Equal(HttpVersion.Version20, overHttp2.Version);
        Assert.Equal("hello", await overHttp2.Content.ReadAsStringAsync());
        Assert.Equal(HttpVersion.Version11, overHttp1.Version);
        Assert.Equal(["HTTP/2", "HTTP/1.1"], Snapshot().OrderBy(r => r.Start).Select(r => r.Protocol));
    }

    [Fact]
    public async Task Serve_HttpsWithProtocolH1_OffersOnlyHttp1()
    {
        await using var server = await StartAsync(NetworkProfile.Unthrottled, ServeProtocols.Http1);
        using var preferringHttp2 = Client(HttpVersion.Version20);
        using var onlyHttp2 = Client(HttpVersion.Version20, HttpVersionPolicy.RequestVersionExact);

        using var fallback = await preferringHttp2.GetAsync(new Uri(server.HttpsUrl!, "hello.txt"));
        await Assert.ThrowsAsync<HttpRequestException>(() => onlyHttp2.GetAsync(new Uri(server.HttpsUrl!, "hello.txt")));
        await server.WaitUntilIdleAsync(CancellationToken.None);

        Assert.Equal(HttpVersion.Version11, fallback.Version);
        Assert.Equal("HTTP/1.1", Assert.Single(Snapshot()).Protocol);
    }

    [Fact]
    public async Task Serve_HttpsAddedRoundTrip_Tls13HandshakeCostsOneMoreAndTls12Two()
    {
        var rtt = TimeSpan.FromMilliseconds(200);
        await using var server = await StartAsync(NetworkProfile.Unthrottled with { RoundTrip = rtt }, ServeProtocols.Both);
        using var tls13 = Client(HttpVersion.Version20);
        using var tls12 = Client(HttpVersion.Version20, protocols: SslProtocols.Tls12);

        var newConnection = await TimeToFirstByteAsync(tls13, new Uri(server.HttpsUrl!, "hello.txt"));
        var reusedConnection = await TimeToFirstByteAsync(tls13, new Uri(server.HttpsUrl!, "hello.txt"));
        var newTls12Connection = await TimeToFirstByteAsync(tls12, new Uri(server.HttpsUrl!, "hello.txt"));

        // TCP's round trip, TLS's (two for TLS 1.2), then the request's. Timers may fire a tick (4 ms) early.
        var slack = TimeSpan.FromMilliseconds(10);
        Assert.True(newConnection >= (3 * rtt) - slack, $"first byte after {newConnection.TotalMilliseconds} ms on a new TLS 1.3 connection");
        Assert.True(newTls12Connection >= (4 * rtt) - slack, $"first byte after {newTls12Connection.TotalMilliseconds} ms on a new TLS 1.2 connection");
        Assert.True(reusedConnection >= rtt - slack, $"first byte after {reusedConnection.TotalMilliseconds} ms on a reused connection");
        Assert.True(reusedConnection < newConnection - rtt, $"a reused connection ({reusedConnection.TotalMilliseconds} ms) pays no handshake ({newConnection.TotalMilliseconds} ms)");
    }

    [Fact]
    public async Task Serve_HttpsClientTrustingNothing_RefusesTheMadeCertificate()
    {
        await using var server = await StartAsync(NetworkProfile.Unthrottled, ServeProtocols.Both);
        using var client = new HttpClientSettings().CreateClient();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri(server.HttpsUrl!, "hello.txt")));

        Assert.Equal(HttpRequestError.SecureConnectionError, error.HttpRequestError);
        Assert.Empty(Snapshot());
    }

    private HttpClient Client(Version version, HttpVersionPolicy policy = HttpVersionPolicy.RequestVersionOrLower, SslProtocols protocols = SslProtocols.None)
    {
        var handler = new HttpClientSettings { TrustedCertificate = _certificate }.CreateHandler();
        handler.SslOptions.EnabledSslProtocols = protocols;
        return new HttpClient(handler) { DefaultRequestVersion = version, DefaultVersionPolicy = policy };
    }

    private static async Task<TimeSpan> TimeToFirstByteAsync(HttpClient client, Uri url)
    {
        var stopwatch = Stopwatch.StartNew();
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        var elapsed = stopwatch.Elapsed;
        await response.Content.ReadAsByteArrayAsync();
        return elapsed;
    }

    private Task<StaticFileServer> StartAsync(NetworkProfile network, ServeProtocols protocols) =>
        StaticFileServer.StartAsync(_temp.Path, new StaticFileServerOptions { Network = network, Protocols = protocols, Certificate = _certificate }, Record, CancellationToken.None);

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
