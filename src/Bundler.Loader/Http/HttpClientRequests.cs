namespace Bundler.Loader.Http;

internal static class HttpClientRequests
{
    /// <summary>A request that uses the client's version and version policy (a bare message would be HTTP/1.1).</summary>
    public static HttpRequestMessage NewRequest(this HttpClient client, HttpMethod method, Uri url) => new(method, url)
    {
        Version = client.DefaultRequestVersion,
        VersionPolicy = client.DefaultVersionPolicy,
    };
}
