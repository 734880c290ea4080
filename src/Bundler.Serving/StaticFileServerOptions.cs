using System.Net;
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

    public NetworkProfile Network { get; init; } = NetworkProfile.Unthrottled;

    /// <summary>Faults injected into responses, after the simulated network's delay; null for none.</summary>
    public FaultPlan? Faults { get; init; }
}
