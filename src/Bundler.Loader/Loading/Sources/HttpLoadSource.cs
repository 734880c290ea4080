using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using Bundler.Loader.Format;
using Bundler.Loader.Http;

namespace Bundler.Loader.Loading.Sources;

/// <summary>
/// A publish folder served over HTTP(S). Every request goes through one client: the caller's, or one pooled
/// <see cref="SocketsHttpHandler"/> client made for the load (which also counts the connections it opens, and speaks
/// HTTP/2 over TLS when the server offers it, as browsers do).
/// A request that fails before its response starts (or whose headers do not come within the stall timeout) is tried
/// again, twice at most; a body that breaks off is resumed (<see cref="ResumingResponseStream"/>).
/// </summary>
internal sealed class HttpLoadSource : LoadSource
{
    private readonly Uri _folder;
    private readonly Uri _location;
    private readonly HttpClient _client;
    private readonly bool _ownsClient;

    private HttpLoadSource(Uri location, Uri folder, string? locationFile, HttpClient client, bool ownsClient, TimeSpan stallTimeout, MinimumTransferRate minimumRate, LoadMetrics metrics) : base(locationFile, metrics)
    {
        _location = location;
        _folder = folder;
        _client = client;
        _ownsClient = ownsClient;
        StallTimeout = stallTimeout;
        MinimumRate = minimumRate;
        RetryPolicy = new HttpRetryPolicy { MaxRetries = 2, RetryDelay = TimeSpan.FromMilliseconds(100), MaxRetryDelay = TimeSpan.FromSeconds(2), AttemptTimeout = stallTimeout };
    }

    public override bool CountsConnections => _ownsClient;

    public override bool IsRemote => true;

    /// <summary>How long a response's headers or its next body bytes may take before the request counts as failed.</summary>
    public TimeSpan StallTimeout { get; }

    /// <summary>A body that arrives slower than this counts as broken and is resumed, as a stalled one is.</summary>
    public MinimumTransferRate MinimumRate { get; }

    /// <summary>
    /// A request is tried three times at most (a load that fails is best retried whole by its caller), waiting briefly in
    /// between and at most 2 s for a server's Retry-After; its headers must come within the stall timeout.
    /// </summary>
    public HttpRetryPolicy RetryPolicy { get; }

    public static HttpLoadSource Create(Uri location, HttpClient? client, TimeSpan stallTimeout, MinimumTransferRate minimumRate, LoadMetrics metrics, bool allowPrivateNetworkRedirects = false, X509Certificate2? trustedCertificate = null)
    {
        var path = location.AbsolutePath;
        string? file = null;
        Uri folder;
        if (path.EndsWith(".tar.zst", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            file = Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..]);
            folder = new Uri(location, ".");
        }
        else
        {
            folder = path.EndsWith('/') ? location : new Uri(location.GetLeftPart(UriPartial.Path) + "/" + location.Query);
        }

