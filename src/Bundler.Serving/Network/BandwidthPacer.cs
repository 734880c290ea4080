using System.Diagnostics;

namespace Bundler.Serving.Network;

/// <summary>
/// Holds a byte stream to a rate. Each chunk reserves its transmission time after the previous chunk's, against the
/// monotonic clock, and waits until that time has passed. A token bucket refilled by a timer loses tokens whenever the
/// timer fires late, as it does on a busy machine, and the rate drifts low; reserving departure times keeps the
/// long-run rate exact. One pacer may be shared by many streams (a link's total bandwidth).
/// </summary>
internal sealed class BandwidthPacer
{
    // After an idle spell a link may send this much at once, not everything it "saved up".
    private static readonly long IdleCreditTicks = Stopwatch.Frequency / 50;

    private readonly long _bytesPerSecond;
    private readonly Lock _lock = new();
    private long _nextFreeTicks;

    public BandwidthPacer(long bytesPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytesPerSecond, 1);
        _bytesPerSecond = bytesPerSecond;
        ChunkSize = (int)Math.Clamp(bytesPerSecond / 100, 1024, 64 * 1024);
    }

    /// <summary>About 10 ms worth of bytes: small enough to keep the pace smooth, large enough to stay cheap.</summary>
    public int ChunkSize { get; }

    /// <summary>Reserves the link for <paramref name="bytes"/> and returns when they would have been sent.</summary>
    public long Reserve(int bytes)
    {
        var now = Stopwatch.GetTimestamp();
        var duration = bytes * Stopwatch.Frequency / _bytesPerSecond;
        lock (_lock)
        {
            var start = Math.Max(_nextFreeTicks, now - IdleCreditTicks);
            _nextFreeTicks = start + duration;
            return _nextFreeTicks;
        }
    }

    public static async ValueTask WaitUntilAsync(long timestamp, CancellationToken cancellationToken)
    {
        var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        if (remaining > TimeSpan.FromMilliseconds(1))
        {
            await Task.Delay(remaining, cancellationToken);
        }
    }
}
