using System.Globalization;

namespace Bundler.Loader.Http;

/// <summary>
/// Measures one response body against a <see cref="MinimumTransferRate"/> in back-to-back windows of time spent
/// waiting for the network (between <see cref="Reading"/> and <see cref="Arrived"/>), so that a reader that pauses
/// between reads is not taken for a slow network; when a window has passed, the bytes it received are judged and the
/// next window starts. A body that sends nothing at all is the stall timer's.
/// </summary>
internal sealed class TransferRateMeter(MinimumTransferRate floor, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private long _readStart;
    private TimeSpan _waited;
    private long _bytes;

    /// <summary>A read from the network starts.</summary>
    public void Reading() => _readStart = _clock.GetTimestamp();

    /// <summary>The read gave <paramref name="bytes"/>; returns why the body is too slow, or null while it is not.</summary>
    public string? Arrived(int bytes)
    {
        _waited += _clock.GetElapsedTime(_readStart);
        _bytes += bytes;
        if (floor.BytesPerSecond == 0 || _waited < floor.Window)
        {
            return null;
        }

        if (_bytes < floor.BytesPerSecond * _waited.TotalSeconds)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"only {_bytes} bytes arrived in {_waited.TotalSeconds:0.#} s, under the minimum rate of {floor}");
        }

        _waited = TimeSpan.Zero;
        _bytes = 0;
        return null;
    }
}
