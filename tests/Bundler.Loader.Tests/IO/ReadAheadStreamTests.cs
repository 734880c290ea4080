using Bundler.Loader.IO;
using Bundler.Loader.Tests.Unpacking;

namespace Bundler.Loader.Tests.IO;

/// <summary>The read-ahead buffer of remote bundles: same bytes, drained without a reader, bounded, failures passed on.</summary>
public sealed class ReadAheadStreamTests
{
    private const int Limit = 256 * 1024;

    [Fact]
    public async Task Read_OddPieceSizes_GivesBackEveryByteInOrder()
    {
        var body = RoundTripTests.RandomBytes(3_000_000, 11);
        await using var stream = new ReadAheadStream(new TrickleStream(body, 7_001), Limit);

        using var copy = new MemoryStream();
        var buffer = new byte[12_345];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            copy.Write(buffer, 0, read);
        }

        Assert.Equal(body, copy.ToArray());
        Assert.Equal(0, await stream.ReadAsync(buffer));
    }

    [Fact]
    public async Task ReadAhead_NoReader_DrainsTheBodyUpToTheLimitAndNoFurther()
    {
        var inner = new TrickleStream(new byte[10 * Limit], 16 * 1024);
        await using var stream = new ReadAheadStream(inner, Limit);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (inner.Delivered < Limit && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        await Task.Delay(200);
        Assert.InRange(inner.Delivered, Limit, Limit + 64 * 1024 + 16 * 1024);
    }

    [Fact]
    public async Task Read_BodyBreaks_HandsOverItsBytesThenItsError()
    {
        var body = RoundTripTests.RandomBytes(100_000, 12);
        await using var stream = new ReadAheadStream(new TrickleStream(body, 10_000, failAtEnd: new BundleException("GET http://example.test/b.tar.zst: the body broke off.")), Limit);

        var received = new byte[body.Length];
        await stream.ReadExactlyAsync(received);
        var error = await Assert.ThrowsAsync<BundleException>(async () => await stream.ReadExactlyAsync(new byte[1]));

        Assert.Equal(body, received);
        Assert.Contains("http://example.test/b.tar.zst", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_BodyBrokeBeforeTheFirstRead_HandsOverItsBytesFirst()
    {
        var body = RoundTripTests.RandomBytes(100_000, 13);
        var inner = new TrickleStream(body, 10_000, failAtEnd: new BundleException("GET http://example.test/b.tar.zst: the body broke off."));
        await using var stream = new ReadAheadStream(inner, Limit);
        for (var waited = 0; inner.Delivered < body.Length && waited < 500; waited++)
        {
            await Task.Delay(10);
        }

        // Let the pump take the failure and finish.
        await Task.Delay(100);

        var received = new byte[body.Length];
        await stream.ReadExactlyAsync(received);
        var error = await Assert.ThrowsAsync<BundleException>(async () => await stream.ReadExactlyAsync(new byte[1]));

        Assert.Equal(body, received);
        Assert.Contains("the body broke off", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_WhileReadingAhead_StopsAndDisposesTheBody()
    {
        var inner = new TrickleStream(new byte[10 * Limit], 16 * 1024);
        var stream = new ReadAheadStream(inner, Limit);
        await stream.ReadExactlyAsync(new byte[1000]);

        await stream.DisposeAsync();
        var delivered = inner.Delivered;
        await Task.Delay(100);

        Assert.True(inner.IsDisposed);
        Assert.Equal(delivered, inner.Delivered);
    }

    /// <summary>A body that hands out at most <c>piece</c> bytes a read, counts them, and can end with an error.</summary>
    private sealed class TrickleStream(byte[] body, int piece, Exception? failAtEnd = null) : AsyncReadOnlyForwardStream
    {
        private long _delivered;

        public long Delivered => Interlocked.Read(ref _delivered);

        public bool IsDisposed { get; private set; }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            var position = (int)Delivered;
            var count = Math.Min(Math.Min(piece, buffer.Length), body.Length - position);
            if (count == 0 && failAtEnd is not null)
            {
                throw failAtEnd;
            }

            body.AsMemory(position, count).CopyTo(buffer);
            Interlocked.Add(ref _delivered, count);
            return count;
        }

        protected override void Dispose(bool disposing)
        {
            IsDisposed = true;
            base.Dispose(disposing);
        }
    }
}
