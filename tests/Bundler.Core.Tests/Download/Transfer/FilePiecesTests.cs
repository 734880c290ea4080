using Bundler.Core.Download;
using Bundler.Core.Download.Scheduling;
using Bundler.Core.Download.Transfer;
using Bundler.Testing.Download;

namespace Bundler.Core.Tests.Download.Transfer;

public sealed class FilePiecesTests
{
    private readonly ManualClock _clock = new();
    private readonly TaskCompletionSource _reading = new();

    [Fact]
    public async Task TrySplit_TakesFromTheRangeThatEndsLast_NotTheOneWithMostBytesLeft()
    {
        var split = new TaskCompletionSource<ByteRange>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pieces = new FilePieces("h", maxActive: 4, minPiece: 1, (range, slot) =>
        {
            slot.Dispose();
            split.SetResult(range);
            return Task.CompletedTask;
        }, CancellationToken.None);
        // After a second: the fast range has 1.9 MB to go at 10 MB/s (0.19 s), the slow one 0.49 MB at 1 MB/s (0.49 s).
        var fast = new ByteRange(0, 12_000_000, _clock);
        var slow = new ByteRange(12_000_000, 13_500_000, _clock);
        pieces.Add(fast, _reading.Task);
        pieces.Add(slow, _reading.Task);
        SimulatedReads.ForOneSecond(_clock, (fast, 10_000_000), (slow, 1_000_000));

        Assert.Equal(slow.SecondsLeft, pieces.SecondsLeft);
        Assert.True(pieces.TrySplit(new ConcurrencyController(new DownloadOptions { Concurrency = 2 }).TryAcquireIdle("h")!, latency: 0.01, newRate: 10_000_000));

        var taken = await split.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(13_500_000, taken.End);
        Assert.Equal(slow.End, taken.Start);
        Assert.Equal(12_000_000, fast.End);
    }

    [Fact]
    public void TrySplit_WhenTheLastRangeCannotBeSplit_SplitsNoOther()
    {
        // Pieces of at least 600 kB: the slow range's 0.49 MB cannot give one, the fast range's 1.9 MB could.
        var pieces = new FilePieces("h", maxActive: 4, minPiece: 600_000, (_, _) => Task.CompletedTask, CancellationToken.None);
        var fast = new ByteRange(0, 12_000_000, _clock);
        var slow = new ByteRange(12_000_000, 13_500_000, _clock);
        pieces.Add(fast, _reading.Task);
        pieces.Add(slow, _reading.Task);
        SimulatedReads.ForOneSecond(_clock, (fast, 10_000_000), (slow, 1_000_000));

        // Splitting the fast range would not end the file sooner: the slow one still ends last.
        var slot = new ConcurrencyController(new DownloadOptions { Concurrency = 2 }).TryAcquireIdle("h")!;
        Assert.False(pieces.TrySplit(slot, latency: 0.01, newRate: 10_000_000));
        Assert.Equal(12_000_000, fast.End);
        Assert.Equal(13_500_000, slow.End);
    }
}
