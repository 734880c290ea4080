using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Bundler.Loader.Http;

/// <summary>
/// How the product's <see cref="HttpClient"/>s are made, in one place. By default: no automatic decompression (archives
/// arrive and hash as published), a 30 s connect timeout, pooled connections renewed every 5 minutes and closed after
/// 90 s idle, redirects followed by <see cref="HttpRedirectPolicy"/>, no whole-request timeout (callers time out stalled responses themselves),
/// HTTP/1.1. Each client's differences are set here by name.
/// </summary>
internal sealed record HttpClientSettings
{
    public DecompressionMethods Decompression { get; init; } = DecompressionMethods.None;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan PooledConnectionLifetime { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan PooledConnectionIdleTimeout { get; init; } = TimeSpan.FromSeconds(90);

    public int MaxConnectionsPerServer { get; init; } = int.MaxValue;

    /// <summary>Open another HTTP/2 connection when one has as many streams as the server allows.</summary>
    public bool MultipleHttp2Connections { get; init; }

    /// <summary>How much of an abandoned body is read to keep its connection; null keeps the handler's default.</summary>
    public int? MaxResponseDrainSize { get; init; }

    /// <summary>The client's whole-request timeout.</summary>
    public TimeSpan RequestTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    public Version RequestVersion { get; init; } = HttpVersion.Version11;

    public HttpVersionPolicy VersionPolicy { get; init; } = HttpVersionPolicy.RequestVersionOrLower;

    /// <summary>The User-Agent every request sends; null sends none.</summary>
    public string? UserAgent { get; init; }

    /// <summary>Called for each connection opened (which then connects through a callback, with Nagle off as by default).</summary>
    public Action? ConnectionOpened { get; init; }

    /// <summary>Which redirects are followed.</summary>
    public HttpRedirectPolicy Redirects { get; init; } = HttpRedirectPolicy.Default;

    /// <summary>One server certificate trusted beside the machine's roots (<see cref="PinnedCertificate"/>); null trusts only the roots.</summary>
    public X509Certificate2? TrustedCertificate { get; init; }

    /// <summary>Handlers placed in front of the connection handler, outermost first (authentication, say).</summary>
    public IReadOnlyList<DelegatingHandler> Handlers { get; init; } = [];

    /// <summary>The connection handler alone; it follows no redirects (<see cref="CreateRedirectingHandler"/> does).</summary>
    public SocketsHttpHandler CreateHandler() => CreateHandler(NetworkAddressSpace.Local);

    /// <summary>The connection handler behind <see cref="RedirectPolicyHandler"/>, which follows redirects by <see cref="Redirects"/>.</summary>
    public HttpMessageHandler CreateRedirectingHandler() => new RedirectPolicyHandler(Redirects, CreateHandler) { InnerHandler = CreateHandler() };

    /// <summary>A connection handler that connects only to addresses in <paramref name="floor"/> or a more public space.</summary>
    internal SocketsHttpHandler CreateHandler(NetworkAddressSpace floor)
    {
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = Decompression,
            ConnectTimeout = ConnectTimeout,
            PooledConnectionLifetime = PooledConnectionLifetime,
            PooledConnectionIdleTimeout = PooledConnectionIdleTimeout,
            MaxConnectionsPerServer = MaxConnectionsPerServer,
            EnableMultipleHttp2Connections = MultipleHttp2Connections,
            AllowAutoRedirect = false,
        };
        if (TrustedCertificate is { } trusted)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = PinnedCertificate.Trusting(trusted);
        }

        if (MaxResponseDrainSize is { } drain)
        {
            handler.MaxResponseDrainSize = drain;
        }

        if (ConnectionOpened is not null || floor != NetworkAddressSpace.Local)
        {
            handler.ConnectCallback = (context, cancellationToken) => ConnectAsync(context, floor, cancellationToken);
        }

        return handler;
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, NetworkAddressSpace floor, CancellationToken cancellationToken)
    {
        var endPoint = context.DnsEndPoint;
        var addresses = floor == NetworkAddressSpace.Local || IsProxy(context) ? null : await AddressesAsync(endPoint.Host, floor, cancellationToken);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (addresses is null)
            {
                await socket.ConnectAsync(endPoint, cancellationToken);
            }
            else
            {
                await socket.ConnectAsync(addresses, endPoint.Port, cancellationToken);
            }

            ConnectionOpened?.Invoke();
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The addresses of <paramref name="host"/> in <paramref name="floor"/> or a more public space, resolved for this connection (so a rebound name is judged by what it resolves to now).</summary>
    private static async Task<IPAddress[]> AddressesAsync(string host, NetworkAddressSpace floor, CancellationToken cancellationToken)
    {
        var all = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = all.Where(a => NetworkAddressSpaces.Of(a) >= floor).ToArray();
        return allowed.Length > 0 ? allowed : throw new AddressSpaceRefusal(host, all, NetworkAddressSpaces.MostPublicOf(all));
    }

    /// <summary>A connection to a proxy, which resolves the request's host itself; the redirect's target was judged before it was sent.</summary>
    private static bool IsProxy(SocketsHttpConnectionContext context) =>
        !string.Equals(context.InitialRequestMessage.RequestUri?.IdnHost, context.DnsEndPoint.Host, StringComparison.OrdinalIgnoreCase);

    /// <summary>A client over <see cref="Handlers"/> and a new connection handler; keep it and share it.</summary>
    public HttpClient CreateClient()
    {
        var pipeline = CreateRedirectingHandler();
        for (var i = Handlers.Count - 1; i >= 0; i--)
        {
            Handlers[i].InnerHandler = pipeline;
            pipeline = Handlers[i];
        }

        var client = new HttpClient(pipeline, disposeHandler: true)
        {
            Timeout = RequestTimeout,
            DefaultRequestVersion = RequestVersion,
            DefaultVersionPolicy = VersionPolicy,
        };
        if (UserAgent is not null)
        {
            client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        }

        return client;
    }
}
