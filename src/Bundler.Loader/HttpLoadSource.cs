using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Bundler.Loader;

/// <summary>
/// A publish folder served over HTTP(S). Every request goes through one client: the caller's, or one pooled
/// <see cref="SocketsHttpHandler"/> client made for the load (which also counts the connections it opens).
/// A request that fails before its response starts is tried again, twice at most; the caller's robust download
/// engine, when it has one, is the place for more.
/// </summary>
internal sealed class HttpLoadSource : LoadSource
{
    private const int Attempts = 3;

    private readonly Uri _folder;
    private readonly HttpClient _client;
    private readonly bool _ownsClient;

    private HttpLoadSource(Uri folder, string bundleName, HttpClient client, bool ownsClient, LoadMetrics metrics) : base(bundleName, metrics)
    {
        _folder = folder;
        _client = client;
        _ownsClient = ownsClient;
    }

    public override bool CountsConnections => _ownsClient;

    public static HttpLoadSource Create(Uri location, HttpClient? client, LoadMetrics metrics)
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
            ? new HttpLoadSource(folder, bundleName, CreateClient(metrics), ownsClient: true, metrics)
            : new HttpLoadSource(folder, bundleName, client, ownsClient: false, metrics);
    }

    public override string Describe(string name) => Resolve(name).ToString();

    public override async Task<Stream> OpenAsync(string name, CancellationToken cancellationToken)
    {
        var url = Resolve(name);
        var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), cancellationToken);
        try
        {
            EnsureSuccess(response, url, HttpStatusCode.OK);
            return new MeteredStream(await response.Content.ReadAsStreamAsync(cancellationToken), Metrics, response, url);
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
                var whole = new MeteredStream(await response.Content.ReadAsStreamAsync(cancellationToken), Metrics, response, url);
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
            await using var body = new MeteredStream(await response.Content.ReadAsStreamAsync(cancellationToken), Metrics, url: url);
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

    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var message = request();
            // A request message says HTTP/1.1 whatever the client's default; follow the client, which may speak HTTP/2.
            message.Version = _client.DefaultRequestVersion;
            message.VersionPolicy = _client.DefaultVersionPolicy;
            Metrics.RequestSent();
            HttpResponseMessage response;
            try
            {
                response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            }
            catch (HttpRequestException) when (attempt < Attempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt * attempt), cancellationToken);
                continue;
            }
            catch (HttpRequestException ex)
            {
                throw new BundleException($"GET {message.RequestUri} failed: {ex.Message}", ex);
            }

            Metrics.ResponseStarted();
            if (attempt < Attempts && ((int)response.StatusCode >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests))
            {
                response.Dispose();
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt * attempt), cancellationToken);
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
