using Bundler.Loader.Format;
using Bundler.Loader.Http;

namespace Bundler.Loader.Loading.Sources;

/// <summary>
/// A publish location to load from, over HTTP(S) or on a local disk. Names are relative to its folder
/// (<see cref="PublishLayout"/>); a location may also name a file in that folder: a <c>.tar.zst</c> bundle or an
/// entry point (<see cref="PublishEntry"/>).
/// </summary>
internal abstract class LoadSource : IDisposable
{
    protected LoadSource(string? locationFile, LoadMetrics metrics)
    {
        LocationFile = locationFile;
        Metrics = metrics;
    }

    /// <summary>The file the location names inside its folder, or null when it names the folder.</summary>
    public string? LocationFile { get; }

    public LoadMetrics Metrics { get; }

    /// <summary>True when the source counts the connections it opens.</summary>
    public virtual bool CountsConnections => false;

    /// <summary>True when bytes come over a network, where a stream read as one pass should be drained ahead of its reader.</summary>
    public virtual bool IsRemote => false;

    public static LoadSource Create(string location, PackageLoadOptions options, LoadMetrics metrics)
    {
        if (HttpUrls.TryParse(location, out var uri))
        {
            return HttpLoadSource.Create(uri, options.HttpClient, options.StallTimeout, options.MinimumRate, metrics, options.AllowPrivateNetworkRedirects, options.TrustedServerCertificate);
        }

        if (HttpUrls.OtherScheme(location) is { } scheme)
        {
            throw new BundleException($"'{location}' is a {scheme}:// URL; load reads publish locations over http(s) or from a local folder. Give the store's HTTPS URL of the prefix (for S3: https://BUCKET.s3.REGION.amazonaws.com/PREFIX/, or the CDN in front of it).");
        }

        return LocalLoadSource.Create(location, metrics);
    }

    /// <summary>The URL or path of <paramref name="name"/>, for messages.</summary>
    public abstract string Describe(string name);

    /// <summary>Opens the whole of <paramref name="name"/> for reading; throws naming it when it cannot be had.</summary>
    public abstract Task<Stream> OpenAsync(string name, CancellationToken cancellationToken);

    /// <summary>Opens the whole of <paramref name="name"/>, or returns null when the source says it does not exist (404, no such file).</summary>
    public abstract Task<Stream?> OpenIfExistsAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Reads <c>buffer.Length</c> bytes of <paramref name="name"/> from <paramref name="offset"/> (fewer only at the
    /// end of the file and when <paramref name="allowShorter"/>). A server that ignores the range answers with the
    /// whole file: the reply then carries that body, unread, for the caller to stream.
    /// </summary>
    public abstract Task<RangeReply> ReadRangeAsync(string name, long offset, Memory<byte> buffer, bool allowShorter, CancellationToken cancellationToken);

    public virtual void Dispose() => GC.SuppressFinalize(this);
}

/// <summary>What a range read gave: <see cref="Count"/> bytes and the file's total length, or the whole file's body.</summary>
internal sealed record RangeReply(int Count, long? TotalLength, Stream? WholeBody);
