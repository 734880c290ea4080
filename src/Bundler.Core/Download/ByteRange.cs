namespace Bundler.Core.Download;

/// <summary>
/// A part of a file being fetched: bytes [Start, End), of which those before <see cref="Position"/> are written. One
/// reader advances it; another thread may split its unread back half off (<see cref="TrySplit"/>), which moves
/// <see cref="End"/> down, never below what the reader may be reading.
/// </summary>
internal sealed class ByteRange(long start, long end)
{
    private readonly Lock _gate = new();
    private long _end = end;
    private long _position = start;

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

    /// <summary>How many bytes the reader may read next, at most <paramref name="max"/>.</summary>
    public int Next(int max)
    {
        lock (_gate)
        {
            return (int)Math.Min(max, _end - _position);
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
    /// Takes the back half of the unread bytes into a new range, if each half keeps at least <paramref name="minPiece"/>
    /// bytes beyond the <paramref name="reading"/> bytes the reader may already be reading.
    /// </summary>
    public ByteRange? TrySplit(long minPiece, int reading)
    {
        lock (_gate)
        {
            var splittable = _end - _position - reading;
            if (splittable < 2 * minPiece)
            {
                return null;
            }

            var at = _position + reading + (splittable / 2);
            var tail = new ByteRange(at, _end);
            _end = at;
            return tail;
        }
    }
}
