using System.Net;

namespace Bundler.Loader.Http;

/// <summary>
/// Which failures of a request are worth trying again, and how long to wait first. Transient: the request failed on
/// the network or timed out, or the server answered 408, 429 or 5xx. Retry n waits <see cref="RetryDelay"/> × 2^(n-1)
/// times a random factor between 0.5 and 1.5 (so clients that failed together do not come back together), or the
/// server's Retry-After when that is longer, and never more than <see cref="MaxRetryDelay"/>.
/// </summary>
internal sealed record HttpRetryPolicy
{
    /// <summary>Tries after the first.</summary>
    public required int MaxRetries { get; init; }

    /// <summary>The first retry's delay, before jitter.</summary>
    public required TimeSpan RetryDelay { get; init; }

    /// <summary>The longest wait before a retry, a server's Retry-After included.</summary>
    public required TimeSpan MaxRetryDelay { get; init; }

    /// <summary>How long one attempt may wait for the response's headers; infinite leaves it to the client.</summary>
    public TimeSpan AttemptTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    public static bool IsTransient(HttpStatusCode status) => (int)status is 408 or 429 or (>= 500 and <= 599);

    /// <summary>A failure to get a response: the network, or a timeout (not the caller's own cancellation); never a refused certificate.</summary>
    public static bool IsTransient(Exception exception, CancellationToken cancellationToken) =>
        (exception is HttpRequestException && !TlsFailure.Is(exception)) || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    /// <summary>The wait the server asked for, as a delay or a date; null when it sent none.</summary>
    public static TimeSpan? RetryAfterOf(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow,
        _ => null,
    };

    /// <summary>The wait before retry number <paramref name="retry"/> (1 for the first).</summary>
    public TimeSpan DelayBefore(int retry, TimeSpan? retryAfter = null)
    {
        var exponential = RetryDelay * Math.Pow(2, retry - 1) * (0.5 + Random.Shared.NextDouble());
        var delay = retryAfter is { } asked && asked > exponential ? asked : exponential;
        return delay < MaxRetryDelay ? delay : MaxRetryDelay;
    }

    /// <summary>
    /// Sends a request made by <paramref name="newRequest"/> (a new message each attempt: one cannot be sent twice)
    /// until it is answered with a status that is not transient, or the retries run out: then the last answer is
    /// returned for the caller to judge, or the last failure thrown.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpClient client, Func<HttpRequestMessage> newRequest, CancellationToken cancellationToken, IHttpAttemptObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(newRequest);
        for (var attempt = 1; ; attempt++)
        {
            var (response, retryAfter) = await AttemptAsync(client, newRequest, last: attempt > MaxRetries, observer, cancellationToken);
            if (response is not null)
            {
                return response;
            }

            observer?.Retrying();
            await Task.Delay(DelayBefore(attempt, retryAfter), cancellationToken);
        }
    }

    /// <summary>One attempt: its response when it is final (or <paramref name="last"/>), else the wait the server asked for.</summary>
    private async Task<(HttpResponseMessage? Response, TimeSpan? RetryAfter)> AttemptAsync(HttpClient client, Func<HttpRequestMessage> newRequest, bool last, IHttpAttemptObserver? observer, CancellationToken cancellationToken)
    {
        using var request = newRequest();
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(AttemptTimeout);
        observer?.Sending();
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
        }
        catch (Exception ex) when (!last && IsTransient(ex, cancellationToken))
        {
            return (null, null);
        }

        observer?.Answered();
        if (last || !IsTransient(response.StatusCode))
        {
            return (response, null);
        }

        var retryAfter = RetryAfterOf(response);
        response.Dispose();
        return (null, retryAfter);
    }
}
