using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using Bundler.Core.Download.Scheduling;

namespace Bundler.Core.Download.Transfer;

/// <summary>
/// Fetches one URL into one temporary file, hashing as it goes. A broken or stalled body is resumed from the last byte
/// written with a Range request (guarded by If-Range); a server that answers the range with the whole body starts over.
/// A body of known length from a server that accepts ranges is fetched as ranges: a large one split into segments from
/// the start, any one split further when the run has idle slots (<see cref="TailSplitter"/>). The first response serves
/// the first range, hashed as it arrives; the later ranges arrive out of order and are hashed by reading them back.
/// </summary>
internal sealed class FileTransfer
{
    private const int BufferSize = 128 * 1024;
    private const long MinSegmentSize = 1024 * 1024;

    // No part split off a range at the tail is smaller: whether a split pays is weighed against a request's latency,
    // and this keeps a short-lived latency estimate from splitting a file into a swarm of tiny requests.
    private const long MinSplit = 64 * 1024;

    // The largest socket read of a range's body. A split never cuts into a read under way, so this is how far past
    // what has arrived a range can be cut; socket reads rarely return more at once anyway.
    private const int RangeReadSize = 32 * 1024;

    private readonly HttpClient _client;
    private readonly DownloadOptions _options;
    private readonly ConcurrencyController _controller;
    private readonly ProgressTracker _tracker;
    private readonly DownloadRequest _request;
    private readonly string _algorithm;
    private readonly string _temporaryPath;
    private readonly string _host;
    private readonly TailSplitter _splitter;
    private bool _learnSize;
    private bool _rangesRefused;
    private RangeConditionHeaderValue? _validator;
    // The length the first response gave (or null); a later response naming another is another version of the file.
    private long? _length;
    private int _requests;
    private int _failures;
    private long _received;
    private long _counted;

    public FileTransfer(HttpClient client, DownloadOptions options, ConcurrencyController controller, ProgressTracker tracker,
        DownloadRequest request, string algorithm, string temporaryPath, bool learnSize, TailSplitter splitter)
    {
        _splitter = splitter;
        _client = client;
        _options = options;
        _controller = controller;
        _tracker = tracker;
        _request = request;
        _algorithm = algorithm;
        _temporaryPath = temporaryPath;
        _learnSize = learnSize;
        _host = request.Url.IsDefaultPort ? request.Url.Host : request.Url.Authority;
    }

    public int Requests => Volatile.Read(ref _requests);

    public long BytesTransferred => Interlocked.Read(ref _received);

    /// <summary>Takes this transfer's bytes out of the progress totals (its file was discarded).</summary>
    public void Uncount() => _tracker.Received(-Interlocked.Exchange(ref _counted, 0));

