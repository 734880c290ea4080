using Bundler.Core.Download.Transfer;
using Bundler.Testing.Download;

namespace Bundler.Core.Tests.Download.Transfer;

public sealed class ByteRangeTests
{
    private const long Size = 10_000_000;
    private readonly ManualClock _clock = new();

    [Fact]
    public void TrySplit_BeforeTheReaderHasARate_Refused()
    {
        var range = new ByteRange(0, Size, _clock);
        range.BeginRead(0, 1000);
        range.Arrived(1000);

        Assert.Null(range.TrySplit(latency: 0.01, newRate: 1e9, minPiece: 1));
        Assert.Equal(Size, range.End);
    }

    [Fact]
    public void TrySplit_SameRateNoLatency_HalvesWhatIsUnreadAfterTheReadUnderWay()
    {
        var range = new ByteRange(0, Size, _clock);
        var readingTo = Read(range, bytesPerSecond: 1_000_000);

        var tail = range.TrySplit(latency: 0, newRate: 1_000_000, minPiece: 1);

        Assert.NotNull(tail);
        Assert.Equal(range.End, tail.Start);
        Assert.Equal(Size, tail.End);
        Assert.Equal(tail.Start, tail.Position);
        Assert.Equal(readingTo + ((Size - readingTo + 1) / 2), tail.Start);
    }

    [Fact]
    public void TrySplit_FasterRequestAndLatency_BothPartsEndAtOnce()
    {
        var range = new ByteRange(0, Size, _clock);
        var readingTo = Read(range, bytesPerSecond: 1_000_000);

        var tail = range.TrySplit(latency: 0.5, newRate: 3_000_000, minPiece: 1);

        // The reader keeps k bytes: k / 1 MB/s = 0.5 s + (unread - k) / 3 MB/s.
        Assert.NotNull(tail);
        var kept = range.End - readingTo;
        var unread = Size - readingTo;
        Assert.Equal(kept / 1e6, 0.5 + ((unread - kept) / 3e6), 3);
    }

    [Fact]
    public void TrySplit_SplitOffPartBeforeItsFirstByte_EndsWhenTheKeptPartDoes()
    {
        var range = new ByteRange(0, Size, _clock);
        Read(range, bytesPerSecond: 1_000_000);

        var tail = range.TrySplit(latency: 0.5, newRate: 3_000_000, minPiece: 1);

        // Taken at the rate and latency the split expected, not as unknown (which would make the kept part look last).
        Assert.NotNull(tail);
        Assert.Equal(0, tail.Rate);
        Assert.NotNull(tail.SecondsLeft);
        Assert.Equal(range.SecondsLeft!.Value, tail.SecondsLeft!.Value, 2);
    }

    [Fact]
    public void ResponseStarted_TheWaitForAResumedResponse_IsNotPartOfTheRate()
    {
        var range = new ByteRange(0, Size, _clock);
        var position = Read(range, bytesPerSecond: 1_000_000);

        range.ResponseStarted();
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1_000_000, range.Rate, 1);
        for (var i = 0; i <= 30; i++)
        {
            range.BeginRead(position, 10_000);
            range.Arrived(10_000);
            position += 10_000;
            _clock.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.Equal(1_000_000, range.Rate, 1);
    }

    [Fact]
    public void TrySplit_AReaderThatStalled_KeepsAlmostNothing()
    {
        var range = new ByteRange(0, Size, _clock);
        var readingTo = Read(range, bytesPerSecond: 1_000_000);
        _clock.Advance(TimeSpan.FromSeconds(5));

        var tail = range.TrySplit(latency: 0.1, newRate: 1_000_000, minPiece: 1);

        Assert.NotNull(tail);
        Assert.InRange(range.End - readingTo, 0, 1000);
    }

    [Fact]
    public void TrySplit_NotWorthARequestsLatency_Refused()
    {
        var range = new ByteRange(0, Size, _clock);
        var readingTo = Read(range, bytesPerSecond: 1_000_000);
        var unreadSeconds = (Size - readingTo) / 1e6;

        Assert.Null(range.TrySplit(latency: unreadSeconds, newRate: 1_000_000, minPiece: 1));
        Assert.Null(range.TrySplit(latency: 0, newRate: 1_000_000, minPiece: Size));
        Assert.Equal(Size, range.End);
        Assert.NotNull(range.TrySplit(latency: unreadSeconds / 10, newRate: 1_000_000, minPiece: 1));
    }

    [Fact]
    public void BeginRead_AskingPastTheEnd_StopsAtTheEnd()
    {
        var range = new ByteRange(0, 100, _clock);

        Assert.Equal(64, range.BeginRead(0, 64));
        Assert.Equal(10, range.BeginRead(90, 64));
        Assert.Equal(0, range.BeginRead(100, 64));
        range.Advance(100);
        Assert.Equal(0, range.Next(64));
        Assert.Null(range.SecondsLeft);
    }

    // One second of 10 KB reads every 10 ms at the rate given, then one more read begun; returns where that read ends.
    private long Read(ByteRange range, long bytesPerSecond)
    {
        var chunk = (int)(bytesPerSecond / 100);
        long position = 0;
        for (var i = 0; i <= 100; i++)
        {
            range.BeginRead(position, chunk);
            range.Arrived(chunk);
            range.Advance(chunk);
            position += chunk;
            _clock.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.Equal(bytesPerSecond, range.Rate, 1);
        return position + range.BeginRead(position, 4096);
    }
}
