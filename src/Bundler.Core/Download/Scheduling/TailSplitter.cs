using Bundler.Core.Download.Transfer;

namespace Bundler.Core.Download.Scheduling;

/// <summary>
/// Puts request slots that would idle at the tail of a run to work: when a slot frees and no download waits for it, the
/// range that would end last of a file still being fetched from that host is split where both parts end at once (its
/// reader's rate against the fastest one's, less a request's latency), and the slot fetches the back part. Without it
/// the last large files of a run each finish on one connection while the others idle, and a connection that crawls
/// after a loss sets the end; sizes are rarely known before the first response, so ordering largest first cannot
/// prevent that. While slots stay idle the ranges are looked at again every <see cref="RecheckInterval"/>: a reader
/// can slow down later. A host whose server once refused a range (the whole file, or other bytes, in answer) gets no
/// more ranged fetches in the run: each refusal costs a file's restart.
/// </summary>
internal sealed class TailSplitter : IDisposable
{
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromMilliseconds(100);

    // Until a host has answered, a request is taken to wait this long for its first byte.
    private const double DefaultLatency = 0.1;

    private readonly Lock _gate = new();
    private readonly List<FilePieces> _files = [];
    private readonly HashSet<string> _refusingHosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, double> _latencies = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, double> _rates = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _recheck = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrencyController _controller;
    private readonly Timer _timer;
    private bool _disposed;

    public TailSplitter(ConcurrencyController controller)
    {
        _controller = controller;
        _timer = new Timer(_ => Recheck());
        controller.Idle += OnIdle;
    }

    public void Register(FilePieces file)
    {
        lock (_gate)
        {
            _files.Add(file);
        }
    }

    public void Unregister(FilePieces file)
    {
        lock (_gate)
        {
            _files.Remove(file);
        }
    }

    public void RangesRefused(string host)
    {
        lock (_gate)
        {
            _refusingHosts.Add(host);
        }
    }

    public bool RefusesRanges(string host)
    {
        lock (_gate)
        {
            return _refusingHosts.Contains(host);
        }
    }

    /// <summary>
    /// Counts how long a request to <paramref name="host"/> waited for its response headers. The shortest wait is the
    /// latency a split is weighed against: the first requests of a run also wait for connections and start-up.
    /// </summary>
    public void Answered(string host, TimeSpan wait)
    {
        lock (_gate)
        {
            _latencies[host] = Math.Min(_latencies.GetValueOrDefault(host, double.MaxValue), wait.TotalSeconds);
        }
    }

    /// <summary>
    /// Counts the rate a range from <paramref name="host"/> was received at when it ended: with the ranges still being
    /// read, it tells what a new request would get (at the very end, the only ranges left may be the slow ones).
    /// </summary>
    public void Finished(string host, double bytesPerSecond)
    {
        if (bytesPerSecond > 0)
        {
            lock (_gate)
            {
                _rates[host] = _rates.TryGetValue(host, out var rate) ? (rate + bytesPerSecond) / 2 : bytesPerSecond;
            }
        }
    }

    public void Dispose()
    {
        _controller.Idle -= OnIdle;
        lock (_gate)
        {
            _disposed = true;
            _timer.Dispose();
        }
    }

    private void OnIdle(string host)
    {
        while (_controller.TryAcquireIdle(host) is { } slot)
        {
            FilePieces[] candidates;
            double latency;
            double finishedRate;
            lock (_gate)
            {
                candidates = _refusingHosts.Contains(host) ? [] : [.. _files.Where(f => string.Equals(f.Host, host, StringComparison.OrdinalIgnoreCase))];
                latency = _latencies.GetValueOrDefault(host, DefaultLatency);
                finishedRate = _rates.GetValueOrDefault(host);
            }

            var newRate = candidates.Select(f => f.FastestRate).Append(finishedRate).Max();
            // Only the file that would end last: splitting another would not end the run sooner.
            var last = candidates.MaxBy(f => f.SecondsLeft);
            var split = last?.TrySplit(slot, latency, newRate) ?? false;
            if (!split)
            {
                slot.Return();
                if (candidates.Length > 0)
                {
                    ScheduleRecheck(host);
                }

                return;
            }
        }
    }

    private void ScheduleRecheck(string host)
    {
        lock (_gate)
        {
            if (!_disposed && _recheck.Add(host) && _recheck.Count == 1)
            {
                _timer.Change(RecheckInterval, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void Recheck()
    {
        string[] hosts;
        lock (_gate)
        {
            hosts = [.. _recheck];
            _recheck.Clear();
        }

        foreach (var host in hosts)
        {
            OnIdle(host);
        }
    }
}
