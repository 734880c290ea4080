namespace Bundler.Core.Download.Transfer;

/// <summary>A failure worth retrying: a 5xx, 408 or 429 answer, a broken connection, a body that ended early or stalled.</summary>
internal sealed class TransientFailure : Exception
{
    public TransientFailure(string message, TimeSpan? retryAfter = null, bool pushBack = false, Exception? innerException = null)
        : base(message, innerException)
    {
        RetryAfter = retryAfter;
        PushBack = pushBack;
    }

    public TransientFailure() { }

    public TransientFailure(string message) : base(message) { }

    public TransientFailure(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The server's Retry-After, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Whether the host is pushing back (429, 503, timeouts, resets), so concurrency towards it should drop.</summary>
    public bool PushBack { get; }
}
