using System.Net;
using System.Reflection;
using Bundler.Loader.Http;

namespace Bundler.Core.Download;

/// <summary>
/// The product's <see cref="HttpClient"/> for archives: pooled, reused connections; HTTP/2 when an https server offers it
/// (or over cleartext with prior knowledge when asked); no automatic decompression, so archives arrive as published and
/// hash as published; no whole-request timeout (the download engine times out stalled bodies instead). Credentials are
/// the caller's: pass a <see cref="DelegatingHandler"/> that adds them per source.
/// </summary>
public static class BundlerHttpClient
{
    /// <summary>Creates a client; keep it for the process and share it.</summary>
    /// <param name="http2PriorKnowledge">Speak HTTP/2 over cleartext http:// without negotiation (h2c prior knowledge).</param>
    /// <param name="handlers">Handlers placed in front of the connection handler, outermost first (authentication, say).</param>
    public static HttpClient Create(bool http2PriorKnowledge = false, params DelegatingHandler[] handlers) =>
        Create(http2PriorKnowledge, allowPrivateNetworkRedirects: false, handlers);

    /// <summary>Creates a client; keep it for the process and share it.</summary>
    /// <param name="http2PriorKnowledge">Speak HTTP/2 over cleartext http:// without negotiation (h2c prior knowledge).</param>
    /// <param name="allowPrivateNetworkRedirects">Follow redirects from a public or private address into a private or local one (refused by default).</param>
    /// <param name="handlers">Handlers placed in front of the connection handler, outermost first (authentication, say).</param>
    public static HttpClient Create(bool http2PriorKnowledge, bool allowPrivateNetworkRedirects, params DelegatingHandler[] handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        return (Settings with
        {
            Redirects = HttpRedirectPolicy.Default with { AllowPrivateNetworkRedirects = allowPrivateNetworkRedirects },
            RequestVersion = HttpVersion.Version20,
            VersionPolicy = http2PriorKnowledge ? HttpVersionPolicy.RequestVersionExact : HttpVersionPolicy.RequestVersionOrLower,
            UserAgent = UserAgent,
            Handlers = handlers,
        }).CreateClient();
    }

    /// <summary>What every request of the product says it is: <c>Bundler/&lt;version&gt;</c>.</summary>
    internal static string UserAgent { get; } =
        "Bundler/" + (typeof(BundlerHttpClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0");

    /// <summary>
    /// The connection handler behind the product's redirect policy (http and https only, never https to http, at most
    /// 10 hops, never into a less public network), for callers that build their own pipeline.
    /// </summary>
    public static HttpMessageHandler CreateHandler() => Settings.CreateRedirectingHandler();

    private static HttpClientSettings Settings { get; } = new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        // The download engine bounds requests per host itself, adaptively; the pool must not cap it lower.
        MaxConnectionsPerServer = int.MaxValue,
        MultipleHttp2Connections = true,
        // A body abandoned part-way (a segment that reached its end, a file split at the tail) closes its connection
        // rather than being read to its end for reuse: those bytes are fetched by another request already.
        MaxResponseDrainSize = 64 * 1024,
    };
}
