using Bundler.Core.Download;
using Bundler.Core.Download.Scheduling;
using Bundler.Core.Download.Transfer;
using Bundler.Testing.Download;

namespace Bundler.Core.Tests.Download.Scheduling;

public sealed class TailSplitterTests
{
    private readonly ManualClock _clock = new();
    private readonly TaskCompletionSource _reading = new();
    private readonly TaskCompletionSource<ByteRange> _fetched = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Theory]
    [InlineData(1, true)]
    [InlineData(600_000, false)]
    public async Task Split_FreedSlot_SplitsOnlyTheFileThatEndsLast(long minPiece, bool splits)
    {
        // One slot: it frees, and is offered once.
        var controller = new ConcurrencyController(new DownloadOptions { Concurrency = 1 });
        using var splitter = new TailSplitter(controller);
        splitter.Answered("h", TimeSpan.FromMilliseconds(5));
        // After a second: the fast file has 1.9 MB to go at 10 MB/s (0.19 s), the slow one 0.49 MB at 1 MB/s (0.49 s).
        var fast = Register(splitter, new ByteRange(0, 12_000_000, _clock), minPiece);
        var slow = Register(splitter, new ByteRange(0, 1_500_000, _clock), minPiece);
        SimulatedReads.ForOneSecond(_clock, (fast, 10_000_000), (slow, 1_000_000));

        (await controller.AcquireAsync("h", CancellationToken.None)).Dispose();

        Assert.Equal(12_000_000, fast.End);
        Assert.Equal(splits, slow.End < 1_500_000);
        if (splits)
        {
            var piece = await _fetched.Task.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal((slow.End, 1_500_000), (piece.Start, piece.End));
        }
    }

    private ByteRange Register(TailSplitter splitter, ByteRange range, long minPiece)
    {
        var pieces = new FilePieces("h", maxActive: 4, minPiece, (piece, slot) =>
        {
            slot.Return();
            _fetched.SetResult(piece);
            return Task.CompletedTask;
        }, CancellationToken.None);
        pieces.Add(range, _reading.Task);
        splitter.Register(pieces);
        return range;
    }
}
