namespace Bundler.Core.Download.Transfer;

/// <summary>
/// A part of a file being fetched: bytes [Start, End), of which those before <see cref="Position"/> are written. One
/// reader takes bytes from its response a socket read at a time (<see cref="BeginRead"/>, <see cref="Arrived"/>) and
/// measures the rate they come at; another thread may split the unread back part off (<see cref="TrySplit"/>), which
/// moves <see cref="End"/> down, never into a socket read under way, so no byte is received twice.
/// </summary>
internal sealed class ByteRange(long start, long end, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private long _end = end;
    private long _position = start;
    private long _readingTo = start;
    private long _windowStart;
    private long _windowBytes;
    private double _rate;

    // A part split off starts with the rate and first byte its split expected, until its own bytes are measured: it
    // is not mistaken for the range that ends first (and its sibling, cut again, for the one that ends last).
    private double _expectedRate;
    private long _expectedFirstByte;

    public long Start { get; } = start;

    public long End
    {
        get
        {
            lock (_gate)
            {
                return _end;
            }
        }
    }

    public long Position
    {
        get
        {
            lock (_gate)
            {
                return _position;
            }
        }
    }

    public long Remaining
    {
        get
        {
            lock (_gate)
            {
                return _end - _position;
            }
        }
    }

    /// <summary>Bytes per second the reader is receiving (a moving average); 0 until a first window has been measured.</summary>
    public double Rate
    {
        get
        {
            lock (_gate)
            {
                return CurrentRate(orExpected: false);
            }
        }
    }

    /// <summary>Seconds until the reader reaches the end at its rate; null while the rate is unknown or nothing is left.</summary>
    public double? SecondsLeft
    {
        get
        {
            lock (_gate)
            {
                var rate = CurrentRate();
                if (rate <= 0 || _end <= _readingTo)
                {
                    return null;
                }

                var waiting = _windowStart == 0 ? Math.Max(0, _expectedFirstByte - _clock.GetTimestamp()) / (double)_clock.TimestampFrequency : 0;
                return waiting + ((_end - _readingTo) / rate);
            }
        }
    }

    /// <summary>How many bytes the reader may buffer next, at most <paramref name="max"/>, counted from what it has written.</summary>
    public int Next(int max)
    {
        lock (_gate)
        {
            return (int)Math.Clamp(_end - _position, 0, max);
        }
    }

    /// <summary>
    /// Starts a socket read of at most <paramref name="max"/> bytes at <paramref name="at"/> (what the reader has
    /// received so far); returns its size, 0 when the range ends there. A split never cuts into it.
    /// </summary>
    public int BeginRead(long at, int max)
    {
        lock (_gate)
        {
            var size = (int)Math.Clamp(_end - at, 0, max);
            _readingTo = at + size;
            return size;
        }
    }

    /// <summary>A new response is about to be read (a resume): its wait for headers is not part of the rate.</summary>
    public void ResponseStarted()
    {
        lock (_gate)
        {
            _windowStart = 0;
            _windowBytes = 0;
        }
    }

    /// <summary>Counts <paramref name="count"/> bytes received by the read begun last, for the rate.</summary>
    public void Arrived(int count)
    {
        var now = _clock.GetTimestamp();
        lock (_gate)
        {
            if (_windowStart == 0)
            {
                // The clock starts with the first bytes: the wait for the response is not part of the rate.
                _windowStart = now;
                return;
            }

            _windowBytes += count;
            var elapsed = now - _windowStart;
            if (elapsed >= RateWindow)
            {
                var rate = _windowBytes * (double)_clock.TimestampFrequency / elapsed;
                _rate = _rate == 0 ? rate : (_rate + rate) / 2;
                _windowStart = now;
                _windowBytes = 0;
            }
        }
    }

    public void Advance(int count)
    {
        lock (_gate)
        {
            _position += count;
        }
    }

    /// <summary>
    /// Takes the back part of the unread bytes into a new range, when fetching it on another request, which waits
    /// <paramref name="latency"/> seconds for its first byte and then receives at <paramref name="newRate"/> (never
    /// taken as slower than this reader), ends the range sooner by more than that latency. The cut is where both
    /// would end at once; the part taken has at least <paramref name="minPiece"/> bytes.
    /// </summary>
    public ByteRange? TrySplit(double latency, double newRate, long minPiece)
    {
        lock (_gate)
        {
            var unread = _end - _readingTo;
            var rate = CurrentRate();
            if (rate <= 0 || unread < minPiece)
            {
                return null;
            }

            var other = Math.Max(newRate, rate);
            // The reader keeps k bytes where k / rate = latency + (unread - k) / other.
            var kept = Math.Max(0, (long)Math.Ceiling(rate * ((latency * other) + unread) / (other + rate)));
            if (unread - kept < minPiece || (unread - kept) / rate <= latency)
            {
                return null;
            }

            var at = _readingTo + kept;
            var tail = new ByteRange(at, _end, _clock)
            {
                _expectedRate = other,
                _expectedFirstByte = _clock.GetTimestamp() + (long)(latency * _clock.TimestampFrequency),
            };
            _end = at;
            return tail;
        }
    }

    // The rate is measured over windows of at least a quarter second: socket reads return a few KiB at a time, unevenly.
    private long RateWindow => _clock.TimestampFrequency / 4;

    // A reader that has received little since its window began (a crawl, a stall) is as slow as that, not as its average.
    // Before anything is measured, a part split off is taken to go at the rate its split expected.
    private double CurrentRate(bool orExpected = true)
    {
        var elapsed = _clock.GetTimestamp() - _windowStart;
        if (_windowStart == 0 || elapsed <= RateWindow)
        {
            return _rate > 0 ? _rate : orExpected ? _expectedRate : 0;
        }

        // At least 1 byte/s: known to crawl, unlike 0 (not measured yet).
        var measured = Math.Max(1, _windowBytes * (double)_clock.TimestampFrequency / elapsed);
        return _rate == 0 ? measured : Math.Min(_rate, measured);
    }
}
