using Bundler.Loader.Http;

namespace Bundler.Core.Download;

/// <summary>How a <see cref="DownloadEngine"/> schedules, retries, verifies and caches downloads.</summary>
public sealed record DownloadOptions
{
    /// <summary>
    /// A fixed number of requests in flight, across all hosts; null (the default) adapts per host: it starts at
    /// <see cref="InitialPerHost"/>, grows while downloads succeed up to <see cref="MaxPerHost"/>, and halves when a host
    /// answers with 429 or 503, times out or resets connections.
    /// </summary>
    public int? Concurrency { get; init; }

    /// <summary>Requests in flight per host when adapting starts; a lower <see cref="MaxPerHost"/> caps it.</summary>
    public int InitialPerHost { get; init; } = 8;

    /// <summary>The most requests in flight per host when adapting.</summary>
    public int MaxPerHost { get; init; } = 16;

    /// <summary>The most requests in flight across all hosts when adapting.</summary>
    public int MaxTotal { get; init; } = 64;

    /// <summary>Files at least this large are fetched as parallel Range segments when the server supports ranges.</summary>
    public long SegmentThreshold { get; init; } = 16L * 1024 * 1024;

    /// <summary>
    /// Range requests one file uses at once: a file of at least <see cref="SegmentThreshold"/> starts as this many
    /// segments, and at the end of a run an idle slot takes the back part of a piece that would arrive last while fewer
    /// are in flight for it. 1 turns both off.
    /// </summary>
    public int Segments { get; init; } = 8;

    /// <summary>Retries per file after a transient failure (5xx, 429, timeout, reset, stall).</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>The first retry's delay; each further retry doubles it, with jitter.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest delay between retries, including a server's Retry-After.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A request that receives no bytes for this long is abandoned and resumed.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A body that arrives slower than this fails as a stall does and is resumed (default
    /// <see cref="MinimumTransferRate.Default"/>, 1 KiB/s over 30 s; <see cref="MinimumTransferRate.None"/> turns it off).
    /// </summary>
    public MinimumTransferRate MinimumRate { get; init; } = MinimumTransferRate.Default;

    /// <summary>The cache folder; null uses <see cref="ContentCache.DefaultRoot"/> (<c>BUNDLER_CACHE</c>, else the user cache folder).</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>
    /// Follow a redirect from a public or private address into a private or local one. Default false: refused, while a
    /// URL that names such an address directly is allowed. Read by the callers that make the client
    /// (<see cref="BundlerHttpClient.Create(bool, bool, DelegatingHandler[])"/>), such as pack.
    /// </summary>
    public bool AllowPrivateNetworkRedirects { get; init; }

    /// <summary>How often progress is reported.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Concurrency ?? 1, 1, nameof(Concurrency));
        ArgumentOutOfRangeException.ThrowIfLessThan(InitialPerHost, 1, nameof(InitialPerHost));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPerHost, 1, nameof(MaxPerHost));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTotal, 1, nameof(MaxTotal));
        ArgumentOutOfRangeException.ThrowIfLessThan(Segments, 1, nameof(Segments));
        ArgumentOutOfRangeException.ThrowIfLessThan(SegmentThreshold, 1, nameof(SegmentThreshold));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRetries, nameof(MaxRetries));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(StallTimeout, TimeSpan.Zero, nameof(StallTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryDelay, TimeSpan.Zero, nameof(RetryDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRetryDelay, RetryDelay, nameof(MaxRetryDelay));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ProgressInterval, TimeSpan.Zero, nameof(ProgressInterval));
        ArgumentNullException.ThrowIfNull(MinimumRate, nameof(MinimumRate));
        MinimumRate.Validate(nameof(MinimumRate));
    }
}
