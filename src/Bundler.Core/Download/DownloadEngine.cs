using Bundler.Core.Download.Scheduling;
using Bundler.Core.Download.Transfer;
using Bundler.Loader.Http;

namespace Bundler.Core.Download;

/// <summary>
/// Downloads a set of archives into the content-addressed cache, concurrently (largest first where sizes are known, the
/// unread part of a file split over idle connections at the tail), verified, resumable and retried; each archive is
/// fetched once even when several requests name it. A second run of the same set is answered from the cache without a
/// request. A run where some downloads fail keeps every archive that finished, then throws one
/// <see cref="DownloadException"/> naming each failed URL. A failed or cancelled download leaves nothing behind; a run
/// killed half-way leaves its part files, which the next run resumes (where the server sends the same version) or,
/// once no live run holds them and they are too old, removes (<see cref="ContentCache.RemoveLeftovers"/>).
/// </summary>
public sealed class DownloadEngine
{
    private readonly HttpClient _client;
    private readonly DownloadOptions _options;
    private readonly ContentCache _cache;

    /// <summary>Creates an engine that sends through <paramref name="client"/> (see <see cref="BundlerHttpClient.Create"/>).</summary>
    public DownloadEngine(HttpClient client, DownloadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _options = options ?? new DownloadOptions();
        _options.Validate();
        _cache = new ContentCache(_options.CacheDirectory ?? ContentCache.DefaultRoot());
    }

    /// <summary>The cache folder this engine reads and fills.</summary>
    public string CacheDirectory => _cache.Root;

    /// <summary>Downloads every request (or finds it in the cache) and returns the results in request order.</summary>
    /// <exception cref="DownloadException">A request is malformed, or a download failed for good; the message names the URL.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; no partial file is left in the cache.</exception>
    public Task<IReadOnlyList<DownloadResult>> DownloadAsync(IReadOnlyList<DownloadRequest> requests, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default) =>
        DownloadAsync(requests, progress, verified: null, cancellationToken);

    /// <summary>
    /// As <see cref="DownloadAsync(IReadOnlyList{DownloadRequest}, IProgress{DownloadProgress}?, CancellationToken)"/>,
    /// and calls <paramref name="verified"/> with each request's index and result as soon as that archive is in the
    /// cache, verified, while the others go on (from several threads at once).
    /// </summary>
    internal async Task<IReadOnlyList<DownloadResult>> DownloadAsync(IReadOnlyList<DownloadRequest> requests, IProgress<DownloadProgress>? progress, Action<int, DownloadResult>? verified, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var expected = requests.Select(Validate).ToArray();
        _cache.RemoveLeftovers();
        var controller = new ConcurrencyController(_options);
        using var splitter = new TailSplitter(controller);
        var tracker = new ProgressTracker(requests.Count, () => controller.InFlight);
        using var stopReporting = new CancellationTokenSource();
        var reporting = progress is null ? Task.CompletedTask : tracker.ReportAsync(progress, _options.ProgressInterval, stopReporting.Token);

        var tasks = new Task<DownloadResult>[requests.Count];
        var byKey = new Dictionary<string, Task<DownloadResult>>(StringComparer.Ordinal);
        foreach (var index in Enumerable.Range(0, requests.Count).OrderByDescending(i => requests[i].Size ?? -1).ThenBy(i => i))
        {
            var request = requests[index];
            tracker.Expect(request.Size);
            var key = expected[index]?.Sri ?? request.Url.AbsoluteUri;
            if (byKey.TryGetValue(key, out var first))
            {
                tasks[index] = SameAsAsync(first, request, tracker);
            }
            else
            {
                tasks[index] = byKey[key] = DownloadOneAsync(request, expected[index], controller, splitter, tracker, cancellationToken);
            }

            if (verified is not null)
            {
                tasks[index] = NotifyAsync(index, tasks[index], verified);
            }
        }

        try
        {
            await Task.WhenAll(tasks);
        }
        catch (Exception)
        {
            // Every outcome is examined below.
        }
        finally
        {
            await stopReporting.CancelAsync();
            await reporting;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var failures = byKey.Values.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).ToList();
        var unexpected = failures.FirstOrDefault(e => e is not DownloadException);
        if (unexpected is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(unexpected);
        }

        if (failures.Count > 0)
        {
            throw new DownloadException([.. failures.Cast<DownloadException>()]);
        }

        return [.. tasks.Select(t => t.Result)];
    }

