namespace Bundler.Core.Download;

/// <summary>
/// One or more downloads failed for good (after retries); the message names each URL and what went wrong. Archives that
/// did download are in the cache, so running again fetches only the rest.
/// </summary>
public sealed class DownloadException : Exception
{
    /// <summary>Creates the exception with a message naming the URL at fault.</summary>
    public DownloadException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public DownloadException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception without a message.</summary>
    public DownloadException() { }

    /// <summary>
    /// Creates the exception for the failed downloads of a run; its message names each and ends by saying that running
    /// again fetches only those.
    /// </summary>
    public DownloadException(IReadOnlyList<DownloadException> failures)
        : base(Describe(failures ?? throw new ArgumentNullException(nameof(failures))))
    {
        Failures = failures;
    }

    /// <summary>The individual failures when several downloads failed; empty otherwise.</summary>
    public IReadOnlyList<DownloadException> Failures { get; } = [];

    private static string Describe(IReadOnlyList<DownloadException> failures) =>
        (failures.Count == 1
            ? failures[0].Message
            : $"{failures.Count} downloads failed:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", failures.Select(f => f.Message)))
        + Environment.NewLine + "Archives that did download are cached; running again fetches only the rest.";
}
