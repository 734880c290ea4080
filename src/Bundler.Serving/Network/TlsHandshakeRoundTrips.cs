using System.Security.Authentication;

namespace Bundler.Serving.Network;

/// <summary>
/// The round trips a TLS handshake spends before the client can send its first request: one for TLS 1.3 (ClientHello,
/// then the server's whole flight), two for TLS 1.2 and older (a second exchange of ChangeCipherSpec and Finished).
/// </summary>
internal static class TlsHandshakeRoundTrips
{
    public static int After(SslProtocols negotiated) => negotiated is SslProtocols.Tls13 or SslProtocols.None ? 1 : 2;
}
