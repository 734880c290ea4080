using System.Net;
using Azure;
using Azure.Identity;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Bundler.Core.Publishing;
using Bundler.Loader;

namespace Bundler.Publishing.Azure;

/// <summary>
/// A publish location in an Azure Blob Storage container. Large files go up as blocks, several at a time, committed
/// as one step, so a blob is there only once whole and the entry point never names a partial one. Blobs of earlier
/// publishes are kept: a lifecycle management rule removes old ones if wanted (docs/cli.md).
/// </summary>
internal sealed class AzureBlobPublishStore(AzureBlobLocation location, BlobContainerClient container) : IPublishStore
{
    /// <summary>Files from this size on are uploaded in blocks, several at a time.</summary>
    public const long BlockThreshold = 16 * 1024 * 1024;

    private static readonly StorageTransferOptions Transfer = new() { InitialTransferSize = BlockThreshold, MaximumTransferSize = 8 * 1024 * 1024, MaximumConcurrency = 4 };

    public AzureBlobLocation Location { get; } = location;

    public string Describe(string name) => Location + name;

    public Task PrepareAsync(CancellationToken cancellationToken) => CallAsync("", async () =>
    {
        if (!(await container.ExistsAsync(cancellationToken)).Value)
        {
            throw new BundleException($"{Describe("")}: the container '{Location.Container}' does not exist. Create it (with public read access for blobs, or behind a CDN) and publish again.");
        }

        return true;
    });

    public Task<bool> HasAsync(string name, long size, CancellationToken cancellationToken) => CallAsync(name, async () =>
    {
        try
        {
            var properties = await Blob(name).GetPropertiesAsync(cancellationToken: cancellationToken);
            return properties.Value.ContentLength == size;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return false;
        }
    });

    public Task PutFileAsync(string name, string path, string cacheControl, CancellationToken cancellationToken) => CallAsync(name, async () =>
    {
        await Blob(name).UploadAsync(path, Options(name, cacheControl), cancellationToken);
        return true;
    });

    public Task PutBytesAsync(string name, byte[] content, string cacheControl, CancellationToken cancellationToken) => CallAsync(name, async () =>
    {
        await Blob(name).UploadAsync(new BinaryData(content), Options(name, cacheControl), cancellationToken);
        return true;
    });

    public Task<byte[]?> ReadAsync(string name, int maxSize, CancellationToken cancellationToken) => CallAsync(name, async () =>
    {
        try
        {
            var blob = Blob(name);
            var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            if (properties.Value.ContentLength > maxSize)
            {
                return null;
            }

            var content = await blob.DownloadContentAsync(new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfMatch = properties.Value.ETag } }, cancellationToken);
            return content.Value.Content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return (byte[]?)null;
        }
    });

    public Task FinishAsync(IReadOnlySet<string> current, IReadOnlySet<string> previous, CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
    }

    private BlobClient Blob(string name) => container.GetBlobClient(Location.BlobName(name));

    private static BlobUploadOptions Options(string name, string cacheControl) => new()
    {
        HttpHeaders = new BlobHttpHeaders { CacheControl = cacheControl, ContentType = ContentTypes.Of(name) },
        TransferOptions = Transfer,
    };

    /// <summary>Runs one call of the store, turning the SDK's failures into an error that names the blob's URL and what to do, and no credential.</summary>
    private async Task<T> CallAsync<T>(string name, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RequestFailedException ex)
        {
            var advice = ex.Status switch
            {
                (int)HttpStatusCode.Forbidden => "Check that the credentials may read and write blobs in that container",
                (int)HttpStatusCode.NotFound => "Check that the container exists",
                _ => "Publish again; the previous entry point is still in place",
            };
            throw new BundleException($"{Describe(name)}: the store answered {ex.Status} {ex.ErrorCode}. {advice}.", ex);
        }
        catch (AuthenticationFailedException ex)
        {
            throw new BundleException($"{Describe(name)}: no Azure credential could be had ({ex.GetType().Name}). Sign in as the Azure tools take it (AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET, a workload or managed identity, or 'az login'), or use az://CONTAINER/PREFIX/ with ${AzureContainerFactory.ConnectionStringVariable}; the previous entry point is still in place.", ex);
        }
    }
}
