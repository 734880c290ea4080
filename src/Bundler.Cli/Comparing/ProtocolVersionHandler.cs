using System.Net;

namespace Bundler.Cli.Comparing;

/// <summary>
/// Sends every request with one HTTP version and no fallback, whoever built the request: a request message defaults
/// to HTTP/1.1 whatever the client's default is, and a cleartext HTTP/2 endpoint only speaks HTTP/2.
/// </summary>
internal sealed class ProtocolVersionHandler(Version version, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Version = version;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        return base.SendAsync(request, cancellationToken);
    }
}