        return client is null
            ? new HttpLoadSource(location, folder, file, CreateClient(metrics, allowPrivateNetworkRedirects, trustedCertificate), ownsClient: true, stallTimeout, minimumRate, metrics)
            : new HttpLoadSource(location, folder, file, client, ownsClient: false, stallTimeout, minimumRate, metrics);
    }

    public override string Describe(string name) => Resolve(name).ToString();

    public override async Task<Stream> OpenAsync(string name, CancellationToken cancellationToken) =>
        (await OpenAsync(name, nullWhenMissing: false, cancellationToken))!;

    public override Task<Stream?> OpenIfExistsAsync(string name, CancellationToken cancellationToken) =>
        OpenAsync(name, nullWhenMissing: true, cancellationToken);

    public override async Task<RangeReply> ReadRangeAsync(string name, long offset, Memory<byte> buffer, bool allowShorter, CancellationToken cancellationToken)
    {
        var url = Resolve(name);
        var last = offset + buffer.Length - 1;
        var response = await SendAsync(url, request => request.Headers.Range = new RangeHeaderValue(offset, last), cancellationToken);
        var handedOver = false;
        try
        {
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var whole = new ResumingResponseStream(this, url, response);
                handedOver = true;
                return new RangeReply(0, response.Content.Headers.ContentLength, whole);
            }

            EnsureSuccess(response, url, HttpStatusCode.PartialContent);
            var range = response.Content.Headers.ContentRange;
            if (range is not { HasRange: true, From: { } from, To: { } to } || from != offset || to > last || (to < last && !allowShorter)
                || range.Unit != "bytes")
            {
                throw new BundleException($"GET {url} with Range bytes={offset}-{last} was answered with Content-Range '{range}'; the server does not serve byte ranges correctly. Load in bundle mode.");
            }

            var expected = (int)(to - from + 1);
            handedOver = true;
            await using var body = new ResumingResponseStream(this, url, response);
            var read = await body.ReadAtLeastAsync(buffer[..expected], expected, throwOnEndOfStream: false, cancellationToken);
            if (read < expected || await body.ReadAsync(new byte[1], cancellationToken) != 0)
            {
                throw new BundleException($"GET {url} with Range bytes={offset}-{last} sent a body that does not match its Content-Range '{range}'.");
            }

            return new RangeReply(read, range.Length, null);
        }
        finally
        {
            if (!handedOver)
            {
                response.Dispose();
            }
        }
    }

    public override void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }

        base.Dispose();
    }

    /// <summary>The URL of <paramref name="name"/>: the location itself (with its query, such as a pre-signed URL's) for the file it names.</summary>
    private Uri Resolve(string name) => name == LocationFile
        ? _location
        : new(_folder, string.Join('/', name.Split('/').Select(Uri.EscapeDataString)));

    /// <summary>
    /// Sends a GET of <paramref name="url"/> (<paramref name="configure"/> adds headers) and returns its response once
    /// the headers are in; failures before that and 5xx, 408 and 429 are tried again (<see cref="RetryPolicy"/>).
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(Uri url, Action<HttpRequestMessage>? configure, CancellationToken cancellationToken)
    {
        try
        {
            return await RetryPolicy.SendAsync(_client, NewRequest, cancellationToken, Metrics);
        }
        catch (Exception ex) when (HttpRetryPolicy.IsTransient(ex, cancellationToken))
        {
            var why = ex is HttpRequestException ? ex.Message : string.Create(CultureInfo.InvariantCulture, $"no response for {StallTimeout.TotalSeconds:0.###} s");
            throw new BundleException($"GET {url} failed: {why}", ex);
        }
        catch (HttpRequestException ex) when (TlsFailure.Is(ex))
        {
            throw new BundleException($"GET {url} failed: {TlsFailure.Describe(ex)}.", ex);
        }

        HttpRequestMessage NewRequest()
        {
            var request = _client.NewRequest(HttpMethod.Get, url);
            configure?.Invoke(request);
            return request;
        }
    }

    private async Task<Stream?> OpenAsync(string name, bool nullWhenMissing, CancellationToken cancellationToken)
    {
        var url = Resolve(name);
        var response = await SendAsync(url, null, cancellationToken);
        try
        {
            if (nullWhenMissing && response.StatusCode == HttpStatusCode.NotFound)
            {
                response.Dispose();
                return null;
            }

            EnsureSuccess(response, url, HttpStatusCode.OK);
            return new ResumingResponseStream(this, url, response);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static void EnsureSuccess(HttpResponseMessage response, Uri url, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            throw new BundleException($"GET {url} answered {(int)response.StatusCode} {response.ReasonPhrase}; expected {(int)expected}. Check the URL and that the publish folder is served whole.");
        }
    }

    private static HttpClient CreateClient(LoadMetrics metrics, bool allowPrivateNetworkRedirects, X509Certificate2? trustedCertificate) => new HttpClientSettings
    {
        RequestVersion = HttpVersion.Version20,
        TrustedCertificate = trustedCertificate,
        ConnectionOpened = metrics.ConnectionOpened,
        Redirects = HttpRedirectPolicy.Default with { AllowPrivateNetworkRedirects = allowPrivateNetworkRedirects },
    }.CreateClient();
}
