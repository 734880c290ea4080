using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Transfer;
using Bundler.Core.Publishing;
using Bundler.Loader;

namespace Bundler.Publishing.S3;

/// <summary>
/// A publish location in S3 or an S3-compatible store. Objects are uploaded through one client (its connection pool
/// shared by the concurrent uploads), large ones in parts; an object is there only once its upload completed, so the
/// entry point never names a partial object. Objects of earlier publishes are kept: a bucket lifecycle rule removes
/// old ones if wanted (docs/cli.md).
/// </summary>
internal sealed class S3PublishStore : IPublishStore
{
    /// <summary>Objects from this size on are uploaded in parts, several at a time.</summary>
    public const long MultipartThreshold = 16 * 1024 * 1024;

    private const long PartSize = 8 * 1024 * 1024;

    private readonly IAmazonS3 _client;
    private readonly TransferUtility _transfer;

    public S3PublishStore(S3Location location, IAmazonS3 client)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(client);
        Location = location;
        _client = client;
        _transfer = new TransferUtility(client, new TransferUtilityConfig { MinSizeBeforePartUpload = MultipartThreshold, ConcurrentServiceRequests = 4 });
    }

    public S3Location Location { get; }

    public string Describe(string name) => Location + name;

    public Task PrepareAsync(CancellationToken cancellationToken) =>
        CallAsync("", async () => await _client.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = Location.Bucket }, cancellationToken));

    public Task<bool> HasAsync(string name, long size, CancellationToken cancellationToken) => CallAsync(name, async () =>
    {
        try
        {
            var metadata = await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Location.Bucket, Key = Location.Key(name) }, cancellationToken);
            return metadata.ContentLength == size;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    });

    public Task PutFileAsync(string name, string path, string cacheControl, CancellationToken cancellationToken) => CallAsync(name, async () =>
    {
        var request = new TransferUtilityUploadRequest
        {
            BucketName = Location.Bucket,
            Key = Location.Key(name),
            FilePath = path,
            ContentType = ContentTypes.Of(name),
            PartSize = PartSize,
        };
        request.Headers.CacheControl = cacheControl;
        await _transfer.UploadAsync(request, cancellationToken);
        return true;
    });

    public Task PutBytesAsync(string name, byte[] content, string cacheControl, CancellationToken cancellationToken) => CallAsync(name, async () =>
    {
        using var body = new MemoryStream(content, writable: false);
        var request = new PutObjectRequest { BucketName = Location.Bucket, Key = Location.Key(name), InputStream = body, ContentType = ContentTypes.Of(name), AutoCloseStream = false };
        request.Headers.CacheControl = cacheControl;
        await _client.PutObjectAsync(request, cancellationToken);
        return true;
    });

    public Task<byte[]?> ReadAsync(string name, int maxSize, CancellationToken cancellationToken) => CallAsync(name, async () =>
    {
        try
        {
            using var response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = Location.Bucket, Key = Location.Key(name) }, cancellationToken);
            if (response.ContentLength > maxSize)
            {
                return null;
            }

            var content = new byte[response.ContentLength];
            await response.ResponseStream.ReadExactlyAsync(content, cancellationToken);
            return content;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return (byte[]?)null;
        }
    });

    public Task FinishAsync(IReadOnlySet<string> current, IReadOnlySet<string> previous, CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        _transfer.Dispose();
        _client.Dispose();
    }

    /// <summary>Runs one call of the store, turning the SDK's failures into an error that names the object's URL and what to do, and no credential.</summary>
    private async Task<T> CallAsync<T>(string name, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (AmazonServiceException ex)
        {
            var advice = ex.StatusCode switch
            {
                HttpStatusCode.Forbidden => "check that the credentials may read and write that bucket and prefix",
                HttpStatusCode.NotFound => "check that the bucket exists (and the endpoint, for an S3-compatible store)",
                _ => "publish again; the previous entry point is still in place",
            };
            throw new BundleException($"{Describe(name)}: the store answered {(int)ex.StatusCode} {ex.ErrorCode}: {ex.Message.TrimEnd('.')}. {char.ToUpperInvariant(advice[0])}{advice[1..]}.", ex);
        }
        catch (AmazonClientException ex)
        {
            throw new BundleException($"{Describe(name)}: {ex.Message.TrimEnd('.')}. Give credentials as the AWS tools take them (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or a role), and ${S3ClientFactory.EndpointVariable} for an S3-compatible store; the previous entry point is still in place.", ex);
        }
    }
}
