using Bundler.Core.Publishing;
using Bundler.Loader;
using Bundler.Loader.Http;
using Bundler.Publishing.Azure;
using Bundler.Publishing.S3;

namespace Bundler.Cli.Options;

/// <summary>The store <c>pack --publish</c> writes to: a local folder, an <c>s3://BUCKET/PREFIX/</c> URL, or an Azure Blob Storage container URL. Any other URL is refused, never taken for a folder.</summary>
internal static class PublishLocation
{
    public static IPublishStore Open(string location)
    {
        var scheme = HttpUrls.OtherScheme(location) ?? (HttpUrls.TryParse(location, out var url) ? url.Scheme : null);
        return scheme switch
        {
            null => new FolderPublishStore(location),
            S3Location.Scheme => new S3PublishStore(S3Location.Parse(location), S3ClientFactory.Create()),
            _ when AzureBlobLocation.Is(location) => OpenAzure(AzureBlobLocation.Parse(location)),
            _ => throw new BundleException($"--publish '{location}': {scheme}:// is not a store pack can publish to. Give a local folder, s3://BUCKET/PREFIX/ for S3 and S3-compatible stores, or https://ACCOUNT.blob.core.windows.net/CONTAINER/PREFIX/ (or az://CONTAINER/PREFIX/) for Azure Blob Storage; then serve or load it over http(s)."),
        };
    }

    private static AzureBlobPublishStore OpenAzure(AzureBlobLocation location) => new(location, AzureContainerFactory.Create(location));
}
