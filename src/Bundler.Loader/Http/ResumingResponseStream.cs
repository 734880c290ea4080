using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Bundler.Loader.IO;
using Bundler.Loader.Loading.Sources;

namespace Bundler.Loader.Http;

/// <summary>
/// The body of one GET (the whole file, or one range of it), read forward. When the body breaks off (the connection
/// fails, it ends short of its length, or no byte arrives for the stall timeout), it is resumed from the next byte
/// with a Range request guarded by If-Range, at most <see cref="MaxResumes"/> times, and the reader never notices. A
/// body slower than the source's <see cref="MinimumTransferRate"/> counts as broken off too.
/// A resume is accepted only as a 206 that starts at that byte: a server that answers with the whole file (it ignores
/// Range, or the file changed since) fails the read, so bytes of two versions are never joined.
/// </summary>
internal sealed class ResumingResponseStream : AsyncReadOnlyForwardStream
{
    public const int MaxResumes = 3;

    private readonly HttpLoadSource _source;
    private readonly Uri _url;
    private readonly RangeConditionHeaderValue? _validator;
    private HttpResponseMessage? _response;
    private Stream? _body;
    private long _position;
    private long? _end;
    private int _resumes;
    private CancellationTokenSource? _stall;
    private CancellationToken _stallLinkedTo;
    private TransferRateMeter _meter;

    /// <param name="source">Sends the resume requests and counts bytes, requests and retries.</param>
    /// <param name="url">The file.</param>
    /// <param name="response">The first response, 200 (the whole file) or 206 (a range, checked by the caller).</param>
    public ResumingResponseStream(HttpLoadSource source, Uri url, HttpResponseMessage response)
    {
        _source = source;
        _url = url;
        _response = response;
        _validator = IfRangeValidator.Of(response);
        _meter = new TransferRateMeter(source.MinimumRate);
        if (response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange is { From: { } from, To: { } to })
        {
            _position = from;
            _end = to + 1;
        }
        else
        {
            _end = response.Content.Headers.ContentLength;
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_end is { } end)
        {
            buffer = buffer[..(int)Math.Min(buffer.Length, end - _position)];
        }

        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            string failure;
            Exception? cause = null;
            try
            {
                var stall = StartStallClock(cancellationToken);
                _body ??= await _response!.Content.ReadAsStreamAsync(stall);
                _meter.Reading();
                var read = await _body.ReadAsync(buffer, stall);
                _stall!.CancelAfter(Timeout.InfiniteTimeSpan); // the clock runs only while waiting for the network
                if (read > 0)
                {
                    _position += read;
                    _source.Metrics.Received(read);
                    if (_meter.Arrived(read) is not { } tooSlow)
                    {
                        return read;
                    }

                    // The bytes read are kept: the resume asks for the ones after them.
                    await ResumeAsync(string.Create(CultureInfo.InvariantCulture, $"the body was too slow: {tooSlow}"), null, cancellationToken);
                    return read;
                }

                if (_end is null)
                {
                    return 0;
                }

                failure = string.Create(CultureInfo.InvariantCulture, $"the body ended at byte {_position} of {_end}");
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                failure = string.Create(CultureInfo.InvariantCulture, $"no byte arrived for {_source.StallTimeout.TotalSeconds:0.###} s");
                cause = ex;
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException)
            {
                failure = ex.Message;
                cause = ex;
            }

            await ResumeAsync(failure, cause, cancellationToken);
        }
    }

    /// <summary>
    /// Arms the stall clock and returns the token it cancels. One source serves every read of a response (a linked
    /// source and a timer per read would cost an allocation on each read of the bundle); a new one is made after it
    /// fired, or when the caller's token changes.
    /// </summary>
    private CancellationToken StartStallClock(CancellationToken cancellationToken)
    {
        if (_stall is null || _stall.IsCancellationRequested || _stallLinkedTo != cancellationToken)
        {
            _stall?.Dispose();
            _stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _stallLinkedTo = cancellationToken;
        }

        _stall.CancelAfter(_source.StallTimeout);
        return _stall.Token;
    }

    private async Task ResumeAsync(string failure, Exception? cause, CancellationToken cancellationToken)
    {
        ReleaseResponse();
        var brokeOff = string.Create(CultureInfo.InvariantCulture, $"GET {_url} broke off at byte {_position} ({failure})");
        if (_validator is null)
        {
            throw Failure($"{brokeOff}; the server sent no ETag or Last-Modified, so it cannot be resumed safely. Try again.", cause);
        }

        if (_resumes == MaxResumes)
        {
            throw Failure($"{brokeOff}, after {MaxResumes} resumes; the connection or the server keeps failing. Try again.", cause);
        }

        _resumes++;
        _source.Metrics.Retried();
        await Task.Delay(_source.RetryPolicy.DelayBefore(_resumes), cancellationToken);
        var from = _position;
        var last = _end - 1;
        var response = await _source.SendAsync(
            _url,
            request =>
            {
                request.Headers.Range = new RangeHeaderValue(from, last);
                request.Headers.IfRange = _validator;
            },
            cancellationToken);
        var range = response.Content.Headers.ContentRange;
        if (response.StatusCode != HttpStatusCode.PartialContent || range is not { Unit: "bytes", From: { } start, To: { } to } || start != from || (last is not null && to != last))
        {
            var answer = response.StatusCode == HttpStatusCode.PartialContent ? $"Content-Range '{range}'" : $"{(int)response.StatusCode} {response.ReasonPhrase}";
            response.Dispose();
            throw Failure($"{brokeOff}, and the server answered the resume from that byte with {answer}; the rest cannot be joined to the bytes received (no Range support, or the file changed). Try again.", cause);
        }

        _response = response;
        _end ??= to + 1;
        _meter = new TransferRateMeter(_source.MinimumRate);
    }

    private static BundleException Failure(string message, Exception? cause) => cause is null ? new(message) : new(message, cause);

    private void ReleaseResponse()
    {
        _body?.Dispose();
        _body = null;
        _response?.Dispose();
        _response = null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ReleaseResponse();
            _stall?.Dispose();
        }

        base.Dispose(disposing);
    }
}