    public async Task<(ContentHash Hash, long Size)> RunAsync(CancellationToken cancellationToken)
    {
        // Synchronous writes: they land in the page cache in microseconds, where an asynchronous handle would queue every
        // write to the thread pool and wake a thread for it.
        using var handle = File.OpenHandle(_temporaryPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        using var hasher = IncrementalHash.CreateHash(ContentHash.ToName(_algorithm));
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long written = 0;

            // The bytes so far cannot be continued: drop them from the file, the hash and the progress totals.
            void StartOver()
            {
                Uncount();
                written = 0;
                hasher.GetHashAndReset();
                RandomAccess.SetLength(handle, 0);
            }

            while (true)
            {
                using var slot = await _controller.AcquireAsync(_host, cancellationToken);
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(_options.StallTimeout);
                try
                {
                    using var request = NewRequest(written, null);
                    using var response = await SendAsync(request, attempt.Token);
                    if (response.StatusCode == HttpStatusCode.PartialContent && !Continues(response, written, written > 0 ? _length : null))
                    {
                        // Not the bytes asked for (another start, or another version's length): never written at
                        // this position. The next request asks for the whole file.
                        throw written > 0
                            ? new RangeNotHonoredException()
                            : new TransientFailure($"the server answered a request for the whole file with part of it ({response.Content.Headers.ContentRange})", pushBack: false);
                    }

                    if (written > 0 && response.StatusCode != HttpStatusCode.PartialContent)
                    {
                        StartOver();
                    }

                    if (written == 0)
                    {
                        _validator = ValidatorOf(response);
                        _length = response.StatusCode == HttpStatusCode.PartialContent ? response.Content.Headers.ContentRange?.Length : response.Content.Headers.ContentLength;
                        LearnSize(_length);
                        if (_length is { } total && AcceptsRanges(response))
                        {
                            return await RangedAsync(handle, response, slot, hasher, total, cancellationToken);
                        }
                    }

                    await using var body = await response.Content.ReadAsStreamAsync(attempt.Token);
                    while (true)
                    {
                        var (read, failure) = await FillAsync(body, buffer.AsMemory(0, BufferSize), written, attempt);
                        RandomAccess.Write(handle, buffer.AsSpan(0, read), written);
                        hasher.AppendData(buffer, 0, read);
                        written += read;
                        failure?.Throw();
                        if (read == 0)
                        {
                            break;
                        }
                    }

                    if (_length is { } expected && written != expected)
                    {
                        throw new TransientFailure($"the body ended after {written} of {expected} bytes", pushBack: true);
                    }

                    slot.Succeeded();
                    LearnSize(written);
                    return (ContentHash.From(_algorithm, hasher), written);
                }
                catch (RangeNotHonoredException)
                {
                    _rangesRefused = true;
                    _splitter.RangesRefused(_host);
                    StartOver();
                }
                catch (Exception ex) when (IsTransient(ex, cancellationToken, out var failure))
                {
                    if (failure.PushBack)
                    {
                        slot.PushedBack();
                    }

                    slot.Return();
                    await BackoffAsync(failure, cancellationToken);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private bool AcceptsRanges(HttpResponseMessage response) =>
        !_rangesRefused
        && _options.Segments > 1
        && !_splitter.RefusesRanges(_host)
        && response.StatusCode == HttpStatusCode.OK
        && response.Headers.AcceptRanges.Contains("bytes", StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Fetches a file of known length whose server accepts ranges: a large one in segments from the start, any one in
    /// more pieces when the run has idle slots (<see cref="TailSplitter"/>). The first response serves the first range,
    /// hashed as it arrives; the bytes after that range arrive out of order and are hashed by reading them back.
    /// </summary>
    private async Task<(ContentHash Hash, long Size)> RangedAsync(SafeFileHandle handle, HttpResponseMessage first, ConcurrencyController.Slot firstSlot, IncrementalHash hasher, long length, CancellationToken cancellationToken)
    {
        RandomAccess.SetLength(handle, length);
        var count = length >= _options.SegmentThreshold ? (int)Math.Clamp(length / MinSegmentSize, 1, _options.Segments) : 1;
        var size = (length + count - 1) / count;
        var ranges = Enumerable.Range(0, count).Select(i => new ByteRange(i * size, Math.Min(length, (i + 1) * size))).ToArray();
        using var group = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pieces = new FilePieces(_host, _options.Segments, MinSplit, (range, slot) => FetchRangeAsync(handle, range, null, slot, null, group), group.Token);
        pieces.Add(ranges[0], FetchRangeAsync(handle, ranges[0], first, firstSlot, hasher, group));
        foreach (var range in ranges.Skip(1))
        {
            pieces.Add(range, FetchRangeAsync(handle, range, null, null, null, group));
        }

        _splitter.Register(pieces);
        try
        {
            await pieces.WhenAllAsync();
        }
        finally
        {
            _splitter.Unregister(pieces);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var failures = pieces.Failures.ToList();
        if (failures.Count > 0)
        {
            ExceptionDispatchInfo.Throw(failures.FirstOrDefault(e => e is not OperationCanceledException) ?? failures[0]);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            for (var offset = ranges[0].End; offset < length;)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var read = RandomAccess.Read(handle, buffer.AsSpan(0, (int)Math.Min(BufferSize, length - offset)), offset);
                if (read == 0)
                {
                    throw new IOException($"{_temporaryPath} ended after {offset} of {length} bytes while being hashed.");
                }

                hasher.AppendData(buffer, 0, read);
                offset += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return (ContentHash.From(_algorithm, hasher), length);
    }

    /// <summary>
    /// Fetches one range, resuming it after a failure; <paramref name="response"/> and <paramref name="slot"/>, when
    /// given, are the request already answered for it. <paramref name="inline"/> hashes the bytes as they arrive (the
    /// range that starts the file). A failure for good cancels <paramref name="group"/>, the file's other ranges.
    /// </summary>
    private async Task FetchRangeAsync(SafeFileHandle handle, ByteRange range, HttpResponseMessage? response, ConcurrencyController.Slot? slot, IncrementalHash? inline, CancellationTokenSource group)
    {
        var cancellationToken = group.Token;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var succeeded = false;
        try
        {
            while (range.Remaining > 0)
            {
                slot ??= await _controller.AcquireAsync(_host, cancellationToken);
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(_options.StallTimeout);
                try
                {
                    if (response is null)
                    {
                        using var request = NewRequest(range.Position, range.End - 1);
                        response = await SendAsync(request, attempt.Token);
                        if (!Continues(response, range.Position, _length))
                        {
                            throw new RangeNotHonoredException();
                        }
                    }

                    range.ResponseStarted();
                    await using var body = await response.Content.ReadAsStreamAsync(attempt.Token);
                    for (var wanted = range.Next(BufferSize); wanted > 0; wanted = range.Next(BufferSize))
                    {
                        var position = range.Position;
                        var (read, failure) = await FillAsync(body, buffer.AsMemory(0, wanted), position, attempt, range);
                        RandomAccess.Write(handle, buffer.AsSpan(0, read), position);
                        inline?.AppendData(buffer, 0, read);
                        range.Advance(read);
                        failure?.Throw();
                        // Fewer bytes than wanted: the body ended early, unless a split moved the range's end meanwhile.
                        if (read < wanted && range.Remaining > 0)
                        {
                            throw new TransientFailure($"the body of bytes {range.Start}-{range.End - 1} ended at byte {range.Position}", pushBack: true);
                        }
                    }

                    slot.Succeeded();
                    _splitter.Finished(_host, range.Rate);
                    succeeded = true;
                }
                catch (Exception ex) when (IsTransient(ex, cancellationToken, out var failure))
                {
                    if (failure.PushBack)
                    {
                        slot.PushedBack();
                    }

                    Release(ref response, ref slot, offerSlot: false);
                    await BackoffAsync(failure, cancellationToken);
                }
                finally
                {
                    // Offered to a split only after a success: after a failure for good the file is about to be
                    // cancelled, and its own ranges must not be split again first.
                    Release(ref response, ref slot, offerSlot: succeeded);
                }
            }
        }
        catch (Exception)
        {
            await group.CancelAsync();
            throw;
        }
        finally
        {
            Release(ref response, ref slot, offerSlot: false);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <param name="offerSlot">False after a failure: the range asks for a slot again after backing off (or its file is
    /// being cancelled), and its slot is not offered to a split meanwhile.</param>
    private static void Release(ref HttpResponseMessage? response, ref ConcurrencyController.Slot? slot, bool offerSlot)
    {
        response?.Dispose();
        response = null;
        if (offerSlot)
        {
            slot?.Dispose();
        }
        else
        {
            slot?.Return();
        }

        slot = null;
    }

    private HttpRequestMessage NewRequest(long from, long? to)
    {
        var request = _client.NewRequest(HttpMethod.Get, _request.Url);
        if (from > 0 || to is not null)
        {
            request.Headers.Range = new RangeHeaderValue(from, to);
            request.Headers.IfRange = _validator;
        }

        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        HttpResponseMessage response;
        var sent = Stopwatch.GetTimestamp();
        try
        {
            response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            _splitter.Answered(_host, Stopwatch.GetElapsedTime(sent));
        }
        catch (HttpRequestException ex)
        {
            throw new TransientFailure($"the request failed ({ex.Message})", pushBack: true, innerException: ex);
        }

        if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.PartialContent)
        {
            return response;
        }

        using (response)
        {
            var code = (int)response.StatusCode;
            var status = $"the server answered {code} {response.ReasonPhrase}";
            if (code is 408 or 429 or 500 or 502 or 503 or 504)
            {
                throw new TransientFailure(status, RetryAfterOf(response), pushBack: code is 408 or 429 or 503);
            }

            if (code == 416 && request.Headers.Range is not null)
            {
                throw new RangeNotHonoredException();
            }

            throw new DownloadException($"GET {_request.Url} failed: {status}. Check the URL and the source's credentials.");
        }
    }

    private static async ValueTask<int> ReadAsync(Stream body, Memory<byte> buffer, long position, CancellationToken cancellationToken)
    {
        try
        {
            return await body.ReadAsync(buffer, cancellationToken);
        }
        catch (IOException ex)
        {
            throw new TransientFailure($"the connection broke at byte {position} ({ex.Message})", pushBack: true, innerException: ex);
        }
        catch (HttpRequestException ex)
        {
            throw new TransientFailure($"the connection broke at byte {position} ({ex.Message})", pushBack: true, innerException: ex);
        }
    }

    /// <summary>
    /// Reads until <paramref name="buffer"/> is full or the body ends. A socket read returns what has arrived so far
    /// (often a few KiB), so filling first means one file write and one hash update per buffer. A read that fails is
    /// returned with the bytes before it, so the caller keeps them and resumes after them. The stall clock runs only
    /// while waiting for the network. Reading a <paramref name="range"/>, each socket read is announced to it first and
    /// the filling stops early where a split has moved its end.
    /// </summary>
    private async ValueTask<(int Read, ExceptionDispatchInfo? Failure)> FillAsync(Stream body, Memory<byte> buffer, long position, CancellationTokenSource attempt, ByteRange? range = null)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var size = range?.BeginRead(position + filled, Math.Min(RangeReadSize, buffer.Length - filled)) ?? buffer.Length - filled;
            if (size == 0)
            {
                break;
            }

            int read;
            try
            {
                attempt.CancelAfter(_options.StallTimeout);
                read = await ReadAsync(body, buffer.Slice(filled, size), position + filled, attempt.Token);
                attempt.CancelAfter(Timeout.InfiniteTimeSpan);
            }
            catch (Exception ex)
            {
                return (filled, ExceptionDispatchInfo.Capture(ex));
            }

            if (read == 0)
            {
                break;
            }

            range?.Arrived(read);
            filled += read;
            Count(read);
        }

        return (filled, null);
    }

    private bool IsTransient(Exception exception, CancellationToken cancellationToken, out TransientFailure failure)
    {
        switch (exception)
        {
            case TransientFailure transient:
                failure = transient;
                return true;
            case OperationCanceledException when !cancellationToken.IsCancellationRequested:
                failure = new TransientFailure($"no bytes arrived for {_options.StallTimeout.TotalSeconds:0.###} s", pushBack: true, innerException: exception);
                return true;
            default:
                failure = null!;
                return false;
        }
    }

    private async Task BackoffAsync(TransientFailure failure, CancellationToken cancellationToken)
    {
        var failures = Interlocked.Increment(ref _failures);
        if (failures > _options.MaxRetries)
        {
            throw new DownloadException($"GET {_request.Url} failed: {failure.Message}; gave up after {failures} attempts.", failure);
        }

        var exponential = _options.RetryDelay * Math.Pow(2, failures - 1) * (0.5 + Random.Shared.NextDouble());
        var delay = failure.RetryAfter is { } retryAfter && retryAfter > exponential ? retryAfter : exponential;
        await Task.Delay(delay < _options.MaxRetryDelay ? delay : _options.MaxRetryDelay, cancellationToken);
    }

    /// <summary>A 206 that starts at <paramref name="from"/> of a file of the length known so far (another length is another version).</summary>
    private static bool Continues(HttpResponseMessage response, long from, long? length) =>
        response.StatusCode == HttpStatusCode.PartialContent
        && response.Content.Headers.ContentRange is { } range
        && range.From == from
        && (length is null || range.Length is null || range.Length == length);

    private static RangeConditionHeaderValue? ValidatorOf(HttpResponseMessage response)
    {
        if (response.Headers.ETag is { IsWeak: false } etag)
        {
            return new RangeConditionHeaderValue(etag);
        }

        return response.Content.Headers.LastModified is { } lastModified ? new RangeConditionHeaderValue(lastModified) : null;
    }

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow,
        _ => null,
    };

    private void LearnSize(long? size)
    {
        if (_learnSize && size is { } known)
        {
            _learnSize = false;
            _tracker.Learned(known);
        }
    }

    private void Count(long bytes)
    {
        Interlocked.Add(ref _received, bytes);
        Interlocked.Add(ref _counted, bytes);
        _tracker.Received(bytes);
    }
}
