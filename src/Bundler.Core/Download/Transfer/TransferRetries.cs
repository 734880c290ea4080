using Bundler.Loader.Http;

namespace Bundler.Core.Download.Transfer;

/// <summary>
/// The retry budget of one file, shared by all its requests: <see cref="DownloadOptions.MaxRetries"/> transient
/// failures in all, each followed by the wait of <see cref="HttpRetryPolicy"/>; one more fails the file for good.
/// </summary>
internal sealed class TransferRetries(DownloadOptions options, Uri url)
{
    private readonly HttpRetryPolicy _policy = new() { MaxRetries = options.MaxRetries, RetryDelay = options.RetryDelay, MaxRetryDelay = options.MaxRetryDelay };
    private int _failures;

    /// <summary>Whether <paramref name="exception"/> is worth retrying; a timeout not of the caller's making is a stall.</summary>
    public bool IsTransient(Exception exception, CancellationToken cancellationToken, out TransientFailure failure)
    {
        switch (exception)
        {
            case TransientFailure transient:
                failure = transient;
                return true;
            case OperationCanceledException when !cancellationToken.IsCancellationRequested:
                failure = new TransientFailure($"no bytes arrived for {options.StallTimeout.TotalSeconds:0.###} s", pushBack: true, innerException: exception);
                return true;
            default:
                failure = null!;
                return false;
        }
    }

    /// <summary>Waits before the next try, or throws the <see cref="DownloadException"/> that ends the file when the budget is spent.</summary>
    public async Task BackoffAsync(TransientFailure failure, CancellationToken cancellationToken)
    {
        var failures = Interlocked.Increment(ref _failures);
        if (failures > _policy.MaxRetries)
        {
            throw new DownloadException($"GET {url} failed: {failure.Message}; gave up after {failures} attempts.", failure);
        }

        await Task.Delay(_policy.DelayBefore(failures, failure.RetryAfter), cancellationToken);
    }
}
