using Bundler.Core.Publishing;
using Bundler.Loader;
using Bundler.Loader.Http;
using Bundler.Publishing.S3;

namespace Bundler.Cli.Options;

/// <summary>The store <c>pack --publish</c> writes to: a local folder, or an <c>s3://BUCKET/PREFIX/</c> URL. Any other URL is refused, never taken for a folder.</summary>
internal static class PublishLocation
{
    public static IPublishStore Open(string location)
    {
        var scheme = HttpUrls.OtherScheme(location) ?? (HttpUrls.TryParse(location, out var url) ? url.Scheme : null);
        return scheme switch
        {
            null => new FolderPublishStore(location),
            S3Location.Scheme => new S3PublishStore(S3Location.Parse(location), S3ClientFactory.Create()),
            _ => throw new BundleException($"--publish '{location}': {scheme}:// is not a store pack can publish to. Give a local folder, or s3://BUCKET/PREFIX/ for S3 and S3-compatible stores; then serve or load it over http(s)."),
        };
    }
}
