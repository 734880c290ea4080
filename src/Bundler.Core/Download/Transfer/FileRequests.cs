using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Bundler.Core.Download.Scheduling;
using Bundler.Loader;
using Bundler.Loader.Http;

namespace Bundler.Core.Download.Transfer;

/// <summary>
/// The requests for one file: whole or ranged, a range guarded by the If-Range validator of the first response; each
/// answer sorted into usable (200, 206), worth retrying (<see cref="TransientFailure"/>), a range the server will not
/// serve (<see cref="RangeNotHonoredException"/>) or a failure for good (<see cref="DownloadException"/>).
/// </summary>
internal sealed class FileRequests(HttpClient client, Uri url, string host, TailSplitter splitter)
{
    private RangeConditionHeaderValue? _validator;
    private int _count;

    /// <summary>Requests sent so far.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The length the first response gave (or null); a later response naming another is another version of the file.</summary>
    public long? Length { get; private set; }

    /// <summary>Takes the validator and length of a response to the whole file: later ranges must be of this version.</summary>
    public long? LearnVersion(HttpResponseMessage response)
    {
        _validator = IfRangeValidator.Of(response);
        Length = response.StatusCode == HttpStatusCode.PartialContent ? response.Content.Headers.ContentRange?.Length : response.Content.Headers.ContentLength;
        return Length;
    }

    /// <summary>Takes the version a killed run recorded: the ranges asked for now must be of it.</summary>
    public void Resume(RangeConditionHeaderValue validator, long length)
    {
        _validator = validator;
        Length = length;
    }

    /// <summary>The If-Range validator ranges are sent with; null when the file cannot be resumed safely.</summary>
    public RangeConditionHeaderValue? Validator => _validator;

    /// <summary>A GET of the file from byte <paramref name="from"/> to <paramref name="to"/> (inclusive; null: the end).</summary>
    public HttpRequestMessage New(long from, long? to)
    {
        var request = client.NewRequest(HttpMethod.Get, url);
        if (from > 0 || to is not null)
        {
            request.Headers.Range = new RangeHeaderValue(from, to);
            request.Headers.IfRange = _validator;
        }

        return request;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _count);
        HttpResponseMessage response;
        var sent = Stopwatch.GetTimestamp();
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            splitter.Answered(host, Stopwatch.GetElapsedTime(sent));
        }
        catch (BundleException ex)
        {
            // A redirect the policy refused: no retry would be followed either.
            throw new DownloadException(ex.Message, ex);
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
            if (HttpRetryPolicy.IsTransient(response.StatusCode))
            {
                throw new TransientFailure(status, HttpRetryPolicy.RetryAfterOf(response), pushBack: code is 408 or 429 or 503);
            }

            if (code == 416 && request.Headers.Range is not null)
            {
                throw new RangeNotHonoredException();
            }

            throw new DownloadException($"GET {url} failed: {status}. Check the URL and the source's credentials.");
        }
    }

    /// <summary>A 206 that starts at <paramref name="from"/> of a file of the length known so far (another length is another version).</summary>
    public static bool Continues(HttpResponseMessage response, long from, long? length) =>
        response.StatusCode == HttpStatusCode.PartialContent
        && response.Content.Headers.ContentRange is { } range
        && range.From == from
        && (length is null || range.Length is null || range.Length == length);
}
