using System.Net;
using System.Security.Cryptography.X509Certificates;
using Bundler.Serving.Faults;
using Bundler.Serving.Network;

namespace Bundler.Serving;

/// <summary>Where and how <see cref="StaticFileServer"/> listens. Port 0 picks a free port.</summary>
internal sealed record StaticFileServerOptions
{
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    public int Http1Port { get; init; }

    public int Http2Port { get; init; }

    public ServeProtocols Protocols { get; init; } = ServeProtocols.Both;

    /// <summary>
    /// When set, the server speaks only HTTPS, on <see cref="HttpsPort"/>, presenting this certificate: HTTP/2 and
    /// HTTP/1.1 on one port, chosen by ALPN, or HTTP/1.1 alone when <see cref="Protocols"/> is <see cref="ServeProtocols.Http1"/>.
    /// </summary>
    public X509Certificate2? Certificate { get; init; }

    public int HttpsPort { get; init; }

    public NetworkProfile Network { get; init; } = NetworkProfile.Unthrottled;

    /// <summary>
    /// Let pages of any origin read the files and their Resource Timing (<c>Access-Control-Allow-Origin: *</c> and
    /// <c>Timing-Allow-Origin: *</c>), as a public CDN does: a browser loader served from elsewhere can then fetch them.
    /// </summary>
    public bool AllowAnyOrigin { get; init; }

    /// <summary>Faults injected into responses, after the simulated network's delay; null for none.</summary>
    public FaultPlan? Faults { get; init; }
}
