using System.Globalization;

namespace Bundler.Loader.Http;

/// <summary>
/// Measures one response body against a <see cref="MinimumTransferRate"/> in back-to-back windows: when a window has
/// passed, the bytes it received are judged and the next window starts. It is judged as bytes arrive; a body that
/// sends nothing at all is the stall timer's.
/// </summary>
internal sealed class TransferRateMeter
{
    private readonly MinimumTransferRate _floor;
    private readonly TimeProvider _clock;
    private long _windowStart;
    private long _bytes;

    public TransferRateMeter(MinimumTransferRate floor, TimeProvider? clock = null)
    {
        _floor = floor;
        _clock = clock ?? TimeProvider.System;
        _windowStart = _clock.GetTimestamp();
    }

    /// <summary>Counts <paramref name="bytes"/> that arrived; returns why the body is too slow, or null while it is not.</summary>
    public string? Arrived(int bytes)
    {
        _bytes += bytes;
        var elapsed = _clock.GetElapsedTime(_windowStart);
        if (_floor.BytesPerSecond == 0 || elapsed < _floor.Window)
        {
            return null;
        }

        if (_bytes < _floor.BytesPerSecond * elapsed.TotalSeconds)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"only {_bytes} bytes arrived in {elapsed.TotalSeconds:0.#} s, under the minimum rate of {_floor}");
        }

        _windowStart = _clock.GetTimestamp();
        _bytes = 0;
        return null;
    }
}