    private static ContentHash? Validate(DownloadRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!HttpUrls.Is(request.Url))
        {
            throw new DownloadException($"{request.Url} is not an http:// or https:// URL.");
        }

        if (request.Integrity is null)
        {
            return null;
        }

        return ContentHash.TryParse(request.Integrity, out var hash)
            ? hash
            : throw new DownloadException($"The hash '{request.Integrity}' given for {request.Url} is not {ContentHash.Expected}.");
    }

    private static async Task<DownloadResult> NotifyAsync(int index, Task<DownloadResult> download, Action<int, DownloadResult> verified)
    {
        var result = await download;
        verified(index, result);
        return result;
    }

    private static async Task<DownloadResult> SameAsAsync(Task<DownloadResult> first, DownloadRequest request, ProgressTracker tracker)
    {
        var result = await first;
        tracker.Skipped(request.Size);
        return result with { Request = request, BytesTransferred = 0, Requests = 0, FromCache = true };
    }

    private async Task<DownloadResult> DownloadOneAsync(DownloadRequest request, ContentHash? expected, ConcurrencyController controller, TailSplitter splitter, ProgressTracker tracker, CancellationToken cancellationToken)
    {
        // Runs on the dispatching loop up to its first wait (the cache check, a slot, the request sent), not queued to
        // the thread pool: hundreds of queued starts would delay the pool's own work of opening the first connections.
        var known = expected ?? _cache.LookupUrl(request.Url);
        if (known is not null && _cache.TryGet(known, request.Size) is { } cached)
        {
            tracker.Skipped(request.Size);
            return new DownloadResult(request, cached, new FileInfo(cached).Length, known.Sri, 0, 0, FromCache: true);
        }

        var algorithm = expected?.Algorithm ?? "sha512";
        var requests = 0;
        long transferred = 0;
        using var part = _cache.OpenPart(request.Url);
        var committed = false;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                if (attempt > 1)
                {
                    part.Restart();
                }

                var transfer = new FileTransfer(_client, _options, controller, tracker, request, algorithm, part, learnSize: request.Size is null && attempt == 1, splitter);
                (ContentHash Hash, long Size) received;
                try
                {
                    received = await transfer.RunAsync(cancellationToken);
                }
                finally
                {
                    requests += transfer.Requests;
                    transferred += transfer.BytesTransferred;
                }

                var problem = expected is not null && !expected.Matches(received.Hash)
                    ? $"its {expected.Algorithm} is {received.Hash.Sri}, not the expected {expected.Sri}"
                    : request.Size is { } size && size != received.Size
                        ? $"it is {received.Size} bytes, not the expected {size}"
                        : null;
                if (problem is not null)
                {
                    transfer.Uncount();
                    if (attempt == 1)
                    {
                        continue;
                    }

                    throw new DownloadException($"GET {request.Url} gave the wrong content twice: {problem}. The server or a proxy on the way changed the file, or the source's hash is wrong.");
                }

                var path = _cache.Commit(part, received.Hash);
                committed = true;
                if (expected is null)
                {
                    _cache.RecordUrl(request.Url, received.Hash);
                }

                tracker.FileDone();
                return new DownloadResult(request, path, received.Size, received.Hash.Sri, transferred, requests, FromCache: false);
            }
        }
        finally
        {
            if (!committed)
            {
                part.Discard();
            }
        }
    }
}
