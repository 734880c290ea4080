using System.Net;
using Bundler.Core.Download;

namespace Bundler.Core.Resolution;

/// <summary>
/// The client for sources' metadata (service indexes, registrations, packuments). Unlike the archive client it accepts
/// compressed responses, as feeds serve their JSON gzipped (nuget.org's registration even without being asked);
/// archives never go through it, so they still hash as published.
/// </summary>
internal static class MetadataHttpClient
{
    public static HttpClient Create()
    {
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = 16,
        };
        var client = new HttpClient(handler) { Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(BundlerHttpClient.UserAgent);
        return client;
    }
}
