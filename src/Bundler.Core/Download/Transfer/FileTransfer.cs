using System.Buffers;
using System.Net;
using System.Security.Cryptography;
using Bundler.Core.Download.Scheduling;

namespace Bundler.Core.Download.Transfer;

/// <summary>
/// Fetches one URL into one temporary file, hashing as it goes. A broken or stalled body is resumed from the last byte
/// written with a Range request (guarded by If-Range); a server that answers the range with the whole body starts over.
/// A body of known length from a server that accepts ranges is fetched as ranges (<see cref="RangedTransfer"/>).
/// A part file a killed run left is resumed: the intervals it lacks are fetched as ranges of the version it recorded,
/// and a server that sends another version starts the file over.
/// </summary>
internal sealed class FileTransfer
{
    internal const int BufferSize = 128 * 1024;

    private readonly DownloadOptions _options;
    private readonly ConcurrencyController _controller;
    private readonly ProgressTracker _tracker;
    private readonly string _algorithm;
    private readonly PartFile _part;
    private readonly string _host;
    private readonly TailSplitter _splitter;
    private readonly FileRequests _requests;
    private readonly TransferRetries _retries;
    private readonly StallTimedBodyReader _reader;
    private bool _learnSize;
    private bool _rangesRefused;
    private long _received;
    private long _counted;

    public FileTransfer(HttpClient client, DownloadOptions options, ConcurrencyController controller, ProgressTracker tracker,
        DownloadRequest request, string algorithm, PartFile part, bool learnSize, TailSplitter splitter)
    {
        _splitter = splitter;
        _options = options;
        _controller = controller;
        _tracker = tracker;
        _algorithm = algorithm;
        _part = part;
        _learnSize = learnSize;
        _host = request.Url.IsDefaultPort ? request.Url.Host : request.Url.Authority;
        _requests = new FileRequests(client, request.Url, _host, splitter);
        _retries = new TransferRetries(options, request.Url);
        _reader = new StallTimedBodyReader(options.StallTimeout, options.MinimumRate, Count);
    }

    public int Requests => _requests.Count;

    public long BytesTransferred => Interlocked.Read(ref _received);

    /// <summary>Takes this transfer's bytes out of the progress totals (its file was discarded).</summary>
    public void Uncount() => _tracker.Received(-Interlocked.Exchange(ref _counted, 0));

    public async Task<(ContentHash Hash, long Size)> RunAsync(CancellationToken cancellationToken)
    {
        // Synchronous writes: they land in the page cache in microseconds, where an asynchronous handle would queue every
        // write to the thread pool and wake a thread for it.
        var handle = _part.Handle;
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
                _part.Restart();
            }

            if (_part.Resume is { } resume)
            {
                try
                {
                    return await ResumeAsync(resume, hasher, cancellationToken);
                }
                catch (RangeNotHonoredException)
                {
                    StartOver();
                }
            }

            while (true)
            {
                using var slot = await _controller.AcquireAsync(_host, cancellationToken);
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(_options.StallTimeout);
                try
                {
                    using var request = _requests.New(written, null);
                    using var response = await _requests.SendAsync(request, attempt.Token);
                    if (response.StatusCode == HttpStatusCode.PartialContent && !FileRequests.Continues(response, written, written > 0 ? _requests.Length : null))
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
                        var length = _requests.LearnVersion(response);
                        _part.Remember(_requests.Validator, length);
                        LearnSize(length);
                        if (length is { } total && AcceptsRanges(response))
                        {
                            await NewRanged().RunAsync(response, slot, hasher, total, cancellationToken);
                            return (ContentHash.From(_algorithm, hasher), total);
                        }
                    }

                    await using var body = await response.Content.ReadAsStreamAsync(attempt.Token);
                    var meter = _reader.NewMeter();
                    _part.Track(() => [(0, written)]);
                    while (true)
                    {
                        var (read, failure) = await _reader.FillAsync(body, buffer.AsMemory(0, BufferSize), written, attempt, meter);
                        RandomAccess.Write(handle, buffer.AsSpan(0, read), written);
                        hasher.AppendData(buffer, 0, read);
                        written += read;
                        _part.Progressed();
                        failure?.Throw();
                        if (read == 0)
                        {
                            break;
                        }
                    }

                    if (_requests.Length is { } expected && written != expected)
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
                catch (Exception ex) when (_retries.IsTransient(ex, cancellationToken, out var failure))
                {
                    if (failure.PushBack)
                    {
                        slot.PushedBack();
                    }

                    slot.Return();
                    await _retries.BackoffAsync(failure, cancellationToken);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Fetches what a killed run did not write, as ranges of the version it recorded; at least the last byte is asked
    /// for, so that the server confirms the version even when the run had written every byte.
    /// </summary>
    private async Task<(ContentHash Hash, long Size)> ResumeAsync(PartRecord resume, IncrementalHash hasher, CancellationToken cancellationToken)
    {
        _requests.Resume(resume.Validator, resume.Length);
        LearnSize(resume.Length);
        var missing = resume.Missing();
        var present = missing.Count > 0 ? resume.Written : [.. resume.Written.Select(w => (w.Start, Math.Min(w.End, resume.Length - 1))).Where(w => w.Start < w.Item2)];
        if (missing.Count == 0)
        {
            missing = [(resume.Length - 1, resume.Length)];
        }

        var kept = resume.Length - missing.Sum(m => m.End - m.Start);
        Interlocked.Add(ref _counted, kept);
        _tracker.Received(kept);
        await NewRanged().ResumeAsync(hasher, resume.Length, present, missing, cancellationToken);
        return (ContentHash.From(_algorithm, hasher), resume.Length);
    }

    private RangedTransfer NewRanged() => new(_options, _controller, _splitter, _host, _requests, _retries, _reader, _part);

    private bool AcceptsRanges(HttpResponseMessage response) =>
        !_rangesRefused
        && _options.Segments > 1
        && !_splitter.RefusesRanges(_host)
        && response.StatusCode == HttpStatusCode.OK
        && response.Headers.AcceptRanges.Contains("bytes", StringComparer.OrdinalIgnoreCase);

    private void LearnSize(long? size)
    {
        if (_learnSize && size is { } known)
        {
            _learnSize = false;
            _tracker.Learned(known);
        }
    }

    private void Count(int bytes)
    {
        Interlocked.Add(ref _received, bytes);
        Interlocked.Add(ref _counted, bytes);
        _tracker.Received(bytes);
    }
}
