using Bundler.Core.Download;

namespace Bundler.Tests.Download;

public sealed class ByteRangeTests
{
    [Fact]
    public void TrySplit_TakesTheBackHalfOfWhatTheReaderHasNotReached()
    {
        var range = new ByteRange(1000, 11_000);
        range.Advance(1000);

        var tail = range.TrySplit(minPiece: 1000, reading: 2000);

        Assert.NotNull(tail);
        // Unread: 2000..11000; the reader may be reading up to 4000; the remaining 7000 are halved.
        Assert.Equal(7500, tail.Start);
        Assert.Equal(11_000, tail.End);
        Assert.Equal(7500, tail.Position);
        Assert.Equal(7500, range.End);
        Assert.Equal(5500, range.Remaining);
        Assert.Equal(4000, range.Next(4000));
    }

    [Fact]
    public void TrySplit_HalvesSmallerThanTheMinimum_Refused()
    {
        var range = new ByteRange(0, 10_000);

        Assert.Null(range.TrySplit(minPiece: 4001, reading: 2000));
        Assert.Equal(10_000, range.End);
        Assert.NotNull(range.TrySplit(minPiece: 4000, reading: 2000));
    }

    [Fact]
    public void Next_NeverPassesTheEnd()
    {
        var range = new ByteRange(0, 100);
        range.Advance(90);

        Assert.Equal(10, range.Next(64));
        range.Advance(10);
        Assert.Equal(0, range.Next(64));
        Assert.Null(range.TrySplit(minPiece: 1, reading: 0));
    }
}
