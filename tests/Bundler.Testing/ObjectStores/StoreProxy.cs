using System.Collections.Concurrent;
using Bundler.Testing.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bundler.Testing.ObjectStores;

/// <summary>
/// A loopback reverse proxy in front of an object store that records every request it forwards (method, path and
/// query, body bytes) and answers the ones <see cref="Fail"/> picks with 503 SlowDown instead, after reading their
/// body: the store seen by a client whose upload breaks off or is throttled.
/// </summary>
public sealed class StoreProxy : IAsyncDisposable
{
    private static readonly HttpClient Forwarder = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromMinutes(2) };
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase) { "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection" };

    private readonly LoopbackServer _server;
    private readonly ConcurrentQueue<ProxiedRequest> _requests;

    private StoreProxy(LoopbackServer server, ConcurrentQueue<ProxiedRequest> requests)
    {
        _server = server;
        _requests = requests;
    }

    /// <summary>The proxy's endpoint, http://127.0.0.1:PORT/.</summary>
    public Uri Endpoint => _server.BaseUri;

    /// <summary>Picks the requests (method, path and query) answered with 503; none by default.</summary>
    public Func<string, string, bool> Fail { get; set; } = (_, _) => false;

    /// <summary>The requests the store received (not the failed ones), in order.</summary>
    public IReadOnlyList<ProxiedRequest> Forwarded => [.. _requests.Where(r => !r.Failed)];

    public IReadOnlyList<ProxiedRequest> Failed => [.. _requests.Where(r => r.Failed)];

    public void ClearLog() => _requests.Clear();

    public static async Task<StoreProxy> StartAsync(Uri store)
    {
        var requests = new ConcurrentQueue<ProxiedRequest>();
        StoreProxy? proxy = null;
        var server = await LoopbackServer.StartAsync(app => app.Run(context => ForwardAsync(context, store, requests, proxy!)));
        proxy = new StoreProxy(server, requests);
        return proxy;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private static async Task ForwardAsync(HttpContext context, Uri store, ConcurrentQueue<ProxiedRequest> requests, StoreProxy proxy)
    {
        var request = context.Request;
        var pathAndQuery = request.Path.Value + request.QueryString.Value;
        if (proxy.Fail(request.Method, pathAndQuery))
        {
            using var drain = new MemoryStream();
            await request.Body.CopyToAsync(drain);
            requests.Enqueue(new ProxiedRequest(request.Method, pathAndQuery, drain.Length, Failed: true));
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.ContentType = "application/xml";
            await context.Response.WriteAsync("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>");
            return;
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        body.Position = 0;
        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(store, pathAndQuery.TrimStart('/')));
        var content = new StreamContent(body);
        foreach (var (name, values) in request.Headers)
        {
            if (HopHeaders.Contains(name) || name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!forward.Headers.TryAddWithoutValidation(name, [.. values]))
            {
                content.Headers.TryAddWithoutValidation(name, [.. values]);
            }
        }

        // The client signed the proxy's host: the store sees the same one.
        forward.Headers.Host = request.Host.Value;
        if (body.Length > 0 || request.ContentLength is not null)
        {
            forward.Content = content;
        }

        requests.Enqueue(new ProxiedRequest(request.Method, pathAndQuery, body.Length, Failed: false));
        using var response = await Forwarder.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopHeaders.Contains(name))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        await response.Content.CopyToAsync(context.Response.Body);
    }
}
