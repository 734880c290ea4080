using System.Diagnostics;

namespace Bundler.Core.Download.Scheduling;

/// <summary>
/// Counts a run's files and bytes from many concurrent downloads, and reports snapshots to one
/// <see cref="IProgress{T}"/> from one loop, so a renderer never sees two reports at once.
/// </summary>
internal sealed class ProgressTracker
{
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(3);

    private readonly Queue<(long Timestamp, long Bytes)> _samples = new();
    private readonly Func<int> _active;
    private long _bytesDone;
    private long _bytesTotal;
    private int _unknownSizes;
    private int _filesDone;

    public ProgressTracker(int filesTotal, Func<int> active)
    {
        FilesTotal = filesTotal;
        _active = active;
    }

    public int FilesTotal { get; }

    public long BytesDone => Interlocked.Read(ref _bytesDone);

    public void Expect(long? size)
    {
        if (size is { } known)
        {
            Interlocked.Add(ref _bytesTotal, known);
        }
        else
        {
            Interlocked.Increment(ref _unknownSizes);
        }
    }

    /// <summary>A file whose size was unknown turned out to be <paramref name="size"/> bytes.</summary>
    public void Learned(long size)
    {
        Interlocked.Add(ref _bytesTotal, size);
        Interlocked.Decrement(ref _unknownSizes);
    }

    /// <summary>A file came from the cache: it needs no bytes.</summary>
    public void Skipped(long? expectedSize)
    {
        if (expectedSize is { } known)
        {
            Interlocked.Add(ref _bytesTotal, -known);
        }
        else
        {
            Interlocked.Decrement(ref _unknownSizes);
        }

        Interlocked.Increment(ref _filesDone);
    }

    /// <summary>Bytes received (negative when a download restarts from zero and its bytes no longer count).</summary>
    public void Received(long bytes) => Interlocked.Add(ref _bytesDone, bytes);

    public void FileDone() => Interlocked.Increment(ref _filesDone);

    /// <summary>Reports every <paramref name="interval"/> until <paramref name="stop"/> is cancelled, then once more as completed.</summary>
    public async Task ReportAsync(IProgress<DownloadProgress> progress, TimeSpan interval, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                progress.Report(Snapshot(completed: false));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        progress.Report(Snapshot(completed: true));
    }

    public DownloadProgress Snapshot(bool completed)
    {
        var now = Stopwatch.GetTimestamp();
        var done = BytesDone;
        _samples.Enqueue((now, done));
        while (_samples.Count > 2 && Stopwatch.GetElapsedTime(_samples.Peek().Timestamp, now) > RateWindow)
        {
            _samples.Dequeue();
        }

        var (oldestTime, oldestBytes) = _samples.Peek();
        var seconds = Stopwatch.GetElapsedTime(oldestTime, now).TotalSeconds;
        var rate = seconds > 0 ? Math.Max(0, done - oldestBytes) / seconds : 0;
        long? total = Volatile.Read(ref _unknownSizes) == 0 ? Interlocked.Read(ref _bytesTotal) : null;
        TimeSpan? remaining = total is { } t && rate > 0 ? TimeSpan.FromSeconds(Math.Max(0, t - done) / rate) : null;
        return new DownloadProgress(Volatile.Read(ref _filesDone), FilesTotal, done, total, rate, completed ? TimeSpan.Zero : remaining, completed ? 0 : _active(), completed);
    }
}
