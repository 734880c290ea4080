using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Bundler.Serving;

namespace Bundler.Testing.Http;

/// <summary>
/// A real Kestrel server on 127.0.0.1 with a random port. Tests add endpoints or middleware in
/// <c>configure</c>; every request is recorded so tests can count what a client actually sent.
/// </summary>
/// <remarks>
/// A request is recorded when its response ends on the server, which can be a moment after the client has read the last
/// byte or given up. Reading the log therefore first waits (up to 2 s) until no response is still being served.
/// </remarks>
public sealed class LoopbackServer : IAsyncDisposable
{
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(2);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests;
    private readonly InFlightCounter _inFlight;

    private LoopbackServer(WebApplication app, ConcurrentQueue<RecordedRequest> requests, InFlightCounter inFlight, Uri baseUri)
    {
        _app = app;
        _requests = requests;
        _inFlight = inFlight;
        BaseUri = baseUri;
    }

    /// <summary>The server's root, ending with a slash (http://127.0.0.1:PORT/).</summary>
    public Uri BaseUri { get; }

    public IReadOnlyList<RecordedRequest> Requests => [.. Settled()];

    public Uri Url(string relative) => new(BaseUri, relative.TrimStart('/'));

    public int Count(Func<RecordedRequest, bool> predicate) => Settled().Count(predicate);

    public int CountPath(string path) => Settled().Count(r => r.Path == path);

    public void ClearLog() => _requests.Clear();

    /// <summary>Waits (up to 5 s) until at least <paramref name="count"/> recorded requests match.</summary>
    public async Task WaitForRequestsAsync(Func<RecordedRequest, bool> predicate, int count = 1)
    {
        for (var waited = 0; waited < 100 && _requests.Count(predicate) < count; waited++)
        {
            await Task.Delay(50);
        }
    }

    /// <param name="configure">Adds middleware and endpoints to the application, after request recording.</param>
    /// <param name="protocols">HTTP/1.1 by default; <see cref="HttpProtocols.Http2"/> gives h2c with prior knowledge.</param>
    /// <param name="address">The address to listen on; 127.0.0.1 by default.</param>
    /// <param name="certificate">When given, the server speaks HTTPS with this certificate.</param>
    public static async Task<LoopbackServer> StartAsync(Action<WebApplication> configure, HttpProtocols protocols = HttpProtocols.Http1, System.Net.IPAddress? address = null, X509Certificate2? certificate = null)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var app = KestrelApp.Create(k =>
        {
            k.Limits.MaxRequestBodySize = null;
            k.Listen(address ?? System.Net.IPAddress.Loopback, 0, o =>
            {
                o.Protocols = protocols;
                if (certificate is not null)
                {
                    o.UseHttps(certificate);
                }
            });
        });
        var requests = new ConcurrentQueue<RecordedRequest>();
        var inFlight = new InFlightCounter();
        app.Use(async (context, next) =>
        {
            using var busy = inFlight.Enter();
            await using var counting = new CountingStream(context.Response.Body);
            context.Response.Body = counting;
            try
            {
                await next(context);
            }
            finally
            {
                var request = context.Request;
                requests.Enqueue(new RecordedRequest(
                    request.Method,
                    request.Path.Value ?? "/",
                    request.Headers.Range.Count > 0 ? request.Headers.Range.ToString() : null,
                    request.Headers.Authorization.Count > 0 ? request.Headers.Authorization.ToString() : null,
                    context.Response.StatusCode,
                    counting.Written,
                    context.Connection.Id,
                    request.Protocol));
            }
        });
        configure(app);
        var addresses = await KestrelApp.StartAsync(app, CancellationToken.None);
        return new LoopbackServer(app, requests, inFlight, addresses[0]);
    }

    /// <summary>Serves the files under <paramref name="root"/> with Range and ETag support.</summary>
    public static Task<LoopbackServer> ServeDirectoryAsync(string root, HttpProtocols protocols = HttpProtocols.Http1) =>
        StartAsync(app => app.UseStaticFolder(root), protocols);

    private ConcurrentQueue<RecordedRequest> Settled()
    {
        SpinWait.SpinUntil(() => _inFlight.Count == 0, SettleTimeout);
        return _requests;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
