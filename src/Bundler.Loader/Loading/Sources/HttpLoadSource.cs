using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Bundler.Loader.Format;
using Bundler.Loader.Http;

namespace Bundler.Loader.Loading.Sources;

/// <summary>
/// A publish folder served over HTTP(S). Every request goes through one client: the caller's, or one pooled
/// <see cref="SocketsHttpHandler"/> client made for the load (which also counts the connections it opens).
/// A request that fails before its response starts (or whose headers do not come within the stall timeout) is tried
/// again, twice at most; a body that breaks off is resumed (<see cref="ResumingResponseStream"/>).
/// </summary>
internal sealed class HttpLoadSource : LoadSource
{
    private const int Attempts = 3;

    private readonly Uri _folder;
    private readonly HttpClient _client;
    private readonly bool _ownsClient;

    private HttpLoadSource(Uri folder, string bundleName, HttpClient client, bool ownsClient, TimeSpan stallTimeout, LoadMetrics metrics) : base(bundleName, metrics)
    {
        _folder = folder;
        _client = client;
        _ownsClient = ownsClient;
        StallTimeout = stallTimeout;
    }

    public override bool CountsConnections => _ownsClient;

    public override bool IsRemote => true;

    /// <summary>How long a response's headers or its next body bytes may take before the request counts as failed.</summary>
    public TimeSpan StallTimeout { get; }

    public static HttpLoadSource Create(Uri location, HttpClient? client, TimeSpan stallTimeout, LoadMetrics metrics)
    {
        var path = location.AbsolutePath;
        string bundleName;
        Uri folder;
        if (path.EndsWith(".tar.zst", StringComparison.OrdinalIgnoreCase))
        {
            bundleName = Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..]);
            folder = new Uri(location, ".");
        }
        else
        {
            bundleName = PublishLayout.BundleFileName;
            folder = path.EndsWith('/') ? location : new Uri(location.GetLeftPart(UriPartial.Path) + "/" + location.Query);
        }

        return client is null
            ? new HttpLoadSource(folder, bundleName, CreateClient(metrics), ownsClient: true, stallTimeout, metrics)
            : new HttpLoadSource(folder, bundleName, client, ownsClient: false, stallTimeout, metrics);
    }

    public override string Describe(string name) => Resolve(name).ToString();

    public override async Task<Stream> OpenAsync(string name, CancellationToken cancellationToken)
    {
        var url = Resolve(name);
        var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), cancellationToken);
        try
        {
            EnsureSuccess(response, url, HttpStatusCode.OK);
            return new ResumingResponseStream(this, url, response);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public override async Task<RangeReply> ReadRangeAsync(string name, long offset, Memory<byte> buffer, bool allowShorter, CancellationToken cancellationToken)
    {
        var url = Resolve(name);
        var last = offset + buffer.Length - 1;
        var response = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Range = new RangeHeaderValue(offset, last) } },
            cancellationToken);
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

    private Uri Resolve(string name) =>
        new(_folder, string.Join('/', name.Split('/').Select(Uri.EscapeDataString)));

    /// <summary>Sends a GET and returns its response once the headers are in; failures before that and 5xx, 408 and 429 are tried again.</summary>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (attempt > 1)
            {
                Metrics.Retried();
                await Task.Delay(TimeSpan.FromMilliseconds(100 * (attempt - 1) * (attempt - 1)), cancellationToken);
            }

            using var message = request();
            // A request message says HTTP/1.1 whatever the client's default; follow the client, which may speak HTTP/2.
            message.Version = _client.DefaultRequestVersion;
            message.VersionPolicy = _client.DefaultVersionPolicy;
            Metrics.RequestSent();
            HttpResponseMessage response;
            using (var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                stall.CancelAfter(StallTimeout);
                try
                {
                    response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, stall.Token);
                }
                catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    if (attempt < Attempts)
                    {
                        continue;
                    }

                    var why = ex is HttpRequestException ? ex.Message : string.Create(CultureInfo.InvariantCulture, $"no response for {StallTimeout.TotalSeconds:0.###} s");
                    throw new BundleException($"GET {message.RequestUri} failed: {why}", ex);
                }
            }

            Metrics.ResponseStarted();
            if (attempt < Attempts && ((int)response.StatusCode >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests))
            {
                response.Dispose();
                continue;
            }

            return response;
        }
    }

    private static void EnsureSuccess(HttpResponseMessage response, Uri url, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            throw new BundleException($"GET {url} answered {(int)response.StatusCode} {response.ReasonPhrase}; expected {(int)expected}. Check the URL and that the publish folder is served whole.");
        }
    }

    private static HttpClient CreateClient(LoadMetrics metrics)
    {
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    metrics.ConnectionOpened();
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }
}
