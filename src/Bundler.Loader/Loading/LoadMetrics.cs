using System.Diagnostics;
using Bundler.Loader.Format;
using Bundler.Loader.Http;
using Bundler.Loader.Loading.Updates;

namespace Bundler.Loader.Loading;

/// <summary>Counters and clocks of one load, updated from any thread.</summary>
internal sealed class LoadMetrics : IHttpAttemptObserver
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _firstRequestTicks = -1;
    private long _firstByteTicks = -1;
    private long _lastByteTicks = -1;
    private long _bytes;
    private int _requests;
    private int _connections;
    private int _retries;

    public List<string> Warnings { get; } = [];

    public long Bytes => Interlocked.Read(ref _bytes);

    public void RequestSent()
    {
        Interlocked.Increment(ref _requests);
        Interlocked.CompareExchange(ref _firstRequestTicks, _clock.ElapsedTicks, -1);
    }

    public void ResponseStarted() => Interlocked.CompareExchange(ref _firstByteTicks, _clock.ElapsedTicks, -1);

    public void Received(int count)
    {
        if (count > 0)
        {
            Interlocked.Add(ref _bytes, count);
            Interlocked.Exchange(ref _lastByteTicks, _clock.ElapsedTicks);
        }
    }

    public void ConnectionOpened() => Interlocked.Increment(ref _connections);

    /// <summary>A request is sent again, a broken body resumed, or an archive fetched again.</summary>
    public void Retried() => Interlocked.Increment(ref _retries);

    void IHttpAttemptObserver.Sending() => RequestSent();

    void IHttpAttemptObserver.Answered() => ResponseStarted();

    void IHttpAttemptObserver.Retrying() => Retried();

    public void Warn(string message)
    {
        lock (Warnings)
        {
            Warnings.Add(message);
        }
    }

    public LoadReport Report(LoadMode mode, string location, string target, UpdatePlan plan, long fullLoadBytes, bool countsConnections)
    {
        var packages = plan.Selected;
        var end = _clock.ElapsedTicks;
        var firstRequest = Math.Max(0, _firstRequestTicks);
        var lastByte = _lastByteTicks < 0 ? end : _lastByteTicks;
        using var process = Process.GetCurrentProcess();
        return new LoadReport
        {
            Mode = mode,
            Location = location,
            Target = target,
            Packages = packages.Count,
            Files = packages.Sum(p => (long)p.Files.Count),
            FileBytes = packages.Sum(p => p.Files.Sum(f => f.Size)),
            TransferredBytes = Bytes,
            Requests = _requests,
            Retries = _retries,
            Connections = countsConnections ? _connections : null,
            TimeToFirstByte = Stopwatch.GetElapsedTime(0, Math.Max(0, _firstByteTicks)),
            Transfer = Stopwatch.GetElapsedTime(firstRequest, lastByte),
            Unpack = Stopwatch.GetElapsedTime(lastByte, end),
            Wall = Stopwatch.GetElapsedTime(0, end),
            PeakMemory = process.PeakWorkingSet64,
            Warnings = [.. Warnings],
            Kept = [.. plan.Kept.Select(p => p.Folder)],
            Fetched = [.. plan.Fetch.Select(p => p.Folder)],
            Removed = plan.Removed,
            FullLoadBytes = fullLoadBytes,
        };
    }
}
