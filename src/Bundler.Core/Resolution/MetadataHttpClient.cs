using System.Net;
using Bundler.Core.Download;
using Bundler.Loader.Http;

namespace Bundler.Core.Resolution;

/// <summary>
/// The client for sources' metadata (service indexes, registrations, packuments). Unlike the archive client it accepts
/// compressed responses, as feeds serve their JSON gzipped (nuget.org's registration even without being asked);
/// archives never go through it, so they still hash as published.
/// </summary>
internal static class MetadataHttpClient
{
    public static HttpClient Create(bool allowPrivateNetworkRedirects = false) => new HttpClientSettings
    {
        Redirects = HttpRedirectPolicy.Default with { AllowPrivateNetworkRedirects = allowPrivateNetworkRedirects },
        Decompression = DecompressionMethods.All,
        MaxConnectionsPerServer = 16,
        RequestTimeout = TimeSpan.FromMinutes(2),
        UserAgent = BundlerHttpClient.UserAgent,
    }.CreateClient();
}
