using System.Globalization;

namespace Bundler.Loader.Http;

/// <summary>
/// The slowest a response body may arrive: a body that receives fewer than <see cref="BytesPerSecond"/> bytes per second
/// over a <see cref="Window"/> fails as a stall does (and is resumed or retried like one), as with curl's
/// <c>--speed-limit</c>/<c>--speed-time</c> and aria2's <c>--lowest-speed-limit</c>. The stall timeout bounds a body
/// that sends nothing; this bounds one that drips a byte every few seconds, which would restart a stall timer for ever.
/// </summary>
/// <param name="BytesPerSecond">The rate a body must keep; 0 turns the check off.</param>
/// <param name="Window">How long the rate is measured over before it is judged.</param>
public sealed record MinimumTransferRate(long BytesPerSecond, TimeSpan Window)
{
    /// <summary>
    /// 1 KiB/s over 30 s. The slowest benchmark network (slow-3g, 400 kbit/s) still gives each of 16 connections about
    /// 3 KiB/s, so a legitimately slow link keeps clear of it, while a dripping body fails within the window.
    /// </summary>
    public static MinimumTransferRate Default { get; } = new(1024, TimeSpan.FromSeconds(30));

    /// <summary>No minimum: only the stall timeout applies.</summary>
    public static MinimumTransferRate None { get; } = new(0, TimeSpan.FromSeconds(30));

    /// <summary>Throws unless the rate is not negative and the window positive.</summary>
    public void Validate(string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(BytesPerSecond, name);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Window, TimeSpan.Zero, name);
    }

    /// <summary>How the floor reads in messages: <c>1024 bytes/s over 30 s</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{BytesPerSecond} bytes/s over {Window.TotalSeconds:0.###} s");
}
