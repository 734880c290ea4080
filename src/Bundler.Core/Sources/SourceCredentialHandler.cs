namespace Bundler.Core.Sources;

/// <summary>
/// Adds a source's credentials to the requests for its own host, so archives on an authenticated feed download with
/// the same credentials as its metadata. Redirects go without them: the redirect policy's handler, below this one,
/// drops Authorization on every hop it follows.
/// </summary>
internal sealed class SourceCredentialHandler(IReadOnlyList<SourceCredential> credentials) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } url && credentials.FirstOrDefault(c => c.AppliesTo(url)) is { } credential)
        {
            credential.Apply(request);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
