using Bundler.Core.Download.Scheduling;

namespace Bundler.Core.Download.Transfer;

/// <summary>
/// The ranges of one file fetched in parallel, each by its own request, and the tasks fetching them. While it runs, the
/// range that would end last can be split and its back part fetched on a slot that would otherwise idle, up to a number
/// of ranges at once per file.
/// </summary>
internal sealed class FilePieces
{
    private readonly Lock _gate = new();
    private readonly List<(ByteRange Range, Task Fetch)> _pieces = [];
    private readonly Func<ByteRange, ConcurrencyController.Slot, Task> _fetchSplit;
    private readonly int _maxActive;
    private readonly long _minPiece;
    private readonly CancellationToken _stopped;
    private bool _closed;

    /// <param name="host">The host the file comes from; only its slots are offered to this file.</param>
    /// <param name="maxActive">Ranges fetched at once, at most.</param>
    /// <param name="minPiece">No part split off is smaller.</param>
    /// <param name="fetchSplit">Fetches a range split off, on the slot given.</param>
    /// <param name="stopped">Once cancelled (a range failed for good, or the run is cancelled), nothing is split.</param>
    public FilePieces(string host, int maxActive, long minPiece, Func<ByteRange, ConcurrencyController.Slot, Task> fetchSplit, CancellationToken stopped)
    {
        Host = host;
        _maxActive = maxActive;
        _minPiece = minPiece;
        _stopped = stopped;
        _fetchSplit = fetchSplit;
    }

    public string Host { get; }

    /// <summary>Seconds until the range that ends last is read, at its reader's rate; null when no split is possible.</summary>
    public double? SecondsLeft
    {
        get
        {
            lock (_gate)
            {
                return LastRange()?.SecondsLeft;
            }
        }
    }

    /// <summary>Bytes per second of the fastest range being read, 0 when none has a measured rate.</summary>
    public double FastestRate
    {
        get
        {
            lock (_gate)
            {
                return _pieces.Where(IsActive).Select(p => p.Range.Rate).DefaultIfEmpty(0).Max();
            }
        }
    }

    /// <summary>The bytes written so far, [Start, Position) of every range.</summary>
    public IReadOnlyList<(long Start, long End)> Written
    {
        get
        {
            lock (_gate)
            {
                return [.. _pieces.Select(p => (p.Range.Start, p.Range.Position))];
            }
        }
    }

    public void Add(ByteRange range, Task fetch)
    {
        lock (_gate)
        {
            _pieces.Add((range, fetch));
        }
    }

    /// <summary>
    /// Splits the range that would end last, if a request that waits <paramref name="latency"/> seconds and then
    /// receives at <paramref name="newRate"/> bytes per second ends it sooner, and fetches the part split off on
    /// <paramref name="slot"/>; false when it is not worth it (the slot is then the caller's). Only the last range is
    /// looked at: splitting one that ends sooner would not end the file sooner, and the response it cuts short wastes
    /// what its server had sent past the cut.
    /// </summary>
    public bool TrySplit(ConcurrencyController.Slot slot, double latency, double newRate)
    {
        ByteRange? tail;
        lock (_gate)
        {
            if ((tail = LastRange()?.TrySplit(latency, newRate, _minPiece)) is null)
            {
                return false;
            }

            // Queued rather than run here: a fetch that ended at once would release its slot under this lock, and the
            // idle slot would come straight back to this file.
            var fetch = new Task<Task>(() => _fetchSplit(tail, slot));
            _pieces.Add((tail, fetch.Unwrap()));
            fetch.Start(TaskScheduler.Default);
        }

        return true;
    }

    /// <summary>Waits for every range, including those split off meanwhile; afterwards nothing more is split.</summary>
    public async Task WhenAllAsync()
    {
        var seen = -1;
        while (true)
        {
            Task[] fetches;
            lock (_gate)
            {
                if (_pieces.Count == seen)
                {
                    _closed = true;
                    return;
                }

                seen = _pieces.Count;
                fetches = [.. _pieces.Select(p => p.Fetch)];
            }

            await Task.WhenAll(fetches).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>The failures of the ranges that failed (after <see cref="WhenAllAsync"/>).</summary>
    public IEnumerable<Exception> Failures
    {
        get
        {
            lock (_gate)
            {
                return [.. _pieces.Where(p => p.Fetch.IsFaulted).Select(p => p.Fetch.Exception!.InnerException!)];
            }
        }
    }

    // The active range that would end last, or null when no split is possible (closed, stopped, or enough ranges).
    private ByteRange? LastRange() => CanSplit() ? _pieces.Where(IsActive).Select(p => p.Range).MaxBy(r => r.SecondsLeft) : null;

    private bool CanSplit() => !_closed && !_stopped.IsCancellationRequested && _pieces.Count(IsActive) < _maxActive;

    // A range read to its end counts as done before its task ends: its slot is released (and offered here) first.
    private static bool IsActive((ByteRange Range, Task Fetch) piece) => !piece.Fetch.IsCompleted && piece.Range.Remaining > 0;
}
