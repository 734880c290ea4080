using System.Net.Http.Headers;
using System.Text;

namespace Bundler.Core.Sources;

/// <summary>
/// Basic credentials for one source, sent only to the scheme, host and port of the URL they were configured for,
/// never to other hosts a server points at. <see cref="ToString"/> hides the secret.
/// </summary>
internal sealed class SourceCredential(Uri origin, string userName, string password)
{
    private readonly AuthenticationHeaderValue _header = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(userName + ":" + password)));

    public bool AppliesTo(Uri url) =>
        string.Equals(url.Scheme, origin.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(url.Host, origin.Host, StringComparison.OrdinalIgnoreCase)
        && url.Port == origin.Port;

    public void Apply(HttpRequestMessage request)
    {
        if (request.RequestUri is { } url && AppliesTo(url))
        {
            request.Headers.Authorization = _header;
        }
    }

    public override string ToString() => $"credentials for {origin.GetLeftPart(UriPartial.Authority)}";
}
