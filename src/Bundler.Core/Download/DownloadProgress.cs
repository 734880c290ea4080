namespace Bundler.Core.Download;

/// <summary>A snapshot of a download run, reported periodically to one <see cref="IProgress{T}"/> and once at the end.</summary>
/// <param name="FilesDone">Files verified so far, including those found in the cache.</param>
/// <param name="FilesTotal">Files in the run.</param>
/// <param name="BytesDone">Bytes received over the network so far.</param>
/// <param name="BytesTotal">Bytes the run has to receive, when every size is known (from the request or the server); otherwise null.</param>
/// <param name="BytesPerSecond">The recent receive rate.</param>
/// <param name="Remaining">The estimated time left, when the total and a rate are known.</param>
/// <param name="Active">Requests in flight.</param>
/// <param name="Completed">Whether this is the last report of the run.</param>
public sealed record DownloadProgress(
    int FilesDone,
    int FilesTotal,
    long BytesDone,
    long? BytesTotal,
    double BytesPerSecond,
    TimeSpan? Remaining,
    int Active,
    bool Completed);
