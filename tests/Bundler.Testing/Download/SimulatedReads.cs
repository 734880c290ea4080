using Bundler.Core.Download.Transfer;

namespace Bundler.Testing.Download;

/// <summary>Ranges read as a transfer would read them, on a clock the test moves.</summary>
internal static class SimulatedReads
{
    /// <summary>Each range receives at the rate given for a second, a read every 10 ms.</summary>
    public static void ForOneSecond(ManualClock clock, params (ByteRange Range, long BytesPerSecond)[] ranges)
    {
        for (var i = 0; i <= 100; i++)
        {
            foreach (var (range, bytesPerSecond) in ranges)
            {
                var chunk = (int)(bytesPerSecond / 100);
                range.BeginRead(range.Position, chunk);
                range.Arrived(chunk);
                range.Advance(chunk);
            }

            clock.Advance(TimeSpan.FromMilliseconds(10));
        }
    }
}
